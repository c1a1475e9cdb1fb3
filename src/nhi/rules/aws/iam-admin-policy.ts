import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { permissionHoldersOf } from '../support/aws';

const ADMIN_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

export const IamAdminPolicy = awsRule({
  id: 'NHI-IAM-ADMIN-POLICY',
  title: 'A principal has an AWS-managed administrator, power-user or full-access policy',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'AC-6(5)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'replace the managed policy with a customer-managed policy of the exact permissions',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => permissionHoldersOf(ctx).flatMap((role) => role.externalManagedPolicyArns.flatMap((arn): AwsHit[] => {
    const admin = ADMIN_POLICIES.find((name) => String(arn).endsWith(`:iam::aws:policy/${name}`));
    if (admin) return [{ logicalId: role.logicalId, message: `has the AWS-managed policy ${admin}` }];
    // A service's full-access policy: everything in that service, its resource policies included.
    const full = /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]*FullAccess)$/.exec(String(arn))?.[1];
    return full ? [{ logicalId: role.logicalId, message: `has the AWS-managed policy ${full}: every action of the service on every resource`, severity: NhiSeverity.HIGH }] : [];
  })),
});
