import * as fs from 'fs';
import { assumeRole, Engines, rememberSecrets } from './engines';
import { LiveState, routerCells } from './live-world';
import { GatewayBlueprint, GatewaySpec } from '../../../src';
import { CredentialRegistry } from '../runtime/fake-vault';
import { GatewayWorld } from '../runtime/gateway-world';
import { KnownCredentials } from '../runtime/sigv4';

/**
 * The credentials the AWS stand-ins (Bedrock, Secrets Manager, Verified Permissions) accept: the
 * router cells' own sessions from the emulator, and every credential the emulator's STS issued to
 * OpenBao, as the STS recorder saw them on the wire. Nothing is minted here.
 */
export class EmulatorCredentials extends CredentialRegistry {
  constructor(private readonly issuedFile: string) {
    super();
    const known = this.lookup;
    this.lookup = (accessKeyId) => known(accessKeyId) ?? this.learn(accessKeyId);
  }

  /** Every AssumeRole answer the recorder saw, in order. */
  public issued(): Array<KnownCredentials & { assumedRoleArn: string }> {
    if (!fs.existsSync(this.issuedFile)) return [];
    return fs.readFileSync(this.issuedFile, 'utf-8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  }

  private learn(accessKeyId: string): KnownCredentials | undefined {
    const found = this.issued().find((c) => c.accessKeyId === accessKeyId);
    if (!found) return undefined;
    rememberSecrets(found.secretAccessKey, found.sessionToken);
    return this.add({ accessKeyId, secretAccessKey: found.secretAccessKey, sessionToken: found.sessionToken, roleArn: found.roleArn });
  }
}

/**
 * The router test's world with OpenBao (the applied plane) in place of the stand-in Vault: every
 * tenant's router cell logs in with a real signed GetCallerIdentity of a session of its own router
 * role, which the emulator issued, and OpenBao assumes the target roles in the emulator.
 */
export async function startLiveGatewayWorld(engines: Engines, state: LiveState, spec: GatewaySpec = state.spec)
  : Promise<{ world: GatewayWorld; registry: EmulatorCredentials }> {
  const blueprint = GatewayBlueprint.fromSpec(spec);
  const registry = new EmulatorCredentials(`${state.stsRequestsFile}.issued`);
  const routerCredentials = routerCells(blueprint).map((tenant) => {
    const session = assumeRole(engines, state.roles[tenant.router.roleName].arn, `gateward-router-${tenant.id}`);
    return registry.add({
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      roleArn: tenant.router.roleArn,
    });
  });
  const world = await GatewayWorld.start(spec, undefined, { realVault: { url: engines.openbao.httpAddress, registry, routerCredentials } });
  return { world, registry };
}
