import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { isUnresolvedValue } from '../support/aws';

const MIN_RETENTION_DAYS = 90;

export const LogNoRetention = awsRule({
  id: 'NHI-LOG-NO-RETENTION',
  title: 'A log group keeps records forever or not long enough',
  nhi: OwaspNhi.NHI1,
  nist: ['AU-11'],
  // INFO: how long a log group keeps records is log hygiene, not a property of an identity or a
  // secret; the audit record of an identity's use is CloudTrail's.
  severity: NhiSeverity.INFO,
  fix: `set RetentionInDays, at least ${MIN_RETENTION_DAYS}`,
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => ctx.model.ofType('AWS::Logs::LogGroup').flatMap(([logicalId, group]): AwsHit[] => {
    const days = group.Properties?.RetentionInDays;
    if (days === undefined) return [{ logicalId, message: 'never expires its records' }];
    // A retention the template cannot tell (a parameter, an import) is not judged.
    if (isUnresolvedValue(days) || typeof days === 'object') return [];
    return Number(days) < MIN_RETENTION_DAYS ? [{ logicalId, message: `keeps records only ${days} days` }] : [];
  }),
});
