/**
 * How a misspelt field is named back: the spec validation and the router both refuse unknown
 * fields with the nearest known one as a suggestion, so the suggestion is the same at synth time
 * and at request time. Pure, and imports nothing.
 */

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
