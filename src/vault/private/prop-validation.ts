import { GatewayValidationError } from '../../problems';
import { ProblemCollector } from '../../problems/problem-collector';

/**
 * Runs a check and throws one `GatewayValidationError` listing every problem it found, in the
 * library's one message format (path, value, fix).
 *
 * @param subject what was checked, e.g. `GatewayVaultPlane "acme-llm"`
 */
export function throwIfProblems(subject: string, check: (c: ProblemCollector) => void): void {
  const c = new ProblemCollector();
  check(c);
  if (c.size > 0) throw new GatewayValidationError(subject, c.problems);
}

/** A TTL as Vault's duration string for mount tuning, e.g. "900s". */
export function duration(seconds: number): string {
  return `${seconds}s`;
}

export { fieldsOf } from '../../spec/private/known-keys';
