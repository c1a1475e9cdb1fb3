import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GatewayResourceProps } from './gateway-resource-props';
import { GatewayNaming } from '../spec';
import { acknowledgeFinding } from './private/acknowledge';
import { API_DEPLOYER_CODE } from './private/api-deployer-code';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';

/**
 * Properties of the API deployer.
 */
export interface GatewayApiDeployerProps extends GatewayResourceProps {
  /**
   * The key the deployer's log group is encrypted with. Its policy must let CloudWatch Logs use it
   * for the deployer's log group (`GatewayNaming.apiDeployerLogGroupName`).
   */
  readonly logKey: kms.IKey;
}

const GATEWAY_API_DEPLOYER_FIELDS = fieldsOf<GatewayApiDeployerProps>({ blueprint: true, permissionsBoundary: true, logKey: true });

/**
 * Publishes the gateway's APIs. API Gateway serves a snapshot of an API (a deployment), so every
 * change to an API's methods needs a new one; CDK's deployment resource gets one by changing its
 * own logical id on every change, which would make adding a tenant rename a resource of another
 * tenant's cell stack. Each `GatewayApi` instead has one `Custom::GatewayApiDeployment` resource
 * with a fixed logical id and a revision property; this function, shared by all of them, creates a
 * deployment when the revision changes and deletes the one it replaces.
 *
 * Its role may create and delete deployments of the gateway's REST APIs only (those tagged
 * `gateward:gateway` with this gateway's name, a tag their deployments inherit); it cannot change
 * a method, a resource policy or a stage.
 */
export class GatewayApiDeployer extends Construct {
  /** The function behind every API's deployment resource. */
  public readonly function: lambda.Function;
  /** Where failed invocations go. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: GatewayApiDeployerProps) {
    super(scope, id);
    refuseUnknownProps('GatewayApiDeployer', props, GATEWAY_API_DEPLOYER_FIELDS);
    const { blueprint } = props;
    const naming = blueprint.naming;
    const restApis = `arn:${blueprint.partition}:apigateway:${blueprint.region}::/restapis/*`;
    const ownApis = { StringEquals: { [`aws:ResourceTag/${GatewayNaming.GATEWAY_TAG}`]: blueprint.name } };

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: naming.apiDeployerLogGroupName,
      encryptionKey: props.logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = createGatewayRole(this, {
      roleName: naming.apiDeployerRoleName,
      managedPolicyName: naming.managedPolicyName(naming.apiDeployerRoleName),
      description: `Publishes gateway ${blueprint.name}'s REST APIs as CloudFormation changes them: creates and deletes their deployments, nothing else.`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      position: 'service',
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'CreateDeploymentsOfTheGatewaysApis',
          actions: ['apigateway:POST'],
          resources: [`${restApis}/deployments`],
          conditions: ownApis,
        }),
        new iam.PolicyStatement({
          sid: 'DeleteDeploymentsOfTheGatewaysApis',
          actions: ['apigateway:DELETE'],
          resources: [`${restApis}/deployments/*`],
          conditions: ownApis,
        }),
        new iam.PolicyStatement({
          sid: 'WriteDeployerLog',
          // Both calls name the stream, which Lambda names at run time.
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [naming.logStreamArn(naming.apiDeployerLogGroupName, '*')],
        }),
        new iam.PolicyStatement({ sid: 'SendFailedInvocationsToQueue', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
      ],
    }, 'Role');
    acknowledgeFinding(role.permissions, `AwsSolutions-IAM5[Resource::${restApis}/deployments]`,
      'REST API ids are generated when each cell stack creates its API, after this shared function exists; the gateway tag condition limits it to the gateway\'s own APIs.');
    acknowledgeFinding(role.permissions, `AwsSolutions-IAM5[Resource::${restApis}/deployments/*]`,
      'Deployment ids are generated by API Gateway; the gateway tag condition limits it to deployments of the gateway\'s own APIs.');
    acknowledgeFinding(role.permissions, `AwsSolutions-IAM5[Resource::${naming.logStreamArn(naming.apiDeployerLogGroupName, '*')}]`,
      'The Lambda service names the function\'s log streams at run time; the streams of its one log group are the narrowest resource CreateLogStream and PutLogEvents accept.');

    this.function = new lambda.Function(this, 'Function', {
      description: `Creates a deployment of one of gateway ${blueprint.name}'s REST APIs whenever CloudFormation changes what it serves.`,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(API_DEPLOYER_CODE),
      // The role's permissions are all in its managed policy; CDK must not add inline grants to it.
      role: iam.Role.fromRoleArn(this, 'RoleRef', role.role.roleArn, { mutable: false }),
      // API Gateway takes one deployment every five seconds per account: one at a time, retried.
      timeout: Duration.minutes(10),
      reservedConcurrentExecutions: 1,
      memorySize: 256,
      deadLetterQueue: this.deadLetterQueue,
      logGroup,
    });
    this.function.node.addDependency(role.permissions);
    Validations.of(this.function).acknowledge({
      id: 'NIST.800.53.R5-LambdaInsideVPC',
      reason: 'The deployer runs only while CloudFormation deploys, calls only the API Gateway management API and CloudFormation\'s response URL, and handles no request, prompt or credential; a VPC would need an API Gateway management endpoint for it alone.',
    });
  }
}
