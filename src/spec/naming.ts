import { createHash } from 'crypto';
import { AwsEnvironment, GatewaySpec } from './gateway-spec';
import { CEDAR_NAMESPACE } from '../contract/cedar-names';
import { stsEndpoint } from './private/aws-facts';
import type { DerivedName, NamedParts } from './private/name-limit-rules';
import { VAULT_POLICY_NAME_PATTERN } from '../vault-acl/policy-name';

/**
 * The kinds of physical name a gateway derives, each with its service's limits.
 */
export enum NameKind {
  /** An IAM role name. */
  IAM_ROLE = 'IAM role name',
  /** An IAM customer-managed policy name. */
  IAM_MANAGED_POLICY = 'IAM managed policy name',
  /** A Secrets Manager secret name. */
  SECRET = 'Secrets Manager secret name',
  /** A CloudWatch Logs log group name. */
  LOG_GROUP = 'CloudWatch log group name',
  /** An S3 bucket name (global across all AWS accounts). */
  S3_BUCKET = 'S3 bucket name',
  /** A CloudTrail trail name. */
  TRAIL = 'CloudTrail trail name',
  /** A KMS alias name. */
  KMS_ALIAS = 'KMS alias name',
  /** A Lambda function name. */
  LAMBDA_FUNCTION = 'Lambda function name',
  /** A WAF web ACL name. */
  WEB_ACL = 'WAF web ACL name',
  /** A Vault mount path (secrets engine or auth method). */
  VAULT_MOUNT = 'Vault mount path',
  /** A Vault role name (auth role, AWS secrets role, database role or connection). */
  VAULT_ROLE = 'Vault role name',
  /** A Vault ACL policy name. */
  VAULT_POLICY = 'Vault policy name',
}

/**
 * A service's limits on one kind of name.
 */
export interface NameLimit {
  /** The kind of name. */
  readonly kind: NameKind;
  /** Longest name the service accepts, in characters. */
  readonly maxLength: number;
  /** The characters the service accepts, as a regular expression source matching the whole name. */
  readonly pattern: string;
  /** The accepted characters in words, for error messages. */
  readonly allowed: string;
}

const LIMITS: Record<NameKind, NameLimit> = {
  [NameKind.IAM_ROLE]: { kind: NameKind.IAM_ROLE, maxLength: 64, pattern: '^[\\w+=,.@-]+$', allowed: 'letters, digits and + = , . @ _ -' },
  [NameKind.IAM_MANAGED_POLICY]: { kind: NameKind.IAM_MANAGED_POLICY, maxLength: 128, pattern: '^[\\w+=,.@-]+$', allowed: 'letters, digits and + = , . @ _ -' },
  [NameKind.SECRET]: { kind: NameKind.SECRET, maxLength: 512, pattern: '^[\\w/+=.@-]+$', allowed: 'letters, digits and / + = . @ _ -' },
  [NameKind.LOG_GROUP]: { kind: NameKind.LOG_GROUP, maxLength: 512, pattern: '^[\\w./#-]+$', allowed: 'letters, digits and . / # _ -' },
  [NameKind.S3_BUCKET]: { kind: NameKind.S3_BUCKET, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*[a-z0-9]$', allowed: 'lower-case letters, digits and hyphens' },
  [NameKind.TRAIL]: { kind: NameKind.TRAIL, maxLength: 128, pattern: '^[a-zA-Z0-9][\\w.-]*[a-zA-Z0-9]$', allowed: 'letters, digits and . _ -' },
  [NameKind.KMS_ALIAS]: { kind: NameKind.KMS_ALIAS, maxLength: 256, pattern: '^alias/[\\w/-]+$', allowed: 'letters, digits and / _ -' },
  [NameKind.LAMBDA_FUNCTION]: { kind: NameKind.LAMBDA_FUNCTION, maxLength: 64, pattern: '^[a-zA-Z0-9_-]+$', allowed: 'letters, digits and _ -' },
  [NameKind.WEB_ACL]: { kind: NameKind.WEB_ACL, maxLength: 128, pattern: '^[\\w-]+$', allowed: 'letters, digits and _ -' },
  [NameKind.VAULT_MOUNT]: { kind: NameKind.VAULT_MOUNT, maxLength: 128, pattern: '^[a-z0-9][a-z0-9/._-]*[a-z0-9]$', allowed: 'lower-case letters, digits and / . _ -' },
  [NameKind.VAULT_ROLE]: { kind: NameKind.VAULT_ROLE, maxLength: 128, pattern: '^\\w([\\w.-]*\\w)?$', allowed: 'letters, digits and . _ -, starting and ending with a letter or digit' },
  // One rule for policy names, shared with VaultPolicyDocument.
  [NameKind.VAULT_POLICY]: { kind: NameKind.VAULT_POLICY, maxLength: 128, pattern: VAULT_POLICY_NAME_PATTERN.source, allowed: 'lower-case letters, digits and _ -' },
};

/** Ownership tag keys, shared by both planes. */
const TAG_PREFIX = 'gateward:';

/** Where a name must be unique: the AWS account, the Vault server, or S3 (global). */
type NameScope = 'account' | 'vault' | 'global';

/** One name of the gateway as a whole, built from the gateway name alone. */
interface GatewayWideName {
  /**
   * The service's kind of name, whose limits the validator checks; absent for a name the service
   * neither limits nor keeps unique (API Gateway allows any number of REST APIs with one name).
   */
  readonly kind?: NameKind;
  readonly scope: NameScope;
  /** The name, from the gateway name and the bucket suffix (`<account>-<region>`). */
  readonly build: (gatewayName: string, bucketSuffix: string) => string;
  /** An IAM role's name, which also names the role's customer-managed policy. */
  readonly role?: true;
  /** A bucket name: it holds the account and region, so it is checked only when both are literals. */
  readonly bucket?: true;
}

/**
 * Every name that depends on the gateway name alone: the one place each is built. `GatewayNaming`
 * exposes each as the property of the same name, and the validator checks each against its limits.
 */
const GATEWAY_WIDE_NAMES = {
  brokerRoleName: { kind: NameKind.IAM_ROLE, scope: 'account', role: true, build: (g) => `${g}-broker` },
  vaultAuthVerifierRoleName: { kind: NameKind.IAM_ROLE, scope: 'account', role: true, build: (g) => `${g}-vault-verifier` },
  auditReplicationRoleName: { kind: NameKind.IAM_ROLE, scope: 'account', role: true, build: (g) => `${g}-audit-replication` },
  trailDeliveryRoleName: { kind: NameKind.IAM_ROLE, scope: 'account', role: true, build: (g) => `${g}-trail-delivery` },
  keyAgeCheckRoleName: { kind: NameKind.IAM_ROLE, scope: 'account', role: true, build: (g) => `${g}-key-age-check` },
  apiDeployerRoleName: { kind: NameKind.IAM_ROLE, scope: 'account', role: true, build: (g) => `${g}-api-deployer` },
  decisionLogGroupName: { kind: NameKind.LOG_GROUP, scope: 'account', build: (g) => `/gateward/${g}/decisions` },
  trailLogGroupName: { kind: NameKind.LOG_GROUP, scope: 'account', build: (g) => `/gateward/${g}/cloudtrail` },
  keyAgeCheckLogGroupName: { kind: NameKind.LOG_GROUP, scope: 'account', build: (g) => `/gateward/${g}/key-age-check` },
  wafLogGroupName: { kind: NameKind.LOG_GROUP, scope: 'account', build: (g) => `aws-waf-logs-${g}` },
  apiDeployerLogGroupName: { kind: NameKind.LOG_GROUP, scope: 'account', build: (g) => `/gateward/${g}/api-deployer` },
  trailName: { kind: NameKind.TRAIL, scope: 'account', build: (g) => `${g}-audit` },
  auditKeyAlias: { kind: NameKind.KMS_ALIAS, scope: 'account', build: (g) => `alias/gateward/${g}/audit` },
  keyAgeCheckKeyAlias: { kind: NameKind.KMS_ALIAS, scope: 'account', build: (g) => `alias/gateward/${g}/key-age-check` },
  keyAgeWatchPath: { scope: 'account', build: (g) => `/gateward/${g}/key-age` },
  apiName: { scope: 'account', build: (g) => `${g}-api` },
  webAclName: { kind: NameKind.WEB_ACL, scope: 'account', build: (g) => `${g}-api` },
  auditBucketName: { kind: NameKind.S3_BUCKET, scope: 'global', bucket: true, build: (g, suffix) => `${g}-audit-${suffix}` },
  auditReplicaBucketName: { kind: NameKind.S3_BUCKET, scope: 'global', bucket: true, build: (g, suffix) => `${g}-audit-copy-${suffix}` },
  accessLogBucketName: { kind: NameKind.S3_BUCKET, scope: 'global', bucket: true, build: (g, suffix) => `${g}-s3-logs-${suffix}` },
  vaultAwsAuthMountPath: { kind: NameKind.VAULT_MOUNT, scope: 'vault', build: (g) => `${g}/aws` },
} satisfies Record<string, GatewayWideName>;

type GatewayWideNameProperty = keyof typeof GATEWAY_WIDE_NAMES;

const FROM_GATEWAY = 'the gateway name';
const FROM_BUCKET = 'the gateway name (bucket names also hold the 12-digit account and the region)';

/**
 * Derives every physical name of a gateway from its spec: IAM role and policy names, secret and
 * log group names, Vault mount paths, Vault role and policy names, and Cedar entity ids.
 *
 * Names are pure functions of the spec, so the CloudFormation template and the Terraform JSON show
 * the same literal names, a reviewer can cross-check them, and neither plane needs the other to be
 * deployed first. `GatewaySpecValidator` checks every derived name against `GatewayNaming.limit()`.
 */
export class GatewayNaming {
  /** The Cedar namespace of every gateway's schema and policies (the router contract's). */
  public static readonly CEDAR_NAMESPACE: string = CEDAR_NAMESPACE;

  /** Tag key carrying the gateway name. */
  public static readonly GATEWAY_TAG = `${TAG_PREFIX}gateway`;
  /** Tag key carrying the policy owner. */
  public static readonly POLICY_OWNER_TAG = `${TAG_PREFIX}owner:policy`;
  /** Tag key carrying the operations owner. */
  public static readonly OPERATIONS_OWNER_TAG = `${TAG_PREFIX}owner:operations`;
  /** Tag key carrying the credential-lifecycle owner. */
  public static readonly CREDENTIAL_OWNER_TAG = `${TAG_PREFIX}owner:credential-lifecycle`;
  /** Tag key carrying a role's place in the identity chain (`router`, `broker` or `target`). */
  public static readonly ROLE_TAG = `${TAG_PREFIX}role`;
  /** Tag key carrying the tenant a resource belongs to. */
  public static readonly TENANT_TAG = `${TAG_PREFIX}tenant`;

  /** Target id of a tenant's Bedrock model-invocation target. */
  public static readonly MODELS_TARGET_ID = 'models';

  /**
   * The naming of the gateway the spec describes.
   */
  public static forSpec(spec: GatewaySpec): GatewayNaming {
    return new GatewayNaming(spec.name, spec.aws);
  }

  /**
   * The service limits of one kind of name.
   */
  public static limit(kind: NameKind): NameLimit {
    return LIMITS[kind];
  }

  /** Role name of the broker (the identity Vault's AWS secrets engine uses). */
  public readonly brokerRoleName: string;

  /** Role name of the verifier (the identity Vault's AWS auth method reads the router role with). */
  public readonly vaultAuthVerifierRoleName: string;

  /** Name of the log group that holds the gateway's decision log. */
  public readonly decisionLogGroupName: string;

  /** Name of the gateway's CloudTrail trail. */
  public readonly trailName: string;

  /** Name of the log group the trail also delivers to (for alarms and queries). */
  public readonly trailLogGroupName: string;

  /** Name of the audit bucket the trail delivers to (S3 names are global: account and region are part of it). */
  public readonly auditBucketName: string;

  /** Name of the bucket that holds the replicated copy of the audit logs. */
  public readonly auditReplicaBucketName: string;

  /** Name of the bucket for S3 server access logs, when the gateway keeps its own. */
  public readonly accessLogBucketName: string;

  /** Alias of the KMS key that encrypts the audit trail, logs and buckets. */
  public readonly auditKeyAlias: string;

  /** Alias of the KMS key that encrypts the key-age check's log group, queue and alarm topic. */
  public readonly keyAgeCheckKeyAlias: string;

  /** Name of the role S3 uses to replicate the audit logs. */
  public readonly auditReplicationRoleName: string;

  /** Name of the role CloudTrail uses to deliver events to CloudWatch Logs. */
  public readonly trailDeliveryRoleName: string;

  /** Name of the role of the function that checks the age of manually rotated provider keys. */
  public readonly keyAgeCheckRoleName: string;

  /** Name of the log group of the key-age check. */
  public readonly keyAgeCheckLogGroupName: string;
  /** The SSM parameter path under which each manually rotated key's watch entry is kept: the key-age check reads its list there. */
  public readonly keyAgeWatchPath: string;

  /** Name of the gateway's REST API. */
  public readonly apiName: string;

  /** Name of the role of the function that publishes each API's methods (a deployment per change). */
  public readonly apiDeployerRoleName: string;

  /** Name of the log group of the API deployer. */
  public readonly apiDeployerLogGroupName: string;

  /** Name of the WAF web ACL in front of the API. */
  public readonly webAclName: string;

  /** Name of the log group WAF logs to (WAF requires the `aws-waf-logs-` prefix). */
  public readonly wafLogGroupName: string;

  /** Auth mount path of Vault's AWS IAM auth method, through which the router logs in. */
  public readonly vaultAwsAuthMountPath: string;

  /**
   * The audience a workload's projected service-account token must carry when its spec names
   * none: `gateward:<gateway name>`. Vault's JWT roles bind it, so a token minted for another Vault
   * or another gateway of the organization (the generic `vault` audience) is refused here.
   */
  public readonly workloadTokenAudience: string;

  private readonly partition: string;
  private readonly bucketSuffix: string;

  /**
   * @param gatewayName the gateway's name (`GatewaySpec.name`)
   * @param aws where the AWS plane lives
   */
  constructor(private readonly gatewayName: string, private readonly aws: AwsEnvironment) {
    this.partition = aws.partition ?? 'aws';
    this.bucketSuffix = `${aws.account}-${aws.region}`;
    this.brokerRoleName = this.gatewayWide('brokerRoleName');
    this.vaultAuthVerifierRoleName = this.gatewayWide('vaultAuthVerifierRoleName');
    this.decisionLogGroupName = this.gatewayWide('decisionLogGroupName');
    this.trailName = this.gatewayWide('trailName');
    this.trailLogGroupName = this.gatewayWide('trailLogGroupName');
    this.auditBucketName = this.gatewayWide('auditBucketName');
    this.auditReplicaBucketName = this.gatewayWide('auditReplicaBucketName');
    this.accessLogBucketName = this.gatewayWide('accessLogBucketName');
    this.auditKeyAlias = this.gatewayWide('auditKeyAlias');
    this.keyAgeCheckKeyAlias = this.gatewayWide('keyAgeCheckKeyAlias');
    this.auditReplicationRoleName = this.gatewayWide('auditReplicationRoleName');
    this.trailDeliveryRoleName = this.gatewayWide('trailDeliveryRoleName');
    this.keyAgeCheckRoleName = this.gatewayWide('keyAgeCheckRoleName');
    this.keyAgeCheckLogGroupName = this.gatewayWide('keyAgeCheckLogGroupName');
    this.keyAgeWatchPath = this.gatewayWide('keyAgeWatchPath');
    this.apiName = this.gatewayWide('apiName');
    this.apiDeployerRoleName = this.gatewayWide('apiDeployerRoleName');
    this.apiDeployerLogGroupName = this.gatewayWide('apiDeployerLogGroupName');
    this.webAclName = this.gatewayWide('webAclName');
    this.wafLogGroupName = this.gatewayWide('wafLogGroupName');
    this.vaultAwsAuthMountPath = this.gatewayWide('vaultAwsAuthMountPath');
    this.workloadTokenAudience = `${TAG_PREFIX}${gatewayName}`;
  }

  // ---- AWS ----------------------------------------------------------------------------------

  /**
   * The regional STS endpoint of the gateway's partition and region: Vault verifies the router's
   * IAM logins against it, and the router signs them for it.
   */
  public stsEndpoint(): string {
    return stsEndpoint(this.partition, this.aws.region);
  }

  /**
   * The ARN of the gateway's trail, built from its name.
   */
  public trailArn(): string {
    return `arn:${this.partition}:cloudtrail:${this.aws.region}:${this.aws.account}:trail/${this.trailName}`;
  }

  /**
   * Role name of one tenant's router (its cell of the gateway compute). Each tenant has its own,
   * so a router can obtain the credentials of its own tenant only.
   */
  public tenantRouterRoleName(tenantId: string): string {
    return `${this.gatewayName}-${tenantId}-router`;
  }

  /**
   * The pattern every tenant router role name of the gateway matches (`<gateway>-*-router`), for
   * policies whose size must not grow with tenants and that grant nothing but reads of the roles.
   */
  public tenantRouterRoleNamePattern(): string {
    return this.tenantRouterRoleName('*');
  }

  /**
   * Name of one tenant's router function (the same as its role's).
   */
  public tenantRouterFunctionName(tenantId: string): string {
    return this.tenantRouterRoleName(tenantId);
  }

  /**
   * Target id of a tenant's provider-key target.
   */
  public providerKeyTargetId(keyId: string): string {
    return `key-${keyId}`;
  }

  /**
   * Role name of one tenant target (`models` or `key-<id>`).
   */
  public targetRoleName(tenantId: string, targetId: string): string {
    return `${this.gatewayName}-${tenantId}-${targetId}`;
  }

  /**
   * The IAM path every target role of the gateway is created in (`/gateward/<gateway>/targets/`).
   * The broker may assume any role in it, so its policy does not grow with tenants; the
   * organization guardrails let no one but the deployment roles create or change a role there.
   */
  public get targetRolePath(): string {
    return `/gateward/${this.gatewayName}/targets/`;
  }

  /**
   * The ARN of one tenant target's role, in the gateway's target role path.
   */
  public targetRoleArn(tenantId: string, targetId: string): string {
    return `arn:${this.partition}:iam::${this.aws.account}:role${this.targetRolePath}${this.targetRoleName(tenantId, targetId)}`;
  }

  /**
   * The pattern every target role ARN of the gateway matches (its reserved path).
   */
  public targetRoleArnPattern(): string {
    return `arn:${this.partition}:iam::${this.aws.account}:role${this.targetRolePath}*`;
  }

  /**
   * The ARN of a role of this gateway, built from its name: nothing is looked up.
   */
  public roleArn(roleName: string): string {
    return `arn:${this.partition}:iam::${this.aws.account}:role/${roleName}`;
  }

  /**
   * The external id the broker presents when it assumes a tenant's target roles. Each tenant has
   * its own, so a Vault role misconfigured with another tenant's role ARN cannot assume it.
   * External ids are not secrets; they stop a confused deputy.
   */
  public externalId(tenantId: string): string {
    return `gateward:${this.gatewayName}:${tenantId}`;
  }

  /**
   * The ARN of a Bedrock guardrail in the gateway's account and region. The ARN names no version:
   * `bedrock:ApplyGuardrail` is granted on the guardrail, and the router holds a tenant to the
   * version its spec names.
   */
  public guardrailArn(guardrailId: string): string {
    return `arn:${this.partition}:bedrock:${this.aws.region}:${this.aws.account}:guardrail/${guardrailId}`;
  }

  /**
   * The ARN of the decision log group, built from its name.
   */
  public decisionLogGroupArn(): string {
    return this.logGroupArn(this.decisionLogGroupName);
  }

  /**
   * The ARN of a log group in the gateway's account and region, built from its name (without the
   * `:*` suffix CloudFormation's `Arn` attribute carries; CloudWatch Logs' KMS encryption context
   * names the group this way).
   */
  public logGroupArn(logGroupName: string): string {
    return `arn:${this.partition}:logs:${this.aws.region}:${this.aws.account}:log-group:${logGroupName}`;
  }

  /**
   * The ARN of a Lambda function in the gateway's account and region, built from its name (or, with
   * `*` in the name, the pattern of such ARNs).
   */
  public lambdaFunctionArn(functionName: string): string {
    return `arn:${this.partition}:lambda:${this.aws.region}:${this.aws.account}:function:${functionName}`;
  }

  /**
   * The ARN of a log stream (or with `*`, of every stream) of a log group in the gateway's account
   * and region. `logs:CreateLogStream` and `logs:PutLogEvents` act on the stream, not on the group.
   */
  public logStreamArn(logGroupName: string, logStreamName: string): string {
    return `${this.logGroupArn(logGroupName)}:log-stream:${logStreamName}`;
  }

  /**
   * The ARN of an S3 bucket, built from its name (bucket ARNs hold neither account nor region).
   */
  public bucketArn(bucketName: string): string {
    return `arn:${this.partition}:s3:::${bucketName}`;
  }

  /**
   * The ARN of the gateway account's root: in a key or resource policy, the account itself, whose
   * IAM policies then decide who may act.
   */
  public accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.aws.account}:root`;
  }

  /**
   * Name of the customer-managed policy that holds a role's permissions.
   */
  public managedPolicyName(roleName: string): string {
    return `${roleName}-permissions`;
  }

  /**
   * Alias of the KMS key that encrypts one tenant's provider key.
   */
  public providerKeyAlias(tenantId: string, keyId: string): string {
    return `alias/gateward/${this.gatewayName}/${tenantId}/${keyId}`;
  }

  /**
   * Secrets Manager name of one tenant's provider key.
   */
  public providerKeySecretName(tenantId: string, keyId: string): string {
    return `gateward/${this.gatewayName}/${tenantId}/${keyId}`;
  }

  /**
   * Name of the SSM parameter that puts one manually rotated key on the key-age check's list.
   */
  public keyAgeWatchParameterName(tenantId: string, keyId: string): string {
    return `${this.keyAgeWatchPath}/${tenantId}/${keyId}`;
  }

  // ---- Vault --------------------------------------------------------------------------------

  /**
   * Mount path of a tenant's AWS secrets engine. One mount per tenant, so a tenant's leases share
   * the prefix `vaultLeasePrefix(tenantId)` and can be revoked in one call.
   */
  public vaultAwsSecretsMountPath(tenantId: string): string {
    return `${this.vaultLeasePrefix(tenantId)}aws`;
  }

  /**
   * Name of one tenant's router role in the AWS auth method.
   */
  public vaultTenantRouterAuthRoleName(tenantId: string): string {
    return `router-${tenantId}`;
  }

  /**
   * Name of the Vault policy attached to one tenant's router tokens.
   */
  public vaultTenantRouterPolicyName(tenantId: string): string {
    return `${this.gatewayName}-${tenantId}-router`;
  }

  /**
   * Mount path of a tenant's database secrets engine.
   */
  public vaultDatabaseMountPath(tenantId: string): string {
    return `${this.vaultLeasePrefix(tenantId)}database`;
  }

  /**
   * The lease prefix that covers every credential of one tenant
   * (`vault lease revoke -prefix <this>`).
   */
  public vaultLeasePrefix(tenantId: string): string {
    return `${this.gatewayName}/${tenantId}/`;
  }

  /**
   * The path a target's STS credentials are read from.
   */
  public vaultAwsCredentialsPath(tenantId: string, targetId: string): string {
    return `${this.vaultAwsSecretsMountPath(tenantId)}/creds/${targetId}`;
  }

  /**
   * The path a data store's dynamic database credentials are read from.
   */
  public vaultDatabaseCredentialsPath(tenantId: string, storeId: string): string {
    return `${this.vaultDatabaseMountPath(tenantId)}/creds/${storeId}`;
  }

  /**
   * Auth mount path of the JWT auth method for one Kubernetes cluster, keyed by a short digest
   * of its OIDC issuer (each JWT auth mount trusts exactly one issuer).
   */
  public vaultJwtAuthMountPath(oidcIssuerUrl: string): string {
    const digest = createHash('sha256').update(oidcIssuerUrl).digest('hex').slice(0, 10);
    return `${this.gatewayName}/jwt-${digest}`;
  }

  /**
   * Name of a workload's role in its cluster's JWT auth method.
   */
  public vaultWorkloadAuthRoleName(workloadId: string): string {
    return workloadId;
  }

  /**
   * Name of the Vault policy attached to one workload's tokens.
   */
  public vaultWorkloadPolicyName(workloadId: string): string {
    return `${this.gatewayName}-workload-${workloadId}`;
  }

  // ---- Every derived name -------------------------------------------------------------------

  /**
   * Every physical name the planes create from the given parts of a spec, each with its kind,
   * where it must be unique, the spec path a problem with it is reported at and what it is built
   * from. The validator checks them against `limit()` and against each other.
   *
   * @internal
   */
  public _derivedNames(parts: NamedParts): DerivedName[] {
    const names: DerivedName[] = [];
    const role = (name: string, path: string, builtFrom: string) => {
      names.push({ name, kind: NameKind.IAM_ROLE, scope: 'account', path, builtFrom });
      names.push({ name: this.managedPolicyName(name), kind: NameKind.IAM_MANAGED_POLICY, scope: 'account', path, builtFrom });
    };
    for (const property of Object.keys(GATEWAY_WIDE_NAMES) as GatewayWideNameProperty[]) {
      const rule: GatewayWideName = GATEWAY_WIDE_NAMES[property];
      if (rule.kind === undefined || (rule.bucket && !parts.literalEnvironment)) continue;
      const name = this[property];
      if (rule.role) {
        role(name, parts.path, FROM_GATEWAY);
        continue;
      }
      names.push({ name, kind: rule.kind, scope: rule.scope, path: parts.path, builtFrom: rule.bucket ? FROM_BUCKET : FROM_GATEWAY });
    }

    for (const tenant of parts.tenants) {
      const fromTenant = 'the gateway name or the tenant id';
      const awsMount = this.vaultAwsSecretsMountPath(tenant.id);
      if (tenant.hasBedrock) {
        role(this.targetRoleName(tenant.id, GatewayNaming.MODELS_TARGET_ID), tenant.path, fromTenant);
      }
      if (tenant.hasBedrock || tenant.keys.length > 0) {
        names.push({ name: awsMount, kind: NameKind.VAULT_MOUNT, scope: 'vault', path: tenant.path, builtFrom: fromTenant });
        // The tenant's router cell: its role (and policy), function, Vault auth role and policy.
        role(this.tenantRouterRoleName(tenant.id), tenant.path, fromTenant);
        names.push({ name: this.tenantRouterFunctionName(tenant.id), kind: NameKind.LAMBDA_FUNCTION, scope: 'account', path: tenant.path, builtFrom: fromTenant });
        names.push({ name: this.vaultTenantRouterAuthRoleName(tenant.id), kind: NameKind.VAULT_ROLE, scope: this.vaultAwsAuthMountPath, path: tenant.path, builtFrom: 'the tenant id' });
        names.push({ name: this.vaultTenantRouterPolicyName(tenant.id), kind: NameKind.VAULT_POLICY, scope: 'vault', path: tenant.path, builtFrom: fromTenant });
      }
      for (const key of tenant.keys) {
        const targetId = this.providerKeyTargetId(key.id);
        const fromKey = 'the gateway name, the tenant id or the key id';
        role(this.targetRoleName(tenant.id, targetId), key.path, fromKey);
        names.push({ name: this.providerKeyAlias(tenant.id, key.id), kind: NameKind.KMS_ALIAS, scope: 'account', path: key.path, builtFrom: fromKey });
        names.push({ name: this.providerKeySecretName(tenant.id, key.id), kind: NameKind.SECRET, scope: 'account', path: key.path, builtFrom: fromKey });
        names.push({ name: targetId, kind: NameKind.VAULT_ROLE, scope: awsMount, path: key.path, builtFrom: 'the key id' });
      }
      if (tenant.stores.length > 0) {
        const databaseMount = this.vaultDatabaseMountPath(tenant.id);
        names.push({ name: databaseMount, kind: NameKind.VAULT_MOUNT, scope: 'vault', path: tenant.path, builtFrom: fromTenant });
        for (const store of tenant.stores) {
          names.push({ name: store.id, kind: NameKind.VAULT_ROLE, scope: databaseMount, path: store.path, builtFrom: 'the data store id' });
        }
      }
      for (const workload of tenant.workloads) {
        const jwtMount = this.vaultJwtAuthMountPath(workload.eksIssuer);
        names.push({ name: jwtMount, kind: NameKind.VAULT_MOUNT, scope: 'vault', path: workload.path, builtFrom: FROM_GATEWAY, shared: true });
        names.push({ name: this.vaultWorkloadAuthRoleName(workload.id), kind: NameKind.VAULT_ROLE, scope: jwtMount, path: workload.path, builtFrom: 'the workload id' });
        names.push({ name: this.vaultWorkloadPolicyName(workload.id), kind: NameKind.VAULT_POLICY, scope: 'vault', path: workload.path, builtFrom: 'the gateway name or the workload id' });
      }
    }
    return names;
  }

  private gatewayWide(property: GatewayWideNameProperty): string {
    return GATEWAY_WIDE_NAMES[property].build(this.gatewayName, this.bucketSuffix);
  }

  // ---- Cedar --------------------------------------------------------------------------------

  /** Cedar entity id of a tenant. */
  public cedarTenantId(tenantId: string): string {
    return tenantId;
  }

  /** Cedar entity id of a workload. Workload ids are unique across the gateway. */
  public cedarWorkloadId(workloadId: string): string {
    return workloadId;
  }

  /** Cedar entity id of a Bedrock foundation model or inference profile. */
  public cedarModelId(modelOrProfileId: string): string {
    return modelOrProfileId;
  }

  /** Cedar entity id of a tool. */
  public cedarToolId(toolId: string): string {
    return toolId;
  }

  /** Cedar entity id of a tenant's data store. */
  public cedarDatasetId(tenantId: string, storeId: string): string {
    return `${tenantId}/${storeId}`;
  }

  /** Cedar entity id of a tenant's provider key. */
  public cedarProviderKeyId(tenantId: string, keyId: string): string {
    return `${tenantId}/${keyId}`;
  }
}
