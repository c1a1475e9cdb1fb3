import { CheckedPlane, NhiFinding, NhiSeverity } from '../finding';
import { NhiRuleId, ruleDefinition } from '../rules/registry';

/**
 * A finding of a rule, with the rule's metadata and a message that names the place. `plane`
 * says where the finding sits, for a rule of no plane; `fix` replaces the rule's fix when this
 * finding needs its own.
 */
export function toFinding(
  ruleId: NhiRuleId, location: string, file: string, message: string, severity?: NhiSeverity, plane?: CheckedPlane, fix?: string,
): NhiFinding {
  const rule = ruleDefinition(ruleId)!;
  return {
    ruleId,
    title: rule.title,
    nhi: rule.nhi,
    nist: [...rule.nist],
    severity: severity ?? rule.severity,
    plane: rule.plane ?? plane ?? CheckedPlane.AWS,
    location,
    file,
    message,
    fix: fix ?? rule.fix,
    acknowledged: false,
  };
}
