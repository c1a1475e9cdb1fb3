import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { rolesOf } from '../support/aws';

const STS_CEILING = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;

export const IamLongSession = awsRule({
  id: 'NHI-IAM-LONG-SESSION',
  title: 'A role issues sessions longer than one hour',
  nhi: OwaspNhi.NHI7,
  nist: ['AC-12', 'IA-5(f)'],
  severity: NhiSeverity.MEDIUM,
  fix: `set MaxSessionDuration to at most ${STS_CEILING}`,
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => rolesOf(ctx)
    .filter((role) => Number(role.maxSessionDuration) > STS_CEILING)
    .map((role) => ({ logicalId: role.logicalId, message: `MaxSessionDuration is ${role.maxSessionDuration} s, above ${STS_CEILING} s` })),
});
