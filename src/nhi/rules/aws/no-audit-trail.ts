import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { AwsCheckContext } from '../support/aws';

const defines = (types: string[]) => (c: AwsCheckContext) => Object.values(c.model.resources).some((r) => types.includes(r.Type));

export const NoAuditTrail = awsRule({
  id: 'NHI-NO-AUDIT-TRAIL',
  title: 'Identities are defined but no trail of the app records their use',
  nhi: OwaspNhi.NHI1,
  nist: ['AU-2', 'AU-12'],
  // INFO: the trail is usually an account or organization control, outside an application stack,
  // so its absence from the app's templates says nothing about whether the identities' use is recorded.
  severity: NhiSeverity.INFO,
  fix: 'make sure an account or organization trail covers the account, or add a CloudTrail trail; acknowledge on the stack which trail it is',
  fixtures: AWS_FIXTURES,
  checkApp: (contexts) => {
    const withIdentities = contexts.filter(defines(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::SecretsManager::Secret']));
    if (withIdentities.length === 0 || contexts.some(defines(['AWS::CloudTrail::Trail']))) return [];
    return withIdentities.map((context) => ({
      context,
      message: 'defines identities or secrets and no stack of the app defines a CloudTrail trail; an account or organization trail may cover it',
    }));
  },
});
