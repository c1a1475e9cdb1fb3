import { createHash } from 'crypto';
import { Annotations, CfnOutput, CfnResource, CustomResource, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GatewayBlueprint, GatewayNaming } from '../spec';
import { GatewayApiDeployer } from './gateway-api-deployer';
import { GatewayWebAcl } from './gateway-web-acl';
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
   * The router cells this API serves, at least one (`LlmGateway` builds them, and gives each
   * cell stack an API of its own). Each tenant's method passes its requests to that tenant's cell
   * only, and the API gives each cell its id and stage, the only ones the cell serves.
   */
  readonly routers: RouterFunction[];

  /** The log group API Gateway writes one access record per request to. */
  readonly accessLog: logs.ILogGroup;

  /**
   * The web ACL in front of the API's stage.
   *
   * @default - the API creates a web ACL of its own (with `wafRateLimit`), logging with `logKey`
   */
  readonly webAcl?: GatewayWebAcl;

  /**
   * The function that publishes the API (creates a deployment whenever what it serves changes).
   *
   * @default - the API creates a deployer of its own, logging with `logKey`
   */
  readonly deployer?: GatewayApiDeployer;

  /**
   * The key the WAF log of the API's own web ACL, and the log of its own deployer, are encrypted
   * with. Its policy must let CloudWatch Logs use it for those log groups.
   *
   * @default - none; required when `webAcl` or `deployer` is not given
   */
  readonly logKey?: kms.IKey;

  /**
   * The REST API's name.
   *
   * @default - the gateway's API name (`<gateway>-api`)
   */
  readonly restApiName?: string;
}

/** API Gateway's limit on a REST API's resource policy. */
const MAX_RESOURCE_POLICY_BYTES = 8192;

const GATEWAY_API_FIELDS = fieldsOf<GatewayApiProps>({
  ...API_OPTION_FIELDS, blueprint: true, routers: true, accessLog: true, webAcl: true, deployer: true, logKey: true, restApiName: true,
});

/**
 * An API of the gateway: one method per tenant router cell it serves,
 * `POST /v1/tenants/<tenant>/chat`, that accepts only SigV4-signed calls (`AWS_IAM`
 * authorization) and is integrated with that tenant's cell alone. Its resource policy admits
 * principals of the workloads' accounts that carry the `gateward:tenant` tag, each on its own
 * tenant's method only, and denies everyone else, whatever their own policies allow; the policy is
 * the same size for 1 and 1,000 tenants. The cell then admits only the workload roles the spec
 * lists for its tenant (the router's caller check), so the tag narrows and never replaces it. Bodies are
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
  /**
   * The workload role ARNs of the tenants this API serves (the resource policy admits them by
   * their tenant tag, each on its own tenant's method only).
   */
  public readonly callerRoleArns: string[];
  /** The POST method of each tenant's cell, by tenant id. */
  public readonly methods: Record<string, apigateway.Method> = {};
  /**
   * The API's deployment: a `Custom::GatewayApiDeployment` resource whose logical id never changes,
   * so that adding a tenant renames no resource; its revision changes with what the API serves,
   * and each change publishes a new deployment to the stage.
   */
  public readonly deployment: CustomResource;
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
    const cells = cellTenants(blueprint).filter((t) => props.routers.some((r) => r.tenantId === t.id));
    this.callerRoleArns = cells.flatMap(callersOf);
    const policy = callerPolicy(blueprint, cells);
    const policySize = JSON.stringify(policy.toJSON()).length;
    if (policySize > MAX_RESOURCE_POLICY_BYTES) {
      Annotations.of(this).addWarningV2(GatewayApi.RESOURCE_POLICY_OVER_LIMIT,
        `The API's resource policy is ${policySize} bytes for ${cells.length} tenant cells and ${this.callerRoleArns.length} workloads; API Gateway accepts at most ${MAX_RESOURCE_POLICY_BYTES}, so deployment would fail. `
        + 'It grows only with the number of workload accounts and suspended workloads; the policy is never widened to fit.');
    }

    this.api = new apigateway.RestApi(this, 'Resource', {
      restApiName: props.restApiName ?? naming.apiName,
      description: `LLM gateway ${blueprint.name}: IAM-authenticated chat API, one method per tenant router cell.`,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      policy,
      // The account's API Gateway logging role is an account-wide setting, not the gateway's.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      // Published by the deployment resource below, whose logical id stays the same.
      deploy: false,
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
        // The stage by its name: the stage takes its deployment after the methods exist.
        sourceArn: `arn:${blueprint.partition}:execute-api:${blueprint.region}:${blueprint.account}:${this.api.restApiId}/${GATEWAY_STAGE}/POST${path}`,
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
    }
    const deployer = props.deployer ?? new GatewayApiDeployer(this, 'Deployer', { blueprint, logKey: props.logKey! });
    this.deployment = new CustomResource(this, 'Deployment', {
      serviceToken: deployer.function.functionArn,
      resourceType: 'Custom::GatewayApiDeployment',
      properties: {
        RestApiId: this.api.restApiId,
        Description: `LLM gateway ${blueprint.name}: the chat API as CloudFormation last changed it.`,
        Revision: Lazy.string({ produce: () => revisionOf(this.api) }),
      },
    });
    // Taken after every part of the API exists (and after each part that changed is updated).
    for (const child of this.api.node.children) this.deployment.node.addDependency(child);
    // At the path CDK gives a RestApi's own stage, so its logical id is the one it always had.
    const stage = new apigateway.Stage(this.api, `DeploymentStage.${GATEWAY_STAGE}`, {
      // The stage reads only these two fields of the deployment it is given.
      deployment: { api: this.api, deploymentId: this.deployment.getAttString('DeploymentId') } as unknown as apigateway.Deployment,
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
    });
    this.api.deploymentStage = stage;
    for (const tenant of cells) this.chatUrls[tenant.id] = this.api.urlForPath(tenantChatPath(tenant.id));
    new CfnOutput(this.api, 'Endpoint', { value: this.api.urlForPath('/') });

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

    const webAcl = props.webAcl ?? new GatewayWebAcl(this, 'WebAcl', { blueprint, logKey: props.logKey!, wafRateLimit: props.wafRateLimit });
    this.webAcl = webAcl.webAcl;
    this.wafLog = webAcl.wafLog;
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
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

/**
 * A digest of everything the API serves (its resources, methods, models, validators, gateway
 * responses, resource policy), as CloudFormation will receive it: it changes exactly when a new
 * deployment is needed. Read at synthesis, so parts added after the constructor count too.
 */
function revisionOf(api: apigateway.RestApi): string {
  const stack = Stack.of(api);
  const published = api.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType.startsWith('AWS::ApiGateway::'))
    .filter((c) => c.cfnResourceType !== 'AWS::ApiGateway::Stage')
    .map((c) => ({ id: stack.resolve(c.logicalId), resource: stack.resolve((c as any)._toCloudFormation()) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(published)).digest('hex');
}

/** The active workload roles of a tenant: its callers. */
function callersOf(tenant: CellTenant): string[] {
  return tenant.workloads.filter((w) => w.roleArn && !w.suspended).map((w) => w.roleArn!);
}

/** The policy variable of a caller's tenant tag. */
const CALLER_TENANT = `\${aws:PrincipalTag/${GatewayNaming.TENANT_TAG}}`;

/**
 * Admits the principals of the workloads' accounts by their `gateward:tenant` tag, each on its own
 * tenant's chat method only; denies every principal without the tag, outside those accounts, or
 * suspended, on every path (explicitly, because an identity policy of the gateway's account would
 * otherwise suffice). Nothing in it lists tenants or active workloads, so it does not grow with them.
 */
function callerPolicy(blueprint: GatewayBlueprint, cells: CellTenant[]): iam.PolicyDocument {
  const workloads = cells.flatMap((t) => t.workloads.filter((w) => w.roleArn));
  const accounts = [...new Set(workloads.map((w) => w.roleArn!.split(':')[4]))].sort();
  const suspended = workloads.filter((w) => w.suspended).map((w) => w.roleArn!);
  const ownPath = `execute-api:/${GATEWAY_STAGE}/POST${tenantChatPath(CALLER_TENANT)}`;
  const statements: iam.PolicyStatement[] = [];
  if (accounts.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'TaggedWorkloadsMayChatOnTheirTenantsPath',
      // Literal ARNs, as a reviewer reads them (AccountPrincipal would render the partition as a reference).
      principals: accounts.map((account) => new iam.ArnPrincipal(`arn:${blueprint.partition}:iam::${account}:root`)),
      actions: ['execute-api:Invoke'],
      resources: [ownPath],
    }));
  }
  statements.push(
    new iam.PolicyStatement({
      sid: 'NobodyWithoutATenantTag',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
      conditions: { Null: { [`aws:PrincipalTag/${GatewayNaming.TENANT_TAG}`]: 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'NobodyOnAnotherTenantsPath',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      notResources: [ownPath],
    }),
    new iam.PolicyStatement({
      sid: 'NobodyOutsideTheWorkloadAccounts',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
      conditions: { StringNotEquals: { 'aws:PrincipalAccount': accounts.length > 0 ? accounts : [blueprint.account] } },
    }),
  );
  if (suspended.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'NoSuspendedWorkload',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
      conditions: { ArnEquals: { 'aws:PrincipalArn': suspended } },
    }));
  }
  return new iam.PolicyDocument({ statements });
}

/** Problems with the cells given to a GatewayApi built on its own: at least one, each a cell of this gateway, one per tenant. */
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
  if (routers.length === 0) {
    c.add('props.routers', '0 cells', 'an API serves at least one router cell', 'pass the RouterFunction of each tenant the API serves');
  }
  if (!props.webAcl && !props.logKey) {
    c.add('props.logKey', undefined, 'the API creates its own web ACL when none is given, and its WAF log must be encrypted', 'pass webAcl (a GatewayWebAcl shared by the gateway\'s APIs) or logKey');
  } else if (!props.deployer && !props.logKey) {
    c.add('props.logKey', undefined, 'the API creates its own deployer when none is given, and its log must be encrypted', 'pass deployer (a GatewayApiDeployer shared by the gateway\'s APIs) or logKey');
  }
  if (props.deployer !== undefined && !(props.deployer instanceof GatewayApiDeployer)) {
    c.add('props.deployer', props.deployer, 'is not a GatewayApiDeployer', 'pass the GatewayApiDeployer of this gateway, or leave it out');
  }
}
