import { TtlBounds, TtlPolicy } from './gateway-spec';

/**
 * The lifetime of one kind of credential after defaults are applied.
 */
export interface ResolvedTtl {
  /** Lifetime when the caller does not ask for one, in seconds. */
  readonly defaultSeconds: number;
  /** Longest lifetime a caller may ask for, in seconds. */
  readonly maxSeconds: number;
}

/**
 * Every credential lifetime of a gateway, after defaults are applied.
 */
export interface ResolvedTtlPolicy {
  /** STS credentials for target roles. */
  readonly cloudCredentials: ResolvedTtl;
  /** Vault tokens. */
  readonly vaultTokens: ResolvedTtl;
  /** Dynamic database users. */
  readonly databaseCredentials: ResolvedTtl;
}

/**
 * The kinds of credential a gateway issues, each with its own lifetime limits.
 */
export enum CredentialKind {
  /** STS credentials for a target role. */
  CLOUD_CREDENTIALS = 'cloudCredentials',
  /** A Vault token. */
  VAULT_TOKENS = 'vaultTokens',
  /** A dynamic database user. */
  DATABASE_CREDENTIALS = 'databaseCredentials',
}

/**
 * Defaults, floors and ceilings of the lifetime of one kind of credential.
 */
export interface TtlLimit {
  /** Which credential. */
  readonly kind: CredentialKind;
  /** Default lifetime when the spec gives none, in seconds. */
  readonly defaultSeconds: number;
  /** Default maximum when the spec gives none, in seconds. */
  readonly maxSeconds: number;
  /** No lifetime of this kind may be shorter, in seconds. */
  readonly floorSeconds: number;
  /** No lifetime of this kind may be longer, in seconds. */
  readonly ceilingSeconds: number;
  /** Why the ceiling is where it is, for error messages. */
  readonly ceilingReason: string;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * The lifetime limits every gateway is held to, and the one source of them: the spec validator,
 * both planes and the NHI rule pack read these values, so a spec that validates never fails the
 * gateway's own checks. Issued STS credentials cannot be revoked and a gateway's Vault token is
 * re-issued by logging in again, so both are capped at an hour; a dynamic database user may not
 * outlive a working day.
 */
export class TtlLimits {
  /** Limits for STS credentials of target roles. */
  public static readonly CLOUD_CREDENTIALS: TtlLimit = {
    kind: CredentialKind.CLOUD_CREDENTIALS,
    defaultSeconds: 15 * MINUTE,
    maxSeconds: HOUR,
    // STS refuses sessions shorter than 15 minutes.
    floorSeconds: 15 * MINUTE,
    ceilingSeconds: HOUR,
    ceilingReason: 'issued STS credentials cannot be revoked, and role chaining caps sessions at 1 hour',
  };

  /** Limits for Vault tokens. */
  public static readonly VAULT_TOKENS: TtlLimit = {
    kind: CredentialKind.VAULT_TOKENS,
    defaultSeconds: 15 * MINUTE,
    maxSeconds: HOUR,
    floorSeconds: MINUTE,
    ceilingSeconds: HOUR,
    ceilingReason: 'a gateway token is re-issued by logging in again, never kept alive',
  };

  /** Limits for dynamic database users. */
  public static readonly DATABASE_CREDENTIALS: TtlLimit = {
    kind: CredentialKind.DATABASE_CREDENTIALS,
    defaultSeconds: 15 * MINUTE,
    maxSeconds: HOUR,
    floorSeconds: MINUTE,
    ceilingSeconds: 24 * HOUR,
    ceilingReason: 'a dynamic database user must not outlive a working day',
  };

  /** All limits, in a fixed order. */
  public static all(): TtlLimit[] {
    return [TtlLimits.CLOUD_CREDENTIALS, TtlLimits.VAULT_TOKENS, TtlLimits.DATABASE_CREDENTIALS];
  }

  /**
   * Applies the defaults to a TTL policy. Does not validate it: `GatewaySpecValidator` does.
   *
   * @param policy the policy from the spec, if any
   */
  public static resolve(policy?: TtlPolicy): ResolvedTtlPolicy {
    return {
      cloudCredentials: resolveBounds(policy?.cloudCredentials, TtlLimits.CLOUD_CREDENTIALS),
      vaultTokens: resolveBounds(policy?.vaultTokens, TtlLimits.VAULT_TOKENS),
      databaseCredentials: resolveBounds(policy?.databaseCredentials, TtlLimits.DATABASE_CREDENTIALS),
    };
  }

  private constructor() {}
}

function resolveBounds(bounds: TtlBounds | undefined, limit: TtlLimit): ResolvedTtl {
  const maxSeconds = bounds?.maxSeconds ?? limit.maxSeconds;
  // A max below the stock default pulls the default down with it rather than failing.
  const defaultSeconds = bounds?.defaultSeconds ?? Math.min(limit.defaultSeconds, maxSeconds);
  return { defaultSeconds, maxSeconds };
}
