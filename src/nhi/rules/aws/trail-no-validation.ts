import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { describeValue, isUnresolvedValue } from '../support/aws';

export const TrailNoValidation = awsRule({
  id: 'NHI-TRAIL-NO-VALIDATION',
  title: 'A trail does not validate its log files',
  nhi: OwaspNhi.NHI1,
  nist: ['AU-9', 'AU-10'],
  // INFO: log-file validation makes a trail's files tamper-evident; that is the evidence's
  // integrity, not an identity's or a secret's exposure.
  severity: NhiSeverity.INFO,
  fix: 'set EnableLogFileValidation to true',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => ctx.model.ofType('AWS::CloudTrail::Trail').flatMap(([logicalId, trail]) => {
    const value = trail.Properties?.EnableLogFileValidation;
    if (value === true || value === 'true') return [];
    return [{
      logicalId,
      message: isUnresolvedValue(value) ? `EnableLogFileValidation is ${describeValue(value)}: the trail validates its files only if it resolves to true` : 'does not validate its log files',
    }];
  }),
});
