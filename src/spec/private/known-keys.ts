import { join, ProblemCollector } from './problems';

/**
 * Reports every key of `value` that is not one of `known`, with the closest known key as a
 * suggestion. A misspelt optional field (`suspend` for `suspended`) would otherwise be ignored,
 * and the setting it meant to make silently would not happen.
 *
 * @param what names the object in the message, e.g. `a tenant` or `GatewayAwsPlaneProps`
 */
export function checkKnownKeys(c: ProblemCollector, path: string, value: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    c.add(join(path, key), key, `is not a field of ${what}`,
      near ? `did you mean "${near}"? Rename or remove it` : `remove it; the fields of ${what} are ${known.join(', ')}`);
  }
}

/** The known key nearest to `key`, when it is near enough to be a likely typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    // A singular for a plural (`workload` for `workloads`) or a stem (`suspend`) is a prefix match.
    const distance = c.startsWith(lower) || lower.startsWith(c) ? Math.abs(c.length - lower.length) * 0.5 : editDistance(lower, c);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
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
