import { TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { acknowledgementRecord } from './private/acknowledgements';
import { NhiRules } from './rules';

/**
 * Acknowledges findings of the NHI rule pack in a CDKTF app: one rule, on one Terraform resource
 * (or a whole stack), with a reason, written into the synthesized JSON as a `//` comment that
 * Terraform ignores and the checker reads.
 */
export class TerraformNhiAcknowledgements {
  /**
   * Acknowledges one rule on one resource, or on a stack for findings about the whole configuration.
   *
   * @param scope a Terraform resource, a construct whose main child is one, or a stack
   * @param ruleId the rule, e.g. `NHI-VAULT-AUDIT-DEVICES`
   * @param reason why the finding is acceptable here (at least 20 characters)
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    const record = acknowledgementRecord(scope.node.path, ruleId, reason);
    const target = TerraformStack.isStack(scope) || TerraformResource.isTerraformResource(scope) ? scope
      : (scope.node.tryFindChild('Resource') as IConstruct | undefined);
    if (!target || !(TerraformStack.isStack(target) || TerraformResource.isTerraformResource(target))) {
      throw new Error(`${scope.node.path} is not a Terraform resource or stack; acknowledge ${record.rule} on the resource it is about.`);
    }
    const list = ACKNOWLEDGED.get(target) ?? [];
    list.push(record);
    ACKNOWLEDGED.set(target, list);
    (target as TerraformResource | TerraformStack).addOverride(`//.${NhiRules.ACKNOWLEDGEMENTS_KEY}`, list);
  }

  private constructor() {}
}

/** Acknowledgements written so far, per target, so several add up instead of replacing each other. */
const ACKNOWLEDGED = new WeakMap<IConstruct, Array<{ rule: string; reason: string }>>();
