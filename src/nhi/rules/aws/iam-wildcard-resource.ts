import { NhiSeverity, OwaspNhi } from '../../finding';
import { expandAction, highestAccessLevel, isBroadResource } from '../../private/iam-catalog';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { actionsOf, identityAllows, resourcesOf, permissionHoldersOf, scopedDespiteWildcard, whereOf } from '../support/aws';

/**
 * What AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole allow on `*`, as AWS
 * publishes them: writing logs, and managing the network interfaces a function in a VPC needs.
 * The rule does not judge those managed policies, so the same actions written inline are not
 * judged either.
 */
const LOG_WRITING = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const VPC_ACCESS = [
  ...LOG_WRITING, 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
  // What AWS's Secrets Manager rotation functions ask for, to leave a VPC cleanly.
  'ec2:DetachNetworkInterface',
];
const STANDARD = new Set(VPC_ACCESS.map((a) => a.toLowerCase()));

export const IamWildcardResource = awsRule({
  id: 'NHI-IAM-WILDCARD-RESOURCE',
  title: 'A principal is allowed an action on every resource of a type',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'AC-3'],
  severity: NhiSeverity.HIGH,
  fix: 'name the exact resource ARNs; only actions AWS offers no resource-level form for may use "*" (logs: the function\'s own log group)',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => permissionHoldersOf(ctx).flatMap((role) => {
    const hits: AwsHit[] = [];
    for (const statement of identityAllows(role)) {
      const broad = resourcesOf(statement).filter(isBroadResource);
      if (broad.length === 0) continue;
      const covered = actionsOf(statement).flatMap(expandAction);
      const scopable = covered.filter((a) => !a.wildcardOnly && !scopedDespiteWildcard(a, statement, broad));
      if (scopable.length === 0) continue;
      // The standard log-writing and network-interface actions on `*` are graded as the
      // AWS-managed policies that grant the same are: not a finding.
      const onStar = broad.every((b) => b === '*');
      const unusual = onStar ? scopable.filter((a) => !STANDARD.has(a.action.toLowerCase())) : scopable;
      if (unusual.length === 0) continue;
      const written = actionsOf(statement);
      const count = new Set(unusual.map((a) => a.action)).size;
      const level = highestAccessLevel(unusual);
      hits.push({
        logicalId: role.logicalId,
        message: `allows ${written.join(', ')} on ${broad.join(', ')}${whereOf(statement)}, though ${count} of these action${count === 1 ? '' : 's'} accept${count === 1 ? 's' : ''} specific resources`,
        severity: level === 'List' || level === 'Read' || level === undefined ? NhiSeverity.MEDIUM : NhiSeverity.HIGH,
      });
    }
    return hits;
  }),
});
