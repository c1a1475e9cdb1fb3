import { NhiSeverity, OwaspNhi } from '../../finding';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { conditionKeys, identityAllows, isDeployTimeRole, namedActionsOf, namesRoles, permissionHoldersOf, whereOf } from '../support/aws';

export const IamPassRole = awsRule({
  id: 'NHI-IAM-PASSROLE',
  title: 'A principal may pass roles without a specific role and service',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6(10)'],
  severity: NhiSeverity.HIGH,
  fix: 'allow iam:PassRole on the exact role ARNs, with a StringEquals iam:PassedToService condition',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => permissionHoldersOf(ctx).flatMap((role) => identityAllows(role).flatMap((statement): AwsHit[] => {
    const passRole = namedActionsOf(statement).some((a) => a.action.toLowerCase() === 'iam:passrole');
    if (!passRole) return [];
    const specific = namesRoles(statement);
    const toService = conditionKeys(statement).includes('iam:passedtoservice');
    if (specific && toService) return [];
    // A deploy-time provider (CDK's EKS cluster provider) passing the named roles it deploys with.
    if (specific && isDeployTimeRole(ctx.model, role.logicalId)) return [];
    return [{
      logicalId: role.logicalId,
      message: `may pass ${specific ? 'named roles' : 'any role'} ${toService ? '' : 'to any service'}${whereOf(statement)}`.replace(/\s+/g, ' ').trim(),
    }];
  })),
});
