import {
  DataAccess, DataStoreEngine, EksServiceAccountSpec, GatewayOwners, GatewaySpec, TenantSpec, VaultEdition, VaultServerSpec, WorkloadSpec,
} from './gateway-spec';
import { DEFAULT_KEY_ROTATION_DAYS } from './key-rotation';
import { GatewayNaming } from './naming';
import { GLOBAL_GEOGRAPHY, splitInferenceProfileId } from './private/aws-facts';
import { vaultFeatures } from './private/vault-features';
import { ResolvedTtlPolicy, TtlLimits } from './ttl-limits';
import { GatewaySpecValidator } from './validation';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';

const DEFAULT_POSTGRES_PORT = 5432;

/**
 * The kinds of downstream target a tenant's calls reach through an assumed target role.
 */
export enum TargetKind {
  /** Bedrock model invocation on the tenant's exact models. */
  BEDROCK_MODELS = 'bedrock-models',
  /** Reading one third-party provider key. */
  PROVIDER_KEY = 'provider-key',
}

/**
 * A workload after validation, with its tenant and suspension state.
 */
export interface WorkloadBlueprint {
  /** The workload id. */
  readonly id: string;
  /** The tenant the workload belongs to. */
  readonly tenantId: string;
  /** True when the workload or its tenant is suspended. */
  readonly suspended: boolean;
  /**
   * What the workload is.
   *
   * @default - no description
   */
  readonly description?: string;
  /**
   * The workload's IAM role.
   *
   * @default - the workload is a Kubernetes service account
   */
  readonly roleArn?: string;
  /**
   * The workload's service account, with its audience defaulted.
   *
   * @default - the workload is an IAM role
   */
  readonly eksServiceAccount?: EksServiceAccountSpec;
  /** The Cedar entity id of the workload. */
  readonly cedarId: string;
}

/**
 * A system-defined inference profile after validation.
 */
export interface InferenceProfileBlueprint {
  /** The profile id, e.g. `us.anthropic.claude-sonnet-4-20250514-v1:0`. */
  readonly id: string;
  /** The profile's geography, e.g. `us` or `global`. */
  readonly geography: string;
  /** The foundation model the profile routes to. */
  readonly foundationModelId: string;
  /** The regions the profile routes to; empty for `global` profiles. */
  readonly destinationRegions: string[];
}

/**
 * A provider key after validation, with its derived names.
 */
export interface ProviderKeyBlueprint {
  /** The key id. */
  readonly id: string;
  /** The provider the key belongs to. */
  readonly provider: string;
  /** How often the key must be replaced, in days. */
  readonly rotationPeriodDays: number;
  /**
   * What the key is for.
   *
   * @default - no description
   */
  readonly description?: string;
  /** The Secrets Manager secret name. */
  readonly secretName: string;
}

/**
 * One target role of a tenant: the only identity through which the tenant's calls reach a model
 * or read a key. Vault assumes it on demand; nothing holds it standing.
 */
export interface TargetBlueprint {
  /** The tenant the target belongs to. */
  readonly tenantId: string;
  /** The target id within the tenant: `models` or `key-<key id>`. */
  readonly id: string;
  /** What the target role may do. */
  readonly kind: TargetKind;
  /** The target role's name. */
  readonly roleName: string;
  /** The target role's ARN, built from its name, in the gateway's target role path. */
  readonly roleArn: string;
  /** The tenant's Vault AWS secrets mount. */
  readonly vaultMountPath: string;
  /** The Vault role in that mount that assumes the target role. */
  readonly vaultRoleName: string;
  /** The Vault path the target's STS credentials are read from. */
  readonly vaultCredentialsPath: string;
  /**
   * The key the target reads.
   *
   * @default - not a provider-key target
   */
  readonly providerKey?: ProviderKeyBlueprint;
}

/**
 * A data store after validation, with defaults and derived names.
 */
export interface DataStoreBlueprint {
  /** The tenant the store belongs to. */
  readonly tenantId: string;
  /** The store id. */
  readonly id: string;
  /** The database engine. */
  readonly engine: DataStoreEngine;
  /** The database host. */
  readonly host: string;
  /** The database port. */
  readonly port: number;
  /** The database name. */
  readonly database: string;
  /** The tenant's schema. */
  readonly schema: string;
  /** What the tenant's credentials may do in the schema. */
  readonly access: DataAccess;
  /** The tenant's Vault database mount. */
  readonly vaultMountPath: string;
  /** The Vault connection name in that mount. */
  readonly vaultConnectionName: string;
  /** The Vault role name in that mount. */
  readonly vaultRoleName: string;
  /** The Vault path the store's dynamic credentials are read from. */
  readonly vaultCredentialsPath: string;
  /** The Cedar entity id of the store's dataset. */
  readonly cedarDatasetId: string;
}

/**
 * A guardrail a tenant may apply, with its ARN.
 */
export interface GuardrailBlueprint {
  /** The guardrail id. */
  readonly id: string;
  /**
   * The one version the tenant may apply.
   *
   * @default - any version
   */
  readonly version?: string;
  /** The guardrail's ARN in the gateway's account and region (`GatewayNaming.guardrailArn`). */
  readonly arn: string;
}

/**
 * A tenant after validation: its workloads, grants and targets.
 */
export interface TenantBlueprint {
  /** The tenant id. */
  readonly id: string;
  /**
   * What the tenant is.
   *
   * @default - no description
   */
  readonly description?: string;
  /** True when the tenant is suspended. */
  readonly suspended: boolean;
  /** The tenant's workloads. */
  readonly workloads: WorkloadBlueprint[];
  /** Foundation models the tenant may invoke in the gateway region. */
  readonly foundationModels: string[];
  /** Inference profiles the tenant may invoke. */
  readonly inferenceProfiles: InferenceProfileBlueprint[];
  /** Guardrails the tenant's Bedrock calls may apply. */
  readonly guardrails: GuardrailBlueprint[];
  /** The tenant's target roles, one per purpose. */
  readonly targets: TargetBlueprint[];
  /** The tenant's data stores. */
  readonly dataStores: DataStoreBlueprint[];
  /** Tools the tenant's workloads may call. */
  readonly tools: string[];
  /** The Cedar entity id of the tenant. */
  readonly cedarId: string;
  /**
   * The tenant's router cell: the compute identity that serves this tenant alone.
   *
   * @default - none when the tenant has no target (nothing for a router to call)
   */
  readonly router?: TenantRouterBlueprint;
}

/**
 * One tenant's router cell: its own function, IAM role, Vault auth role and Vault policy. No
 * other tenant's credentials are reachable from it.
 */
export interface TenantRouterBlueprint {
  /** The router role's name. */
  readonly roleName: string;
  /** The router role's ARN. */
  readonly roleArn: string;
  /** The router function's name. */
  readonly functionName: string;
  /** The router's role in the Vault AWS auth method. */
  readonly vaultAuthRoleName: string;
  /** The Vault policy the router's tokens carry. */
  readonly vaultPolicyName: string;
}

/**
 * The Vault server after defaults, with what its edition and version support.
 */
export interface VaultServerBlueprint {
  /** The server's address. */
  readonly address: string;
  /** The value of the `X-Vault-AWS-IAM-Server-ID` header logins must carry. */
  readonly iamServerIdHeaderValue: string;
  /** The server edition. */
  readonly edition: VaultEdition;
  /** The server version. */
  readonly version: string;
  /** True when the AWS engines can assume roles with plugin identity tokens (Enterprise 1.16+). */
  readonly pluginWorkloadIdentity: boolean;
  /** True when the AWS auth method's client can act through a plugin identity token (Enterprise 1.17+). */
  readonly authWorkloadIdentity: boolean;
  /** True when root credentials can be rotated on a schedule by Vault itself (Enterprise 1.19+). */
  readonly automatedRootRotation: boolean;
  /**
   * The plugin identity token audience with which Vault assumes the broker role.
   *
   * @default - no workload identity federation
   */
  readonly workloadIdentityAudience?: string;
}

/**
 * A validated gateway spec with every default applied and every physical name derived: what both
 * planes build from. Creating one validates the spec and throws one error listing every problem.
 */
export class GatewayBlueprint {
  /**
   * Validates the spec and resolves it. Throws one `GatewayValidationError` that lists every problem.
   */
  public static fromSpec(spec: GatewaySpec): GatewayBlueprint {
    GatewaySpecValidator.validate(spec);
    return new GatewayBlueprint(spec);
  }

  /**
   * Resolves a spec its caller has already validated, with the caller's own props, in one pass:
   * the planes' entry point, so that each input is validated once.
   *
   * @internal
   */
  public static _fromValidatedSpec(spec: GatewaySpec): GatewayBlueprint {
    return new GatewayBlueprint(spec);
  }

  /** The spec as given. */
  public readonly spec: GatewaySpec;
  /** The gateway name. */
  public readonly name: string;
  /** The AWS account id (literal or token). */
  public readonly account: string;
  /** The AWS region. */
  public readonly region: string;
  /** The AWS partition. */
  public readonly partition: string;
  /** The three owners. */
  public readonly owners: GatewayOwners;
  /** Every physical name of the gateway. */
  public readonly naming: GatewayNaming;
  /** Credential lifetimes with defaults applied. */
  public readonly ttls: ResolvedTtlPolicy;
  /** The tenants, in spec order. */
  public readonly tenants: TenantBlueprint[];
  /** Whether target-role sessions carry the gateway and tenant tags. */
  public readonly sessionTags: boolean;

  /**
   * The Vault server.
   *
   * @default - the spec names no Vault server
   */
  public readonly vault?: VaultServerBlueprint;

  // The blueprint never changes once built, and the AWS plane asks for these once per tenant:
  // computed on first use, so a gateway of n tenants is not n times a walk of every tenant.
  private allTargets?: TargetBlueprint[];
  private allWorkloads?: WorkloadBlueprint[];
  private tenantsById?: Map<string, TenantBlueprint>;

  private constructor(spec: GatewaySpec) {
    this.spec = spec;
    this.name = spec.name;
    this.account = spec.aws.account;
    this.region = spec.aws.region;
    this.partition = spec.aws.partition ?? 'aws';
    this.owners = spec.owners;
    this.naming = GatewayNaming.forSpec(spec);
    this.ttls = TtlLimits.resolve(spec.ttls);
    const suspendedTenants = new Set(spec.suspended?.tenants ?? []);
    const suspendedWorkloads = new Set(spec.suspended?.workloads ?? []);
    this.tenants = spec.tenants.map((tenant) => this.resolveTenant(tenant, suspendedTenants.has(tenant.id), suspendedWorkloads));
    this.vault = spec.vault ? resolveVault(spec.vault) : undefined;
    this.sessionTags = spec.sessionTags ?? true;
  }

  /** Every target of every tenant, in spec order. */
  public get targets(): TargetBlueprint[] {
    this.allTargets ??= this.tenants.flatMap((tenant) => tenant.targets);
    return [...this.allTargets];
  }

  /** Every workload of every tenant, in spec order. */
  public get workloads(): WorkloadBlueprint[] {
    this.allWorkloads ??= this.tenants.flatMap((tenant) => tenant.workloads);
    return [...this.allWorkloads];
  }

  /** Every data store of every tenant, in spec order. */
  public get dataStores(): DataStoreBlueprint[] {
    return this.tenants.flatMap((tenant) => tenant.dataStores);
  }

  /**
   * Tags every resource of the gateway carries: the gateway name and its three owners.
   */
  public ownershipTags(): Record<string, string> {
    return {
      [GatewayNaming.GATEWAY_TAG]: this.name,
      [GatewayNaming.POLICY_OWNER_TAG]: this.owners.policy.contact,
      [GatewayNaming.OPERATIONS_OWNER_TAG]: this.owners.operations.contact,
      [GatewayNaming.CREDENTIAL_OWNER_TAG]: this.owners.credentialLifecycle.contact,
    };
  }

  /**
   * The tenant with this id. Throws when there is none.
   */
  public tenant(tenantId: string): TenantBlueprint {
    const tenant = this._findTenant(tenantId);
    if (!tenant) {
      const c = new ProblemCollector();
      c.add('tenantId', tenantId, 'names no tenant of the gateway', `use one of ${this.tenants.map((t) => `"${t.id}"`).join(', ')}`);
      throw new GatewayValidationError(`GatewayBlueprint "${this.name}"`, c.problems);
    }
    return tenant;
  }

  /**
   * The tenant with this id, or undefined (a lookup in a map built once). @internal
   */
  public _findTenant(tenantId: unknown): TenantBlueprint | undefined {
    this.tenantsById ??= new Map(this.tenants.map((t) => [t.id, t]));
    return typeof tenantId === 'string' ? this.tenantsById.get(tenantId) : undefined;
  }

  private resolveTenant(tenant: TenantSpec, suspended: boolean, suspendedWorkloads: Set<string>): TenantBlueprint {
    const naming = this.naming;
    const foundationModels = tenant.foundationModels ?? [];
    const inferenceProfiles = (tenant.inferenceProfiles ?? []).map((profile) => {
      const { geography, foundationModelId } = splitInferenceProfileId(profile.id)!;
      const destinationRegions = geography === GLOBAL_GEOGRAPHY ? [] : [...(profile.destinationRegions ?? [])];
      return { id: profile.id, geography, foundationModelId, destinationRegions };
    });

    const targets: TargetBlueprint[] = [];
    if (foundationModels.length + inferenceProfiles.length > 0) {
      targets.push(this.target(tenant.id, GatewayNaming.MODELS_TARGET_ID, TargetKind.BEDROCK_MODELS));
    }
    for (const key of tenant.providerKeys ?? []) {
      const providerKey: ProviderKeyBlueprint = {
        id: key.id,
        provider: key.provider,
        rotationPeriodDays: key.rotationPeriodDays ?? DEFAULT_KEY_ROTATION_DAYS,
        description: key.description,
        secretName: naming.providerKeySecretName(tenant.id, key.id),
      };
      targets.push(this.target(tenant.id, naming.providerKeyTargetId(key.id), TargetKind.PROVIDER_KEY, providerKey));
    }

    const dataStores = (tenant.dataStores ?? []).map((store): DataStoreBlueprint => ({
      tenantId: tenant.id,
      id: store.id,
      engine: store.engine ?? DataStoreEngine.POSTGRESQL,
      host: store.host,
      port: store.port ?? DEFAULT_POSTGRES_PORT,
      database: store.database,
      schema: store.schema,
      access: store.access ?? DataAccess.READ_ONLY,
      vaultMountPath: naming.vaultDatabaseMountPath(tenant.id),
      vaultConnectionName: store.id,
      vaultRoleName: store.id,
      vaultCredentialsPath: naming.vaultDatabaseCredentialsPath(tenant.id, store.id),
      cedarDatasetId: naming.cedarDatasetId(tenant.id, store.id),
    }));

    return {
      id: tenant.id,
      description: tenant.description,
      suspended,
      workloads: tenant.workloads.map((w) => this.resolveWorkload(w, tenant.id, suspended || suspendedWorkloads.has(w.id))),
      foundationModels: [...foundationModels],
      inferenceProfiles,
      guardrails: (tenant.guardrails ?? []).map((g) => ({ id: g.id, version: g.version, arn: naming.guardrailArn(g.id) })),
      targets,
      dataStores,
      tools: [...(tenant.tools ?? [])],
      cedarId: naming.cedarTenantId(tenant.id),
      router: targets.length === 0 ? undefined : {
        roleName: naming.tenantRouterRoleName(tenant.id),
        roleArn: naming.roleArn(naming.tenantRouterRoleName(tenant.id)),
        functionName: naming.tenantRouterFunctionName(tenant.id),
        vaultAuthRoleName: naming.vaultTenantRouterAuthRoleName(tenant.id),
        vaultPolicyName: naming.vaultTenantRouterPolicyName(tenant.id),
      },
    };
  }

  private resolveWorkload(workload: WorkloadSpec, tenantId: string, suspended: boolean): WorkloadBlueprint {
    const sa = workload.eksServiceAccount;
    return {
      id: workload.id,
      tenantId,
      suspended,
      description: workload.description,
      roleArn: workload.roleArn,
      // The default audience names this gateway, so tokens minted for any other Vault are refused.
      eksServiceAccount: sa ? { ...sa, audience: sa.audience ?? this.naming.workloadTokenAudience } : undefined,
      cedarId: this.naming.cedarWorkloadId(workload.id),
    };
  }

  private target(tenantId: string, id: string, kind: TargetKind, providerKey?: ProviderKeyBlueprint): TargetBlueprint {
    const roleName = this.naming.targetRoleName(tenantId, id);
    return {
      tenantId,
      id,
      kind,
      roleName,
      roleArn: this.naming.targetRoleArn(tenantId, id),
      vaultMountPath: this.naming.vaultAwsSecretsMountPath(tenantId),
      vaultRoleName: id,
      vaultCredentialsPath: this.naming.vaultAwsCredentialsPath(tenantId, id),
      providerKey,
    };
  }
}

const DEFAULT_VAULT_VERSION = '1.15.0';

function resolveVault(vault: VaultServerSpec): VaultServerBlueprint {
  const edition = vault.edition ?? VaultEdition.COMMUNITY;
  const version = vault.version ?? DEFAULT_VAULT_VERSION;
  const { pluginWorkloadIdentity, authWorkloadIdentity, automatedRootRotation } = vaultFeatures(edition, version);
  return {
    address: vault.address,
    iamServerIdHeaderValue: vault.iamServerIdHeaderValue ?? new URL(vault.address).hostname,
    edition,
    version,
    pluginWorkloadIdentity,
    authWorkloadIdentity,
    automatedRootRotation,
    workloadIdentityAudience: vault.workloadIdentityAudience,
  };
}
