import { Annotations, Stack, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { GatewayAwsPlane } from './aws-plane';
import { GatewayApi, GatewayApiOptions } from './gateway-api';
import { GatewayApiDeployer } from './gateway-api-deployer';
import { GatewayWebAcl } from './gateway-web-acl';
import { apiProblems, routerProblems } from './private/gateway-props-validation';
import { claim, existingClaim } from './private/gateway-registry';
import { logsEncryptStatement } from './private/kms';
import { fieldsOf } from './private/known-fields';
import { API_OPTION_FIELDS, ROUTER_OPTION_FIELDS } from './private/option-fields';
import { withCellParts } from './private/router-cell-parts';
import { cellTenantProblems, cellTenants, DEFAULT_CELL_CONCURRENCY } from './private/router-cells';
import { routerCodeDirectory } from './private/router-code';
import { validatedProps } from './private/validated-props';
import { RouterFunction, RouterOptions } from './router-function';
import { RouterNetwork } from './router-network';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';
import { GatewayBlueprint } from '../spec/blueprint';
import { checkKnownKeys } from '../spec/private/known-keys';

const GATEWAY_FIELDS = fieldsOf<LlmGatewayProps>({ plane: true, ...ROUTER_OPTION_FIELDS, ...API_OPTION_FIELDS });

/** Lambda keeps this much of an account's concurrency unreserved; the default quota is 1,000. */
const DEFAULT_RESERVABLE_CONCURRENCY = 900;

/**
 * Properties of the LLM gateway.
 */
export interface LlmGatewayProps extends RouterOptions, GatewayApiOptions {
  /** The AWS plane the gateway runs on: its router roles, policy store and decision log. */
  readonly plane: GatewayAwsPlane;
}

/**
 * A working LLM gateway on an AWS plane: one router cell per tenant with a target, each a Lambda
 * function that runs as its tenant's router role in private subnets and serves that tenant
 * alone, behind one API that accepts only IAM-signed calls and routes each tenant's workloads to
 * their own tenant's cell. Each request is authorized by the policy store, then served with
 * credentials Vault issues for it alone; no cell holds any of its own, and none can obtain
 * another tenant's.
 *
 * The cells share one set of interface endpoints, at most two security groups (cells with
 * provider keys are the only ones that reach providers), one code asset and, when configured,
 * one code signing config. The props are validated together, and every problem is reported at once.
 */
export class LlmGateway extends Construct {
  /** The stable id of the warning that the router cells reserve more concurrency than an account has by default. */
  public static readonly RESERVED_CONCURRENCY_OVER_DEFAULT_QUOTA = 'gateward:router:reserved-concurrency-over-default-quota';

  /** The router cells, one per tenant with a target, in tenant order. */
  public readonly routers: RouterFunction[];
  /** The APIs, one per cell stack, each serving the cells of its stack. */
  public readonly apis: GatewayApi[];
  /** The web ACL in front of every API, and its log. */
  public readonly webAcl: GatewayWebAcl;
  /** The function that publishes every API when CloudFormation changes it. */
  public readonly apiDeployer: GatewayApiDeployer;
  /** The URL each tenant's workloads post chat requests to (SigV4-signed, service `execute-api`), by tenant id. */
  public readonly chatUrls: Record<string, string>;
  private readonly apiByTenant: Map<string, GatewayApi>;
  private readonly blueprint: GatewayBlueprint;

  constructor(scope: Construct, id: string, props: LlmGatewayProps) {
    super(scope, id);
    validateGateway(this, props);
    const { plane } = props;
    const blueprint = plane.blueprint;
    this.blueprint = blueprint;
    const naming = blueprint.naming;
    claim(this, 'gateway', blueprint.name);
    const cells = cellTenants(blueprint);

    // Built once, shared by every cell: the network, the code asset (bundle and routing table) and the signing config.
    const network = new RouterNetwork(this, 'Network', {
      blueprint,
      cells,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      vaultConnection: props.vaultConnection,
      createInterfaceEndpoints: props.createInterfaceEndpoints,
      providerEgress: props.providerEgress,
    });
    const codeDirectory = routerCodeDirectory(blueprint);
    const codeSigningConfig = props.codeSigning?._create(this, 'CodeSigning', blueprint);
    // The audit key encrypts the WAF log as it does the gateway's other logs; one web ACL serves every API.
    plane._audit.key.addToResourcePolicy(logsEncryptStatement(blueprint, 'CloudWatchLogsEncryptsWafLog', [naming.wafLogGroupName]));
    this.webAcl = new GatewayWebAcl(this, 'WebAcl', { blueprint, logKey: plane._audit.key, wafRateLimit: props.wafRateLimit });
    this.webAcl.wafLog.node.addDependency(plane._audit.key);
    plane._audit.key.addToResourcePolicy(logsEncryptStatement(blueprint, 'CloudWatchLogsEncryptsApiDeployerLog', [naming.apiDeployerLogGroupName]));
    this.apiDeployer = new GatewayApiDeployer(this, 'ApiDeployer', { blueprint, logKey: plane._audit.key, permissionsBoundary: plane._permissionsBoundary });
    this.apiDeployer.node.addDependency(plane._audit.key);

    // Each cell lives in its tenant's cell stack, next to its router role; a Code binds to one stack.
    const codes = new Map<Stack, lambda.Code>();
    const codeFor = (stack: Stack) => codes.get(stack) ?? codes.set(stack, lambda.Code.fromAsset(codeDirectory)).get(stack)!;
    // Each cell was validated with the gateway's props above.
    this.routers = cells.map((tenant) => {
      const cellScope = plane._cells.scopeOf(tenant.id, 'Gateway');
      return new RouterFunction(cellScope, 'Router', withCellParts(validatedProps({
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
        vaultConnection: props.vaultConnection,
        createInterfaceEndpoints: props.createInterfaceEndpoints,
        providerEgress: props.providerEgress,
        providerEndpoints: props.providerEndpoints,
        reservedConcurrency: props.reservedConcurrency,
        memorySize: props.memorySize,
        codeSigning: props.codeSigning,
        blueprint,
        tenantId: tenant.id,
        routerRole: plane.routerRoles.find((r) => r.tenantId === tenant.id)!,
        decisionLog: plane.decisionLog,
        policyStoreId: plane.policyStoreId,
      }), { network, code: codeFor(Stack.of(cellScope)), codeSigningConfig }));
    });

    const reserved = cells.length * (props.reservedConcurrency ?? DEFAULT_CELL_CONCURRENCY);
    if (reserved > DEFAULT_RESERVABLE_CONCURRENCY) {
      Annotations.of(this).addWarningV2(LlmGateway.RESERVED_CONCURRENCY_OVER_DEFAULT_QUOTA,
        `${cells.length} router cells reserve ${props.reservedConcurrency ?? DEFAULT_CELL_CONCURRENCY} concurrent executions each, ${reserved} in all; `
        + `an account's default Lambda concurrency (1,000 per region, of which 100 stay unreserved) reserves at most ${DEFAULT_RESERVABLE_CONCURRENCY}. `
        + 'Request a higher concurrency quota for the region before deploying, or lower reservedConcurrency.');
    }

    // One API per cell stack, serving that stack's cells: an API holds at most 300 resources, and
    // its methods stay next to the functions they integrate with.
    this.apis = [];
    this.chatUrls = {};
    this.apiByTenant = new Map();
    for (const stack of plane._cells.all) {
      const served = this.routers.filter((r) => Stack.of(r) === stack);
      if (served.length === 0) continue;
      const api = new GatewayApi(plane._cells.partOf(stack, 'Gateway'), 'Api', validatedProps({
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        blueprint,
        routers: served,
        accessLog: plane.decisionLog,
        webAcl: this.webAcl,
        deployer: this.apiDeployer,
        restApiName: `${naming.apiName}-${plane._cells.suffixOf(stack)}`,
      }));
      this.apis.push(api);
      for (const router of served) this.apiByTenant.set(router.tenantId, api);
    }
    // In tenant order, as the routers are.
    for (const router of this.routers) this.chatUrls[router.tenantId] = this.apiByTenant.get(router.tenantId)!.chatUrls[router.tenantId];

    for (const [key, value] of Object.entries(blueprint.ownershipTags())) {
      Tags.of(this).add(key, value);
    }
  }

  /**
   * The URL one tenant's workloads post chat requests to
   * (`https://<api id>.execute-api.<region>.amazonaws.com/live/v1/tenants/<tenant>/chat`).
   */
  public chatUrlOf(tenantId: string): string {
    return this.apiOf(tenantId).chatUrlOf(tenantId);
  }

  /**
   * The API that serves one tenant's cell.
   */
  public apiOf(tenantId: string): GatewayApi {
    const api = this.apiByTenant.get(tenantId);
    if (!api) {
      const c = new ProblemCollector();
      cellTenantProblems(c, 'tenantId', this.blueprint, tenantId);
      throw new GatewayValidationError(`LlmGateway "${this.blueprint.name}"`, c.problems);
    }
    return api;
  }
}

function validateGateway(scope: Construct, props: LlmGatewayProps): void {
  const c = new ProblemCollector();
  checkKnownKeys(c, 'props', props ?? {}, GATEWAY_FIELDS, 'LlmGatewayProps');
  const name = props.plane?.blueprint?.name;
  const existing = name ? existingClaim(scope, 'gateway', name) : undefined;
  if (existing) {
    c.add('props.plane', props.plane.node.path, `gateway "${name}" already runs in this app, at ${existing}; a second would create its router cells, API and web ACL again, under the same names`,
      'create one LlmGateway per plane');
  }
  if (props.plane && Stack.of(props.plane) !== Stack.of(scope)) {
    c.add('props.plane', props.plane.node.path, `is in stack ${Stack.of(props.plane).node.path}, but the gateway grants its router cells' network interfaces on the plane's router roles and encrypts its WAF log with the plane's key, which across stacks is a reference cycle`,
      `create the LlmGateway in stack ${Stack.of(props.plane).node.path}, next to its plane`);
  }
  if (props.plane?.blueprint && cellTenants(props.plane.blueprint).length === 0) {
    c.add('plane.spec.tenants', `${props.plane.blueprint.tenants.length} tenants`, 'no tenant has a target (models or provider keys), so there is no router cell and nothing for the gateway to serve',
      'give at least one tenant foundationModels, inferenceProfiles or providerKeys');
  }
  if (!props.vaultConnection) {
    c.add('props.vaultConnection', undefined, 'the router cells\' security groups must let them reach Vault, and nothing else',
      'pass VaultConnection.fromPeer(ec2.Peer.ipv4("<Vault CIDR>")) or VaultConnection.fromSecurityGroup(<Vault security group>)');
  }
  routerProblems(c, { ...props, blueprint: props.plane?.blueprint }, 'plane.spec');
  apiProblems(c, props);
  if (c.size > 0) throw new GatewayValidationError('LlmGateway', c.problems);
}
