import { NhiSeverity } from '../finding';
import { NhiRuleId, VAULT_RULES } from '../rules/registry';
import { TerraformConfig, vaultContext } from '../rules/support/vault';

export type { TerraformConfig } from '../rules/support/vault';

/** What a Vault rule found. */
export interface RawVaultFinding {
  readonly ruleId: NhiRuleId;
  /** `type.name` of the resource, or undefined for the whole configuration. */
  readonly address?: string;
  readonly message: string;
  readonly severity?: NhiSeverity;
}

/**
 * Every Vault rule over one Terraform configuration, in the registry's order.
 */
export function vaultFindings(config: TerraformConfig): RawVaultFinding[] {
  const ctx = vaultContext(config);
  return VAULT_RULES.flatMap((rule) => rule.check(ctx)
    .map((hit) => ({ ruleId: rule.id, address: hit.address, message: hit.message, severity: hit.severity })));
}
