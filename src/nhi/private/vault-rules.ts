import { NhiSeverity } from '../finding';
import { oneFindingPerResource } from './severity-order';
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
 * Every Vault rule over one Terraform configuration, in the registry's order, one finding per rule
 * and resource as on the AWS plane (`oneFindingPerResource`): the paths of one policy a rule
 * refuses are one finding that lists each.
 */
export function vaultFindings(config: TerraformConfig): RawVaultFinding[] {
  const ctx = vaultContext(config);
  return VAULT_RULES.flatMap((rule) => oneFindingPerResource(rule.check(ctx), (hit) => hit.address, rule.severity)
    .map(({ key: address, message, severity }) => ({ ruleId: rule.id, address, message, severity })));
}
