import { Token } from 'cdktf';
import { ProblemCollector } from '../../problems/problem-collector';
import { checkKnownKeys } from '../../spec/private/known-keys';

/**
 * Throws one error listing every problem of a construct's props.
 */
export function refuse(subject: string, problems: string[]): void {
  if (problems.length === 0) return;
  throw new Error(`${subject} is refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/**
 * Problems with one TTL: a whole number of seconds, default not above max, max not above the ceiling.
 */
export function ttlProblems(what: string, defaultSeconds: number, maxSeconds: number, ceilingSeconds: number): string[] {
  const problems: string[] = [];
  for (const [name, value] of [['default', defaultSeconds], ['max', maxSeconds]] as const) {
    if (Token.isUnresolved(value)) continue;
    if (!Number.isInteger(value) || value <= 0) problems.push(`${what} ${name} TTL ${value} is not a positive whole number of seconds`);
    else if (value > ceilingSeconds) problems.push(`${what} ${name} TTL of ${value} s is above the ceiling of ${ceilingSeconds} s; set at most ${ceilingSeconds}`);
  }
  if (!Token.isUnresolved(defaultSeconds) && !Token.isUnresolved(maxSeconds) && defaultSeconds > maxSeconds) {
    problems.push(`${what} default TTL (${defaultSeconds} s) is above its max (${maxSeconds} s)`);
  }
  return problems;
}

/** A TTL as Vault's duration string for mount tuning, e.g. "900s". */
export function duration(seconds: number): string {
  return `${seconds}s`;
}

/**
 * The problems a collector-based check finds, as lines for `refuse`: path, message, value and fix.
 */
export function collected(check: (c: ProblemCollector) => void): string[] {
  const c = new ProblemCollector();
  check(c);
  return c.problems.map((p) => `${p.path}: ${p.message} (got ${p.value}). Fix: ${p.fix}`);
}

/**
 * The field names of a props interface. Written as a record so the compiler fails when a field is
 * added to the interface and not here, or listed here and not there.
 */
export function fieldsOf<T>(fields: Record<keyof T, true>): readonly string[] {
  return Object.keys(fields);
}

/**
 * Problems for every key of `props` that is not a field of its interface, with a did-you-mean:
 * a misspelt optional field would otherwise be dropped and its setting silently not made.
 */
export function unknownKeyProblems(props: object | undefined, fields: readonly string[], what: string, path = 'props'): string[] {
  if (props === null || typeof props !== 'object') return [];
  return collected((c) => checkKnownKeys(c, path, props, fields, what));
}
