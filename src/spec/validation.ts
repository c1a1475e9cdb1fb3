import { DataAccess, DataStoreEngine, GatewaySpec, VaultEdition } from './gateway-spec';
import { GatewayNaming, NameKind } from './naming';
import { FOUNDATION_MODEL_ID, GLOBAL_GEOGRAPHY, KNOWN_GEOGRAPHIES, regionInGeography, splitInferenceProfileId } from './private/aws-facts';
import {
  asArray, asObject, checkAccountId, checkHost, checkIssuerUrl, checkKubernetesName, checkNoDuplicates, checkOptionalText,
  checkPartition, checkPresentString, checkRegion, checkRegionInPartition, checkRoleArn, checkSlug, checkSqlIdentifier,
  checkTagValue, checkWholeNumber, hasWildcard,
} from './private/checks';
import { checkDerivedNames, DerivedName } from './private/name-checks';
import { formatProblems, join, ProblemCollector } from './private/problems';
import { isUnresolved } from './private/tokens';
import { TtlLimit, TtlLimits } from './ttl-limits';

/**
 * One problem found in a gateway spec.
 */
export interface SpecProblem {
  /** Where in the spec, e.g. `tenants[1].workloads[0].roleArn`. */
  readonly path: string;
  /** The offending value as written, or `(missing)`. */
  readonly value: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

const ID_MAX = 63;
const DESCRIPTION_MAX = 256;
const TOOL_ID = /^[a-z][a-z0-9_-]{0,63}$/;
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
   * Throws one error that lists every problem in the spec; returns when it is valid.
   */
  public static validate(spec: GatewaySpec): void {
    const problems = GatewaySpecValidator.problems(spec);
    if (problems.length > 0) {
      throw new GatewaySpecError(describe(spec), problems);
    }
  }

  private constructor() {}
}

/**
 * The error an invalid spec raises. Its message lists every problem.
 */
class GatewaySpecError extends Error {
  constructor(subject: string, public readonly problems: SpecProblem[]) {
    super(formatProblems(subject, problems));
    this.name = 'GatewaySpecError';
  }
}

function describe(spec: unknown): string {
  const name = (spec as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? `GatewaySpec "${name}"` : 'GatewaySpec';
}

interface WorkloadFacts {
  readonly path: string;
  readonly id?: string;
  readonly eksIssuer?: string;
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

  public run(input: GatewaySpec): SpecProblem[] {
    const spec = asObject(this.c, '', input, 'the gateway spec', true);
    if (!spec) return this.c.problems;

    const nameValid = checkSlug(this.c, 'name', spec.name, 'gateway name', 32, 3);
    this.checkAws(spec.aws);
    this.checkOwners(spec.owners);
    const tenants = this.checkTenants(spec.tenants);
    this.checkVault(spec.vault);
    this.checkTtls(spec.ttls);
    this.checkSuspended(spec.suspended, tenants);
    if (nameValid) {
      checkDerivedNames(this.c, this.derivedNames(spec.name as string, tenants));
    }
    return this.c.problems;
  }

  private checkAws(value: unknown): void {
    const aws = asObject(this.c, 'aws', value, 'the AWS environment (account, region)', true);
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
    const owners = asObject(this.c, 'owners', value, 'the gateway owners (policy, operations, credentialLifecycle)', true);
    if (!owners) return;
    for (const key of OWNER_KEYS) {
      const path = join('owners', key);
      const owner = owners[key];
      if (owner === undefined || owner === null) {
        this.c.add(path, owner, `the ${ownerTitle(key)} owner is missing; every gateway names three accountable owners`, `add ${path}: { contact: "<team or e-mail>" }`);
        continue;
      }
      const struct = asObject(this.c, path, owner, `the ${ownerTitle(key)} owner`, true);
      if (!struct) continue;
      checkTagValue(this.c, join(path, 'contact'), struct.contact, `the ${ownerTitle(key)} owner's contact`);
      if (struct.roleArn !== undefined) {
        checkRoleArn(this.c, join(path, 'roleArn'), struct.roleArn, this.partition, `the ${ownerTitle(key)} owner's role`);
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
    const tenant = asObject(this.c, path, value, 'a tenant', true) ?? {};
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
    const stores = this.checkDataStores(join(path, 'dataStores'), tenant.dataStores);
    const tools = this.checkTools(join(path, 'tools'), tenant.tools);

    if (models + profiles + keys.count + stores.count + tools === 0) {
      this.c.add(path, tenant.id, `tenant ${JSON.stringify(tenant.id)} grants nothing`, 'give it at least one of foundationModels, inferenceProfiles, providerKeys, dataStores or tools, or remove it');
    }
    return { path, id, hasBedrock: models + profiles > 0, keys: keys.valid, stores: stores.valid, workloads };
  }

  private checkWorkload(path: string, tenantIndex: number, value: unknown): WorkloadFacts {
    const workload = asObject(this.c, path, value, 'a workload', true) ?? {};
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
        // A role session names its role without the path, and role names are unique per account
        // whatever their case: two ARNs that differ only there are one identity.
        const [, partition, , , account, resource] = (workload.roleArn as string).split(':');
        const identity = `arn:${partition}:iam::${account}:role/${resource.split('/').pop()!.toLowerCase()}`;
        this.recordIdentity(identity, tenantIndex, rolePath, workload.roleArn);
      }
      return { path, id };
    }
    return { path, id, eksIssuer: this.checkServiceAccount(join(path, 'eksServiceAccount'), tenantIndex, workload.eksServiceAccount) };
  }

  /** Returns the issuer URL when the service account is fully valid. */
  private checkServiceAccount(path: string, tenantIndex: number, value: unknown): string | undefined {
    const sa = asObject(this.c, path, value, 'the EKS service account', true);
    if (!sa) return undefined;
    const issuerValid = checkIssuerUrl(this.c, join(path, 'oidcIssuerUrl'), sa.oidcIssuerUrl);
    const namespaceValid = checkKubernetesName(this.c, join(path, 'namespace'), sa.namespace, 'namespace', false);
    const nameValid = checkKubernetesName(this.c, join(path, 'name'), sa.name, 'service account name', true);
    if (sa.audience !== undefined) {
      if (checkPresentString(this.c, join(path, 'audience'), sa.audience, 'the token audience', 'give the audience the projected token carries, e.g. "vault"') && hasWildcard(sa.audience)) {
        this.c.add(join(path, 'audience'), sa.audience, 'contains a wildcard, but the token audience must be exact', 'give the exact audience');
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
      const profile = asObject(this.c, itemPath, item, 'an inference profile', true);
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
      const key = asObject(this.c, itemPath, item, 'a provider key', true);
      if (!key) return;
      if (checkSlug(this.c, join(itemPath, 'id'), key.id, 'provider key id', ID_MAX)) valid.push({ path: join(itemPath, 'id'), id: key.id });
      checkSlug(this.c, join(itemPath, 'provider'), key.provider, 'provider name', ID_MAX);
      if (key.rotationPeriodDays !== undefined) {
        checkWholeNumber(this.c, join(itemPath, 'rotationPeriodDays'), key.rotationPeriodDays, 1, 90, 'days', 'rotate the key at least every 90 days (the default is 30)');
      }
      checkOptionalText(this.c, join(itemPath, 'description'), key.description, DESCRIPTION_MAX);
    });
    return { count: list.length, valid: checkNoDuplicates(this.c, valid, 'provider key') };
  }

  private checkDataStores(path: string, value: unknown): { count: number; valid: Array<{ path: string; id: string }> } {
    const list = asArray(this.c, path, value, 'dataStores', false);
    const valid: Array<{ path: string; id: string }> = [];
    list.forEach((item, j) => {
      const itemPath = join(path, j);
      const store = asObject(this.c, itemPath, item, 'a data store', true);
      if (!store) return;
      if (checkSlug(this.c, join(itemPath, 'id'), store.id, 'data store id', ID_MAX)) valid.push({ path: join(itemPath, 'id'), id: store.id });
      checkEnum(this.c, join(itemPath, 'engine'), store.engine, Object.values(DataStoreEngine), 'engine');
      checkHost(this.c, join(itemPath, 'host'), store.host);
      if (store.port !== undefined) {
        checkWholeNumber(this.c, join(itemPath, 'port'), store.port, 1, 65535, 'as a TCP port', 'give the database port (PostgreSQL listens on 5432 by default)');
      }
      checkSqlIdentifier(this.c, join(itemPath, 'database'), store.database, 'database name');
      checkSqlIdentifier(this.c, join(itemPath, 'schema'), store.schema, 'schema name');
      checkEnum(this.c, join(itemPath, 'access'), store.access, Object.values(DataAccess), 'access');
    });
    return { count: list.length, valid: checkNoDuplicates(this.c, valid, 'data store') };
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

  private checkVault(value: unknown): void {
    const vault = asObject(this.c, 'vault', value, 'the Vault server', false);
    if (!vault) return;
    if (checkPresentString(this.c, 'vault.address', vault.address, 'the Vault address', 'give the https:// address of the Vault server, e.g. "https://vault.acme.example:8200"')
      && !isUnresolved(vault.address) && !/^https:\/\/[a-zA-Z0-9.-]+(:\d{1,5})?$/.test(vault.address)) {
      this.c.add('vault.address', vault.address, 'must be an https:// address with a host and optional port, no path or trailing slash',
        'give the address clients use, e.g. "https://vault.acme.example:8200"; plain http would expose tokens');
    }
    if (vault.iamServerIdHeaderValue !== undefined
      && checkPresentString(this.c, 'vault.iamServerIdHeaderValue', vault.iamServerIdHeaderValue, 'the IAM server-id header value', 'give the value, usually the Vault host name')
      && hasWildcard(vault.iamServerIdHeaderValue)) {
      this.c.add('vault.iamServerIdHeaderValue', vault.iamServerIdHeaderValue, 'contains a wildcard, but the header value must be exact', 'give the exact value, usually the Vault host name');
    }
    checkEnum(this.c, 'vault.edition', vault.edition, Object.values(VaultEdition), 'Vault edition');
    if (vault.version !== undefined && (typeof vault.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(vault.version))) {
      this.c.add('vault.version', vault.version, 'is not a major.minor.patch version', 'give the server version, e.g. "1.19.2"');
    }
  }

  private checkTtls(value: unknown): void {
    const ttls = asObject(this.c, 'ttls', value, 'the TTL policy', false);
    if (!ttls) return;
    for (const limit of TtlLimits.all()) {
      const path = join('ttls', limit.kind);
      const bounds = asObject(this.c, path, ttls[limit.kind], `the ${limit.kind} TTLs`, false);
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
    const suspended = asObject(this.c, 'suspended', value, 'the suspension list', false);
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
    const account = 'account';
    const vault = 'vault';
    const fromName = 'the gateway name';
    const names: DerivedName[] = [];
    const role = (name: string, path: string, builtFrom: string) => {
      names.push({ name, kind: NameKind.IAM_ROLE, scope: account, path, builtFrom });
      names.push({ name: naming.managedPolicyName(name), kind: NameKind.IAM_MANAGED_POLICY, scope: account, path, builtFrom });
    };

    role(naming.routerRoleName, 'name', fromName);
    role(naming.brokerRoleName, 'name', fromName);
    for (const name of [naming.auditReplicationRoleName, naming.trailDeliveryRoleName, naming.keyAgeCheckRoleName]) role(name, 'name', fromName);
    names.push({ name: naming.decisionLogGroupName, kind: NameKind.LOG_GROUP, scope: account, path: 'name', builtFrom: fromName });
    names.push({ name: naming.vaultAwsAuthMountPath, kind: NameKind.VAULT_MOUNT, scope: vault, path: 'name', builtFrom: fromName });
    names.push({ name: naming.vaultRouterPolicyName, kind: NameKind.VAULT_POLICY, scope: vault, path: 'name', builtFrom: fromName });
    names.push({ name: naming.trailName, kind: NameKind.TRAIL, scope: account, path: 'name', builtFrom: fromName });
    names.push({ name: naming.trailLogGroupName, kind: NameKind.LOG_GROUP, scope: account, path: 'name', builtFrom: fromName });
    names.push({ name: naming.auditKeyAlias, kind: NameKind.KMS_ALIAS, scope: account, path: 'name', builtFrom: fromName });
    // Bucket names hold the account and region; they can only be checked when both are literals.
    if (this.account !== undefined && this.region !== undefined) {
      const fromBucket = 'the gateway name (bucket names also hold the 12-digit account and the region)';
      for (const bucket of [naming.auditBucketName, naming.auditReplicaBucketName, naming.accessLogBucketName]) {
        names.push({ name: bucket, kind: NameKind.S3_BUCKET, scope: 'global', path: 'name', builtFrom: fromBucket });
      }
    }

    for (const tenant of tenants) {
      if (tenant.id === undefined) continue;
      const tenantPath = join(tenant.path, 'id');
      const fromTenant = 'the gateway name or the tenant id';
      const awsMount = naming.vaultAwsSecretsMountPath(tenant.id);
      if (tenant.hasBedrock) {
        role(naming.targetRoleName(tenant.id, GatewayNaming.MODELS_TARGET_ID), tenantPath, fromTenant);
      }
      if (tenant.hasBedrock || tenant.keys.length > 0) {
        names.push({ name: awsMount, kind: NameKind.VAULT_MOUNT, scope: vault, path: tenantPath, builtFrom: fromTenant });
      }
      for (const key of tenant.keys) {
        const targetId = naming.providerKeyTargetId(key.id);
        const fromKey = 'the gateway name, the tenant id or the key id';
        role(naming.targetRoleName(tenant.id, targetId), key.path, fromKey);
        const alias = naming.providerKeyAlias(tenant.id, key.id);
        names.push({ name: alias, kind: NameKind.KMS_ALIAS, scope: account, path: key.path, builtFrom: fromKey });
        const secretName = naming.providerKeySecretName(tenant.id, key.id);
        names.push({ name: secretName, kind: NameKind.SECRET, scope: account, path: key.path, builtFrom: fromKey });
        names.push({ name: targetId, kind: NameKind.VAULT_ROLE, scope: awsMount, path: key.path, builtFrom: 'the key id' });
      }
      if (tenant.stores.length > 0) {
        const databaseMount = naming.vaultDatabaseMountPath(tenant.id);
        names.push({ name: databaseMount, kind: NameKind.VAULT_MOUNT, scope: vault, path: tenantPath, builtFrom: fromTenant });
        for (const store of tenant.stores) {
          names.push({ name: store.id, kind: NameKind.VAULT_ROLE, scope: databaseMount, path: store.path, builtFrom: 'the data store id' });
        }
      }
      for (const workload of tenant.workloads) {
        if (workload.id === undefined || workload.eksIssuer === undefined) continue;
        const fromWorkload = 'the gateway name or the workload id';
        const jwtMount = naming.vaultJwtAuthMountPath(workload.eksIssuer);
        names.push({ name: jwtMount, kind: NameKind.VAULT_MOUNT, scope: vault, path: join(workload.path, 'id'), builtFrom: fromName, shared: true });
        names.push({ name: naming.vaultWorkloadAuthRoleName(workload.id), kind: NameKind.VAULT_ROLE, scope: jwtMount, path: join(workload.path, 'id'), builtFrom: 'the workload id' });
        names.push({ name: naming.vaultWorkloadPolicyName(workload.id), kind: NameKind.VAULT_POLICY, scope: vault, path: join(workload.path, 'id'), builtFrom: fromWorkload });
      }
    }
    return names;
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
