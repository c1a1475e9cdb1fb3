import { NhiSeverity, OwaspNhi } from '../../finding';
import { StatementJson } from '../../private/cfn-template';
import { CatalogAction, expandAction, highestAccessLevel, isBroadResource, matchesTemplate, resourceTypesOfAction } from '../../private/iam-catalog';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { actionsOf, identityAllows, resourcesOf, permissionHoldersOf, serviceWidePattern, severityOfLevel, whereOf } from '../support/aws';

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

/**
 * True when a pattern within one service stands for one kind of call on one kind of resource, as
 * the IAM catalogue lists what it expands to: every action it covers has the same access level and
 * acts on the same resource types (`kms:GenerateDataKey*`: the four data-key calls on a key;
 * `s3:GetObject*`: the reads of an object). `bedrock:Invoke*` (models, agents, flows) and `s3:Get*`
 * (objects and bucket settings) are not one kind.
 */
function oneKindOfCall(actions: CatalogAction[]): boolean {
  if (actions.length === 0) return false;
  const shapeOf = (a: CatalogAction) => `${a.accessLevel}|${resourceTypesOfAction(a.action).map((t) => t.name.toLowerCase()).sort().join(',')}`;
  const shape = shapeOf(actions[0]);
  return actions.every((a) => shapeOf(a) === shape) && !actions[0].accessLevel.includes('Permissions management');
}

function judge(statement: StatementJson, action: string): AwsHit['severity'] | null {
  if (action === '*') return NhiSeverity.CRITICAL;
  const resources = resourcesOf(statement);
  // On ARNs of the one resource type the calls act on (`kms:GenerateDataKey*` on `key/*`) the
  // pattern is that call, written short; how many keys it reaches is the resource rule's question.
  const family = expandAction(action);
  const types = family.length > 0 ? resourceTypesOfAction(family[0].action) : [];
  if (!serviceWidePattern(action) && oneKindOfCall(family) && resources.length > 0
    && resources.every((r) => types.some((type) => matchesTemplate(r, type.arnTemplate)))) return null;
  const effective = effectiveOn(family, resources);
  const level = highestAccessLevel(effective);
  const named = resources.length > 0 && statement.NotResource === undefined && resources.every((r) => !isBroadResource(r));
  // A CDK grant such as `s3:GetObject*` on one bucket is what its access level is on that bucket,
  // not a wildcard: only a permissions-management action it reaches there is worth a finding.
  if (!serviceWidePattern(action) && named) return level === 'Permissions management' ? NhiSeverity.MEDIUM : null;
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
