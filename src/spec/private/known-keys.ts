import { join, ProblemCollector } from '../problems';

/**
 * Reports every key of `value` that is not one of `known`, with the closest known key as a
 * suggestion. A misspelt optional field (`suspend` for `suspended`) would otherwise be ignored,
 * and the setting it meant to make silently would not happen.
 *
 * @param what names the object in the message, e.g. `a tenant` or `GatewayAwsPlaneProps`
 */
export function checkKnownKeys(c: ProblemCollector, path: string, value: object, known: readonly string[], what: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    c.add(join(path, key), key, `is not a field of ${what}`,
      near ? `did you mean "${near}"? Rename or remove it` : `remove it; the fields of ${what} are ${known.join(', ')}`);
  }
}

/** The known key nearest to `key`, when it is near enough to be a likely typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  // Case and word separators are never the difference between two fields: `role_arn` and
  // `RoleArn` both mean `roleArn`.
  const typed = fold(key);
  if (typed.length === 0) return undefined;
  let best: { key: string; rank: number } | undefined;
  for (const candidate of known) {
    const rank = nearness(typed, fold(candidate));
    if (rank !== undefined && (!best || rank < best.rank)) best = { key: candidate, rank };
  }
  return best?.key;
}

/**
 * How near a typed key is to a field, lower is nearer, or undefined when it is not a likely typo:
 * a few edits (`acount`), then a singular, stem or shortening (`workload`, `suspend`, `max`), then
 * a word left out (`rotationDays` for `rotationPeriodDays`).
 */
function nearness(typed: string, field: string): number | undefined {
  const distance = editDistance(typed, field);
  if (distance <= Math.max(2, Math.floor(typed.length / 3))) return distance;
  const shorter = Math.min(typed.length, field.length);
  if (shorter >= 3 && (field.startsWith(typed) || typed.startsWith(field))) return 100 + Math.abs(field.length - typed.length);
  if (typed.length >= 4 && typed.length * 2 >= field.length && isSubsequence(typed, field)) return 200 + field.length - typed.length;
  return undefined;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const char of long) if (char === short[i]) i++;
  return i === short.length;
}

function fold(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
