import { NhiSeverity } from '../finding';

/** The severities from the gravest down: how reports sort findings and which of several counts. */
export const SEVERITY_ORDER: readonly NhiSeverity[] = [NhiSeverity.CRITICAL, NhiSeverity.HIGH, NhiSeverity.MEDIUM, NhiSeverity.LOW, NhiSeverity.INFO];

/** The gravest of some severities (at least one). */
export function gravestSeverity(severities: readonly NhiSeverity[]): NhiSeverity {
  return severities.reduce((a, b) => (SEVERITY_ORDER.indexOf(b) < SEVERITY_ORDER.indexOf(a) ? b : a));
}
