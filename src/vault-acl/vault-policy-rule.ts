import { VaultCapability } from './vault-capability';

/**
 * One path rule of a Vault ACL policy.
 */
export interface VaultPolicyRule {
  /**
   * The path: exact, or with `+` for one segment, or ending in `*` for every path that starts
   * with what comes before it. A leading `/` is ignored, as Vault ignores it.
   */
  readonly path: string;

  /** What may be done at the path. */
  readonly capabilities: VaultCapability[];

  /**
   * What the rule is for; written as a comment above it.
   *
   * @default - no comment
   */
  readonly description?: string;

  /**
   * Parameters a request may carry, each with the values it may take (an empty list allows any).
   *
   * @default - no constraint
   */
  readonly allowedParameters?: Record<string, string[]>;

  /**
   * Parameters a request may not carry, or values they may not take.
   *
   * @default - no constraint
   */
  readonly deniedParameters?: Record<string, string[]>;

  /**
   * Parameters a request must carry.
   *
   * @default - none
   */
  readonly requiredParameters?: string[];

  /**
   * The shortest response-wrapping TTL, in seconds, a request must ask for; a request that does
   * not wrap its response is refused.
   *
   * @default - no minimum
   */
  readonly minWrappingTtl?: number;

  /**
   * The longest response-wrapping TTL, in seconds, a request may ask for; a request that does not
   * wrap its response is refused.
   *
   * @default - no maximum
   */
  readonly maxWrappingTtl?: number;
}
