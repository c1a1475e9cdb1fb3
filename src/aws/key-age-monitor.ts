import { Duration, Fn, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { GatewayResourceProps } from './gateway-resource-props';
import { createFunctionSupport } from './private/function-support';
import { createGatewayRole } from './private/gateway-role';
import { KEY_AGE_CHECK_CODE } from './private/key-age-check-code';
import { createGatewayKey, logsEncryptStatement } from './private/kms';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { ProviderKeySecret } from './provider-key-secret';
import { GatewayBlueprint } from '../spec/blueprint';
import { KEY_AGE_DIMENSIONS, KEY_AGE_METRIC } from '../spec/key-rotation';

/** The metric namespace of the key-age check. */
export const KEY_AGE_NAMESPACE = 'Gateward/ProviderKeys';

/**
 * Properties of the key-age monitor.
 */
export interface KeyAgeMonitorProps extends GatewayResourceProps {
  /**
   * The manually rotated keys to watch. More can be added with `watch()`.
   *
   * @default - none
   */
  readonly secrets?: ProviderKeySecret[];

  /**
   * The topic the alarms notify; subscribe the credential-lifecycle owner to it.
   *
   * @default - an encrypted topic is created
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * A VPC to run the check in (it needs routes to Secrets Manager and CloudWatch Logs, e.g.
   * interface endpoints).
   *
   * @default - the check runs outside a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets to run the check in.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

const KEY_AGE_MONITOR_FIELDS = fieldsOf<KeyAgeMonitorProps>({
  blueprint: true, permissionsBoundary: true, secrets: true, alarmTopic: true, vpc: true, vpcSubnets: true,
});

/**
 * The alarm behind manual key rotation. Once a day a small function reads the creation date of
 * each watched key's current version (metadata only: it cannot read a key) and reports its age;
 * one alarm per key fires when the key is older than its rotation period, and also when the check
 * stops reporting.
 */
export class KeyAgeMonitor extends Construct {
  /** The check. */
  public readonly checkFunction: lambda.Function;
  /** One alarm per watched key, in the order the keys were given. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The topic the alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** Where failed check invocations go. */
  public readonly deadLetterQueue: sqs.Queue;
  private readonly blueprint: GatewayBlueprint;

  constructor(scope: Construct, id: string, props: KeyAgeMonitorProps) {
    super(scope, id);
    refuseUnknownProps('KeyAgeMonitor', props, KEY_AGE_MONITOR_FIELDS);
    const { blueprint } = props;
    const naming = blueprint.naming;

    const key = createGatewayKey(this, 'Key', {
      blueprint,
      alias: naming.keyAgeCheckKeyAlias,
      description: `Encrypts the key-age check's log group, queue and alarm topic in gateway ${blueprint.name}.`,
      statements: [
        logsEncryptStatement(blueprint, 'CloudWatchLogsEncryptsTheCheckLog', [naming.keyAgeCheckLogGroupName]),
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsPublishToTheTopic',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': blueprint.account } },
        }),
      ],
    });

    this.alarmTopic = props.alarmTopic ?? new sns.Topic(this, 'AlarmTopic', {
      displayName: `${blueprint.name}: provider keys older than their rotation period`,
      masterKey: key,
      enforceSSL: true,
    });
    const support = createFunctionSupport(this, naming.keyAgeCheckLogGroupName, key);
    this.deadLetterQueue = support.deadLetterQueue;
    const logGroup = support.logGroup;

    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadKeyVersionDatesOnly',
        actions: ['secretsmanager:ListSecretVersionIds'],
        // The gateway's provider keys by their derived names: the same policy for 1 and 1,000 keys.
        resources: [`arn:${blueprint.partition}:secretsmanager:${blueprint.region}:${blueprint.account}:secret:${naming.providerKeySecretName('*', '*')}`],
      }),
      new iam.PolicyStatement({
        sid: 'ReadTheListOfWatchedKeys',
        actions: ['ssm:GetParametersByPath'],
        resources: [watchPathArn(blueprint), `${watchPathArn(blueprint)}/*`],
      }),
      new iam.PolicyStatement({
        sid: 'WriteCheckLog',
        // Both calls name the stream, which Lambda names at run time.
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [naming.logStreamArn(naming.keyAgeCheckLogGroupName, '*')],
      }),
      new iam.PolicyStatement({ sid: 'SendFailedChecksToQueue', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    ];
    if (props.vpc) {
      statements.push(new iam.PolicyStatement({
        sid: 'ManageFunctionNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        // ec2:DescribeNetworkInterfaces supports no resource-level permission.
        resources: ['*'],
      }));
    }
    const role = createGatewayRole(this, {
      roleName: naming.keyAgeCheckRoleName,
      managedPolicyName: naming.managedPolicyName(naming.keyAgeCheckRoleName),
      description: `Daily age check of gateway ${blueprint.name}'s manually rotated provider keys: reads version dates, never key values.`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      position: 'service',
      permissionsBoundary: props.permissionsBoundary,
      statements,
    }, 'Role');
    Validations.of(role.permissions).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${naming.logStreamArn(naming.keyAgeCheckLogGroupName, '*')}]`,
      reason: 'The Lambda service names the function\'s log streams at run time; the streams of its one log group are the narrowest resource CreateLogStream and PutLogEvents accept.',
    });

    this.checkFunction = new lambda.Function(this, 'Function', {
      description: `Reports the age of gateway ${blueprint.name}'s manually rotated provider keys.`,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(KEY_AGE_CHECK_CODE),
      // The role's permissions are all in its managed policy; CDK must not add inline grants to it.
      role: iam.Role.fromRoleArn(this, 'RoleRef', role.role.roleArn, { mutable: false }),
      timeout: Duration.minutes(1),
      memorySize: 256,
      reservedConcurrentExecutions: 1,
      deadLetterQueue: this.deadLetterQueue,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      environment: {
        WATCH_PATH: naming.keyAgeWatchPath,
        GATEWAY: blueprint.name,
        NAMESPACE: KEY_AGE_NAMESPACE,
      },
    });
    this.checkFunction.node.addDependency(role.permissions);

    new events.Rule(this, 'Daily', {
      description: `Runs the key-age check of gateway ${blueprint.name} once a day.`,
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new eventsTargets.LambdaFunction(this.checkFunction, { retryAttempts: 2 })],
    });

    this.blueprint = blueprint;
    for (const secret of props.secrets ?? []) this.watch(secret);
  }

  /**
   * Watches one manually rotated key: puts it on the check's list (an SSM parameter next to the
   * key, in the key's own stack) and creates its alarm there, notifying this monitor's topic.
   */
  public watch(secret: ProviderKeySecret): cloudwatch.Alarm {
    const blueprint = this.blueprint;
    const naming = blueprint.naming;
    const providerKey = secret.providerKey;
    const scope = secret.node.scope ?? secret;
    // Key ids are unique only within a tenant; '.' appears in no id, so tenant.key is unique.
    const id = `KeyAge-${secret.tenantId}.${providerKey.id}`;
    // The parameter's resource directly (no one reads the L2 back), its value a join rather than
    // a JSON document resolved token by token: `{"name":"<secret name>","arn":"<secret ARN>"}`.
    new ssm.CfnParameter(new Construct(scope, `${id}-Watch`), 'Resource', {
      name: naming.keyAgeWatchParameterName(secret.tenantId, providerKey.id),
      description: `Puts provider key ${secret.secretName} on gateway ${blueprint.name}'s key-age check (name and ARN only).`,
      type: 'String',
      value: Fn.join('', [`{"name":${JSON.stringify(secret.secretName)},"arn":"`, secret.secretArn, '"}']),
    });
    const alarm = new cloudwatch.Alarm(scope, `${id}-Alarm`, {
      alarmDescription: `Provider key ${secret.secretName} is older than its ${providerKey.rotationPeriodDays}-day rotation period, or its age is not being checked. Rotate it: put the new key value.`,
      metric: new cloudwatch.Metric({
        namespace: KEY_AGE_NAMESPACE,
        metricName: KEY_AGE_METRIC,
        dimensionsMap: { [KEY_AGE_DIMENSIONS[0]]: blueprint.name, [KEY_AGE_DIMENSIONS[1]]: secret.secretName },
        statistic: 'Maximum',
        period: Duration.days(1),
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: providerKey.rotationPeriodDays,
      evaluationPeriods: 1,
      // A check that stopped reporting must not look like a fresh key.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/** The ARN of the SSM parameter path that holds the watch list. */
function watchPathArn(blueprint: GatewayBlueprint): string {
  return `arn:${blueprint.partition}:ssm:${blueprint.region}:${blueprint.account}:parameter${blueprint.naming.keyAgeWatchPath}`;
}
