import { isKnownRegion, KNOWN_PARTITIONS, KNOWN_REGIONS, partitionOfRegion, REGION_PATTERN } from './aws-facts';
import { closest } from '../../contract/closest-field';
import { ProblemCollector } from '../../problems/problem-collector';
import type { SpecProblem } from '../../problems/spec-problem';
import { hasWildcard, isAccountRootArn, isSqlIdentifier, parseRoleArn, ROLE_NAME_MAX } from '../identifiers';
import { isUnresolved } from '../tokens';

/**
 * Field-level rules. Each reports its problems to the collector and returns true only when the
 * value is a valid literal, so callers derive names from literals only. Unresolved tokens are
 * accepted without a problem (they cannot be checked as literals) but return false.
 */

/** Lower-case letters, digits and single hyphens, starting with a letter, not ending with a hyphen. */
export const SLUG = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

const SLUG_WORDS = 'lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen';

function reportWildcard(c: ProblemCollector, path: string, value: string, what: string): void {
  const noun = what.replace(/^the /, '');
  c.add(path, value, `contains a wildcard, but ${what} must be exact`, `name exactly one ${noun}; wildcards are never expanded by the gateway`);
}

/**
 * A value that must be a non-empty string. Reports a missing or wrongly typed value.
 */
export function checkPresentString(c: ProblemCollector, path: string, value: unknown, what: string, fix: string): value is string {
  if (value === undefined || value === null || value === '') {
    c.add(path, value, `${what} is missing`, fix);
    return false;
  }
  if (typeof value !== 'string') {
    c.add(path, value, `${what} must be a string`, fix);
    return false;
  }
  return true;
}

/**
 * An identifier that physical names are built from. Never a token: names are derived at synth.
 */
export function checkSlug(c: ProblemCollector, path: string, value: unknown, what: string, maxLength: number, minLength = 1): value is string {
  if (!checkPresentString(c, path, value, what, `set ${what} to ${SLUG_WORDS}`)) return false;
  if (isUnresolved(value)) {
    c.add(path, value, `${what} is an unresolved token, but physical names are derived from it`, `use a literal ${what}`);
    return false;
  }
  if (hasWildcard(value)) {
    reportWildcard(c, path, value, what);
    return false;
  }
  if (!SLUG.test(value)) {
    c.add(path, value, `${what} may contain ${SLUG_WORDS}`, `rename it, e.g. ${JSON.stringify(suggestSlug(value))}`);
    return false;
  }
  if (value.length < minLength || value.length > maxLength) {
    c.add(path, value, `${what} is ${value.length} characters; it must be ${minLength} to ${maxLength}`, `choose a ${what} of ${minLength} to ${maxLength} characters`);
    return false;
  }
  return true;
}

function suggestSlug(value: string): string {
  const slug = value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return slug || 'my-id';
}

/**
 * An optional free-text description.
 */
export function checkOptionalText(c: ProblemCollector, path: string, value: unknown, maxLength: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string') {
    c.add(path, value, 'must be a string', 'give a short plain-text description or leave it out');
  } else if (value.length > maxLength) {
    c.add(path, value, `is ${value.length} characters; at most ${maxLength} are allowed`, 'shorten the description');
  } else if (/[\u0000-\u001f]/.test(value)) {
    c.add(path, value, 'contains control characters', 'use a single line of plain text');
  }
}

export function checkAccountId(c: ProblemCollector, path: string, value: unknown): boolean {
  if (!checkPresentString(c, path, value, 'the AWS account id', 'set the 12-digit id of the account the gateway is deployed to')) return false;
  if (isUnresolved(value)) return false;
  if (!/^\d{12}$/.test(value)) {
    c.add(path, value, 'an AWS account id is exactly 12 digits', 'use the 12-digit account id, including leading zeros, e.g. "012345678901"');
    return false;
  }
  return true;
}

export function checkRegion(c: ProblemCollector, path: string, value: unknown): boolean {
  if (!checkPresentString(c, path, value, 'the AWS region', 'set the region the gateway is deployed to, e.g. "us-east-1"')) return false;
  if (isUnresolved(value)) return false;
  if (hasWildcard(value)) {
    reportWildcard(c, path, value, 'region');
    return false;
  }
  if (!REGION_PATTERN.test(value)) {
    c.add(path, value, 'is not an AWS region code', 'use a region code such as "us-east-1" or "eu-central-1"');
    return false;
  }
  if (!isKnownRegion(value)) {
    const near = closest(value, KNOWN_REGIONS);
    c.add(path, value, 'is not an AWS region', near ? `did you mean "${near}"?` : 'use a region AWS operates, e.g. "us-east-1" or "eu-central-1"');
    return false;
  }
  return true;
}

export function checkPartition(c: ProblemCollector, path: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'string' || !KNOWN_PARTITIONS.includes(value)) {
    c.add(path, value, 'is not a known AWS partition', `use one of ${KNOWN_PARTITIONS.map((p) => JSON.stringify(p)).join(', ')}, or leave it out for "aws"`);
    return false;
  }
  return true;
}

/**
 * Reports a partition that does not hold the region.
 */
export function checkRegionInPartition(c: ProblemCollector, path: string, region: string, partition: string): void {
  const expected = partitionOfRegion(region);
  if (expected !== partition) {
    c.add(path, partition, `region "${region}" is in partition "${expected}", not "${partition}"`, `set partition to "${expected}"`);
  }
}

const COLON_IN_ROLE_PATH = /^arn:[a-z-]+:iam::[^:]*:role\/.*:/;

/**
 * An exact IAM role ARN in the gateway's partition.
 */
export function checkRoleArn(c: ProblemCollector, path: string, value: unknown, partition: string | undefined, what: string): boolean {
  if (!checkPresentString(c, path, value, what, 'give the role ARN, arn:<partition>:iam::<12-digit account>:role/<name>')) return false;
  if (isUnresolved(value)) return false;
  if (hasWildcard(value)) {
    reportWildcard(c, path, value, what);
    return false;
  }
  if (/^arn:[a-z-]+:sts::[^:]*:assumed-role\//.test(value)) {
    c.add(path, value, 'is an assumed-role session ARN, which changes with every session', 'give the ARN of the role itself: arn:<partition>:iam::<account>:role/<name>');
    return false;
  }
  // A bare account id means the account root in a policy, too.
  if (isAccountRootArn(value) || /^\d{12}$/.test(value)) {
    c.add(path, value, `names the account root, which stands for every principal of the account, but ${what} must be one role`, 'give the exact ARN of the role: arn:<partition>:iam::<account>:role/<name>');
    return false;
  }
  if (COLON_IN_ROLE_PATH.test(value)) {
    c.add(path, value, 'has a ":" in its role path or name, which splits the ARN', 'give the role ARN exactly as IAM shows it; role paths and names never contain ":"');
    return false;
  }
  const parts = parseRoleArn(value);
  if (!parts) {
    c.add(path, value, 'is not an IAM role ARN', 'use arn:<partition>:iam::<12-digit account>:role/<optional path/><name>');
    return false;
  }
  const { partition: arnPartition, account, name } = parts;
  let valid = true;
  if (!KNOWN_PARTITIONS.includes(arnPartition)) {
    c.add(path, value, `names the unknown partition "${arnPartition}"`, `use one of ${KNOWN_PARTITIONS.join(', ')}`);
    valid = false;
  } else if (partition !== undefined && arnPartition !== partition) {
    c.add(path, value, `is in partition "${arnPartition}" but the gateway is in "${partition}"; IAM cannot trust across partitions`, `use a role in partition "${partition}"`);
    valid = false;
  }
  if (!/^\d{12}$/.test(account)) {
    c.add(path, value, `has account id "${account}", which is not 12 digits`, 'put the 12-digit account id of the role between "iam::" and ":role/"');
    valid = false;
  }
  if (name.length > ROLE_NAME_MAX) {
    c.add(path, value, `has a role name of ${name.length} characters; IAM allows ${ROLE_NAME_MAX}`, 'check the role name');
    valid = false;
  }
  return valid;
}

/**
 * The problems of a principal that must be exactly one IAM role: a wildcard, the account root,
 * an assumed-role session or anything that is not a role ARN is refused. For construct props that
 * name a role (a Vault server's identity, say): `path` is the prop's path in the message.
 *
 * @param partition the partition the role must be in; any known partition when undefined
 */
export function rolePrincipalProblems(path: string, value: unknown, what: string, partition?: string): SpecProblem[] {
  const c = new ProblemCollector();
  checkRoleArn(c, path, value, partition, what);
  return c.problems;
}

/**
 * An HTTP header value: CR or LF would end the header and start another (header injection), and
 * other control characters are refused by HTTP clients at request time, long after synth.
 */
export function checkHeaderValue(c: ProblemCollector, path: string, value: unknown, what: string): value is string {
  if (!checkPresentString(c, path, value, what, `give ${what} as a single line of text`)) return false;
  if (isUnresolved(value)) return false;
  if (/[\r\n]/.test(value)) {
    c.add(path, value, `${what} contains a line break (CR or LF), which would end the header and inject another`, 'give the value on one line');
    return false;
  }
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    c.add(path, value, `${what} contains a control character, which HTTP does not allow in a header value`, 'remove the control character');
    return false;
  }
  if (value !== value.trim()) {
    c.add(path, value, `${what} starts or ends with white space, which HTTP strips, so it would never match`, 'remove the leading and trailing white space');
    return false;
  }
  return true;
}

/**
 * An `https://host[:port]` server address with nothing after it. Returns true for a valid literal.
 */
export function checkHttpsAddress(c: ProblemCollector, path: string, value: unknown, what: string, example: string): boolean {
  if (!checkPresentString(c, path, value, what, `give the https:// address of ${what.replace(/^the (.*) address$/, 'the $1')}, e.g. "${example}"`)) return false;
  if (isUnresolved(value)) return false;
  const shape = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(value);
  const fixShape = `give the address clients use, e.g. "${example}"; plain http would expose tokens`;
  if (!shape || shape[1].toLowerCase() !== 'https') {
    c.add(path, value, 'must be an https:// address with a host and optional port, no path or trailing slash', fixShape);
    return false;
  }
  const [, , authority, rest] = shape;
  if (rest !== '') {
    c.add(path, value, 'must be an https:// address with a host and optional port, no path or trailing slash', fixShape);
    return false;
  }
  if (authority.includes('@')) {
    c.add(path, value, 'holds user information before the host; an address never carries credentials', 'remove everything before the "@"');
    return false;
  }
  const hostPort = /^([^:]*)(?::(\d*))?$/.exec(authority);
  const host = hostPort?.[1] ?? '';
  if (!hostPort || !isHostName(host)) {
    c.add(path, value, `has the host "${authority}", which is not a valid host name or IPv4 address`, fixShape);
    return false;
  }
  const port = hostPort[2];
  if (port !== undefined && !isTcpPort(port)) {
    c.add(path, value, `has the port "${port}", which is not a TCP port (1 to 65535)`, `give the port the server listens on, e.g. "${example}", or leave it out for 443`);
    return false;
  }
  return true;
}

/**
 * A whole number within bounds. Tokens pass unchecked.
 */
export function checkWholeNumber(
  c: ProblemCollector, path: string, value: unknown, min: number, max: number, unit: string, fix: string,
): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    c.add(path, value, `must be a number of ${unit}`, fix);
    return false;
  }
  if (isUnresolved(value)) return false;
  if (!Number.isInteger(value)) {
    c.add(path, value, `must be a whole number of ${unit}`, fix);
    return false;
  }
  if (value < min || value > max) {
    c.add(path, value, `must be between ${min} and ${max} ${unit}`, fix);
    return false;
  }
  return true;
}

/**
 * A tag value: AWS allows letters, digits, spaces and `_ . : / = + - @`, up to 256 characters.
 */
export function checkTagValue(c: ProblemCollector, path: string, value: unknown, what: string): boolean {
  if (!checkPresentString(c, path, value, what, 'name who is accountable, e.g. "llm-platform@example.com"')) return false;
  if (isUnresolved(value)) return false;
  if (value.length > 256 || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(value)) {
    c.add(path, value, `${what} becomes a tag value, which allows letters, digits, spaces and _ . : / = + - @ (at most 256 characters)`, 'use a team name or e-mail address');
    return false;
  }
  return true;
}

const HOST_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

export function checkHost(c: ProblemCollector, path: string, value: unknown): boolean {
  if (!checkPresentString(c, path, value, 'the database host', 'give the host name or IP address of the database')) return false;
  if (isUnresolved(value)) return false;
  if (hasWildcard(value)) {
    reportWildcard(c, path, value, 'database host');
    return false;
  }
  if (value.includes('://')) {
    c.add(path, value, 'is a URL; the host is just the name', 'drop the scheme, e.g. "vectors.cluster-abc.us-east-1.rds.amazonaws.com"');
    return false;
  }
  if (value.includes(':')) {
    c.add(path, value, 'includes a port', 'put the port in "port" and give the host alone');
    return false;
  }
  if (!isHostName(value)) {
    c.add(path, value, 'is not a valid host name or IPv4 address', 'give the host name of the database endpoint');
    return false;
  }
  return true;
}

/**
 * A PostgreSQL identifier that is embedded in SQL statements, so only plain unquoted names pass.
 */
export function checkSqlIdentifier(c: ProblemCollector, path: string, value: unknown, what: string): boolean {
  if (!checkPresentString(c, path, value, what, `give the ${what}`)) return false;
  if (isUnresolved(value)) {
    c.add(path, value, `${what} is an unresolved token, but it is written into SQL statements at synth`, `use a literal ${what}`);
    return false;
  }
  if (hasWildcard(value)) {
    reportWildcard(c, path, value, what);
    return false;
  }
  if (!isSqlIdentifier(value)) {
    c.add(path, value, `${what} must be a plain lower-case PostgreSQL identifier (letters, digits, _; at most 63)`, `rename it, e.g. ${JSON.stringify(value.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63))}`);
    return false;
  }
  if (value.startsWith('pg_') || value === 'information_schema') {
    c.add(path, value, `${what} names a PostgreSQL system schema`, 'use the schema that holds the tenant\'s data');
    return false;
  }
  return true;
}

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/**
 * A Kubernetes name: a DNS-1123 label (namespaces) or subdomain (service accounts).
 */
export function checkKubernetesName(c: ProblemCollector, path: string, value: unknown, what: string, subdomain: boolean): boolean {
  if (!checkPresentString(c, path, value, what, `give the exact ${what}`)) return false;
  if (isUnresolved(value)) return false;
  if (hasWildcard(value)) {
    reportWildcard(c, path, value, what);
    return false;
  }
  const maxLength = subdomain ? 253 : 63;
  const valid = subdomain ? value.split('.').every((label) => DNS_LABEL.test(label) && label.length <= 63) : DNS_LABEL.test(value);
  if (!valid || value.length > maxLength) {
    c.add(path, value, `is not a valid Kubernetes ${what} (lower-case letters, digits and hyphens${subdomain ? ', dot-separated' : ''}; at most ${maxLength})`, `give the ${what} exactly as Kubernetes shows it`);
    return false;
  }
  return true;
}

export function checkIssuerUrl(c: ProblemCollector, path: string, value: unknown): boolean {
  if (!checkPresentString(c, path, value, 'the OIDC issuer URL', 'give the cluster\'s OIDC issuer, e.g. from `aws eks describe-cluster --query cluster.identity.oidc.issuer`')) return false;
  if (isUnresolved(value)) return false;
  if (hasWildcard(value)) {
    reportWildcard(c, path, value, 'OIDC issuer');
    return false;
  }
  const fix = 'copy the issuer exactly, e.g. "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"';
  const match = /^https:\/\/([a-zA-Z0-9.-]+)(?::(\d+))?(?:\/[\w.~%-]+)*$/.exec(value);
  if (!match) {
    c.add(path, value, 'must be an https:// URL with no trailing slash, query or fragment', fix);
    return false;
  }
  const [, host, port] = match;
  if (!isHostName(host)) {
    c.add(path, value, `has the host "${host}", which is not a valid host name or IPv4 address`, fix);
    return false;
  }
  if (port !== undefined && !isTcpPort(port)) {
    c.add(path, value, `has the port "${port}", which is not a TCP port (1 to 65535)`, fix);
    return false;
  }
  return true;
}

/** A DNS host name or a dotted-quad IPv4 address (each part at most 255). */
function isHostName(host: string): boolean {
  if (host.length === 0 || host.length > 253 || !HOST.test(host)) return false;
  if (/^[\d.]+$/.test(host)) return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) && host.split('.').every((part) => Number(part) <= 255);
  return true;
}

function isTcpPort(port: string): boolean {
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

/**
 * Reports ids that appear more than once in one list, and returns the first occurrence of each,
 * so that names are derived once per id and a repeat is not reported again as a name clash.
 */
export function checkNoDuplicates<T extends { path: string; id: string }>(c: ProblemCollector, entries: T[], what: string): T[] {
  const first = new Map<string, string>();
  const unique: T[] = [];
  for (const entry of entries) {
    const seen = first.get(entry.id);
    if (seen !== undefined) {
      c.add(entry.path, entry.id, `duplicate ${what} (first defined at ${seen})`, `give each ${what} a unique id, or remove the repeat`);
    } else {
      first.set(entry.id, entry.path);
      unique.push(entry);
    }
  }
  return unique;
}

/**
 * A value that must be an array. Reports anything else.
 */
export function asArray(c: ProblemCollector, path: string, value: unknown, what: string, required: boolean): unknown[] {
  if (value === undefined || value === null) {
    if (required) c.add(path, value, `${what} is missing`, `list at least one ${what.replace(/s$/, '')}`);
    return [];
  }
  if (!Array.isArray(value)) {
    c.add(path, value, `${what} must be a list`, `give ${what} as a list`);
    return [];
  }
  return value;
}

/**
 * A value that must be an object (a struct). Reports anything else.
 */
export function asObject(c: ProblemCollector, path: string, value: unknown, what: string, required: boolean): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    if (required) c.add(path, value, `${what} is missing`, `add ${what}`);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    c.add(path, value, `${what} must be an object`, `give ${what} as an object with named fields`);
    return undefined;
  }
  return value as Record<string, unknown>;
}
