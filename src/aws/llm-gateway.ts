import { Stack, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GatewayAwsPlane } from './aws-plane';
import { GatewayApi, GatewayApiOptions } from './gateway-api';
import { apiProblems, routerProblems } from './private/gateway-props-validation';
import { claim, existingClaim } from './private/gateway-registry';
import { logsEncryptStatement } from './private/kms';
import { fieldsOf } from './private/known-fields';
import { API_OPTION_FIELDS, ROUTER_OPTION_FIELDS } from './private/option-fields';
import { validatedProps } from './private/validated-props';
import { RouterFunction, RouterOptions } from './router-function';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';
import { checkKnownKeys } from '../spec/private/known-keys';

const GATEWAY_FIELDS = fieldsOf<LlmGatewayProps>({ plane: true, ...ROUTER_OPTION_FIELDS, ...API_OPTION_FIELDS });

/**
 * Properties of the LLM gateway.
 */
export interface LlmGatewayProps extends RouterOptions, GatewayApiOptions {
  /** The AWS plane the gateway runs on: its router role, policy store and decision log. */
  readonly plane: GatewayAwsPlane;
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
    validateGateway(this, props);
    const { plane } = props;
    const blueprint = plane.blueprint;
    const naming = blueprint.naming;
    claim(this, 'gateway', blueprint.name);

    // Both were validated with the gateway's props above.
    this.router = new RouterFunction(this, 'Router', validatedProps({
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      vaultConnection: props.vaultConnection,
      createInterfaceEndpoints: props.createInterfaceEndpoints,
      providerEgress: props.providerEgress,
      providerEndpoints: props.providerEndpoints,
      reservedConcurrency: props.reservedConcurrency,
      memorySize: props.memorySize,
      blueprint,
      routerRole: plane.routerRole,
      decisionLog: plane.decisionLog,
      policyStoreId: plane.policyStoreId,
    }));

    // The audit key encrypts the WAF log as it does the gateway's other logs.
    plane._audit.key.addToResourcePolicy(logsEncryptStatement(blueprint, 'CloudWatchLogsEncryptsWafLog', [naming.wafLogGroupName]));

    this.api = new GatewayApi(this, 'Api', validatedProps({
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      wafRateLimit: props.wafRateLimit,
      blueprint,
      handler: this.router.function,
      accessLog: plane.decisionLog,
      logKey: plane._audit.key,
    }));
    this.api.wafLog.node.addDependency(plane._audit.key);
    this.chatUrl = this.api.chatUrl;

    for (const [key, value] of Object.entries(blueprint.ownershipTags())) {
      Tags.of(this).add(key, value);
    }
  }
}

function validateGateway(scope: Construct, props: LlmGatewayProps): void {
  const c = new ProblemCollector();
  checkKnownKeys(c, 'props', props ?? {}, GATEWAY_FIELDS, 'LlmGatewayProps');
  const name = props.plane?.blueprint?.name;
  const existing = name ? existingClaim(scope, 'gateway', name) : undefined;
  if (existing) {
    c.add('props.plane', props.plane.node.path, `gateway "${name}" already runs in this app, at ${existing}; a second would create its router function, API and web ACL again, under the same names`,
      'create one LlmGateway per plane');
  }
  if (props.plane && Stack.of(props.plane) !== Stack.of(scope)) {
    c.add('props.plane', props.plane.node.path, `is in stack ${Stack.of(props.plane).node.path}, but the gateway grants its router's network interfaces on the plane's router role and encrypts its WAF log with the plane's key, which across stacks is a reference cycle`,
      `create the LlmGateway in stack ${Stack.of(props.plane).node.path}, next to its plane`);
  }
  if (!props.vaultConnection) {
    c.add('props.vaultConnection', undefined, 'the router\'s security group must let it reach Vault, and nothing else',
      'pass VaultConnection.fromPeer(ec2.Peer.ipv4("<Vault CIDR>")) or VaultConnection.fromSecurityGroup(<Vault security group>)');
  }
  routerProblems(c, { ...props, blueprint: props.plane?.blueprint }, 'plane.spec');
  apiProblems(c, props);
  if (c.size > 0) throw new GatewayValidationError('LlmGateway', c.problems);
}
