import { VaultEdition } from '../gateway-spec';

/** What a Vault server can be configured with, by edition and version. */
export interface VaultFeatures {
  /** The AWS secrets engines assume roles with plugin identity tokens (Enterprise 1.16+). */
  readonly pluginWorkloadIdentity: boolean;
  /** The AWS auth method's client acts through a plugin identity token (Enterprise 1.17+). */
  readonly authWorkloadIdentity: boolean;
  /** Vault rotates root credentials on a schedule itself (Enterprise 1.19+). */
  readonly automatedRootRotation: boolean;
}

/**
 * The features of a Vault server of this edition and `major.minor.patch` version: the one place
 * the version thresholds are written, read by the validator and the blueprint.
 */
export function vaultFeatures(edition: VaultEdition, version: string): VaultFeatures {
  const [major, minor] = version.split('.').map(Number);
  const enterprise = edition === VaultEdition.ENTERPRISE;
  const atLeast = (wantMajor: number, wantMinor: number) => enterprise && (major > wantMajor || (major === wantMajor && minor >= wantMinor));
  return {
    pluginWorkloadIdentity: atLeast(1, 16),
    authWorkloadIdentity: atLeast(1, 17),
    automatedRootRotation: atLeast(1, 19),
  };
}
