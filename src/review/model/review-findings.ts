import { AcknowledgedFinding, OpenFinding } from './review-model';
import { NhiFinding, NhiSeverity } from '../../nhi/finding';
import { checkAssemblyStacks } from '../../nhi/inputs/run-checks';
import { CDK_ACKNOWLEDGED_RULES } from '../../nhi/private/acknowledgements';
import { ownerTagKeysOf } from '../../nhi/private/aws-check';
import { VaultNhiChecker } from '../../nhi/vault-checker';
import { ReviewInputs } from '../inputs/review-inputs';

/**
 * Every acknowledged finding (of any rule pack: CDK records cdk-nag's and gateward's
 * acknowledgements in the cloud assembly's metadata, the rule pack honours its own in templates
 * and Terraform JSON) with its reason, and every open finding of the NHI rule pack.
 */
export function reviewFindings(inputs: ReviewInputs): { acknowledged: AcknowledgedFinding[]; open: OpenFinding[] } {
  const findings: NhiFinding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  for (const output of inputs.aws) {
    findings.push(...checkAssemblyStacks(ownerTagKeysOf({}), output.stacks));
    for (const stack of output.stacks) {
      for (const [constructPath, entries] of Object.entries(stack.metadata)) {
        for (const entry of entries) {
          if (entry.type !== CDK_ACKNOWLEDGED_RULES || !entry.data || typeof entry.data !== 'object') continue;
          for (const [rule, reason] of Object.entries(entry.data as Record<string, unknown>)) {
            acknowledged.push({ rule: rule.replace(/^Annotation::/, ''), location: constructPath.replace(/^\//, ''), reason: String(reason), file: stack.templateFile });
          }
        }
      }
    }
  }
  for (const output of inputs.vault) findings.push(...new VaultNhiChecker().checkCdktfOutput(output.directory));
  for (const finding of findings.filter((f) => f.acknowledged)) {
    if (acknowledged.some((a) => a.rule === finding.ruleId && a.location === finding.location)) continue;
    acknowledged.push({ rule: finding.ruleId, location: finding.location, reason: finding.acknowledgementReason ?? '', file: finding.file });
  }
  const open = findings.filter((f) => !f.acknowledged && f.severity !== NhiSeverity.INFO)
    .map((f) => ({ rule: f.ruleId, severity: f.severity, location: f.location, message: f.message, file: f.file }));
  acknowledged.sort((a, b) => a.location.localeCompare(b.location) || a.rule.localeCompare(b.rule));
  return { acknowledged, open };
}
