import { NhiSeverity, OwaspNhi } from '../../finding';
import { StatementJson } from '../../private/cfn-template';
import { CatalogAction, expandAction, highestAccessLevel, isBroadResource } from '../../private/iam-catalog';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import {
  actionsOf, awsManagedPolicyName, identityAllows, isDeployTimeRole, namedActionsOf, permissionHoldersOf, publishedControllerOf, resourcesOf,
  scopedDespiteWildcard, serviceWidePattern, whereOf, withinPublishedPolicy,
} from '../support/aws';

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

const serviceOfArn = (resource: string) => (resource.startsWith('arn:') ? resource.split(':')[2]?.toLowerCase() : undefined);

/**
 * The log-writing calls, with the two that list a group's streams: on log groups, whatever their
 * names, they are the grant the AWS-managed execution policies make on `*`.
 */
const LOG_WRITING_ON_GROUPS = new Set([...LOG_WRITING, 'logs:DescribeLogStreams', 'logs:DescribeLogGroups'].map((a) => a.toLowerCase()));

/**
 * True when a standard plumbing action is granted as the AWS-managed policies grant it: on `*` or
 * on a service's every-resource ARN; and log writing on any log-group ARN of CloudWatch Logs
 * (`arn:aws:logs:*:*:log-group:*:*`, `arn:aws:logs:<region>:<account>:*`), the same grant narrowed
 * to log groups. Reading log events, on such an ARN, is still judged.
 */
function standardGrant(action: string, broad: string[]): boolean {
  const name = action.toLowerCase();
  if (!STANDARD.has(name)) return false;
  return broad.every((r) => everyResource(r) || (LOG_WRITING_ON_GROUPS.has(name) && serviceOfArn(r) === 'logs'));
}

/**
 * KMS calls that cannot read what a key protects: encrypting, generating a new data key,
 * re-encrypting into the key, verifying, and reading the key's description or public key. With
 * no kms:Decrypt or kms:ReEncryptFrom beside them, a grant on many keys lets a service write
 * encrypted data (log delivery to a central key), not read anyone's data.
 */
const KMS_ENCRYPT_ONLY = new Set(['kms:encrypt', 'kms:generatedatakey', 'kms:generatedatakeywithoutplaintext', 'kms:generatedatakeypair',
  'kms:generatedatakeypairwithoutplaintext', 'kms:reencryptto', 'kms:describekey', 'kms:getpublickey', 'kms:verify', 'kms:verifymac']);

/**
 * AWS-managed policies that read or write the data of every resource of a kind (as AWS publishes
 * them), with what they reach: the same grants written inline would be findings, so attached by
 * name they are too. The administrator and full-access policies are NHI-IAM-ADMIN-POLICY's.
 */
const DATA_WIDE_MANAGED: Record<string, { reaches: string; write: boolean }> = {
  AmazonSSMReadOnlyAccess: { reaches: 'ssm:GetParameter* on every parameter of the account, SecureStrings included', write: false },
  AWSLambdaExecute: { reaches: 's3:GetObject and s3:PutObject on every bucket', write: true },
  AWSLambdaRole: { reaches: 'lambda:InvokeFunction on every function of the account', write: true },
  AmazonS3ReadOnlyAccess: { reaches: 's3:Get* and s3:List* on every bucket', write: false },
  ReadOnlyAccess: { reaches: 'the read actions of every service on every resource', write: false },
  SecretsManagerReadWrite: { reaches: 'secretsmanager:* on every secret', write: true },
  AmazonDynamoDBReadOnlyAccess: { reaches: 'every table\'s items', write: false },
  CloudWatchLogsReadOnlyAccess: { reaches: 'the events of every log group', write: false },
};

/**
 * Services that hold data (objects, images, secrets, parameters, items, messages, keys, model
 * calls): their read and write actions reach what the resources hold, not how they are set up.
 */
const DATA_SERVICES = new Set(['s3', 'ecr', 'secretsmanager', 'ssm', 'dynamodb', 'kms', 'sqs', 'sns', 'kinesis', 'firehose', 'rds-data',
  'redshift-data', 'bedrock', 'lambda', 'logs', 'elasticfilesystem', 'glacier', 'backup', 'athena', 'es', 'aoss', 'states']);

/** Write actions of a data service that set how long it keeps data, not what the data is: a log group's retention. */
const RETENTION_SETTINGS = new Set(['logs:putretentionpolicy', 'logs:deleteretentionpolicy']);

/** True for a read or write action of a data service (s3:GetObject, ecr:PutImage), not its tagging, listing or retention setting. */
function reachesData(action: CatalogAction): boolean {
  const levels = action.accessLevel.split(',').map((l) => l.trim());
  return DATA_SERVICES.has(action.action.split(':')[0].toLowerCase()) && levels.some((l) => l === 'Read' || l === 'Write')
    && !RETENTION_SETTINGS.has(action.action.toLowerCase());
}

/**
 * A deployment identity's documented grant: assuming the roles `cdk bootstrap` creates in each
 * target account (`cdk-<qualifier>-deploy-role-...`, `-file-publishing-role-`, `-lookup-role-`),
 * whose own trust policies decide who may. The CDK CLI assumes them; nothing narrower is stable
 * across accounts and regions.
 */
function assumesCdkBootstrapRoles(statement: StatementJson): boolean {
  const actions = actionsOf(statement).map((a) => a.toLowerCase());
  return actions.length > 0 && actions.every((a) => a === 'sts:assumerole' || a === 'sts:tagsession')
    && resourcesOf(statement).every((r) => /^arn:aws[\w-]*:iam::(\*|\d{12}|\$\{[^}]+\}):role\/cdk-[\w*-]+$/.test(r));
}

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
      const name = awsManagedPolicyName(arn);
      const wide = name ? DATA_WIDE_MANAGED[name] : undefined;
      if (wide) {
        hits.push({ logicalId: role.logicalId, message: `has the AWS-managed policy ${name}, which allows ${wide.reaches}`, severity: wide.write ? NhiSeverity.HIGH : NhiSeverity.MEDIUM });
      }
    }
    const controller = publishedControllerOf(ctx, role);
    const deployTime = isDeployTimeRole(ctx.model, role.logicalId);
    for (const statement of identityAllows(role)) {
      const broad = resourcesOf(statement).filter(isBroadResource);
      if (broad.length === 0 || assumesCdkBootstrapRoles(statement)) continue;
      // Actions with no resource narrower than `*` (cloudwatch:PutMetricData, most Describe and
      // List calls) are left out before grading: `*` is the only way to grant them.
      const covered = namedActionsOf(statement);
      const scopable = covered.filter((a) => !a.wildcardOnly && !scopedDespiteWildcard(a, statement, broad));
      // The standard log-writing and network-interface actions are graded as the AWS-managed
      // policies that grant the same are: not a finding; nor are encrypt-only KMS calls.
      const unusual = scopable.filter((a) => !standardGrant(a.action, broad) && !KMS_ENCRYPT_ONLY.has(a.action.toLowerCase()));
      if (unusual.length === 0) continue;
      const names = new Set(unusual.map((a) => a.action));
      // The written actions (or patterns) that reach those: what the author has to narrow.
      const written = actionsOf(statement).filter((w) => !serviceWidePattern(w) && expandAction(w).some((a) => names.has(a.action)));
      const patterns = written.some((w) => /[*?]/.test(w));
      const listed = written.length > 6 ? `${written.slice(0, 6).join(', ')} and ${written.length - 6} more` : written.join(', ');
      const level = highestAccessLevel(unusual);
      if (controller && withinPublishedPolicy(controller, statement)) {
        // The controller's published policy grants this so: a note, as for the managed policies that do.
        hits.push({
          logicalId: role.logicalId,
          message: `allows ${listed} on ${broad.join(', ')}${whereOf(statement)} as the published IAM policy of ${controller.name} does (the role serves that controller)`,
          severity: NhiSeverity.INFO,
        });
        continue;
      }
      if (deployTime && !unusual.some(reachesData)) {
        // Tagging, describing and creating what the stack deploys, once, while CloudFormation runs.
        hits.push({
          logicalId: role.logicalId,
          message: `allows ${listed} on ${broad.join(', ')}${whereOf(statement)} for a deploy-time custom resource only (its provider function serves CloudFormation alone), reaching no data`,
          severity: NhiSeverity.INFO,
        });
        continue;
      }
      hits.push({
        logicalId: role.logicalId,
        message: `allows ${actionsOf(statement).join(', ')} on ${broad.join(', ')}${whereOf(statement)}, where ${listed} ${written.length === 1 ? 'accepts' : 'accept'} specific resources${patterns ? ` (${names.size} action${names.size === 1 ? '' : 's'})` : ''}`,
        severity: level === 'List' || level === 'Read' || level === undefined ? NhiSeverity.MEDIUM : NhiSeverity.HIGH,
      });
    }
    return hits;
  }),
});
