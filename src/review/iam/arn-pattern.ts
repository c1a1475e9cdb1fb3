import { globToRegExp } from '../../nhi/private/iam-catalog';

/**
 * Wildcard matching the way IAM matches policy values: `*` is any run of characters, `?` one
 * character. ARNs are compared part by part (partition, service, region, account, resource), so
 * a wildcard never carries one part into the next, while in the resource part it spans `/` and `:`.
 */

const cache = new Map<string, RegExp>();

/** A glob (`*`, `?`) as a regular expression anchored at both ends. */
export function globRegExp(glob: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${glob}`;
  let regex = cache.get(key);
  if (!regex) {
    regex = globToRegExp(glob, ignoreCase);
    if (cache.size > 20_000) cache.clear();
    cache.set(key, regex);
  }
  return regex;
}

/** True when `value` matches the glob `pattern`. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return globRegExp(pattern, ignoreCase).test(value);
}

/** An ARN's six parts: `arn`, partition, service, region, account, and the resource (which may hold colons). */
export function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * True when an ARN matches an ARN pattern (a policy's `Resource`, or an `ArnLike`/`ArnEquals`
 * condition value): part by part, each part a glob. A pattern that is not an ARN is matched as
 * a glob over the whole value.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const wanted = arnParts(pattern);
  const actual = arnParts(arn);
  if (!wanted || !actual) return globMatches(pattern, arn);
  return wanted.every((part, i) => globMatches(part, actual[i], i === 2));
}

/** The account of an ARN (its fifth part), or undefined when it names none. */
export function arnAccount(arn: string): string | undefined {
  const account = arnParts(arn)?.[4];
  return account ? account : undefined;
}

/** True when a pattern holds a wildcard. */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/**
 * True when every value `inner` can match is also matched by `outer` (approximately: `inner`'s
 * wildcards are read as the characters they are, which `outer`'s wildcards also match). Used to
 * tell whether a changed resource pattern widened access.
 */
export function patternCovers(outer: string, inner: string): boolean {
  if (outer === inner || outer === '*') return true;
  if (inner === '*') return false;
  return arnParts(outer) && arnParts(inner) ? arnMatches(outer, inner) : globMatches(outer, inner);
}
