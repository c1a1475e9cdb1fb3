import { NhiFinding, NhiSeverity } from '../finding';
import { NhiRules } from '../rules';

/**
 * A finding of a rule, with the rule's metadata and a message that names the place.
 */
export function toFinding(ruleId: string, location: string, file: string, message: string, severity?: NhiSeverity): NhiFinding {
  const rule = NhiRules.byId(ruleId);
  return {
    ruleId,
    title: rule.title,
    nhi: rule.nhi,
    nist: rule.nist,
    severity: severity ?? rule.severity,
    plane: rule.plane,
    location,
    file,
    message,
    fix: rule.fix,
    acknowledged: false,
  };
}
