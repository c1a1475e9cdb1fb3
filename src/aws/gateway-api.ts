import { Annotations, RemovalPolicy, Validations } from 'aws-cdk-lib';
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
import { CellTenant, cellFunctionArn, cellTenantProblems, cellTenants } from './private/router-cells';
import { wasValidated } from './private/validated-props';
import { RouterFunction } from './router-function';
import { chatRequestSchema } from '../contract/chat-request-schema';
import { GATEWAY_STAGE, tenantChatPath } from '../contract/router-routes';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';

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

  /**
   * The router cells, one per tenant with a target (`LlmGateway` builds them). Each tenant's
   * method passes its requests to that tenant's cell only, and the API gives each cell its id and
   * stage, the only ones the cell serves.
   */
  readonly routers: RouterFunction[];

  /** The log group API Gateway writes one access record per request to. */
  readonly accessLog: logs.ILogGroup;

  /** The key the WAF log is encrypted with. Its policy must let CloudWatch Logs use it for the WAF log group. */
  readonly logKey: kms.IKey;
}

/** API Gateway's limit on a REST API's resource policy. */
const MAX_RESOURCE_POLICY_BYTES = 8192;

const GATEWAY_API_FIELDS = fieldsOf<GatewayApiProps>({ ...API_OPTION_FIELDS, blueprint: true, routers: true, accessLog: true, logKey: true });

/**
 * The gateway's API: one method per tenant router cell, `POST /v1/tenants/<tenant>/chat`, that
 * accepts only SigV4-signed calls (`AWS_IAM` authorization) and is integrated with that tenant's
 * cell alone. Its resource policy lets each tenant's active workload roles call their own
 * tenant's method only, and denies everyone else, whatever their own policies allow. Bodies are
 * validated against the chat request schema before the router runs. Every error API Gateway
 * answers itself has the router's error shape (`{"error":{"code","message","requestId"}}`).
 * Stage throttling, a WAF web ACL with a per-source rate limit, access logs into the decision log
 * and X-Ray tracing; execution logs carry errors only, never request data.
 */
export class GatewayApi extends Construct {
  /** The stable id of the warning that the resource policy is larger than API Gateway accepts. */
  public static readonly RESOURCE_POLICY_OVER_LIMIT = 'gateward:api:resource-policy-over-limit';

  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The web ACL in front of the API's stage. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The log group WAF logs to. */
  public readonly wafLog: logs.LogGroup;
  /** The URL each tenant's workloads post chat requests to, by tenant id. */
  public readonly chatUrls: Record<string, string>;
  /** The workload role ARNs the resource policy lets in (each on its own tenant's method only). */
  public readonly callerRoleArns: string[];
  /** The POST method of each tenant's cell, by tenant id. */
  public readonly methods: Record<string, apigateway.Method> = {};
  private readonly blueprint: GatewayBlueprint;

  constructor(scope: Construct, id: string, props: GatewayApiProps) {
    super(scope, id);
    if (!wasValidated(props)) {
      refuseUnknownProps('GatewayApi', props, GATEWAY_API_FIELDS);
      const problems = new ProblemCollector();
      apiProblems(problems, props);
      cellsProblems(problems, props);
      if (problems.size > 0) throw new GatewayValidationError('GatewayApi', problems.problems);
    }
    const { blueprint } = props;
    this.blueprint = blueprint;
    const naming = blueprint.naming;
    const cells = cellTenants(blueprint);
    this.callerRoleArns = cells.flatMap(callersOf);
    const policy = callerPolicy(cells);
    const policySize = JSON.stringify(policy.toJSON()).length;
    if (policySize > MAX_RESOURCE_POLICY_BYTES) {
      Annotations.of(this).addWarningV2(GatewayApi.RESOURCE_POLICY_OVER_LIMIT,
        `The API's resource policy is ${policySize} bytes for ${cells.length} tenant cells and ${this.callerRoleArns.length} workloads; API Gateway accepts at most ${MAX_RESOURCE_POLICY_BYTES}, so deployment would fail. `
        + 'Split the tenants over gateways (one spec each) until each policy fits; the policy is never widened to fit.');
    }

    this.api = new apigateway.RestApi(this, 'Resource', {
      restApiName: naming.apiName,
      description: `LLM gateway ${blueprint.name}: IAM-authenticated chat API, one method per tenant router cell.`,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      policy,
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
    this.chatUrls = {};
    for (const tenant of cells) {
      const router = props.routers.find((r) => r.tenantId === tenant.id)!;
      // The function is named by its derived ARN: a reviewer reads it as written, and the
      // function's environment can refer to this API without a reference cycle.
      const functionArn = cellFunctionArn(blueprint, tenant);
      const path = tenantChatPath(tenant.id);
      const method = this.api.root.resourceForPath(path).addMethod('POST', new apigateway.Integration({
        type: apigateway.IntegrationType.AWS_PROXY,
        integrationHttpMethod: 'POST',
        uri: `arn:${blueprint.partition}:apigateway:${blueprint.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
      }), {
        authorizationType: apigateway.AuthorizationType.IAM,
        requestValidator: validator,
        requestModels: { 'application/json': model },
      });
      // Only this method of the deployed stage may invoke the cell (no console test-invoke); the
      // account makes the confused-deputy guard explicit.
      new lambda.CfnPermission(method, 'InvokeRouter', {
        action: 'lambda:InvokeFunction',
        functionName: functionArn,
        principal: 'apigateway.amazonaws.com',
        sourceArn: method.methodArn,
        sourceAccount: blueprint.account,
      });
      // Lambda adds the permission to, and API Gateway integrates with, a function that exists.
      method.node.addDependency(router.function);
      router._serve(this.api.restApiId, GATEWAY_STAGE);
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'Callers are workloads, authenticated by SigV4 (AWS_IAM authorization) and admitted by the resource policy; a Cognito user pool authenticates people, who are not callers of this API.',
      });
      this.methods[tenant.id] = method;
      this.chatUrls[tenant.id] = this.api.urlForPath(path);
    }
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

  /**
   * The URL one tenant's workloads post chat requests to
   * (`https://<api id>.execute-api.<region>.amazonaws.com/live/v1/tenants/<tenant>/chat`).
   */
  public chatUrlOf(tenantId: string): string {
    const url = this.chatUrls[tenantId];
    if (url === undefined) {
      const c = new ProblemCollector();
      cellTenantProblems(c, 'tenantId', this.blueprint, tenantId);
      throw new GatewayValidationError(`GatewayApi "${this.blueprint.name}"`, c.problems);
    }
    return url;
  }
}

/** The active workload roles of a tenant: its callers. */
function callersOf(tenant: CellTenant): string[] {
  return tenant.workloads.filter((w) => w.roleArn && !w.suspended).map((w) => w.roleArn!);
}

/**
 * Each tenant's active workload roles may invoke their own tenant's chat method; every principal
 * that is not one of them is denied on that tenant's paths (explicitly, because an identity policy
 * of the gateway's account would otherwise suffice), and every principal that is no workload is
 * denied on every path.
 */
function callerPolicy(cells: CellTenant[]): iam.PolicyDocument {
  const statements: iam.PolicyStatement[] = [];
  const sids = new Set<string>();
  const all: string[] = [];
  cells.forEach((tenant, index) => {
    const callers = callersOf(tenant);
    all.push(...callers);
    let name = tenant.id.split(/[^A-Za-z0-9]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
    if (sids.has(name)) name = `${name}${index}`;
    sids.add(name);
    const path = tenantChatPath(tenant.id);
    if (callers.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: `Tenant${name}WorkloadsMayChat`,
        principals: callers.map((arn) => new iam.ArnPrincipal(arn)),
        actions: ['execute-api:Invoke'],
        resources: [`execute-api:/${GATEWAY_STAGE}/POST${path}`],
      }));
    }
    statements.push(new iam.PolicyStatement({
      sid: `OnlyTenant${name}WorkloadsOnItsPaths`,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: [`execute-api:/*/*/v1/tenants/${tenant.id}/*`],
      conditions: callers.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': callers } } : undefined,
    }));
  });
  statements.push(new iam.PolicyStatement({
    sid: 'NobodyElseMayInvoke',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: ['execute-api:/*'],
    conditions: all.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': all } } : undefined,
  }));
  return new iam.PolicyDocument({ statements });
}

/** Problems with the cells given to a GatewayApi built on its own: exactly one per tenant with a target, of this gateway. */
function cellsProblems(c: ProblemCollector, props: GatewayApiProps): void {
  const blueprint = props.blueprint;
  if (!blueprint) return;
  const routers = props.routers ?? [];
  const seen = new Set<string>();
  routers.forEach((router, i) => {
    if (!(router instanceof RouterFunction)) {
      c.add(`props.routers[${i}]`, router, 'is not a RouterFunction', 'pass the RouterFunction of each tenant with a target');
      return;
    }
    if (router._blueprint.name !== blueprint.name) {
      c.add(`props.routers[${i}]`, router.node.path, `is a router cell of gateway "${router._blueprint.name}", not of "${blueprint.name}"`, 'pass the cells built from this gateway\'s plane');
    } else if (seen.has(router.tenantId)) {
      c.add(`props.routers[${i}]`, router.node.path, `is a second cell of tenant "${router.tenantId}"; each tenant's method integrates with one cell`, 'pass one RouterFunction per tenant');
    } else if (router._servesApi) {
      c.add(`props.routers[${i}]`, router.node.path, 'already serves another GatewayApi; a cell serves the events of one API only', 'build one GatewayApi for the cells, or new cells for this one');
    }
    seen.add(router.tenantId);
  });
  for (const tenant of cellTenants(blueprint)) {
    if (!seen.has(tenant.id)) {
      c.add('props.routers', `${routers.length} cells`, `has no cell of tenant "${tenant.id}", which has targets; its workloads would have no method to call`,
        `add the RouterFunction of tenant "${tenant.id}" (tenantId: "${tenant.id}")`);
    }
  }
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
