// Vault compares a parameter value by its type: the string "1" is not the number 1, and a map
// matches only an equal map. A rule's public `allowedParameters` holds strings (what a policy we
// write contains), so values read from a policy as numbers, booleans or maps travel beside the
// rule here, for the matcher. Not part of the package's public API.
import { VaultPolicyRule } from '../vault-policy-rule';

/** Parameter values of a rule as the policy text typed them. */
export interface TypedParameterValues {
  readonly allowed?: Record<string, unknown[]>;
  readonly denied?: Record<string, unknown[]>;
}

const typed = new WeakMap<VaultPolicyRule, TypedParameterValues>();

/** Records the typed values read for `rule`. */
export function rememberTypedValues(rule: VaultPolicyRule, values: TypedParameterValues): void {
  typed.set(rule, values);
}

/** The allowed and denied values of `rule`, typed as written where the rule was read from text. */
export function parameterValues(rule: VaultPolicyRule): { allowed?: Record<string, unknown[]>; denied?: Record<string, unknown[]> } {
  const t = typed.get(rule);
  return { allowed: t?.allowed ?? rule.allowedParameters, denied: t?.denied ?? rule.deniedParameters };
}

/** How a value is shown in a rule's string lists. */
export function displayValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
