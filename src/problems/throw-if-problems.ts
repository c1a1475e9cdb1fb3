import { GatewayValidationError } from './gateway-validation-error';
import { ProblemCollector } from './problem-collector';

/**
 * Runs a check and throws one `GatewayValidationError` listing every problem it found, in the
 * library's one message format (path, value, fix); returns when it found none.
 *
 * @param subject what was checked, e.g. `GatewayVaultPlane "acme-llm"`
 */
export function throwIfProblems(subject: string, check: (c: ProblemCollector) => void): void {
  const c = new ProblemCollector();
  check(c);
  if (c.size > 0) throw new GatewayValidationError(subject, c.problems);
}
