import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule } from '../rule';
import { identityAllows, permissionHoldersOf, whereOf } from '../support/aws';

export const IamNotAction = awsRule({
  id: 'NHI-IAM-NOT-ACTION',
  title: 'A principal is allowed everything except a list (NotAction or NotResource)',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6'],
  severity: NhiSeverity.HIGH,
  fix: 'allow what is needed instead of everything but what is listed',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => permissionHoldersOf(ctx).flatMap((role) => identityAllows(role)
    .filter((s) => s.NotAction !== undefined || s.NotResource !== undefined)
    .map((s) => ({
      logicalId: role.logicalId,
      message: `allows ${s.NotAction !== undefined ? 'every action except' : 'every resource except'} ${JSON.stringify(s.NotAction ?? s.NotResource)}${whereOf(s)}`,
    }))),
});
