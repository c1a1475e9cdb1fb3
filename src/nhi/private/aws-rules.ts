import { NhiSeverity } from '../finding';
import { AWS_RULES, NhiRuleId } from '../rules/registry';
import { AwsCheckContext } from '../rules/support/aws';

export type { AwsCheckContext } from '../rules/support/aws';

/** What a rule found, before it becomes an `NhiFinding`. */
export interface RawFinding {
  readonly ruleId: NhiRuleId;
  /** The resource the finding is on; absent for findings about the whole stack. */
  readonly logicalId?: string;
  readonly message: string;
  /** Overrides the rule's default severity. */
  readonly severity?: NhiSeverity;
}

/**
 * Every rule that looks at one template, in the registry's order.
 */
export function awsTemplateFindings(ctx: AwsCheckContext): RawFinding[] {
  return AWS_RULES.flatMap((rule) => ('checkTemplate' in rule && rule.checkTemplate ? rule.checkTemplate(ctx) : [])
    .map((hit) => ({
      ruleId: rule.id, logicalId: hit.logicalId, message: withModuleHolder(ctx, hit.logicalId, hit.message), severity: hit.severity,
    })));
}

/** A finding on a policy held by a module's role says who holds it: the file shows no holder. */
function withModuleHolder(ctx: AwsCheckContext, logicalId: string | undefined, message: string): string {
  const modules = logicalId ? ctx.model.moduleHoldersOf(logicalId) : [];
  return modules.length === 0 ? message : `${message} (held by the role ${modules.join(' and ')} creates, the policy's ARN being passed to it)`;
}

/**
 * Rules that look at an app as a whole (identities with no trail anywhere in the app).
 */
export function awsAppFindings(contexts: AwsCheckContext[]): Array<RawFinding & { context: AwsCheckContext }> {
  return AWS_RULES.flatMap((rule) => ('checkApp' in rule && rule.checkApp ? rule.checkApp(contexts) : [])
    .map((hit) => ({ ruleId: rule.id, logicalId: hit.logicalId, message: hit.message, severity: hit.severity, context: hit.context })));
}
