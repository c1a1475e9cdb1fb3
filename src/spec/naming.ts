import { createHash } from 'crypto';
import { AwsEnvironment, GatewaySpec } from './gateway-spec';
import { stsEndpoint } from './private/aws-facts';

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
  [NameKind.VAULT_MOUNT]: { kind: NameKind.VAULT_MOUNT, maxLength: 128, pattern: '^[a-z0-9][a-z0-9/._-]*[a-z0-9]$', allowed: 'lower-case letters, digits and / . _ -' },
  [NameKind.VAULT_ROLE]: { kind: NameKind.VAULT_ROLE, maxLength: 128, pattern: '^\\w([\\w.-]*\\w)?$', allowed: 'letters, digits and . _ -, starting and ending with a letter or digit' },
  [NameKind.VAULT_POLICY]: { kind: NameKind.VAULT_POLICY, maxLength: 128, pattern: '^[a-z0-9][a-z0-9_-]*$', allowed: 'lower-case letters, digits and _ -' },
};

/** Ownership tag keys, shared by both planes. */
const TAG_PREFIX = 'gateward:';

/**
 * Derives every physical name of a gateway from its spec: IAM role and policy names, secret and
 * log group names, Vault mount paths, Vault role and policy names, and Cedar entity ids.
 *
 * Names are pure functions of the spec, so the CloudFormation template and the Terraform JSON show
 * the same literal names, a reviewer can cross-check them, and neither plane needs the other to be
 * deployed first. `GatewaySpecValidator` checks every derived name against `GatewayNaming.limit()`.
 */
export class GatewayNaming {
  /** The Cedar namespace of every gateway's schema and policies. */
  public static readonly CEDAR_NAMESPACE = 'Gateward';

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

  /** Role name of the gateway's router (the gateway compute). */
  public readonly routerRoleName: string;

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

  /** Name of the role S3 uses to replicate the audit logs. */
  public readonly auditReplicationRoleName: string;

  /** Name of the role CloudTrail uses to deliver events to CloudWatch Logs. */
  public readonly trailDeliveryRoleName: string;

  /** Name of the role of the function that checks the age of manually rotated provider keys. */
  public readonly keyAgeCheckRoleName: string;

  /** Name of the log group of the key-age check. */
  public readonly keyAgeCheckLogGroupName: string;

  /** Name of the router's Lambda function (the same as its role's). */
  public readonly routerFunctionName: string;

  /** Name of the gateway's REST API. */
  public readonly apiName: string;

  /** Name of the WAF web ACL in front of the API. */
  public readonly webAclName: string;

  /** Name of the log group WAF logs to (WAF requires the `aws-waf-logs-` prefix). */
  public readonly wafLogGroupName: string;

  /** Auth mount path of Vault's AWS IAM auth method, through which the router logs in. */
  public readonly vaultAwsAuthMountPath: string;

  /** Name of the router's role in the AWS auth method. */
  public readonly vaultRouterAuthRoleName: string;

  /** Name of the Vault policy attached to the router's tokens. */
  public readonly vaultRouterPolicyName: string;

  /**
   * The audience a workload's projected service-account token must carry when its spec names
   * none: `gateward:<gateway name>`. Vault's JWT roles bind it, so a token minted for another Vault
   * or another gateway of the organization (the generic `vault` audience) is refused here.
   */
  public readonly workloadTokenAudience: string;

  private readonly partition: string;

  /**
   * @param gatewayName the gateway's name (`GatewaySpec.name`)
   * @param aws where the AWS plane lives
   */
  constructor(private readonly gatewayName: string, private readonly aws: AwsEnvironment) {
    this.partition = aws.partition ?? 'aws';
    this.routerRoleName = `${gatewayName}-router`;
    this.brokerRoleName = `${gatewayName}-broker`;
    this.vaultAuthVerifierRoleName = `${gatewayName}-vault-verifier`;
    this.decisionLogGroupName = `/gateward/${gatewayName}/decisions`;
    this.trailName = `${gatewayName}-audit`;
    this.trailLogGroupName = `/gateward/${gatewayName}/cloudtrail`;
    const bucketSuffix = `${aws.account}-${aws.region}`;
    this.auditBucketName = `${gatewayName}-audit-${bucketSuffix}`;
    this.auditReplicaBucketName = `${gatewayName}-audit-copy-${bucketSuffix}`;
    this.accessLogBucketName = `${gatewayName}-s3-logs-${bucketSuffix}`;
    this.auditKeyAlias = `alias/gateward/${gatewayName}/audit`;
    this.auditReplicationRoleName = `${gatewayName}-audit-replication`;
    this.trailDeliveryRoleName = `${gatewayName}-trail-delivery`;
    this.keyAgeCheckRoleName = `${gatewayName}-key-age-check`;
    this.keyAgeCheckLogGroupName = `/gateward/${gatewayName}/key-age-check`;
    this.routerFunctionName = `${gatewayName}-router`;
    this.apiName = `${gatewayName}-api`;
    this.webAclName = `${gatewayName}-api`;
    this.wafLogGroupName = `aws-waf-logs-${gatewayName}`;
    this.vaultAwsAuthMountPath = `${gatewayName}/aws`;
    this.vaultRouterAuthRoleName = 'router';
    this.vaultRouterPolicyName = `${gatewayName}-router`;
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
   * The ARN of the decision log group, built from its name.
   */
  public decisionLogGroupArn(): string {
    return `arn:${this.partition}:logs:${this.aws.region}:${this.aws.account}:log-group:${this.decisionLogGroupName}`;
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

  // ---- Vault --------------------------------------------------------------------------------

  /**
   * Mount path of a tenant's AWS secrets engine. One mount per tenant, so a tenant's leases share
   * the prefix `vaultLeasePrefix(tenantId)` and can be revoked in one call.
   */
  public vaultAwsSecretsMountPath(tenantId: string): string {
    return `${this.vaultLeasePrefix(tenantId)}aws`;
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
