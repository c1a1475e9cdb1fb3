import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';

export const LongLivedIamCredentials = awsRule({
  id: 'NHI-LONG-LIVED-IAM-CREDENTIALS',
  title: 'An IAM user or access key exists',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(7)', 'IA-5(f)', 'AC-2'],
  severity: NhiSeverity.HIGH,
  fix: 'use a role (instance profile, task role, IRSA, OIDC federation) instead of an IAM user and its keys',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => Object.entries(ctx.model.resources).flatMap(([logicalId, resource]): AwsHit[] => {
    if (resource.Type === 'AWS::IAM::User') return [{ logicalId, message: 'is an IAM user: a standing identity with long-lived credentials' }];
    if (resource.Type === 'AWS::IAM::AccessKey') return [{ logicalId, message: 'is an access key: a static credential that never expires' }];
    return [];
  }),
});
