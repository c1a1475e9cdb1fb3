import * as fs from 'fs';
import * as path from 'path';
import { Duration, FileSystem, Fn, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GatewayBlueprint, TargetKind } from '../spec';
import { ENDPOINT_URL_ENV } from './private/endpoint-env';
import { routerProblems } from './private/gateway-props-validation';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { ROUTER_OPTION_FIELDS } from './private/option-fields';
import { routerRoutes } from './private/router-routes-builder';
import { wasValidated } from './private/validated-props';
import { RouterRole } from './router-role';
import { VaultConnection } from './vault-connection';
import { ROUTER_ENV, ROUTES_FILE } from '../contract/router-routes';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';

/** Where the build puts the router's bundle (the same relative place from `src/` and `lib/`). */
const ROUTER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'runtime', 'handler', 'index.js');

/**
 * Where and how the router runs: its network, its way to Vault and providers, and its size.
 */
export interface RouterOptions {
  /** The VPC the router runs in. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets the router runs in. They must be private.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /** How the router reaches Vault from its subnets. */
  readonly vaultConnection: VaultConnection;

  /**
   * Whether to create interface endpoints for the AWS services the router calls (Verified
   * Permissions, Bedrock Runtime, Secrets Manager) in its subnets. They admit only the router and
   * have private DNS off, so every other workload of the VPC keeps reaching these services as it
   * did; the router is pointed at them by their endpoint DNS names. Turn off when the VPC already
   * has endpoints with private DNS: the router then reaches them on the VPC's CIDR range.
   *
   * @default true
   */
  readonly createInterfaceEndpoints?: boolean;

  /**
   * Where third-party providers' APIs are reached on port 443 (a NAT gateway's or proxy's route).
   * Only used when a tenant has a provider key.
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
   * Concurrent executions reserved for the router, which also caps it.
   *
   * @default 20
   */
  readonly reservedConcurrency?: number;

  /**
   * Memory of the router, in MiB.
   *
   * @default 512
   */
  readonly memorySize?: number;
}

/**
 * Properties of the router function.
 */
export interface RouterFunctionProps extends RouterOptions {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /** The role the function runs as: the AWS plane's router role. */
  readonly routerRole: RouterRole;

  /** The decision log group the function writes its identity-chain records to (the plane's `decisionLog`). */
  readonly decisionLog: logs.ILogGroup;

  /** The id of the gateway's policy store. */
  readonly policyStoreId: string;
}

const ROUTER_FUNCTION_FIELDS = fieldsOf<RouterFunctionProps>({
  ...ROUTER_OPTION_FIELDS,
  blueprint: true,
  routerRole: true,
  decisionLog: true,
  policyStoreId: true,
});

/**
 * The gateway's router: a Lambda function in private subnets that runs as the router role and
 * is configured with names and addresses only (policy store id, Vault address and auth mount,
 * and a routing table derived from the spec, shipped next to its code). Its security group lets
 * it reach the AWS services' interface endpoints, Vault, and, when a tenant has a provider key,
 * the providers on port 443; nothing else.
 */
export class RouterFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** The function's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The interface endpoints created for the function, by service. */
  public readonly endpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};

  constructor(scope: Construct, id: string, props: RouterFunctionProps) {
    super(scope, id);
    if (!wasValidated(props)) {
      refuseUnknownProps('RouterFunction', props, ROUTER_FUNCTION_FIELDS);
      const problems = new ProblemCollector();
      routerProblems(problems, props, 'blueprint.spec');
      if (problems.size > 0) throw new GatewayValidationError('RouterFunction', problems.problems);
    }
    const { blueprint } = props;
    const naming = blueprint.naming;
    const vault = blueprint.vault!;
    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const hasKeys = blueprint.targets.some((t) => t.kind === TargetKind.PROVIDER_KEY);
    const hasModels = blueprint.targets.some((t) => t.kind === TargetKind.BEDROCK_MODELS);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Router of gateway ${blueprint.name}: out to AWS endpoints, Vault and providers only`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(props.vaultConnection.peer, ec2.Port.tcp(props.vaultConnection.port), 'Vault API');
    if (hasKeys) this.securityGroup.addEgressRule(props.providerEgress ?? ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Model providers');

    const services: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [['VerifiedPermissions', ec2.InterfaceVpcEndpointAwsService.VERIFIED_PERMISSIONS]];
    if (hasModels) services.push(['BedrockRuntime', ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME]);
    if (hasKeys) services.push(['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER]);
    const endpointUrls: Record<string, string> = {};
    if (props.createInterfaceEndpoints ?? true) {
      const endpointGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: props.vpc,
        description: `AWS service endpoints of gateway ${blueprint.name}: in from the router only`,
        allowAllOutbound: false,
      });
      this.securityGroup.connections.allowTo(endpointGroup, ec2.Port.tcp(443), 'AWS service endpoints');
      for (const [name, service] of services) {
        this.endpoints[name] = new ec2.InterfaceVpcEndpoint(this, `Endpoint-${name}`, {
          vpc: props.vpc,
          service,
          subnets: props.vpcSubnets ?? { subnets: subnets.subnets },
          securityGroups: [endpointGroup],
          // The VPC is not the gateway's: private DNS would send every workload of it to endpoints
          // that admit only the router.
          privateDnsEnabled: false,
          open: false,
        });
        // The first DNS entry is the endpoint's regional name, `<hosted zone id>:<dns name>`.
        const dnsName = Fn.select(1, Fn.split(':', Fn.select(0, this.endpoints[name].vpcEndpointDnsEntries)));
        endpointUrls[ENDPOINT_URL_ENV[name]] = `https://${dnsName}`;
      }
    } else {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'AWS service endpoints of the VPC');
    }

    this.addNetworkInterfacePermissions(props, subnets.subnetIds);

    const environment: Record<string, string> = {
      [ROUTER_ENV.POLICY_STORE_ID]: props.policyStoreId,
      [ROUTER_ENV.VAULT_ADDR]: vault.address,
      [ROUTER_ENV.VAULT_AUTH_MOUNT]: naming.vaultAwsAuthMountPath,
      [ROUTER_ENV.VAULT_AUTH_ROLE]: naming.vaultRouterAuthRoleName,
      [ROUTER_ENV.VAULT_SERVER_ID]: vault.iamServerIdHeaderValue,
    };
    if (props.providerEndpoints) environment[ROUTER_ENV.PROVIDER_ENDPOINTS] = JSON.stringify(props.providerEndpoints);
    Object.assign(environment, endpointUrls);

    this.function = new lambda.Function(this, 'Resource', {
      functionName: naming.routerFunctionName,
      description: `Router of gateway ${blueprint.name}: authorizes each request, then calls the model with credentials Vault issues for it.`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: routerCode(blueprint),
      // The plane's role, as it is: CDK must not attach AWS-managed policies to it.
      role: iam.Role.fromRoleArn(this, 'Role', props.routerRole.role.roleArn, { mutable: false }),
      environment,
      memorySize: props.memorySize ?? 512,
      // API Gateway stops waiting after 29 s.
      timeout: Duration.seconds(29),
      reservedConcurrentExecutions: props.reservedConcurrency ?? 20,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnets: subnets.subnets },
      securityGroups: [this.securityGroup],
      logGroup: props.decisionLog,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      // Keeps the decision log to identity-chain records: no per-invocation platform lines.
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
    });
    // Lambda checks the role's network-interface permissions when it creates the function.
    this.function.node.addDependency(props.routerRole.permissions);
    Validations.of(this.function).acknowledge({
      id: 'NIST.800.53.R5-LambdaDLQ',
      reason: 'API Gateway invokes the router synchronously and returns its error to the caller; a dead-letter queue only receives failed asynchronous invocations.',
    });
  }

  /**
   * Lambda creates the function's network interfaces with the function's role. The interfaces'
   * ids cannot be known in advance: creation is scoped by the subnets and security group it must
   * name, and every other change by the VPC.
   */
  private addNetworkInterfacePermissions(props: RouterFunctionProps, subnetIds: string[]): void {
    const { blueprint } = props;
    const arn = (type: string, id: string) => `arn:${blueprint.partition}:ec2:${blueprint.region}:${blueprint.account}:${type}/${id}`;
    props.routerRole.permissions.addStatements(
      new iam.PolicyStatement({
        sid: 'CreateNetworkInterfacesInRouterSubnets',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          arn('network-interface', '*'),
          ...subnetIds.map((id) => arn('subnet', id)),
          arn('security-group', this.securityGroup.securityGroupId),
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
        reason: 'Lambda creates the router\'s network interfaces; their ids cannot be known in advance. Creation is limited to the router\'s subnets and security group, and every other change to its VPC.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets have no resource-level form; Lambda calls them to place the router\'s network interfaces.',
      },
    );
  }
}

/**
 * The router's code: the prebuilt bundle, and next to it the routing table derived from the
 * spec. Both are part of the asset, so a change to either is a new deployment.
 */
function routerCode(blueprint: GatewayBlueprint): lambda.Code {
  if (!fs.existsSync(ROUTER_BUNDLE)) {
    throw new Error(`The router's bundle is missing at ${ROUTER_BUNDLE}. It ships with the package; in a checkout of gateward, build it with "npx projen bundle".`);
  }
  const staging = FileSystem.mkdtemp('gateward-router');
  fs.copyFileSync(ROUTER_BUNDLE, path.join(staging, 'index.js'));
  fs.writeFileSync(path.join(staging, ROUTES_FILE), `${JSON.stringify(routerRoutes(blueprint), undefined, 2)}\n`);
  return lambda.Code.fromAsset(staging);
}
