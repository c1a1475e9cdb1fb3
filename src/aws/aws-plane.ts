import { Annotations, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CedarPolicyDefinition, GatewayBlueprint, GatewaySpec, GatewaySpecAdvisor, GatewaySpecValidator, TargetKind } from '../spec';
import { MIN_AUDIT_RETENTION_DAYS } from './audit-buckets';
import { AuditOptions } from './audit-options';
import { AuditSinks } from './audit-sinks';
import { BrokerRole } from './broker-role';
import { MIN_DECISION_LOG_RETENTION_DAYS } from './decision-log';
import { KeyAgeMonitor } from './key-age-monitor';
import { GatewayPolicyStore } from './policy-store';
import { CellStacks, DEFAULT_CELL_STACK_COUNT, MAX_CELL_STACK_COUNT } from './private/cell-stacks';
import { assertSpecEnvironment } from './private/environment-rule';
import { claim, existingClaim } from './private/gateway-registry';
import { fieldsOf } from './private/known-fields';
import { AUDIT_OPTION_FIELDS } from './private/option-fields';
import { cellTenantProblems, cellTenants } from './private/router-cells';
import { withTenantPlacement } from './private/tenant-placement';
import { ProviderKeyRotation } from './provider-key-rotation';
import { ProviderKeySecret } from './provider-key-secret';
import { RouterRole } from './router-role';
import { TargetRole } from './target-role';
import { VaultAuthVerifier } from './vault-auth-verifier';
import { VaultServerIdentity } from './vault-server-identity';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';
import { checkKnownKeys } from '../spec/private/known-keys';

const PLANE_FIELDS = fieldsOf<GatewayAwsPlaneProps>({
  spec: true,
  vaultServer: true,
  providerKeyRotation: true,
  permissionsBoundary: true,
  routerPrincipal: true,
  additionalPolicies: true,
  ...AUDIT_OPTION_FIELDS,
  keyAgeAlarmTopic: true,
  vpc: true,
  cellStackCount: true,
});
/** Props that moved into the spec, where both planes read them. */
const MOVED_TO_SPEC: Record<string, string> = { sessionTags: 'spec.sessionTags' };

/**
 * Properties of the AWS plane.
 */
export interface GatewayAwsPlaneProps extends AuditOptions {
  /** The gateway description both planes are built from. */
  readonly spec: GatewaySpec;

  /** How the Vault server proves its identity to AWS: the only principal the broker role trusts. */
  readonly vaultServer: VaultServerIdentity;

  /**
   * How each provider key is rotated, keyed by `<tenant id>/<key id>`. Every provider key of the
   * spec must be listed: the choice is explicit.
   *
   * @default - none; required when the spec has provider keys
   */
  readonly providerKeyRotation?: Record<string, ProviderKeyRotation>;

  /**
   * A permissions boundary applied to every role the plane creates.
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Who runs as each router cell (the gateway compute).
   *
   * @default - the Lambda service
   */
  readonly routerPrincipal?: iam.IPrincipal;

  /**
   * Cedar policies to add to the generated ones, validated against the schema at synth.
   *
   * @default - only the generated policies
   */
  readonly additionalPolicies?: CedarPolicyDefinition[];

  /**
   * The topic the key-age alarms of manually rotated keys notify.
   *
   * @default - an encrypted topic is created when a key is rotated manually
   */
  readonly keyAgeAlarmTopic?: sns.ITopic;

  /**
   * A VPC for the gateway's functions (the key-age check).
   *
   * @default - functions run outside a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * How many cell stacks the tenants are spread over. Each tenant's cell lives in stack
   * `<this stack>-cells-<nnn>`, picked from its id alone, so adding or removing a tenant never
   * moves another; changing this number moves most tenants (CloudFormation replaces what moves),
   * so choose it once. With the default, 1,000 tenants stay inside CloudFormation's 500 resources
   * per stack while each adds up to about 35 resources (a tenant with two workloads, a model, a
   * provider key, a data store and a tool adds 23; each further provider key 9, each further
   * granted model or tool 1); each cell stack holds one REST API, and a region holds 600. Synthesis fails, naming the tenants and this fix, when a stack would pass the limit.
   *
   * @default 256
   */
  readonly cellStackCount?: number;
}

/**
 * The AWS plane of a gateway, built from its spec: the identity chain (one router role per tenant
 * with a target, the broker, and one target role per tenant and purpose) with no standing privilege, provider keys in Secrets
 * Manager with rotation, the Verified Permissions policy store, and the audit sinks. Every
 * resource is tagged with the gateway and its three owners.
 *
 * The spec and the props are validated together before anything is created; an invalid
 * combination throws one `GatewayValidationError` listing every problem.
 */
export class GatewayAwsPlane extends Construct {
  /** The validated spec with its derived names. */
  public readonly blueprint: GatewayBlueprint;
  /** One router role per tenant with a target (each tenant's router cell runs as its own), in tenant order. */
  public readonly routerRoles: RouterRole[];
  /** The decision log group the router writes its identity-chain records to. */
  public readonly decisionLog: logs.ILogGroup;
  /** The id of the policy store the router asks for every decision. */
  public readonly policyStoreId: string;

  /** @internal */
  public readonly _cells: CellStacks;

  // The building blocks below are composed by the plane alone; LlmGateway reads some of them.
  /** @internal */
  public readonly _policyStore: GatewayPolicyStore;
  /** @internal */
  public readonly _audit: AuditSinks;
  /** @internal */
  public readonly _brokerRole?: BrokerRole;
  /** @internal */
  public readonly _vaultAuthVerifier: VaultAuthVerifier;
  /** @internal */
  public readonly _targetRoles: TargetRole[];
  /** @internal */
  public readonly _providerKeys: ProviderKeySecret[];
  /** @internal */
  public readonly _keyAgeMonitor?: KeyAgeMonitor;
  /** @internal The boundary every role the gateway creates carries, when one is given. */
  public readonly _permissionsBoundary?: iam.IManagedPolicy;

  constructor(scope: Construct, id: string, props: GatewayAwsPlaneProps) {
    super(scope, id);
    validatePlane(this, props);
    const blueprint = GatewayBlueprint._fromValidatedSpec(props.spec);
    this.blueprint = blueprint;
    claim(this, 'plane', blueprint.name);
    assertSpecEnvironment(this, blueprint);
    // A model id Bedrock does not know is refused only at request time; warn at synth, by a stable id.
    for (const warning of GatewaySpecAdvisor.warnings(props.spec)) {
      if (warning.id === GatewaySpecAdvisor.UNKNOWN_BEDROCK_MODEL) {
        Annotations.of(this).addWarningV2(warning.id, `spec.${warning.path}: ${warning.message}`);
      }
    }
    const boundary = props.permissionsBoundary;
    this._permissionsBoundary = boundary;
    this._cells = new CellStacks(Stack.of(this), blueprint, props.cellStackCount ?? DEFAULT_CELL_STACK_COUNT);
    // Each tenant's scope, in its cell stack, holds its router role, target roles, keys and Cedar policies.
    const tenantScope = (tenantId: string) => this._cells.scopeOf(tenantId, 'Plane');

    this._policyStore = new GatewayPolicyStore(this, 'PolicyStore', withTenantPlacement({ blueprint, additionalPolicies: props.additionalPolicies }, tenantScope));
    this.policyStoreId = this._policyStore.policyStoreId;
    this._audit = new AuditSinks(this, 'Audit', {
      blueprint,
      policyStoreArn: this._policyStore.policyStoreArn,
      auditRetentionDays: props.auditRetentionDays,
      auditLockMode: props.auditLockMode,
      decisionLogRetention: props.decisionLogRetention,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      permissionsBoundary: boundary,
    });
    // KMS refuses a key policy naming a principal that does not exist yet.
    this._audit.key.node.addDependency(this._audit.buckets.replicationRole);
    this.decisionLog = this._audit.decisionLog.logGroup;

    this.routerRoles = cellTenants(blueprint).map((tenant) => new RouterRole(tenantScope(tenant.id), 'Router', {
      blueprint,
      tenantId: tenant.id,
      policyStoreArn: this._policyStore.policyStoreArn,
      decisionLogGroupArn: this._audit.decisionLog.logGroupArn,
      assumedBy: props.routerPrincipal,
      permissionsBoundary: boundary,
    }));

    this._vaultAuthVerifier = new VaultAuthVerifier(this, 'VaultAuthVerifier', { blueprint, vaultServer: props.vaultServer, permissionsBoundary: boundary });

    if (blueprint.targets.length > 0) {
      this._brokerRole = new BrokerRole(this, 'Broker', { blueprint, vaultServer: props.vaultServer, permissionsBoundary: boundary });
    }
    this._targetRoles = [];
    this._providerKeys = [];
    // The key-age check is shared; each manually rotated key puts itself on its list, from its cell.
    const manual = blueprint.targets.some((t) => t.kind === TargetKind.PROVIDER_KEY
      && !props.providerKeyRotation![`${t.tenantId}/${t.providerKey!.id}`]._rotationFunction);
    if (manual) {
      this._keyAgeMonitor = new KeyAgeMonitor(this, 'KeyAgeMonitor', {
        blueprint,
        alarmTopic: props.keyAgeAlarmTopic,
        vpc: props.vpc,
        permissionsBoundary: boundary,
      });
    }
    for (const target of blueprint.targets) {
      const inTenant = tenantScope(target.tenantId);
      let secret: ProviderKeySecret | undefined;
      if (target.kind === TargetKind.PROVIDER_KEY) {
        const rotation = props.providerKeyRotation![`${target.tenantId}/${target.providerKey!.id}`];
        secret = new ProviderKeySecret(inTenant, `Key-${target.providerKey!.id}`, { blueprint, target, rotation });
        this._providerKeys.push(secret);
        if (!rotation._rotationFunction) this._keyAgeMonitor!.watch(secret);
      }
      const role = new TargetRole(inTenant, `Target-${target.id}`, {
        blueprint,
        target,
        brokerRoleArn: this._brokerRole!.role.roleArn,
        providerKey: secret ? { secretArn: secret.secretArn, kmsKeyArn: secret.key.keyArn } : undefined,
        permissionsBoundary: boundary,
      });
      // IAM and KMS refuse trust and key policies naming principals that do not exist yet.
      role.role.node.addDependency(this._brokerRole!.role);
      secret?.key.node.addDependency(role.role);
      this._targetRoles.push(role);
    }

    for (const [key, value] of Object.entries(blueprint.ownershipTags())) {
      Tags.of(this).add(key, value);
    }
  }

  /**
   * The cell stacks created for the tenants, in index order (tenants share a cell stack when
   * their ids hash to the same one).
   */
  public get cellStacks(): Stack[] {
    return this._cells.all;
  }

  /**
   * The stack a tenant's cell lives in.
   */
  public cellStackOf(tenantId: string): Stack {
    if (!this.blueprint._findTenant(tenantId)) {
      const c = new ProblemCollector();
      c.add('tenantId', tenantId, `names no tenant of gateway "${this.blueprint.name}"`, `use one of ${this.blueprint.tenants.map((t) => `"${t.id}"`).join(', ')}`);
      throw new GatewayValidationError(`GatewayAwsPlane "${this.blueprint.name}"`, c.problems);
    }
    return this._cells.stackOf(tenantId);
  }

  /**
   * The role of one tenant's router cell.
   */
  public routerRoleOf(tenantId: string): iam.IRole {
    const found = this.routerRoles.find((r) => r.tenantId === tenantId);
    if (!found) {
      const c = new ProblemCollector();
      cellTenantProblems(c, 'tenantId', this.blueprint, tenantId);
      throw new GatewayValidationError(`GatewayAwsPlane "${this.blueprint.name}"`, c.problems);
    }
    return found.role;
  }

  /**
   * The target role of one tenant target (`models` or `key-<key id>`).
   */
  public targetRole(tenantId: string, targetId: string): iam.IRole {
    const index = this.blueprint.targets.findIndex((t) => t.tenantId === tenantId && t.id === targetId);
    if (index < 0) {
      const known = this.blueprint.targets.map((t) => `"${t.tenantId}/${t.id}"`).join(', ');
      const c = new ProblemCollector();
      c.add('tenantId/targetId', `${tenantId}/${targetId}`, 'names no target of the gateway', `use one of ${known}`);
      throw new GatewayValidationError(`GatewayAwsPlane "${this.blueprint.name}"`, c.problems);
    }
    return this._targetRoles[index].role;
  }
}

/**
 * Checks the spec and the props together and throws one error listing every problem.
 */
function validatePlane(scope: Construct, props: GatewayAwsPlaneProps): void {
  const c = new ProblemCollector();
  const spec = props.spec;
  for (const [field, moved] of Object.entries(MOVED_TO_SPEC)) {
    if (field in (props ?? {})) {
      c.add(`props.${field}`, (props as unknown as Record<string, unknown>)[field], `moved to ${moved}: both planes read it there, so they cannot disagree`,
        `remove it here and set ${moved} in the spec`);
    }
  }
  checkKnownKeys(c, 'props', props ?? {}, [...PLANE_FIELDS, ...Object.keys(MOVED_TO_SPEC)], 'GatewayAwsPlaneProps');
  for (const problem of GatewaySpecValidator.problems(spec)) {
    c.addNested('spec', problem);
  }
  if (!props.vaultServer) {
    c.add('props.vaultServer', undefined, 'the broker role needs the Vault server\'s identity to trust, and nothing else',
      'pass VaultServerIdentity.fromRoleArn(<Vault server role ARN>) or VaultServerIdentity.fromWorkloadIdentityFederation({...})');
  } else {
    props.vaultServer._problems(c, 'props.vaultServer', spec);
  }
  const retention = props.auditRetentionDays;
  if (retention !== undefined && !Token.isUnresolved(retention) && (!Number.isInteger(retention) || retention < MIN_AUDIT_RETENTION_DAYS)) {
    c.add('props.auditRetentionDays', retention, `audit logs are locked for at least ${MIN_AUDIT_RETENTION_DAYS} days`, `set a whole number of days of at least ${MIN_AUDIT_RETENTION_DAYS} (the default is 365)`);
  }
  const cellStacks = props.cellStackCount;
  if (cellStacks !== undefined && (!Number.isInteger(cellStacks) || cellStacks < 1 || cellStacks > MAX_CELL_STACK_COUNT)) {
    c.add('props.cellStackCount', cellStacks, `is the number of stacks the tenant cells are spread over: a whole number from 1 to ${MAX_CELL_STACK_COUNT}`,
      'leave it unset (128) unless a cell stack is over CloudFormation\'s limits, and choose it once: changing it moves tenants between stacks');
  }
  const logRetention = props.decisionLogRetention;
  if (logRetention !== undefined && (logRetention === logs.RetentionDays.INFINITE || logRetention < MIN_DECISION_LOG_RETENTION_DAYS)) {
    c.add('props.decisionLogRetention', logRetention, `the decision log is kept at least ${MIN_DECISION_LOG_RETENTION_DAYS} days and for a finite time`,
      'use logs.RetentionDays.THREE_MONTHS or longer (the default is ONE_YEAR)');
  }
  const keys = (spec?.tenants ?? []).flatMap((t) => (t?.providerKeys ?? []).map((k) => `${t.id}/${k?.id}`));
  const rotations = props.providerKeyRotation ?? {};
  for (const key of keys) {
    const rotation = rotations[key];
    if (!rotation) {
      c.add(`props.providerKeyRotation["${key}"]`, undefined, `provider key ${key} has no rotation; the choice is explicit so the gateway never claims a rotation it does not perform`,
        'set it to ProviderKeyRotation.withFunction(<your rotation function>) or ProviderKeyRotation.manual()');
    } else {
      rotation._problems(c, `props.providerKeyRotation["${key}"]`);
    }
  }
  for (const key of Object.keys(rotations)) {
    if (!keys.includes(key)) {
      c.add(`props.providerKeyRotation["${key}"]`, key, 'names no provider key of the spec', `use one of ${keys.map((k) => `"${k}"`).join(', ') || '(none: the spec has no provider keys)'}`);
    }
  }
  if (keys.length > 0 && !spec?.owners?.credentialLifecycle?.roleArn) {
    c.add('spec.owners.credentialLifecycle.roleArn', undefined, 'provider keys need the credential-lifecycle owner\'s role: it is the only principal that may write them',
      'set the IAM role ARN of the pipeline or team that puts new key values');
  }
  for (const field of ['account', 'region', 'partition'] as const) {
    const value = spec?.aws?.[field];
    if (Token.isUnresolved(value)) {
      c.add(`spec.aws.${field}`, value, 'is an unresolved token, but every ARN and name of the gateway is derived from the spec at synth, so it must be a literal',
        `give the literal ${field}; a stack without env still works, and refuses at deploy time to go anywhere but the spec's ${field}`);
    }
  }
  const existing = typeof spec?.name === 'string' ? existingClaim(scope, 'plane', spec.name) : undefined;
  if (existing) {
    c.add('spec.name', spec.name, `gateway "${spec.name}" already has an AWS plane in this app, at ${existing}; a second would create every role, bucket and log group of the first again, under the same names`,
      'build one plane per spec and pass it to what needs it, or give the other gateway its own spec name');
  }
  const stack = Stack.of(scope);
  const otherPlane = stack.node.findAll().find((node) => node instanceof GatewayAwsPlane && node !== scope) as GatewayAwsPlane | undefined;
  if (otherPlane) {
    c.add('scope', stack.stackName, `already holds the AWS plane of gateway "${otherPlane.blueprint.name}" (${otherPlane.node.path}); each plane names its cell stacks after its own stack, so two planes in one stack would create the same cell stacks`,
      'build each gateway\'s plane in a stack of its own');
  }
  for (const [field, stackValue] of [['account', stack.account], ['region', stack.region]] as const) {
    const specValue = spec?.aws?.[field];
    if (!Token.isUnresolved(stackValue) && typeof specValue === 'string' && !Token.isUnresolved(specValue) && stackValue !== specValue) {
      c.add(`spec.aws.${field}`, specValue, `the stack is deployed to ${field} ${stackValue}, but the spec names ${specValue}; ARNs are derived from the spec`,
        `deploy the plane in a stack whose env ${field} is ${specValue}`);
    }
  }
  if (c.size > 0) {
    const name = typeof spec?.name === 'string' ? ` "${spec.name}"` : '';
    throw new GatewayValidationError(`GatewayAwsPlane${name}`, c.problems);
  }
}
