import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { routerProblems } from './private/gateway-props-validation';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { ROUTER_OPTION_FIELDS } from './private/option-fields';
import { cellPartsOf } from './private/router-cell-parts';
import { CellTenant, cellTenantProblems, DEFAULT_CELL_CONCURRENCY } from './private/router-cells';
import { routerCode } from './private/router-code';
import { wasValidated } from './private/validated-props';
import { RouterCodeSigning } from './router-code-signing';
import { PROVIDER_EGRESS_ANY_HOST, RouterNetwork } from './router-network';
import { RouterRole } from './router-role';
import { VaultConnection } from './vault-connection';
import { ROUTER_ENV } from '../contract/router-routes';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';

/**
 * Where and how the router cells run: their network, their way to Vault and providers, and their size.
 */
export interface RouterOptions {
  /** The VPC the router cells run in. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets the router cells run in. They must be private.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /** How the router cells reach Vault from their subnets. */
  readonly vaultConnection: VaultConnection;

  /**
   * Whether to create interface endpoints for the AWS services the router cells call (Verified
   * Permissions, and Bedrock Runtime and Secrets Manager when a cell calls them) in their subnets.
   * They admit only the cells and have private DNS off, so every other workload of the VPC keeps
   * reaching these services as it did; each cell is pointed at them by their endpoint DNS names.
   * Turn off when the VPC already has endpoints with private DNS: the cells then reach them on
   * the VPC's CIDR range.
   *
   * @default true
   */
  readonly createInterfaceEndpoints?: boolean;

  /**
   * Where third-party providers' APIs are reached on port 443 (a NAT gateway's or proxy's route).
   * Only the cells of tenants with a provider key get this egress. Left at the default, a warning
   * (`RouterFunction.PROVIDER_EGRESS_ANY_HOST`) says that the network admits any host.
   *
   * @default ec2.Peer.anyIpv4()
   */
  readonly providerEgress?: ec2.IPeer;

  /**
   * OpenAI-compatible API base URLs by provider name, for provider keys. Each must be `https://`.
   *
   * @default - `openai` at `https://api.openai.com/v1`
   */
  readonly providerEndpoints?: Record<string, string>;

  /**
   * Concurrent executions reserved for each router cell, which also caps it. Every tenant with a
   * target has a cell, so the account's Lambda concurrency in the region must hold the number of
   * cells times this value, with the 100 executions Lambda keeps unreserved to spare.
   *
   * @default 10
   */
  readonly reservedConcurrency?: number;

  /**
   * Memory of each router cell, in MiB.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * Code signing for the router cells: one Lambda code signing config for the given AWS Signer
   * profiles, attached to every cell. With `RouterCodeSigning.enforce(...)`, Lambda refuses code
   * not signed by those profiles, so the pipeline must publish a signed router package.
   *
   * @default - no code signing
   */
  readonly codeSigning?: RouterCodeSigning;
}

/**
 * Properties of one router cell's function.
 */
export interface RouterFunctionProps extends RouterOptions {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /** The tenant this cell serves, alone. It must have at least one target. */
  readonly tenantId: string;

  /** The role the function runs as: the AWS plane's router role of the same tenant (`plane.routerRoles`). */
  readonly routerRole: RouterRole;

  /** The decision log group the function writes its identity-chain records to (the plane's `decisionLog`). */
  readonly decisionLog: logs.ILogGroup;

  /** The id of the gateway's policy store. */
  readonly policyStoreId: string;
}

const ROUTER_FUNCTION_FIELDS = fieldsOf<RouterFunctionProps>({
  ...ROUTER_OPTION_FIELDS,
  blueprint: true,
  tenantId: true,
  routerRole: true,
  decisionLog: true,
  policyStoreId: true,
});

/**
 * One tenant's router cell: a Lambda function in private subnets that runs as that tenant's
 * router role and serves that tenant alone (`GATEWARD_TENANT`): a caller who is a workload of
 * another tenant is refused before any policy call or credential read, and Vault gives the cell's
 * role that tenant's credentials only. It is configured with names and addresses only (policy
 * store id, Vault address, auth mount and the cell's auth role, the API id and stage it serves,
 * and the gateway's routing table, shipped next to its code).
 *
 * `LlmGateway` builds one per tenant with a target, and shares the network (interface endpoints
 * and security groups), the code asset and the code signing config among them. Built on its own,
 * a cell creates these parts for itself. Either way, a cell serves an API only once it is given to
 * a `GatewayApi`, which sets the API's id and stage; synthesis fails for a cell that serves none.
 */
export class RouterFunction extends Construct {
  /** The stable id of the warning that provider egress is left open to any host. */
  public static readonly PROVIDER_EGRESS_ANY_HOST = PROVIDER_EGRESS_ANY_HOST;

  /** The tenant this cell serves. */
  public readonly tenantId: string;
  /** The function. */
  public readonly function: lambda.Function;
  /** The function's security group (shared by every cell of the same kind in an `LlmGateway`). */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The interface endpoints the function reaches, by service (shared by every cell in an `LlmGateway`). */
  public readonly endpoints: Record<string, ec2.InterfaceVpcEndpoint>;

  /** @internal */
  public readonly _blueprint: GatewayBlueprint;
  private servedApi?: string;

  constructor(scope: Construct, id: string, props: RouterFunctionProps) {
    super(scope, id);
    if (!wasValidated(props)) validateRouterFunction(this, props);
    const { blueprint } = props;
    const tenant = blueprint._findTenant(props.tenantId) as CellTenant;
    const naming = blueprint.naming;
    const vault = blueprint.vault!;
    this._blueprint = blueprint;
    this.tenantId = tenant.id;

    const shared = cellPartsOf(props);
    const network = shared?.network ?? new RouterNetwork(this, 'Network', {
      blueprint,
      cells: [tenant],
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      vaultConnection: props.vaultConnection,
      createInterfaceEndpoints: props.createInterfaceEndpoints,
      providerEgress: props.providerEgress,
    });
    const securityGroup = network.securityGroupOf(tenant);
    this.securityGroup = securityGroup;
    this.endpoints = { ...network.endpoints };
    const codeSigningConfig = shared ? shared.codeSigningConfig : props.codeSigning?._create(this, 'CodeSigning', blueprint);

    this.addNetworkInterfacePermissions(props, network.subnets.subnetIds, securityGroup);

    const environment: Record<string, string> = {
      [ROUTER_ENV.TENANT]: tenant.id,
      [ROUTER_ENV.POLICY_STORE_ID]: props.policyStoreId,
      [ROUTER_ENV.VAULT_ADDR]: vault.address,
      [ROUTER_ENV.VAULT_AUTH_MOUNT]: naming.vaultAwsAuthMountPath,
      [ROUTER_ENV.VAULT_AUTH_ROLE]: tenant.router.vaultAuthRoleName,
      [ROUTER_ENV.VAULT_SERVER_ID]: vault.iamServerIdHeaderValue,
    };
    if (props.providerEndpoints) environment[ROUTER_ENV.PROVIDER_ENDPOINTS] = JSON.stringify(props.providerEndpoints);
    Object.assign(environment, network.endpointUrlsOf(tenant));

    this.function = new lambda.Function(this, 'Resource', {
      functionName: tenant.router.functionName,
      description: `Router of tenant ${tenant.id} of gateway ${blueprint.name}: authorizes each request, then calls the model with credentials Vault issues for it.`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: shared?.code ?? routerCode(blueprint),
      // The plane's role, as it is: CDK must not attach AWS-managed policies to it.
      role: iam.Role.fromRoleArn(this, 'Role', props.routerRole.role.roleArn, { mutable: false }),
      environment,
      memorySize: props.memorySize ?? 512,
      // API Gateway stops waiting after 29 s.
      timeout: Duration.seconds(29),
      reservedConcurrentExecutions: props.reservedConcurrency ?? DEFAULT_CELL_CONCURRENCY,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnets: network.subnets.subnets },
      securityGroups: [securityGroup],
      logGroup: props.decisionLog,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      // Keeps the decision log to identity-chain records: no per-invocation platform lines.
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      codeSigningConfig,
    });
    // Lambda checks the role's network-interface permissions when it creates the function.
    this.function.node.addDependency(props.routerRole.permissions);
    if (Stack.of(network) !== Stack.of(this)) {
      Validations.of(this.function).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason: 'The cell runs in the VPC: its subnets are literal and its security group is the shared stack\'s, imported with Fn::ImportValue, which the Control Tower rule does not resolve.',
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'NIST.800.53.R5-LambdaDLQ',
      reason: 'API Gateway invokes the router synchronously and returns its error to the caller; a dead-letter queue only receives failed asynchronous invocations.',
    });
    this.node.addValidation({
      validate: () => (this.servedApi ? [] : [
        `The router cell of tenant "${tenant.id}" serves no API, and would refuse every request: give it to a GatewayApi (props.routers), which sets the API's id and stage, or build it with LlmGateway.`,
      ]),
    });
  }

  /** Whether the cell already serves an API. @internal */
  public get _servesApi(): boolean {
    return this.servedApi !== undefined;
  }

  /**
   * Points the cell at the one API whose events it serves: it refuses events of any other API or
   * stage. @internal
   */
  public _serve(restApiId: string, stage: string): void {
    if (this.servedApi) {
      throw new Error(`The router cell of tenant "${this.tenantId}" already serves API ${this.servedApi}; a cell serves one API`);
    }
    this.servedApi = restApiId;
    this.function.addEnvironment(ROUTER_ENV.API_ID, restApiId);
    this.function.addEnvironment(ROUTER_ENV.API_STAGE, stage);
  }

  /**
   * Lambda creates the function's network interfaces with the function's role. The interfaces'
   * ids cannot be known in advance: creation is scoped by the subnets and security group it must
   * name, and every other change by the VPC.
   */
  private addNetworkInterfacePermissions(props: RouterFunctionProps, subnetIds: string[], securityGroup: ec2.SecurityGroup): void {
    const { blueprint } = props;
    const arn = (type: string, id: string) => `arn:${blueprint.partition}:ec2:${blueprint.region}:${blueprint.account}:${type}/${id}`;
    props.routerRole.permissions.addStatements(
      new iam.PolicyStatement({
        sid: 'CreateNetworkInterfacesInRouterSubnets',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          arn('network-interface', '*'),
          ...subnetIds.map((id) => arn('subnet', id)),
          arn('security-group', securityGroup.securityGroupId),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'ManageNetworkInterfacesInRouterVpc',
        actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: [arn('network-interface', '*')],
        conditions: { StringEquals: { 'ec2:Vpc': arn('vpc', props.vpc.vpcId) } },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeNetworkInterfaces',
        // Describe calls have no resource-level form.
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        resources: ['*'],
      }),
    );
    const interfaces = arn('network-interface', '*');
    Validations.of(props.routerRole.permissions).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${interfaces}]`,
        reason: 'Lambda creates the router cell\'s network interfaces; their ids cannot be known in advance. Creation is limited to the cell\'s subnets and security group, and every other change to its VPC.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets have no resource-level form; Lambda calls them to place the router cell\'s network interfaces.',
      },
    );
  }
}

/** The checks of a RouterFunction built on its own: its props, its tenant, and its role's tenant. */
function validateRouterFunction(scope: Construct, props: RouterFunctionProps): void {
  refuseUnknownProps('RouterFunction', props, ROUTER_FUNCTION_FIELDS);
  const c = new ProblemCollector();
  // The role's policy names the function's network, and the function waits for the policy: across stacks, a cycle.
  if (props.routerRole instanceof Construct && Stack.of(props.routerRole) !== Stack.of(scope)) {
    c.add('props.routerRole', props.routerRole.node.path, `is in stack ${Stack.of(props.routerRole).stackName}, but this cell is built in ${Stack.of(scope).stackName}; `
      + 'the role\'s policy grants on the cell\'s network interfaces and the function waits for that policy, which across stacks is a reference cycle',
    `build the RouterFunction in the role's cell stack: plane.cellStackOf("${props.tenantId}")`);
  }
  routerProblems(c, props, 'blueprint.spec');
  if (props.blueprint) {
    const tenant = cellTenantProblems(c, 'props.tenantId', props.blueprint, props.tenantId);
    if (tenant && props.routerRole && props.routerRole.tenantId !== tenant.id) {
      c.add('props.routerRole', props.routerRole.node.path, `is the router role of tenant "${props.routerRole.tenantId}", but the cell serves tenant "${tenant.id}"; a cell runs as its own tenant's role, which Vault binds to that tenant's credentials alone`,
        `pass the RouterRole of tenant "${tenant.id}" from plane.routerRoles`);
    }
  }
  if (c.size > 0) throw new GatewayValidationError('RouterFunction', c.problems);
}
