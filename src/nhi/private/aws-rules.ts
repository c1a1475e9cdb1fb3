import { NhiSeverity } from '../finding';
import { oneFindingPerResource } from './severity-order';
import { AWS_RULES, NhiRuleId } from '../rules/registry';
import type { AwsHit } from '../rules/rule';
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
 * Every rule that looks at one template, in the registry's order, one finding per rule and
 * resource (`oneFindingPerResource`).
 */
export function awsTemplateFindings(ctx: AwsCheckContext): RawFinding[] {
  return AWS_RULES.flatMap((rule) => {
    const hits: AwsHit[] = 'checkTemplate' in rule && rule.checkTemplate ? rule.checkTemplate(ctx) : [];
    return oneFindingPerResource(hits, (hit) => hit.logicalId, rule.severity).map(({ key: logicalId, message, severity }): RawFinding =>
      ({ ruleId: rule.id, logicalId, message: withModuleHolder(ctx, logicalId, message), severity }));
  });
}

/**
 * A finding on a policy held by a module's role says who holds it (the file shows no holder); one
 * on what a registry module makes says which of its resources it is (the finding names the module).
 */
function withModuleHolder(ctx: AwsCheckContext, logicalId: string | undefined, message: string): string {
  const modules = logicalId ? ctx.model.moduleHoldersOf(logicalId) : [];
  const part = logicalId ? ctx.model.registryPartOf(logicalId) : undefined;
  if (part && !message.includes(part)) return `${message} (the module's ${part})`;
  return modules.length === 0 ? message : `${message} (held by the role ${modules.join(' and ')} creates, whose code the files do not hold)`;
}

/**
 * Rules that look at an app as a whole (identities with no trail anywhere in the app).
 */
export function awsAppFindings(contexts: AwsCheckContext[]): Array<RawFinding & { context: AwsCheckContext }> {
  return AWS_RULES.flatMap((rule) => ('checkApp' in rule && rule.checkApp ? rule.checkApp(contexts) : [])
    .map((hit) => ({ ruleId: rule.id, logicalId: hit.logicalId, message: hit.message, severity: hit.severity, context: hit.context })));
}
