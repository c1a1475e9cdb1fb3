import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { Construct } from 'constructs';
import { DataStoreBlueprint, GatewayBlueprint, GatewaySpec, GatewaySpecValidator, TenantBlueprint } from '../spec';
import { VaultAuditDevices } from './audit-devices';
import { AwsApiEndpoints } from './aws-api-endpoints';
import { AUDIT_FIELDS } from './private/audit-fields';
import { checkAwsApiEndpoints } from './private/endpoints';
import { fieldsOf, throwIfProblems } from './private/prop-validation';
import { RouterAuth } from './router-auth';
import { SecondAuditDevice } from './second-audit-device';
import { TenantAwsSecrets } from './tenant-aws-secrets';
import { TenantDatabaseSecrets } from './tenant-database-secrets';
import { VaultAuditOptions } from './vault-audit-options';
import { GatewayVaultPolicy } from './vault-policy';
import { VaultCapability, VaultPolicyDocument, VaultPolicyRule } from '../vault-acl';
import { VaultProviderLogin } from './vault-provider-login';
import { WorkloadJwtAuth } from './workload-jwt-auth';
import { ProblemCollector } from '../problems/problem-collector';
import { checkKnownKeys } from '../spec/private/known-keys';
import { isUnresolved } from '../spec/tokens';

/** The longest child token Terraform may work with, in seconds. */
const MAX_PROVIDER_TOKEN_SECONDS = 3600;

/**
 * Properties of the Vault plane.
 */
export interface GatewayVaultPlaneProps extends VaultAuditOptions {
  /** The gateway description both planes are built from. It must have a `vault` section. */
  readonly spec: GatewaySpec;

  /** How Terraform logs in to Vault: a platform identity, never a token. */
  readonly providerLogin: VaultProviderLogin;

  /**
   * The display name of Terraform's child token, shown in the audit log (put the pipeline run id here).
   *
   * @default 'gateward-<gateway name>'
   */
  readonly tokenName?: string;

  /**
   * Lifetime of Terraform's child token, in seconds. At most one hour.
   *
   * @default 1200
   */
  readonly providerTokenTtlSeconds?: number;

  /**
   * The CA bundle Terraform verifies the Vault server's certificate with.
   *
   * @default - the system's trusted CAs
   */
  readonly caCertFile?: string;

  /**
   * Where Vault sends its AWS API calls: the router auth method's login checks and every tenant
   * AWS secrets engine's `sts:AssumeRole`. Set it only to point Vault at an emulator or a private
   * endpoint; each URL is https, or http on a loopback host.
   *
   * @default - AWS's own endpoints for the spec's region and partition
   */
  readonly awsApiEndpoints?: AwsApiEndpoints;

  /**
   * CA certificates (PEM) of the database servers, keyed by `<tenant id>/<data store id>`.
   *
   * @default - the system's trusted CAs
   */
  readonly databaseTlsCa?: Record<string, string>;
}

const FIELDS = fieldsOf<GatewayVaultPlaneProps>({
  spec: true,
  providerLogin: true,
  tokenName: true,
  providerTokenTtlSeconds: true,
  caCertFile: true,
  awsApiEndpoints: true,
  databaseTlsCa: true,
  ...AUDIT_FIELDS,
});

/**
 * The Vault plane of a gateway, built from its spec: the AWS IAM auth method of the router cells
 * (one role per tenant cell), a JWT auth method per Kubernetes cluster, one AWS and one database
 * secrets engine per tenant, typed ACL policies, and audit devices. Each tenant's router cell has
 * its own auth role and policy, which reads exactly that tenant's target credential paths: no
 * router token reaches another tenant's credentials, and none reaches a database user.
 *
 * Suspension removes access and keeps what cannot be recreated: a suspended tenant keeps its
 * secrets engines, database connections (whose root password only Vault knows after rotation)
 * and roles, while its router cell's policy denies its credential paths; a suspended workload loses
 * its JWT role and policy. Un-suspending is a plain apply. Leases issued before the suspension
 * run out on their own (TTLs are short) or are revoked by prefix (see the README).
 *
 * The spec and the props are validated together before anything is created.
 */
export class GatewayVaultPlane extends Construct {
  /**
   * The rules of one tenant's router cell policy: `read` on exactly the credential paths of the
   * tenant's targets (`aws/creds/...`), or `deny` on exactly those while the tenant is suspended,
   * so no other policy a router token might also carry can grant them back (a deny wins on the
   * very path it names, and no pattern is more specific than the exact path). Nothing of another
   * tenant, and no database path: routers never read database users (Kubernetes workloads read
   * their own with their own policies).
   *
   * @param tenantId a tenant of the gateway that has a router cell (at least one target)
   */
  public static routerPolicyRules(blueprint: GatewayBlueprint, tenantId: string): VaultPolicyRule[] {
    const tenant = blueprint.tenant(tenantId);
    throwIfProblems(`GatewayBlueprint "${blueprint.name}"`, (c) => {
      if (tenant.router) return;
      const cells = blueprint.tenants.filter((t) => t.router).map((t) => `"${t.id}"`);
      c.add('tenantId', tenantId, 'names a tenant without targets, which has no router cell and so no router policy',
        cells.length > 0 ? `use a tenant with a router cell: ${cells.join(', ')}` : 'give the tenant a model or provider key first');
    });
    const capabilities = [tenant.suspended ? VaultCapability.DENY : VaultCapability.READ];
    const suspended = tenant.suspended ? `; tenant ${tenant.id} is suspended` : '';
    return tenant.targets.map((target) => ({
      path: target.vaultCredentialsPath,
      capabilities,
      description: `STS credentials of ${target.roleName}${suspended}`,
    }));
  }

  /** The validated spec with its derived names. */
  public readonly blueprint: GatewayBlueprint;
  /** The Vault provider. */
  public readonly provider: VaultProvider;
  /**
   * The router cells' policies, as written to Vault: one per tenant that has a target, in tenant
   * order, named `<gateway>-<tenant>-router`. Each reads exactly its own tenant's credential paths.
   */
  public readonly routerPolicies: VaultPolicyDocument[];
  /** The workloads' policies, as written to Vault: one per Kubernetes workload that reads a database user. */
  public readonly workloadPolicies: VaultPolicyDocument[];

  constructor(scope: Construct, id: string, props: GatewayVaultPlaneProps) {
    super(scope, id);
    validatePlane(props);
    // validatePlane walked the spec with the props: resolving it must not walk it again.
    const blueprint = GatewayBlueprint._fromValidatedSpec(props.spec);
    this.blueprint = blueprint;
    const vault = blueprint.vault!;

    this.provider = new VaultProvider(this, 'Provider', {
      address: vault.address,
      tokenName: props.tokenName ?? `gateward-${blueprint.name}`,
      skipChildToken: false,
      skipTlsVerify: false,
      maxLeaseTtlSeconds: props.providerTokenTtlSeconds ?? 1200,
      caCertFile: props.caCertFile,
      ...props.providerLogin._providerLogin(vault.iamServerIdHeaderValue),
    });

    // One router cell per tenant with a target: its own policy and its own auth role, so a
    // router's token reaches one tenant's credentials at most.
    this.routerPolicies = blueprint.tenants.filter((tenant) => tenant.router).map((tenant) =>
      new GatewayVaultPolicy(this, `RouterPolicy-${tenant.id}`, {
        document: VaultPolicyDocument.forWorkload(tenant.router!.vaultPolicyName, GatewayVaultPlane.routerPolicyRules(blueprint, tenant.id)),
      }).document);
    new RouterAuth(this, 'RouterAuth', { blueprint, endpoints: props.awsApiEndpoints });

    // Kubernetes workloads read their own tenant's database users directly; a workload whose
    // tenant has no data store needs nothing from Vault and gets no role.
    const workloads = activeTenants(blueprint).flatMap((tenant) => tenant.workloads
      .filter((w) => w.eksServiceAccount && !w.suspended && tenant.dataStores.length > 0)
      .map((workload) => ({ workload, tenant })));
    const policyNames: Record<string, string> = {};
    this.workloadPolicies = workloads.map(({ workload, tenant }) => {
      const policy = new GatewayVaultPolicy(this, `WorkloadPolicy-${workload.id}`, {
        document: VaultPolicyDocument.forWorkload(blueprint.naming.vaultWorkloadPolicyName(workload.id),
          tenant.dataStores.map((store) => databaseUserRule(tenant, store))),
      });
      policyNames[workload.id] = policy.document.name;
      return policy.document;
    });
    const issuers = [...new Set(workloads.map(({ workload }) => workload.eksServiceAccount!.oidcIssuerUrl))];
    issuers.forEach((issuerUrl, index) => new WorkloadJwtAuth(this, `ClusterAuth${index + 1}`, {
      blueprint,
      issuerUrl,
      workloads: workloads.map(({ workload }) => workload).filter((w) => w.eksServiceAccount!.oidcIssuerUrl === issuerUrl),
      policyNames,
    }));

    // Engines stay while a tenant is suspended: unmounting would destroy the connections' rotated
    // root credentials, and un-suspending would then fail. Access is removed in the policies.
    blueprint.tenants.filter((t) => t.targets.length > 0).forEach((tenant) =>
      new TenantAwsSecrets(this, `Tenant-${tenant.id}-Aws`, { blueprint, tenant, endpoints: props.awsApiEndpoints }));
    blueprint.tenants.filter((t) => t.dataStores.length > 0).forEach((tenant) =>
      new TenantDatabaseSecrets(this, `Tenant-${tenant.id}-Database`, {
        blueprint,
        tenant,
        tlsCa: Object.fromEntries(tenant.dataStores
          .filter((s) => props.databaseTlsCa?.[`${tenant.id}/${s.id}`] !== undefined)
          .map((s) => [s.id, props.databaseTlsCa![`${tenant.id}/${s.id}`]])),
      }));

    if (props.manageAuditDevices !== false) {
      new VaultAuditDevices(this, 'Audit', {
        blueprint,
        secondAuditDevice: props.secondAuditDevice,
        auditFilePath: props.auditFilePath,
        auditSocketPath: props.auditSocketPath,
      });
    }
  }
}

/** The audit paths the devices are given: absolute paths, and only for devices the plane creates. */
function checkAuditPaths(c: ProblemCollector, props: GatewayVaultPlaneProps): void {
  const paths: Array<[string, unknown, string]> = [
    ['auditFilePath', props.auditFilePath, 'an absolute file path on the audit volume, e.g. "/vault/audit/<gateway>.log"'],
    ['auditSocketPath', props.auditSocketPath, 'an absolute local Unix socket path, e.g. "/run/vault/<gateway>-audit.sock"'],
  ];
  for (const [field, value, fix] of paths) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.startsWith('/') || /\s/.test(value) || value.split('/').includes('..')) {
      c.add(`props.${field}`, value, 'an audit device needs an absolute path on the Vault server, without whitespace or ".."', `use ${fix}`);
    } else if (field === 'auditFilePath' && value.startsWith('/dev/')) {
      c.add(`props.${field}`, value, 'the file device must write a file of its own; a device such as /dev/stdout is not kept', `use ${fix}`);
    } else if (props.manageAuditDevices === false) {
      c.add(`props.${field}`, value, 'the plane manages no audit devices (manageAuditDevices is false), so the path would be ignored',
        `remove ${field}, or set manageAuditDevices to true`);
    }
  }
  if (props.auditSocketPath !== undefined && props.secondAuditDevice === SecondAuditDevice.SYSLOG) {
    c.add('props.auditSocketPath', props.auditSocketPath, 'the second audit device is syslog, which has no socket path',
      'remove auditSocketPath, or set secondAuditDevice to SecondAuditDevice.UNIX_SOCKET');
  }
}

/** The rule on one data store's database users, for a Kubernetes workload of its tenant. */
function databaseUserRule(tenant: TenantBlueprint, store: DataStoreBlueprint): VaultPolicyRule {
  return {
    path: store.vaultCredentialsPath,
    capabilities: [VaultCapability.READ],
    description: `database user on schema ${store.schema} of ${tenant.id}/${store.id}`,
  };
}

function activeTenants(blueprint: GatewayBlueprint): TenantBlueprint[] {
  return blueprint.tenants.filter((t) => !t.suspended);
}

/**
 * Checks the spec and the props together and throws one error listing every problem.
 */
function validatePlane(props: GatewayVaultPlaneProps): void {
  const spec = props.spec;
  const name = typeof spec?.name === 'string' ? ` "${spec.name}"` : '';
  throwIfProblems(`GatewayVaultPlane${name}`, (c) => checkPlane(c, props));
}

function checkPlane(c: ProblemCollector, props: GatewayVaultPlaneProps): void {
  checkKnownKeys(c, 'props', props, FIELDS, 'GatewayVaultPlaneProps');
  const spec = props.spec;
  for (const problem of GatewaySpecValidator.problems(spec)) c.addNested('spec', problem);
  if (spec && !spec.vault) {
    c.add('spec.vault', undefined, 'the Vault plane needs the Vault server: its address and edition', 'add vault: { address: "https://vault.example.com:8200" }');
  }
  if (typeof spec?.aws?.account === 'string' && isUnresolved(spec.aws.account)) {
    c.add('spec.aws.account', 'an AWS CDK token', 'the Vault plane writes literal role ARNs, and a CDK token cannot resolve in Terraform', 'use the literal 12-digit account id');
  }
  const login = props.providerLogin;
  if (!login) {
    c.add('props.providerLogin', undefined, 'Terraform needs a platform identity to log in with; a token is never accepted',
      'pass VaultProviderLogin.aws({ role: "<pipeline role>" }) or VaultProviderLogin.jwt({ ... })');
  } else {
    login._problems(c, 'props.providerLogin');
  }
  checkAwsApiEndpoints(c, 'props.awsApiEndpoints', props.awsApiEndpoints);
  checkAuditPaths(c, props);
  const ttl = props.providerTokenTtlSeconds;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 60 || ttl > MAX_PROVIDER_TOKEN_SECONDS)) {
    c.add('props.providerTokenTtlSeconds', ttl, `Terraform's child token lives between 60 and ${MAX_PROVIDER_TOKEN_SECONDS} seconds`, 'size it for one apply (the default is 1200)');
  }
}
