import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayAwsPlane } from './aws-plane';
import { GatewayApi } from './gateway-api';
import { apiProblems, routerProblems } from './private/gateway-checks';
import { RouterFunction } from './router-function';
import { VaultConnection } from './vault-connection';
import { formatProblems, ProblemCollector } from '../spec/private/problems';

/**
 * Properties of the LLM gateway.
 */
export interface LlmGatewayProps {
  /** The AWS plane the gateway runs on: its router role, policy store and decision log. */
  readonly plane: GatewayAwsPlane;

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
   * Whether to create interface endpoints for Verified Permissions, Bedrock Runtime and Secrets
   * Manager (the services the router calls) in the router's subnets. Turn off when the VPC
   * already has endpoints for them with private DNS.
   *
   * @default true
   */
  readonly createInterfaceEndpoints?: boolean;

  /**
   * Where third-party providers' APIs are reached on port 443, when a tenant has a provider key.
   *
   * @default ec2.Peer.anyIpv4() (through the subnets' NAT or proxy route)
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
 * A working LLM gateway on an AWS plane: the router function, running as the plane's router role
 * in private subnets, behind an API that accepts only IAM-signed calls from the spec's workload
 * roles. Each request is authorized by the policy store, then served with credentials Vault
 * issues for it alone; the router holds none of its own.
 *
 * The props are validated together, and every problem is reported at once.
 */
export class LlmGateway extends Construct {
  /** The router function, its security group and endpoints. */
  public readonly router: RouterFunction;
  /** The API, its web ACL and logs. */
  public readonly api: GatewayApi;
  /** The URL workloads post chat requests to (SigV4-signed, service `execute-api`). */
  public readonly chatUrl: string;

  constructor(scope: Construct, id: string, props: LlmGatewayProps) {
    super(scope, id);
    validateGateway(props);
    const { plane } = props;
    const blueprint = plane.blueprint;
    const naming = blueprint.naming;

    this.router = new RouterFunction(this, 'Router', {
      blueprint,
      routerRole: plane.routerRole,
      decisionLog: plane.audit.decisionLog,
      policyStoreId: plane.policyStore.policyStoreId,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      vaultConnection: props.vaultConnection,
      createInterfaceEndpoints: props.createInterfaceEndpoints,
      providerEgress: props.providerEgress,
      providerEndpoints: props.providerEndpoints,
      reservedConcurrency: props.reservedConcurrency,
      memorySize: props.memorySize,
    });

    // The audit key encrypts the WAF log as it does the gateway's other logs.
    plane.audit.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsWafLog',
      principals: [new iam.ServicePrincipal(`logs.${blueprint.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:${blueprint.partition}:logs:${blueprint.region}:${blueprint.account}:log-group:${naming.wafLogGroupName}` },
      },
    }));

    this.api = new GatewayApi(this, 'Api', {
      blueprint,
      handler: this.router.function,
      accessLog: plane.audit.decisionLog.logGroup,
      logKey: plane.audit.key,
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      wafRateLimit: props.wafRateLimit,
    });
    this.api.wafLog.node.addDependency(plane.audit.key);
    this.chatUrl = this.api.chatUrl;

    for (const [key, value] of Object.entries(blueprint.ownershipTags())) {
      Tags.of(this).add(key, value);
    }
  }
}

function validateGateway(props: LlmGatewayProps): void {
  const c = new ProblemCollector();
  if (!props.vaultConnection) {
    c.add('props.vaultConnection', undefined, 'the router\'s security group must let it reach Vault, and nothing else',
      'pass VaultConnection.fromPeer(ec2.Peer.ipv4("<Vault CIDR>")) or VaultConnection.fromSecurityGroup(<Vault security group>)');
  }
  routerProblems(c, { ...props, blueprint: props.plane?.blueprint }, 'plane.spec');
  apiProblems(c, props);
  if (c.size > 0) throw new Error(formatProblems('LlmGateway', c.problems));
}
