import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { apiProblems } from './private/gateway-props-validation';
import { errorTemplate, GATEWAY_ERROR_RESPONSES } from './private/gateway-responses';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { API_OPTION_FIELDS } from './private/option-fields';
import { wasValidated } from './private/validated-props';
import { chatRequestSchema } from '../contract/chat-request-schema';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';

/** The stage callers use: `https://<api id>.execute-api.<region>.amazonaws.com/live/v1/chat`. */
export const GATEWAY_STAGE = 'live';

/**
 * How much traffic the API accepts.
 */
export interface GatewayApiOptions {
  /**
   * Requests per second the API accepts across all callers, in steady state.
   *
   * @default 50
   */
  readonly throttlingRateLimit?: number;

  /**
   * Requests the API accepts in a burst.
   *
   * @default 100
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Requests one source address may make in five minutes before WAF blocks it (at least 10).
   *
   * @default 1000
   */
  readonly wafRateLimit?: number;
}

/**
 * Properties of the gateway API.
 */
export interface GatewayApiProps extends GatewayApiOptions {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /** The router function requests are passed to. */
  readonly handler: lambda.IFunction;

  /** The log group API Gateway writes one access record per request to. */
  readonly accessLog: logs.ILogGroup;

  /** The key the WAF log is encrypted with. Its policy must let CloudWatch Logs use it for the WAF log group. */
  readonly logKey: kms.IKey;
}

const GATEWAY_API_FIELDS = fieldsOf<GatewayApiProps>({ ...API_OPTION_FIELDS, blueprint: true, handler: true, accessLog: true, logKey: true });

/**
 * The gateway's API: one method, `POST /v1/chat`, that accepts only SigV4-signed calls
 * (`AWS_IAM` authorization) from the spec's active workload roles, which its resource policy
 * names and nobody else passes. Bodies are validated against the chat request schema before the
 * router runs. Every error API Gateway answers itself has the router's error shape
 * (`{"error":{"code","message","requestId"}}`). Stage throttling, a WAF web ACL with a per-source
 * rate limit, access logs into the decision log and X-Ray tracing; execution logs carry errors
 * only, never request data.
 */
export class GatewayApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The web ACL in front of the API's stage. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group WAF logs to. */
  public readonly wafLog: logs.LogGroup;
  /** The URL callers post chat requests to. */
  public readonly chatUrl: string;
  /** The workload role ARNs the resource policy lets in. */
  public readonly callerRoleArns: string[];

  constructor(scope: Construct, id: string, props: GatewayApiProps) {
    super(scope, id);
    if (!wasValidated(props)) {
      refuseUnknownProps('GatewayApi', props, GATEWAY_API_FIELDS);
      const problems = new ProblemCollector();
      apiProblems(problems, props);
      if (problems.size > 0) throw new GatewayValidationError('GatewayApi', problems.problems);
    }
    const { blueprint } = props;
    const naming = blueprint.naming;
    this.callerRoleArns = blueprint.workloads.filter((w) => w.roleArn && !w.suspended).map((w) => w.roleArn!);

    this.api = new apigateway.RestApi(this, 'Resource', {
      restApiName: naming.apiName,
      description: `LLM gateway ${blueprint.name}: IAM-authenticated chat API in front of the router.`,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      policy: callerPolicy(this.callerRoleArns),
      // The account's API Gateway logging role is an account-wide setting, not the gateway's.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      deployOptions: {
        stageName: GATEWAY_STAGE,
        tracingEnabled: true,
        // Errors only, and never request or response bodies: they hold prompts and answers.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
        accessLogDestination: new apigateway.LogGroupLogDestination(props.accessLog),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify({
          type: 'gateward.api-access',
          requestId: '$context.requestId',
          extendedRequestId: '$context.extendedRequestId',
          callerArn: '$context.identity.userArn',
          callerAccount: '$context.identity.accountId',
          sourceIp: '$context.identity.sourceIp',
          requestTime: '$context.requestTimeEpoch',
          method: '$context.httpMethod',
          path: '$context.resourcePath',
          status: '$context.status',
          error: '$context.error.responseType',
          wafStatus: '$context.waf.status',
          integrationStatus: '$context.integration.status',
          integrationLatencyMs: '$context.integration.latency',
          responseLatencyMs: '$context.responseLatency',
        })),
      },
    });

    // API Gateway's own refusals (schema, signature, resource policy, WAF, throttling, timeouts)
    // answer in the router's error shape, with the request id, instead of API Gateway's bodies.
    for (const response of GATEWAY_ERROR_RESPONSES) {
      this.api.addGatewayResponse(`Error-${response.type.responseType}`, {
        type: response.type,
        statusCode: response.statusCode,
        templates: { 'application/json': errorTemplate(response) },
      });
    }

    const schema = chatRequestSchema();
    delete schema.$schema;
    const model = this.api.addModel('ChatRequest', {
      modelName: 'ChatRequest',
      contentType: 'application/json',
      schema: { schema: apigateway.JsonSchemaVersion.DRAFT4, ...schema } as apigateway.JsonSchema,
    });
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'chat-request',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    // No console test-invoke permission: only the deployed stage may invoke the router.
    const integration = new apigateway.LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false });
    const method = this.api.root.addResource('v1').addResource('chat').addMethod('POST', integration, {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestValidator: validator,
      requestModels: { 'application/json': model },
    });
    for (const permission of method.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
      // The source ARN names this API's method; the account makes the confused-deputy guard explicit.
      permission.sourceAccount = blueprint.account;
    }
    Validations.of(method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'Callers are workloads, authenticated by SigV4 (AWS_IAM authorization) and admitted by the resource policy; a Cognito user pool authenticates people, who are not callers of this API.',
    });
    Validations.of(this.api.deploymentStage).acknowledge(
      {
        id: 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
        reason: 'Every response is one caller\'s completion of one request; a response cache would serve it to other callers, so the stage has none.',
      },
      {
        id: 'NIST.800.53.R5-APIGWSSLEnabled',
        reason: 'Client certificates authenticate API Gateway to HTTP backends; the backend here is a Lambda proxy integration, invoked through the Lambda API with the permission above.',
      },
    );
    this.chatUrl = this.api.urlForPath('/v1/chat');

    const wafLogArn = naming.logGroupArn(naming.wafLogGroupName);
    this.wafLog = new logs.LogGroup(this, 'WafLog', {
      logGroupName: naming.wafLogGroupName,
      encryptionKey: props.logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: naming.webAclName,
      description: `Rate limit and known-bad inputs in front of gateway ${blueprint.name}.`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // Sampled requests would keep callers' signed headers, session tokens included.
      visibilityConfig: visibility(`${blueprint.name}-api`),
      rules: [
        {
          name: 'RateLimitPerSource',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.wafRateLimit ?? 1000, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility(`${blueprint.name}-rate-limit`),
        },
        // Prompts are free text: rule groups that block SQL or script-like text (the common rule
        // set) would refuse legitimate requests, so only known-bad inputs and sources are blocked.
        managedRule('AWSManagedRulesKnownBadInputsRuleSet', 1, blueprint.name),
        managedRule('AWSManagedRulesAmazonIpReputationList', 2, blueprint.name),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [wafLogArn],
      // The signature and the caller's session token stay out of the log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'x-amz-security-token' } }],
    });
    logging.node.addDependency(this.wafLog);
  }
}

/**
 * Only the listed workload roles may invoke the chat method, and every other principal is denied
 * outright, whatever its own policies allow.
 */
function callerPolicy(callers: string[]): iam.PolicyDocument {
  const statements: iam.PolicyStatement[] = [];
  if (callers.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'ListedWorkloadsMayChat',
      principals: callers.map((arn) => new iam.ArnPrincipal(arn)),
      actions: ['execute-api:Invoke'],
      resources: [`execute-api:/${GATEWAY_STAGE}/POST/v1/chat`],
    }));
  }
  statements.push(new iam.PolicyStatement({
    sid: 'NobodyElseMayInvoke',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: ['execute-api:/*'],
    conditions: callers.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': callers } } : undefined,
  }));
  return new iam.PolicyDocument({ statements });
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: false };
}

function managedRule(name: string, priority: number, gateway: string): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(`${gateway}-${name}`),
  };
}
