export { throwIfProblems } from '../../problems/throw-if-problems';

/** A TTL as Vault's duration string for mount tuning, e.g. "900s". */
export function duration(seconds: number): string {
  return `${seconds}s`;
}

export { fieldsOf } from '../../spec/private/known-keys';
