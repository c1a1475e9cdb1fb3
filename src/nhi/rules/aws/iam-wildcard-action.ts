import { NhiSeverity, OwaspNhi } from '../../finding';
import { StatementJson } from '../../private/cfn-template';
import { CatalogAction, expandAction, highestAccessLevel, isBroadResource, matchesTemplate, resourceTypesOfAction } from '../../private/iam-catalog';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { actionsOf, identityAllows, resourcesOf, permissionHoldersOf, severityOfLevel, whereOf } from '../support/aws';

/** True for `*`, `s3:*` or `*:Get*`: a pattern over a whole service (or every service). */
function serviceWide(action: string): boolean {
  const [service, name] = action.split(':');
  return action === '*' || name === undefined || name === '*' || /[*?]/.test(service);
}

/**
 * The actions of a pattern that can touch the statement's resources: a resource written as an
 * ARN narrows the pattern to the actions of that resource type (`s3:Put*` on objects is not
 * `s3:PutBucketPolicy`); a reference into the template could be any type, so it keeps them all.
 */
function effectiveOn(actions: CatalogAction[], resources: string[]): CatalogAction[] {
  if (resources.length === 0 || resources.some((r) => !r.startsWith('arn:') || isBroadResource(r))) return actions;
  return actions.filter((action) => !action.wildcardOnly
    && resourceTypesOfAction(action.action).some((type) => resources.some((r) => matchesTemplate(r, type.arnTemplate))));
}

function judge(statement: StatementJson, action: string): AwsHit['severity'] | null {
  if (action === '*') return NhiSeverity.CRITICAL;
  const resources = resourcesOf(statement);
  const effective = effectiveOn(expandAction(action), resources);
  const level = highestAccessLevel(effective);
  const named = resources.length > 0 && statement.NotResource === undefined && resources.every((r) => !isBroadResource(r));
  // A CDK grant such as `s3:GetObject*` on one bucket is what its access level is on that bucket,
  // not a wildcard: only a permissions-management action it reaches there is worth a finding.
  if (!serviceWide(action) && named) return level === 'Permissions management' ? NhiSeverity.MEDIUM : null;
  return severityOfLevel(level);
}

export const IamWildcardAction = awsRule({
  id: 'NHI-IAM-WILDCARD-ACTION',
  title: 'A principal is allowed a wildcard action',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'AC-6(10)'],
  severity: NhiSeverity.HIGH,
  fix: 'list the exact actions the workload calls; graded by the most powerful access level the wildcard covers on the statement\'s resources',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => permissionHoldersOf(ctx).flatMap((role) => identityAllows(role).flatMap((statement) =>
    actionsOf(statement).filter((a) => a.includes('*') || a.includes('?')).flatMap((action): AwsHit[] => {
      const severity = judge(statement, action);
      if (severity === null) return [];
      const level = highestAccessLevel(effectiveOn(expandAction(action), resourcesOf(statement)));
      return [{ logicalId: role.logicalId, message: `allows ${action}, which covers ${level ?? 'unknown'} access${whereOf(statement)}`, severity }];
    }))),
});
