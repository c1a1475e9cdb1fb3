import { DataAccess, DataStoreEngine, GatewaySpec, VaultEdition } from './gateway-spec';
import { hasWildcard, parseRoleArn } from './identifiers';
import { DEFAULT_KEY_ROTATION_DAYS, MAX_KEY_ROTATION_DAYS } from './key-rotation';
import { GatewayNaming, NameKind } from './naming';
import { FOUNDATION_MODEL_ID, GLOBAL_GEOGRAPHY, KNOWN_GEOGRAPHIES, regionInGeography, splitInferenceProfileId } from './private/aws-facts';
import {
  asArray, asObject, checkAccountId, checkHeaderValue, checkHost, checkHttpsAddress, checkIssuerUrl, checkKubernetesName, checkNoDuplicates,
  checkOptionalText, checkPartition, checkPresentString, checkRegion, checkRegionInPartition, checkRoleArn, checkSlug, checkSqlIdentifier,
  checkTagValue, checkWholeNumber,
} from './private/field-rules';
import { checkKnownKeys } from './private/known-keys';
import { checkDerivedNames, DerivedName, NamedTenant, NamedWorkload } from './private/name-limit-rules';
import { SpecStructName, specFields } from './private/spec-fields';
import { vaultFeatures } from './private/vault-features';
import { isUnresolved } from './tokens';
import { TtlLimit, TtlLimits } from './ttl-limits';
import { GUARDRAIL_VERSION_PATTERN } from '../contract/chat-request-schema';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { join, ProblemCollector } from '../problems/problem-collector';
import type { SpecProblem } from '../problems/spec-problem';

const ID_MAX = 63;
const DESCRIPTION_MAX = 256;
const TOOL_ID = /^[a-z][a-z0-9_-]{0,63}$/;
/** A guardrail id as Bedrock's CreateGuardrail returns it (the ARN's last part). */
const GUARDRAIL_ID = /^[a-z0-9]{1,64}$/;
const GUARDRAIL_VERSION = new RegExp(GUARDRAIL_VERSION_PATTERN);
const OWNER_KEYS = ['policy', 'operations', 'credentialLifecycle'] as const;

/**
 * Checks a whole gateway spec up front and reports every problem at once, each with its path in
 * the spec, the offending value and how to fix it.
 *
 * Values that are unresolved CDK or CDKTF tokens are not checked as literals, except where a
 * literal is needed to derive physical names or SQL (ids, schema names).
 */
export class GatewaySpecValidator {
  /**
   * Every problem in the spec; empty when it is valid.
   */
  public static problems(spec: GatewaySpec): SpecProblem[] {
    return new SpecWalk().run(spec);
  }

  /**
   * Throws one `GatewayValidationError` that lists every problem in the spec; returns when it is valid.
   */
  public static validate(spec: GatewaySpec): void {
    const problems = GatewaySpecValidator.problems(spec);
    if (problems.length > 0) {
      throw new GatewayValidationError(describe(spec), problems);
    }
  }

  private constructor() {}
}

function describe(spec: unknown): string {
  const name = (spec as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? `GatewaySpec "${name}"` : 'GatewaySpec';
}

interface WorkloadFacts {
  readonly path: string;
  readonly id?: string;
  readonly eksIssuer?: string;
  /** The role's identity (`roleIdentity`) when the workload is a valid literal role ARN. */
  readonly roleIdentity?: string;
}

/** Where a literal role ARN was given, and the identity it stands for. */
interface RoleReference {
  readonly path: string;
  readonly value: string;
  readonly identity: string;
  readonly account: string;
  readonly name: string;
}

interface TenantFacts {
  readonly path: string;
  readonly id?: string;
  readonly hasBedrock: boolean;
  readonly keys: Array<{ path: string; id: string }>;
  readonly stores: Array<{ path: string; id: string }>;
  readonly workloads: WorkloadFacts[];
}

type Struct = Record<string, unknown>;

/** The PostgreSQL schema every role may use and create objects in by default: never a tenant's. */
const SHARED_SCHEMA = 'public';

/**
 * The identity a role ARN stands for. A role session names its role without the path, and role
 * names are unique per account whatever their case: two ARNs that differ only there are one role.
 */
function roleReference(path: string, arn: string): RoleReference {
  // Only called for ARNs checkRoleArn accepted.
  const parts = parseRoleArn(arn)!;
  const { partition, account } = parts;
  const name = parts.name.toLowerCase();
  return { path, value: arn, identity: `arn:${partition}:iam::${account}:role/${name}`, account, name };
}

/**
 * One pass over a spec. The spec may come from JSON, so every field is checked for its type.
 */
class SpecWalk {
  private readonly c = new ProblemCollector();
  private partition?: string;
  private region?: string;
  private account?: string;
  // Where each workload id and each workload identity was first seen, to catch reuse across tenants.
  private readonly workloadOwners = new Map<string, { tenant: number; path: string }>();
  private readonly identityOwners = new Map<string, { tenant: number; path: string }>();
  // Owner roles, keyed by owner, to keep duties apart from the identities they govern.
  private readonly ownerRoles: RoleReference[] = [];
  private readonly workloadRoles: RoleReference[] = [];
  // The first tenant to claim each database schema (host, port, database, schema).
  private readonly schemaOwners = new Map<string, { tenant: number; path: string }>();

  public run(input: GatewaySpec): SpecProblem[] {
    const spec = this.struct('', input, 'the gateway spec', true, 'GatewaySpec');
    if (!spec) return this.c.problems;

    const nameValid = checkSlug(this.c, 'name', spec.name, 'gateway name', 32, 3);
    this.checkAws(spec.aws);
    this.checkOwners(spec.owners);
    const tenants = this.checkTenants(spec.tenants);
    this.checkVault(spec.vault);
    this.checkTtls(spec.ttls);
    this.checkSuspended(spec.suspended, tenants);
    if (spec.sessionTags !== undefined && typeof spec.sessionTags !== 'boolean') {
      this.c.add('sessionTags', spec.sessionTags, 'must be true or false', 'give true (the default: every target-role session carries the gateway and tenant tags) or false');
    }
    if (nameValid) {
      const names = this.derivedNames(spec.name as string, tenants);
      checkDerivedNames(this.c, names);
      this.checkRoleSeparation(names);
    }
    return this.c.problems;
  }

  /**
   * An object of one spec struct: anything else is reported, and so is every key the struct
   * does not have (a misspelt optional field would otherwise be silently ignored).
   */
  private struct(path: string, value: unknown, what: string, required: boolean, type: SpecStructName): Struct | undefined {
    const struct = asObject(this.c, path, value, what, required);
    if (struct) checkKnownKeys(this.c, path, struct, specFields(type), `${what.replace(/ \(.*\)$/, '')} (${type})`);
    return struct;
  }

  /**
   * Owners govern the gateway's identities, so none may be one of them: a credential-lifecycle
   * owner that is also a target role could read the keys it rotates, and a workload that is also
   * a gateway role would call the gateway with the gateway's own rights.
   */
  private checkRoleSeparation(names: DerivedName[]): void {
    const gatewayRoles = new Map<string, DerivedName>();
    if (this.account !== undefined) {
      for (const derived of names) {
        const name = derived.name.toLowerCase();
        if (derived.kind === NameKind.IAM_ROLE && !gatewayRoles.has(name)) gatewayRoles.set(name, derived);
      }
    }
    const gatewayRole = (role: RoleReference) => (role.account === this.account ? gatewayRoles.get(role.name) : undefined);
    for (const owner of this.ownerRoles) {
      const clash = gatewayRole(owner);
      if (clash) {
        this.c.add(owner.path, owner.value, `is the gateway's own role "${clash.name}", which an owner must not be`, 'give the owner a role of its own, outside the gateway');
        continue;
      }
      const workload = this.workloadRoles.find((w) => w.identity === owner.identity);
      if (workload) {
        this.c.add(owner.path, owner.value, `is also the workload role at ${workload.path}; an owner must not be an identity it governs`, 'give the owner and the workload separate roles');
      }
    }
    for (const workload of this.workloadRoles) {
      const clash = gatewayRole(workload);
      if (clash) {
        this.c.add(workload.path, workload.value, `is the gateway's own role "${clash.name}"; a workload calls the gateway from outside it`, 'give the workload a role of its own');
      }
    }
  }

  private checkAws(value: unknown): void {
    const aws = this.struct('aws', value, 'the AWS environment (account, region)', true, 'AwsEnvironment');
    if (!aws) return;
    if (checkAccountId(this.c, 'aws.account', aws.account)) this.account = aws.account as string;
    const regionValid = checkRegion(this.c, 'aws.region', aws.region);
    const partitionValid = checkPartition(this.c, 'aws.partition', aws.partition);
    if (partitionValid) this.partition = (aws.partition as string | undefined) ?? 'aws';
    if (regionValid) this.region = aws.region as string;
    if (regionValid && partitionValid) {
      checkRegionInPartition(this.c, aws.partition === undefined ? 'aws.region' : 'aws.partition', this.region!, this.partition!);
    }
  }

  private checkOwners(value: unknown): void {
    const owners = this.struct('owners', value, 'the gateway owners (policy, operations, credentialLifecycle)', true, 'GatewayOwners');
    if (!owners) return;
    for (const key of OWNER_KEYS) {
      const path = join('owners', key);
      const owner = owners[key];
      if (owner === undefined || owner === null) {
        this.c.add(path, owner, `the ${ownerTitle(key)} owner is missing; every gateway names three accountable owners`, `add ${path}: { contact: "<team or e-mail>" }`);
        continue;
      }
      const struct = this.struct(path, owner, `the ${ownerTitle(key)} owner`, true, 'OwnerSpec');
      if (!struct) continue;
      checkTagValue(this.c, join(path, 'contact'), struct.contact, `the ${ownerTitle(key)} owner's contact`);
      if (struct.roleArn !== undefined) {
        const rolePath = join(path, 'roleArn');
        if (checkRoleArn(this.c, rolePath, struct.roleArn, this.partition, `the ${ownerTitle(key)} owner's role`)) {
          this.ownerRoles.push(roleReference(rolePath, struct.roleArn as string));
        }
      }
    }
  }

  private checkTenants(value: unknown): TenantFacts[] {
    const list = asArray(this.c, 'tenants', value, 'tenants', true);
    if (Array.isArray(value) && list.length === 0) {
      this.c.add('tenants', value, 'a gateway needs at least one tenant', 'add a tenant with its workloads and grants');
    }
    const facts = list.map((tenant, index) => this.checkTenant(join('tenants', index), index, tenant));
    const unique = checkNoDuplicates(this.c, facts.filter((t) => t.id !== undefined).map((t) => ({ path: join(t.path, 'id'), id: t.id!, facts: t })), 'tenant id');
    // A repeated tenant keeps its workloads (for the suspension check) but derives no names.
    const first = new Set(unique.map((entry) => entry.facts));
    return facts.map((t) => (first.has(t) ? t : { ...t, id: undefined }));
  }

  private checkTenant(path: string, index: number, value: unknown): TenantFacts {
    const tenant = this.struct(path, value, 'a tenant', true, 'TenantSpec');
    // Something that is not a tenant is reported once, not again for each field it lacks.
    if (!tenant) return { path, hasBedrock: false, keys: [], stores: [], workloads: [] };
    const id = checkSlug(this.c, join(path, 'id'), tenant.id, 'tenant id', ID_MAX) ? (tenant.id as string) : undefined;
    checkOptionalText(this.c, join(path, 'description'), tenant.description, DESCRIPTION_MAX);

    const workloadList = asArray(this.c, join(path, 'workloads'), tenant.workloads, 'workloads', true);
    if (Array.isArray(tenant.workloads) && workloadList.length === 0) {
      this.c.add(join(path, 'workloads'), tenant.workloads, `tenant ${JSON.stringify(tenant.id)} has no workloads`, 'add the workloads that call the gateway for this tenant, or remove the tenant');
    }
    const workloads = workloadList.map((w, j) => this.checkWorkload(join(join(path, 'workloads'), j), index, w));

    const models = this.checkFoundationModels(join(path, 'foundationModels'), tenant.foundationModels);
    const profiles = this.checkInferenceProfiles(join(path, 'inferenceProfiles'), tenant.inferenceProfiles);
    const keys = this.checkProviderKeys(join(path, 'providerKeys'), tenant.providerKeys);
    const stores = this.checkDataStores(join(path, 'dataStores'), index, tenant.dataStores);
    const tools = this.checkTools(join(path, 'tools'), tenant.tools);
    this.checkGuardrails(join(path, 'guardrails'), tenant.guardrails, models + profiles > 0, tenant.id);

    if (models + profiles + keys.count + stores.count + tools === 0) {
      this.c.add(path, tenant.id, `tenant ${JSON.stringify(tenant.id)} grants nothing`, 'give it at least one of foundationModels, inferenceProfiles, providerKeys, dataStores or tools, or remove it');
    }
    return { path, id, hasBedrock: models + profiles > 0, keys: keys.valid, stores: stores.valid, workloads };
  }

  private checkWorkload(path: string, tenantIndex: number, value: unknown): WorkloadFacts {
    const workload = this.struct(path, value, 'a workload', true, 'WorkloadSpec');
    if (!workload) return { path };
    const validId = checkSlug(this.c, join(path, 'id'), workload.id, 'workload id', ID_MAX);
    checkOptionalText(this.c, join(path, 'description'), workload.description, DESCRIPTION_MAX);
    // Only the first workload with an id derives names from it; a repeat is reported once.
    const id = validId && this.recordWorkloadId(workload.id as string, tenantIndex, join(path, 'id')) ? (workload.id as string) : undefined;

    const hasRole = workload.roleArn !== undefined;
    const hasEks = workload.eksServiceAccount !== undefined;
    if (hasRole === hasEks) {
      this.c.add(path, hasRole ? 'roleArn and eksServiceAccount' : undefined,
        hasRole ? 'a workload proves its identity one way, but both roleArn and eksServiceAccount are set' : 'the workload has no identity',
        'set exactly one of roleArn (an IAM role) or eksServiceAccount (a Kubernetes service account)');
      return { path, id };
    }
    if (hasRole) {
      const rolePath = join(path, 'roleArn');
      if (checkRoleArn(this.c, rolePath, workload.roleArn, this.partition, 'the workload role')) {
        const role = roleReference(rolePath, workload.roleArn as string);
        this.workloadRoles.push(role);
        this.recordIdentity(role.identity, tenantIndex, rolePath, workload.roleArn);
      }
      return { path, id };
    }
    return { path, id, eksIssuer: this.checkServiceAccount(join(path, 'eksServiceAccount'), tenantIndex, workload.eksServiceAccount) };
  }

  /** Returns the issuer URL when the service account is fully valid. */
  private checkServiceAccount(path: string, tenantIndex: number, value: unknown): string | undefined {
    const sa = this.struct(path, value, 'the EKS service account', true, 'EksServiceAccountSpec');
    if (!sa) return undefined;
    const issuerValid = checkIssuerUrl(this.c, join(path, 'oidcIssuerUrl'), sa.oidcIssuerUrl);
    const namespaceValid = checkKubernetesName(this.c, join(path, 'namespace'), sa.namespace, 'namespace', false);
    const nameValid = checkKubernetesName(this.c, join(path, 'name'), sa.name, 'service account name', true);
    if (sa.audience !== undefined) {
      const audiencePath = join(path, 'audience');
      if (checkPresentString(this.c, audiencePath, sa.audience, 'the token audience', 'give the audience the projected token carries, one that names this gateway') && !isUnresolved(sa.audience)) {
        if (hasWildcard(sa.audience)) {
          this.c.add(audiencePath, sa.audience, 'contains a wildcard, but the token audience must be exact', 'give the exact audience');
        } else if (/[\u0000-\u001f\u007f\s]/.test(sa.audience) || sa.audience.length > 255) {
          this.c.add(audiencePath, sa.audience, 'must be one token of printable characters without white space (at most 255)', 'give the audience exactly as the projected token carries it');
        }
      }
    }
    if (issuerValid && namespaceValid && nameValid) {
      this.recordIdentity(`${sa.oidcIssuerUrl}#system:serviceaccount:${sa.namespace}:${sa.name}`, tenantIndex, path);
      return sa.oidcIssuerUrl as string;
    }
    return undefined;
  }

  /** A workload identity belongs to one workload: one NHI, one owner, one tenant. */
  private recordIdentity(identity: string, tenantIndex: number, path: string, shown: unknown = identity): void {
    const first = this.identityOwners.get(identity);
    if (!first) {
      this.identityOwners.set(identity, { tenant: tenantIndex, path });
    } else if (first.tenant !== tenantIndex) {
      this.c.add(path, shown, `this identity is also a workload of tenants[${first.tenant}] (${first.path}); a workload belongs to exactly one tenant`, 'give each tenant its own workload identity');
    } else {
      this.c.add(path, shown, `this identity is shared with ${first.path}; two workloads may not share one identity`, 'give each workload its own role or service account, or merge the two workloads');
    }
  }

  /** Returns true for the first workload with this id. */
  private recordWorkloadId(id: string, tenantIndex: number, path: string): boolean {
    const first = this.workloadOwners.get(id);
    if (!first) {
      this.workloadOwners.set(id, { tenant: tenantIndex, path });
      return true;
    }
    if (first.tenant !== tenantIndex) {
      this.c.add(path, id, `workload "${id}" is also listed in tenants[${first.tenant}] (${first.path}); a workload belongs to exactly one tenant`, 'keep the workload in one tenant, or give the other one a different id and identity');
    } else {
      this.c.add(path, id, `duplicate workload id (first defined at ${first.path})`, 'give each workload a unique id');
    }
    return false;
  }

  private checkFoundationModels(path: string, value: unknown): number {
    const list = asArray(this.c, path, value, 'foundationModels', false);
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((model, j) => {
      const itemPath = join(path, j);
      if (!this.checkModelIdShape(itemPath, model, 'foundation-model id')) return;
      const id = model as string;
      if (splitInferenceProfileId(id)) {
        this.c.add(itemPath, id, 'is an inference-profile id, not a foundation-model id', 'move it to inferenceProfiles with its destinationRegions');
      } else if (!FOUNDATION_MODEL_ID.test(id)) {
        this.c.add(itemPath, id, 'is not a Bedrock foundation-model id', 'use an id such as "anthropic.claude-3-5-haiku-20241022-v1:0" (from `aws bedrock list-foundation-models`)');
      } else {
        valid.push({ path: itemPath, id });
      }
    });
    checkNoDuplicates(this.c, valid, 'foundation model');
    return list.length;
  }

  /** Common checks of any model or profile id: a literal string, no wildcard, not an ARN. */
  private checkModelIdShape(path: string, value: unknown, what: string): value is string {
    if (!checkPresentString(this.c, path, value, `the ${what}`, `give the ${what}`)) return false;
    if (isUnresolved(value)) {
      this.c.add(path, value, `the ${what} is an unresolved token, but model ids are written into policies at synth`, `use a literal ${what}`);
      return false;
    }
    if (hasWildcard(value)) {
      this.c.add(path, value, `contains a wildcard, but the ${what} must be exact`, 'list every model the tenant may use; wildcards would grant models nobody reviewed');
      return false;
    }
    if (value.startsWith('arn:')) {
      this.c.add(path, value, 'is an ARN; the gateway builds ARNs itself', `give the bare ${what}, the part after "foundation-model/" or "inference-profile/"`);
      return false;
    }
    return true;
  }

  private checkInferenceProfiles(path: string, value: unknown): number {
    const list = asArray(this.c, path, value, 'inferenceProfiles', false);
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((item, j) => {
      const itemPath = join(path, j);
      const profile = this.struct(itemPath, item, 'an inference profile', true, 'InferenceProfileSpec');
      if (!profile) return;
      const idPath = join(itemPath, 'id');
      if (!this.checkModelIdShape(idPath, profile.id, 'inference-profile id')) return;
      const split = splitInferenceProfileId(profile.id);
      if (!split) {
        const hint = FOUNDATION_MODEL_ID.test(profile.id) ? '; it looks like a foundation-model id, which belongs in foundationModels' : '';
        this.c.add(idPath, profile.id, `is not a system-defined inference-profile id (<geography>.<model id>)${hint}`, `use a geography prefix of ${KNOWN_GEOGRAPHIES.join(', ')}, e.g. "us.anthropic.claude-sonnet-4-20250514-v1:0"`);
        return;
      }
      valid.push({ path: idPath, id: profile.id });
      this.checkProfileRegions(itemPath, profile, split.geography);
    });
    checkNoDuplicates(this.c, valid, 'inference profile');
    return list.length;
  }

  private checkProfileRegions(path: string, profile: Struct, geography: string): void {
    const regionsPath = join(path, 'destinationRegions');
    const regions = profile.destinationRegions;
    if (this.region !== undefined && !regionInGeography(geography, this.region)) {
      this.c.add(join(path, 'id'), profile.id, `a "${geography}" profile cannot be invoked from the gateway's region "${this.region}"`, 'use a profile of the gateway region\'s geography');
    }
    if (geography === GLOBAL_GEOGRAPHY) {
      if (Array.isArray(regions) && regions.length > 0) {
        this.c.add(regionsPath, regions, 'a global profile routes to any commercial region and is authorized against the region-less model ARN', 'leave destinationRegions out for global profiles');
      }
      return;
    }
    const list = asArray(this.c, regionsPath, regions, 'destinationRegions', true);
    if (Array.isArray(regions) && list.length === 0) {
      this.c.add(regionsPath, regions, 'a geographic profile needs the regions it routes to, so the model can be granted in each', 'list the destination regions from the profile\'s documentation');
    }
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((region, k) => {
      const regionPath = join(regionsPath, k);
      if (!checkRegion(this.c, regionPath, region)) return;
      if (!regionInGeography(geography, region as string)) {
        this.c.add(regionPath, region, `is outside the "${geography}" geography of this profile`, 'list only the regions the profile routes to');
        return;
      }
      valid.push({ path: regionPath, id: region as string });
    });
    checkNoDuplicates(this.c, valid, 'destination region');
  }

  private checkProviderKeys(path: string, value: unknown): { count: number; valid: Array<{ path: string; id: string }> } {
    const list = asArray(this.c, path, value, 'providerKeys', false);
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((item, j) => {
      const itemPath = join(path, j);
      const key = this.struct(itemPath, item, 'a provider key', true, 'ProviderKeySpec');
      if (!key) return;
      if (checkSlug(this.c, join(itemPath, 'id'), key.id, 'provider key id', ID_MAX)) valid.push({ path: join(itemPath, 'id'), id: key.id });
      checkSlug(this.c, join(itemPath, 'provider'), key.provider, 'provider name', ID_MAX);
      if (key.rotationPeriodDays !== undefined) {
        checkWholeNumber(this.c, join(itemPath, 'rotationPeriodDays'), key.rotationPeriodDays, 1, MAX_KEY_ROTATION_DAYS, 'days',
          `rotate the key at least every ${MAX_KEY_ROTATION_DAYS} days (the default is ${DEFAULT_KEY_ROTATION_DAYS})`);
      }
      checkOptionalText(this.c, join(itemPath, 'description'), key.description, DESCRIPTION_MAX);
    });
    return { count: list.length, valid: checkNoDuplicates(this.c, valid, 'provider key') };
  }

  private checkDataStores(path: string, tenantIndex: number, value: unknown): { count: number; valid: Array<{ path: string; id: string }> } {
    const list = asArray(this.c, path, value, 'dataStores', false);
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((item, j) => {
      const itemPath = join(path, j);
      const store = this.struct(itemPath, item, 'a data store', true, 'DataStoreSpec');
      if (!store) return;
      if (checkSlug(this.c, join(itemPath, 'id'), store.id, 'data store id', ID_MAX)) valid.push({ path: join(itemPath, 'id'), id: store.id });
      checkEnum(this.c, join(itemPath, 'engine'), store.engine, Object.values(DataStoreEngine), 'engine');
      const hostValid = checkHost(this.c, join(itemPath, 'host'), store.host);
      const portValid = store.port === undefined
        || checkWholeNumber(this.c, join(itemPath, 'port'), store.port, 1, 65535, 'as a TCP port', 'give the database port (PostgreSQL listens on 5432 by default)');
      let databaseValid = checkSqlIdentifier(this.c, join(itemPath, 'database'), store.database, 'database name');
      if (databaseValid && /^template[01]$/.test(store.database as string)) {
        this.c.add(join(itemPath, 'database'), store.database, 'is a PostgreSQL template database, copied into every new database, so it never holds a tenant\'s data',
          'name the database that holds the tenant\'s schema');
        databaseValid = false;
      }
      const schemaPath = join(itemPath, 'schema');
      let schemaValid = checkSqlIdentifier(this.c, schemaPath, store.schema, 'schema name');
      if (schemaValid && store.schema === SHARED_SCHEMA) {
        this.c.add(schemaPath, store.schema, 'is PostgreSQL\'s shared default schema, which every database role can use, so it cannot hold one tenant\'s data',
          'move the tenant\'s tables to a schema of its own and name that schema');
        schemaValid = false;
      }
      checkEnum(this.c, join(itemPath, 'access'), store.access, Object.values(DataAccess), 'access');
      if (hostValid && portValid && databaseValid && schemaValid) {
        this.recordSchema(`${(store.host as string).toLowerCase()}:${store.port ?? 5432}/${store.database as string}/${store.schema as string}`, tenantIndex, schemaPath, store.schema);
      }
    });
    return { count: list.length, valid: checkNoDuplicates(this.c, valid, 'data store') };
  }

  /** One database schema belongs to one tenant: its credentials are granted on the whole schema. */
  private recordSchema(key: string, tenantIndex: number, path: string, shown: unknown): void {
    const first = this.schemaOwners.get(key);
    if (!first) {
      this.schemaOwners.set(key, { tenant: tenantIndex, path });
    } else if (first.tenant !== tenantIndex) {
      this.c.add(path, shown, `is the same database schema as ${first.path} of tenants[${first.tenant}]; each tenant's credentials are granted on its whole schema, so one schema would expose one tenant's data to the other`,
        'give each tenant its own schema');
    }
  }

  private checkTools(path: string, value: unknown): number {
    const list = asArray(this.c, path, value, 'tools', false);
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((tool, j) => {
      const itemPath = join(path, j);
      if (!checkPresentString(this.c, itemPath, tool, 'the tool id', 'give the tool id')) return;
      if (hasWildcard(tool)) {
        this.c.add(itemPath, tool, 'contains a wildcard, but a tool grant must name one tool', 'list every tool the tenant may call');
      } else if (!TOOL_ID.test(tool)) {
        this.c.add(itemPath, tool, 'a tool id may contain lower-case letters, digits, _ and -, starting with a letter (at most 64)', 'rename the tool');
      } else {
        valid.push({ path: itemPath, id: tool });
      }
    });
    checkNoDuplicates(this.c, valid, 'tool');
    return list.length;
  }

  /** Guardrails are applied by Bedrock, so only a tenant with Bedrock models may have any. */
  private checkGuardrails(path: string, value: unknown, hasBedrock: boolean, tenantId: unknown): void {
    const list = asArray(this.c, path, value, 'guardrails', false);
    if (list.length > 0 && !hasBedrock) {
      this.c.add(path, value, `tenant ${JSON.stringify(tenantId)} has no Bedrock models, and a guardrail is applied only to a Bedrock model call`,
        'give the tenant foundationModels or inferenceProfiles, or remove guardrails');
    }
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((item, j) => {
      const itemPath = join(path, j);
      const guardrail = this.struct(itemPath, item, 'a guardrail', true, 'GuardrailSpec');
      if (!guardrail) return;
      const idPath = join(itemPath, 'id');
      if (checkPresentString(this.c, idPath, guardrail.id, 'the guardrail id', 'give the guardrail id Bedrock shows, e.g. "gr0abc123xyz"')) {
        if (!GUARDRAIL_ID.test(guardrail.id)) {
          this.c.add(idPath, guardrail.id, 'a Bedrock guardrail id is lower-case letters and digits only (at most 64), not a name or an ARN',
            'give the id Bedrock shows for the guardrail (the last part of its ARN)');
        } else {
          valid.push({ path: idPath, id: guardrail.id });
        }
      }
      if (guardrail.version !== undefined && (typeof guardrail.version !== 'string' || !GUARDRAIL_VERSION.test(guardrail.version))) {
        this.c.add(join(itemPath, 'version'), guardrail.version, 'is not a guardrail version',
          'give a version number as a string ("1", "2", ...) or "DRAFT", or leave it out to allow every version');
      }
    });
    checkNoDuplicates(this.c, valid, 'guardrail');
  }

  private checkVault(value: unknown): void {
    const vault = this.struct('vault', value, 'the Vault server', false, 'VaultServerSpec');
    if (!vault) return;
    checkHttpsAddress(this.c, 'vault.address', vault.address, 'the Vault address', 'https://vault.acme.example:8200');
    if (vault.iamServerIdHeaderValue !== undefined) {
      if (checkHeaderValue(this.c, 'vault.iamServerIdHeaderValue', vault.iamServerIdHeaderValue, 'the IAM server-id header value')
        && hasWildcard(vault.iamServerIdHeaderValue)) {
        this.c.add('vault.iamServerIdHeaderValue', vault.iamServerIdHeaderValue, 'contains a wildcard, but the header value must be exact', 'give the exact value, usually the Vault host name');
      }
    } else if (isUnresolved(vault.address)) {
      // The header value defaults to the address's host name, which a token does not reveal at synth.
      this.c.add('vault.iamServerIdHeaderValue', undefined, 'is needed because vault.address is an unresolved token, whose host name cannot be read at synth',
        'set iamServerIdHeaderValue to the Vault host name, or give the address as a literal');
    }
    checkEnum(this.c, 'vault.edition', vault.edition, Object.values(VaultEdition), 'Vault edition');
    const versionValid = vault.version === undefined || (typeof vault.version === 'string' && /^\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(vault.version));
    if (!versionValid) {
      this.c.add('vault.version', vault.version, 'is not a major.minor.patch version', 'give the server version, e.g. "1.19.2"');
    }
    if (vault.workloadIdentityAudience !== undefined) {
      this.checkWorkloadIdentityAudience(vault, versionValid);
    }
  }

  /**
   * The audience both planes use for plugin workload identity federation. The AWS secrets engines
   * federate from Enterprise 1.16, the AWS auth method (which reads the router role) from 1.17.
   */
  private checkWorkloadIdentityAudience(vault: Struct, versionValid: boolean): void {
    const path = 'vault.workloadIdentityAudience';
    const audience = vault.workloadIdentityAudience;
    if (!checkPresentString(this.c, path, audience, 'the workload-identity audience', 'give the audience Vault puts in its plugin identity tokens, one that names this gateway')) return;
    if (isUnresolved(audience)) return;
    if (hasWildcard(audience)) {
      this.c.add(path, audience, 'contains a wildcard, but the broker role\'s trust must require one exact audience', 'give the exact audience');
      return;
    }
    if (/[\u0000-\u001f\u007f\s]/.test(audience) || audience.length > 255) {
      this.c.add(path, audience, 'must be one token of printable characters without white space (at most 255)', 'give an audience such as "gateward:<gateway name>"');
      return;
    }
    const edition = vault.edition ?? VaultEdition.COMMUNITY;
    const version = typeof vault.version === 'string' ? vault.version : '1.15.0';
    // Federation needs both the AWS secrets engines and the AWS auth method (which reads the router role) to federate.
    if (versionValid && !vaultFeatures(edition as VaultEdition, version).authWorkloadIdentity) {
      this.c.add(path, audience, `needs Vault Enterprise 1.17 or later (plugin workload identity federation for the AWS secrets engines and the AWS auth method), but the spec names ${String(edition)} ${version}; the Vault plane could not send it and every AssumeRole would fail`,
        'set vault.edition to "enterprise" and vault.version to 1.17.0 or later, or remove workloadIdentityAudience');
    }
  }

  private checkTtls(value: unknown): void {
    const ttls = this.struct('ttls', value, 'the TTL policy', false, 'TtlPolicy');
    if (!ttls) return;
    for (const limit of TtlLimits.all()) {
      const path = join('ttls', limit.kind);
      const bounds = this.struct(path, ttls[limit.kind], `the ${limit.kind} TTLs`, false, 'TtlBounds');
      if (!bounds) continue;
      const defaultValid = this.checkTtlValue(join(path, 'defaultSeconds'), bounds.defaultSeconds, limit);
      const maxValid = this.checkTtlValue(join(path, 'maxSeconds'), bounds.maxSeconds, limit);
      if (defaultValid && maxValid) {
        const resolved = TtlLimits.resolve({ [limit.kind]: bounds });
        const { defaultSeconds, maxSeconds } = resolved[limit.kind];
        if (defaultSeconds > maxSeconds) {
          this.c.add(join(path, 'defaultSeconds'), defaultSeconds, `the default (${defaultSeconds} s) is above the maximum (${maxSeconds} s)`, `lower defaultSeconds to at most ${maxSeconds}, or raise maxSeconds (up to ${limit.ceilingSeconds})`);
        }
      }
    }
  }

  /** True when the value is absent or a valid literal (so the resolved bounds can be compared). */
  private checkTtlValue(path: string, value: unknown, limit: TtlLimit): boolean {
    if (value === undefined) return true;
    if (typeof value === 'number' && isUnresolved(value)) return false;
    if (!checkWholeNumber(this.c, path, value, 1, Number.MAX_SAFE_INTEGER, 'seconds', `give a whole number of seconds between ${limit.floorSeconds} and ${limit.ceilingSeconds}`)) return false;
    if (value > limit.ceilingSeconds) {
      this.c.add(path, value, `is above the ${limit.kind} ceiling of ${limit.ceilingSeconds} s: ${limit.ceilingReason}`, `set at most ${limit.ceilingSeconds}`);
      return false;
    }
    if (value < limit.floorSeconds) {
      this.c.add(path, value, `is below the ${limit.kind} floor of ${limit.floorSeconds} s`, `set at least ${limit.floorSeconds}`);
      return false;
    }
    return true;
  }

  private checkSuspended(value: unknown, tenants: TenantFacts[]): void {
    const suspended = this.struct('suspended', value, 'the suspension list', false, 'SuspensionSpec');
    if (!suspended) return;
    const tenantIds = tenants.map((t) => t.id).filter((id): id is string => id !== undefined);
    const workloadIds = tenants.flatMap((t) => t.workloads.map((w) => w.id)).filter((id): id is string => id !== undefined);
    this.checkSuspendedIds('suspended.tenants', suspended.tenants, tenantIds, 'tenant');
    this.checkSuspendedIds('suspended.workloads', suspended.workloads, workloadIds, 'workload');
  }

  private checkSuspendedIds(path: string, value: unknown, known: string[], what: string): void {
    asArray(this.c, path, value, `suspended ${what}s`, false).forEach((id, j) => {
      const itemPath = join(path, j);
      if (!checkPresentString(this.c, itemPath, id, `the suspended ${what} id`, `give the id of the ${what} to suspend`)) return;
      if (!known.includes(id)) {
        const choices = known.length > 0 ? `use one of ${known.map((k) => JSON.stringify(k)).join(', ')}` : `define the ${what} first`;
        this.c.add(itemPath, id, `suspends ${what} "${id}", which does not exist; a typo here would leave the intended ${what} active`, `${choices}, or remove the entry`);
      }
    });
  }

  /** Every physical name the planes will create from the valid parts of the spec. */
  private derivedNames(gatewayName: string, tenants: TenantFacts[]): DerivedName[] {
    const naming = new GatewayNaming(gatewayName, { account: this.account ?? '000000000000', region: this.region ?? 'us-east-1' });
    const named: NamedTenant[] = [];
    for (const tenant of tenants) {
      if (tenant.id === undefined) continue;
      const workloads: NamedWorkload[] = [];
      for (const workload of tenant.workloads) {
        if (workload.id === undefined || workload.eksIssuer === undefined) continue;
        workloads.push({ path: join(workload.path, 'id'), id: workload.id, eksIssuer: workload.eksIssuer });
      }
      named.push({ path: join(tenant.path, 'id'), id: tenant.id, hasBedrock: tenant.hasBedrock, keys: tenant.keys, stores: tenant.stores, workloads });
    }
    return naming._derivedNames({ path: 'name', literalEnvironment: this.account !== undefined && this.region !== undefined, tenants: named });
  }
}

function checkEnum(c: ProblemCollector, path: string, value: unknown, allowed: string[], what: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    c.add(path, value, `is not a supported ${what}`, `use one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, or leave it out for the default`);
  }
}

function ownerTitle(key: (typeof OWNER_KEYS)[number]): string {
  return key === 'credentialLifecycle' ? 'credential-lifecycle' : key;
}
