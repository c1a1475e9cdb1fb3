import { closest } from '../../contract/closest-field';
import { join, ProblemCollector } from '../../problems/problem-collector';

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

/**
 * The field names of a props interface, for the unknown-key check. Written as a record so the
 * compiler fails when a field is added to the interface and not listed, or listed and not there.
 */
export function fieldsOf<T>(fields: Record<keyof Required<T>, true>): readonly string[] {
  return Object.keys(fields);
}
