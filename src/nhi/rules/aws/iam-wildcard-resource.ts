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
/**
 * What other AWS-managed service policies grant on `*` for plumbing and monitoring, as AWS
 * publishes them: pulling images and writing logs (AmazonECSTaskExecutionRolePolicy), metrics
 * and traces (CloudWatchAgentServerPolicy, AWSXRayDaemonWriteAccess), and the read-only
 * monitoring queries a dashboard makes (AmazonGrafanaCloudWatchAccess, AmazonPrometheusQueryAccess).
 */
const SERVICE_PLUMBING = [
  'ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage',
  'logs:DescribeLogStreams', 'logs:DescribeLogGroups', 'cloudwatch:PutMetricData',
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries',
  'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:ListMetrics',
  'cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:GetInsightRuleReport',
  'logs:GetLogGroupFields', 'logs:StartQuery', 'logs:StopQuery', 'logs:GetQueryResults', 'logs:GetLogEvents',
  'ec2:DescribeTags', 'ec2:DescribeInstances', 'ec2:DescribeRegions', 'tag:GetResources',
  'aps:ListWorkspaces', 'aps:DescribeWorkspace', 'aps:QueryMetrics', 'aps:GetLabels', 'aps:GetSeries', 'aps:GetMetricMetadata',
];
const STANDARD = new Set([...VPC_ACCESS, ...SERVICE_PLUMBING].map((a) => a.toLowerCase()));

/** `*`, or a service's every-resource ARN (`arn:aws:logs:*:*:*`): the resource the AWS-managed policies name. */
const everyResource = (resource: string) => resource === '*' || /^arn:[^:]+:[a-z0-9-]+:\*:\*:\*$/.test(resource);

/**
 * AWS-managed policies that read or write the data of every resource of a kind (as AWS publishes
 * them), with what they reach: the same grants written inline would be findings, so attached by
 * name they are too. The administrator and full-access policies are NHI-IAM-ADMIN-POLICY's.
 */
const DATA_WIDE_MANAGED: Record<string, { reaches: string; write: boolean }> = {
  AmazonSSMReadOnlyAccess: { reaches: 'ssm:GetParameter* on every parameter of the account, SecureStrings included', write: false },
  AWSLambdaExecute: { reaches: 's3:GetObject and s3:PutObject on every bucket', write: true },
  AmazonS3ReadOnlyAccess: { reaches: 's3:Get* and s3:List* on every bucket', write: false },
  ReadOnlyAccess: { reaches: 'the read actions of every service on every resource', write: false },
  SecretsManagerReadWrite: { reaches: 'secretsmanager:* on every secret', write: true },
  AmazonDynamoDBReadOnlyAccess: { reaches: 'every table\'s items', write: false },
  CloudWatchLogsReadOnlyAccess: { reaches: 'the events of every log group', write: false },
};

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
    for (const arn of role.externalManagedPolicyArns) {
      const name = /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(String(arn))?.[1];
      const wide = name ? DATA_WIDE_MANAGED[name] : undefined;
      if (wide) {
        hits.push({ logicalId: role.logicalId, message: `has the AWS-managed policy ${name}, which allows ${wide.reaches}`, severity: wide.write ? NhiSeverity.HIGH : NhiSeverity.MEDIUM });
      }
    }
    for (const statement of identityAllows(role)) {
      const broad = resourcesOf(statement).filter(isBroadResource);
      if (broad.length === 0) continue;
      const covered = actionsOf(statement).flatMap(expandAction);
      const scopable = covered.filter((a) => !a.wildcardOnly && !scopedDespiteWildcard(a, statement, broad));
      if (scopable.length === 0) continue;
      // The standard log-writing and network-interface actions on `*` are graded as the
      // AWS-managed policies that grant the same are: not a finding.
      const onStar = broad.every(everyResource);
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
