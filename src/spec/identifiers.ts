// What makes an identifier acceptable, in one place for the spec's validation and the planes'
// own prop checks (defence in depth: a plane's building block may be given values that never went
// through a spec). Not part of the package's public API (src/spec/index.ts does not export it).

import { KNOWN_PARTITIONS } from './private/aws-facts';

/**
 * True when the value holds a wildcard character (`*` or `?`), which IAM, Vault and Kubernetes
 * matching would expand where the gateway means one exact value.
 */
export function hasWildcard(value: string): boolean {
  return /[*?]/.test(value);
}

/**
 * A plain lower-case PostgreSQL identifier (at most 63 bytes, PostgreSQL's limit): it is written
 * into SQL statements unquoted, so nothing that would need quoting passes.
 */
const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** True when the value is a plain lower-case PostgreSQL identifier. */
export function isSqlIdentifier(value: string): boolean {
  return SQL_IDENTIFIER.test(value);
}

/**
 * An IAM role ARN: partition, account, optional path, name. A role path is `/`-separated
 * printable ASCII without `:`, which would split the ARN; a name is letters, digits and `+=,.@_-`.
 */
const ROLE_ARN = /^arn:([a-z-]+):iam::([^:]*):role\/((?:[\x21-\x39\x3b-\x7e]+\/)*)([\w+=,.@-]+)$/;

/** The parts of a role ARN. */
export interface RoleArnParts {
  readonly partition: string;
  readonly account: string;
  /** The role path, `/` when there is none. */
  readonly path: string;
  /** The role name: what a role session names, without the path. */
  readonly name: string;
}

/** The parts of a role ARN, or undefined when the value is not one (an account id may be anything here). */
export function parseRoleArn(value: string): RoleArnParts | undefined {
  const match = ROLE_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, account, path, name] = match;
  return { partition, account, path: `/${path}`, name };
}

/**
 * True when the value is an account's root ARN, which in a policy stands for every principal of
 * the account: never what the gateway means by one role.
 */
export function isAccountRootArn(value: string): boolean {
  return /^arn:[a-z-]+:iam::[^:]*:root$/.test(value);
}

/** IAM's longest role name. */
export const ROLE_NAME_MAX = 64;

/**
 * True when the value is one exact IAM role ARN: a known partition, a 12-digit account, a name
 * IAM accepts and no wildcard anywhere. The spec's `checkRoleArn` says which of these fails.
 */
export function isRoleArn(value: string): boolean {
  const parts = parseRoleArn(value);
  return parts !== undefined && !hasWildcard(value) && KNOWN_PARTITIONS.includes(parts.partition)
    && /^\d{12}$/.test(parts.account) && parts.name.length <= ROLE_NAME_MAX;
}
