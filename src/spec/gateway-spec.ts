/**
 * The one description both planes are built from.
 *
 * Everything here is plain data (so a pipeline can load it from JSON or YAML) and jsii structs
 * (so it reads the same from every language). Nothing is looked up: every physical name is
 * derived from these values by `GatewayNaming`, and `GatewaySpecValidator` checks the whole
 * description up front.
 */

/**
 * Where the AWS plane lives.
 */
export interface AwsEnvironment {
  /**
   * The 12-digit AWS account id the gateway is deployed to. May be an unresolved CDK token
   * (for example `Aws.ACCOUNT_ID`) for an environment-agnostic AWS plane; the Vault plane needs
   * a literal.
   */
  readonly account: string;

  /**
   * The AWS region the gateway is deployed to, e.g. `us-east-1`.
   */
  readonly region: string;

  /**
   * The AWS partition. Must match the region (`cn-*` regions are in `aws-cn`, `us-gov-*` in
   * `aws-us-gov`, and so on).
   *
   * @default 'aws'
   */
  readonly partition?: string;
}

/**
 * One accountable owner of the gateway.
 */
export interface OwnerSpec {
  /**
   * Who answers for this part of the gateway: a team name or an e-mail address. It becomes a tag
   * value on every AWS resource and metadata on Vault objects, so it may contain letters, digits,
   * spaces and `_ . : / = + - @` only (at most 256 characters).
   */
  readonly contact: string;

  /**
   * The IAM role through which this owner acts on the gateway (their pipeline or permission-set
   * role). The credential-lifecycle owner's role may write and rotate provider keys but never
   * read them.
   *
   * @default - the owner has no IAM principal of its own in the gateway's resource policies
   */
  readonly roleArn?: string;
}

/**
 * The three owners every gateway names. Each is accountable for one kind of change.
 */
export interface GatewayOwners {
  /**
   * Accountable for who may use what: the Cedar policies, tenants and their grants.
   */
  readonly policy: OwnerSpec;

  /**
   * Accountable for running the gateway: compute, alarms, audit sinks.
   */
  readonly operations: OwnerSpec;

  /**
   * Accountable for credentials: provider keys, their rotation, Vault engines and TTLs.
   */
  readonly credentialLifecycle: OwnerSpec;
}

/**
 * An EKS (or other Kubernetes) service account, identified by its cluster's OIDC issuer.
 */
export interface EksServiceAccountSpec {
  /**
   * The cluster's OIDC issuer URL, e.g.
   * `https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`.
   * Must be `https://` and have no trailing slash.
   */
  readonly oidcIssuerUrl: string;

  /**
   * The Kubernetes namespace of the service account. An exact name; wildcards are refused.
   */
  readonly namespace: string;

  /**
   * The name of the service account. An exact name; wildcards are refused.
   */
  readonly name: string;

  /**
   * The audience the workload's projected service-account token carries, which Vault's JWT
   * auth method binds to. Give one that names this gateway: a generic audience such as `vault`
   * would accept tokens minted for any other Vault in the organization.
   *
   * @default - `gateward:<gateway name>` (`GatewayNaming.workloadTokenAudience`)
   */
  readonly audience?: string;
}

/**
 * A caller of the gateway: one non-human identity, in exactly one tenant.
 *
 * Set exactly one of `roleArn` and `eksServiceAccount`.
 */
export interface WorkloadSpec {
  /**
   * Unique across the whole gateway. Lower-case letters, digits and single hyphens, starting
   * with a letter, e.g. `support-bot`.
   */
  readonly id: string;

  /**
   * What the workload is, for reviewers.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The IAM role the workload runs as (an exact role ARN, not an assumed-role session ARN).
   *
   * @default - the workload proves its identity with `eksServiceAccount`
   */
  readonly roleArn?: string;

  /**
   * The Kubernetes service account the workload runs as.
   *
   * @default - the workload proves its identity with `roleArn`
   */
  readonly eksServiceAccount?: EksServiceAccountSpec;
}

/**
 * A system-defined cross-region inference profile a tenant may invoke.
 */
export interface InferenceProfileSpec {
  /**
   * The inference-profile id: a geography prefix and a foundation-model id, e.g.
   * `us.anthropic.claude-sonnet-4-20250514-v1:0`. `global.` profiles are supported.
   */
  readonly id: string;

  /**
   * The regions the profile routes requests to. The gateway grants the foundation model in each
   * of them (Bedrock authorizes the model in the destination region), so list them exactly as
   * the profile documents them. Required for geographic profiles; leave it out for `global.`
   * profiles, which are authorized against the region-less foundation-model ARN.
   *
   * @default - none; required unless the profile is `global.`
   */
  readonly destinationRegions?: string[];
}

/**
 * A Bedrock guardrail a tenant's Bedrock calls may apply (Converse's `guardrailConfig`).
 */
export interface GuardrailSpec {
  /**
   * The guardrail id as Bedrock names it: lower-case letters and digits, e.g. `gr0abc123xyz`
   * (not the ARN). The guardrail lives in the gateway's account and region.
   */
  readonly id: string;

  /**
   * The one version the tenant may apply: a version number (`1`, `2`, ...) or `DRAFT`.
   *
   * @default - any version of the guardrail
   */
  readonly version?: string;
}

/**
 * A third-party model provider's API key that one tenant's calls may use.
 */
export interface ProviderKeySpec {
  /**
   * Unique within the tenant. Lower-case letters, digits and single hyphens, e.g. `openai`.
   */
  readonly id: string;

  /**
   * The provider the key belongs to, e.g. `openai`, `anthropic`, `cohere`.
   */
  readonly provider: string;

  /**
   * How often the key must be replaced, in days. At most 90.
   *
   * @default 30
   */
  readonly rotationPeriodDays?: number;

  /**
   * What the key is for, for reviewers.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * The database engines the gateway issues dynamic credentials for.
 */
export enum DataStoreEngine {
  /** PostgreSQL (including Aurora PostgreSQL and pgvector). */
  POSTGRESQL = 'postgresql',
}

/**
 * What a tenant's dynamic database credentials may do in its schema.
 */
export enum DataAccess {
  /** `SELECT` on the tenant's schema. */
  READ_ONLY = 'read-only',
  /** `SELECT, INSERT, UPDATE, DELETE` on the tenant's schema; never DDL. */
  READ_WRITE = 'read-write',
}

/**
 * A database schema a tenant's calls may read (or write), reached with dynamic credentials.
 */
export interface DataStoreSpec {
  /**
   * Unique within the tenant. Lower-case letters, digits and single hyphens, e.g. `kb-vectors`.
   */
  readonly id: string;

  /**
   * The database engine.
   *
   * @default DataStoreEngine.POSTGRESQL
   */
  readonly engine?: DataStoreEngine;

  /**
   * The database host name or IP address, without scheme or port.
   */
  readonly host: string;

  /**
   * The database port.
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * The database name.
   */
  readonly database: string;

  /**
   * The schema that holds this tenant's data. Credentials are granted on this schema only.
   */
  readonly schema: string;

  /**
   * What the tenant's credentials may do in the schema.
   *
   * @default DataAccess.READ_ONLY
   */
  readonly access?: DataAccess;
}

/**
 * A tenant: a group of workloads and everything they may use. Nothing crosses tenants.
 */
export interface TenantSpec {
  /**
   * Unique across the gateway. Lower-case letters, digits and single hyphens, starting with a
   * letter, e.g. `support`.
   */
  readonly id: string;

  /**
   * What the tenant is, for reviewers.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The workloads that call the gateway on the tenant's behalf. At least one.
   */
  readonly workloads: WorkloadSpec[];

  /**
   * Bedrock foundation-model ids the tenant may invoke in the gateway's region, e.g.
   * `anthropic.claude-3-5-haiku-20241022-v1:0`.
   *
   * @default - none
   */
  readonly foundationModels?: string[];

  /**
   * Bedrock cross-region inference profiles the tenant may invoke.
   *
   * @default - none
   */
  readonly inferenceProfiles?: InferenceProfileSpec[];

  /**
   * Bedrock guardrails the tenant's Bedrock calls may apply. Only for a tenant with
   * `foundationModels` or `inferenceProfiles`; a request that names any other guardrail is refused.
   *
   * @default - none; a request with a guardrail is refused
   */
  readonly guardrails?: GuardrailSpec[];

  /**
   * Third-party provider keys the tenant's calls may use.
   *
   * @default - none
   */
  readonly providerKeys?: ProviderKeySpec[];

  /**
   * Data stores the tenant's calls may read (or write).
   *
   * @default - none
   */
  readonly dataStores?: DataStoreSpec[];

  /**
   * Ids of the tools the tenant's workloads may call, e.g. `web-search`.
   *
   * @default - none
   */
  readonly tools?: string[];
}

/**
 * Default and maximum lifetime of one kind of issued credential.
 */
export interface TtlBounds {
  /**
   * Lifetime of a credential when the caller does not ask for one, in seconds.
   *
   * @default - depends on the credential kind; see `TtlLimits`
   */
  readonly defaultSeconds?: number;

  /**
   * Longest lifetime a caller may ask for, in seconds. Never above the kind's ceiling.
   *
   * @default - depends on the credential kind; see `TtlLimits`
   */
  readonly maxSeconds?: number;
}

/**
 * Lifetimes of every credential the gateway issues. Short by default, capped by hard ceilings.
 */
export interface TtlPolicy {
  /**
   * STS credentials for target roles (Bedrock, provider keys). Ceiling 1 hour, floor 15 minutes
   * (the shortest session STS issues).
   *
   * @default - 15 minutes by default, 1 hour at most
   */
  readonly cloudCredentials?: TtlBounds;

  /**
   * Vault tokens issued to the router and to workloads. Ceiling 1 hour: a gateway token is
   * re-issued by logging in again, never renewed.
   *
   * @default - 15 minutes by default, 1 hour at most
   */
  readonly vaultTokens?: TtlBounds;

  /**
   * Dynamic database users. Ceiling 24 hours.
   *
   * @default - 15 minutes by default, 1 hour at most
   */
  readonly databaseCredentials?: TtlBounds;
}

/**
 * Tenants and workloads that are suspended: they keep their definitions but every request is
 * refused and no credential is issued for them. Suspension is a data change, not a code change.
 */
export interface SuspensionSpec {
  /**
   * Ids of suspended tenants.
   *
   * @default - none
   */
  readonly tenants?: string[];

  /**
   * Ids of suspended workloads.
   *
   * @default - none
   */
  readonly workloads?: string[];
}

/**
 * The Vault editions, which differ in what the Vault plane may configure.
 */
export enum VaultEdition {
  /** Vault Community Edition (or OpenBao with the AWS plugins). */
  COMMUNITY = 'community',
  /** Vault Enterprise: plugin workload identity federation (1.16+) and automated root rotation (1.19+). */
  ENTERPRISE = 'enterprise',
}

/**
 * The Vault server the gateway's Vault plane configures.
 */
export interface VaultServerSpec {
  /** The server's address, `https://` only, e.g. `https://vault.acme.example:8200`. */
  readonly address: string;

  /**
   * The value the AWS IAM auth method requires in the `X-Vault-AWS-IAM-Server-ID` header of a
   * signed login, so a login signed for one Vault cannot be replayed against another.
   *
   * @default - the host name of `address`
   */
  readonly iamServerIdHeaderValue?: string;

  /**
   * The server edition.
   *
   * @default VaultEdition.COMMUNITY
   */
  readonly edition?: VaultEdition;

  /**
   * The server version, `major.minor.patch`. Features are configured only where the version
   * supports them; a field the server would silently ignore is never written.
   *
   * @default '1.15.0' (the oldest version the Terraform provider supports)
   */
  readonly version?: string;

  /**
   * The plugin identity token audience with which Vault's AWS secrets engines assume the broker
   * role, and its AWS auth method the verifier role, through workload identity federation (Vault
   * Enterprise 1.17+). Both planes read it: the
   * Vault plane sends it, the AWS plane's broker trust requires it.
   *
   * @default - Vault's own AWS credentials resolve to the broker role (no federation)
   */
  readonly workloadIdentityAudience?: string;
}

/**
 * The description of one LLM gateway, from which both the AWS plane and the Vault plane are built.
 */
export interface GatewaySpec {
  /**
   * The gateway's name: the prefix of every physical name. Lower-case letters, digits and single
   * hyphens, starting with a letter, 3 to 32 characters, e.g. `acme-llm`.
   */
  readonly name: string;

  /**
   * Where the AWS plane lives.
   */
  readonly aws: AwsEnvironment;

  /**
   * The three accountable owners.
   */
  readonly owners: GatewayOwners;

  /**
   * The tenants. At least one.
   */
  readonly tenants: TenantSpec[];

  /**
   * The Vault server. Required to build the Vault plane.
   *
   * @default - no Vault plane can be built from this spec
   */
  readonly vault?: VaultServerSpec;

  /**
   * Lifetimes of issued credentials.
   *
   * @default - 15-minute defaults; 1-hour maxima
   */
  readonly ttls?: TtlPolicy;

  /**
   * Suspended tenants and workloads.
   *
   * @default - nothing is suspended
   */
  readonly suspended?: SuspensionSpec;

  /**
   * Whether Vault tags each target-role session with the gateway and tenant (`sts:TagSession`).
   * Both planes read it: the Vault plane sends the tags, the AWS plane allows and requires them.
   *
   * @default true
   */
  readonly sessionTags?: boolean;
}
