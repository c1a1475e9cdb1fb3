import {
  isReference, isTrue, PolicyResource, policiesOf, policiesOfPeople, policyGrantingBackends, referencedAddress, TerraformResource, unattachedPolicies,
  VaultCheckContext, workloadAuthRoles, workloadIdentities,
} from './vault';
import { VaultCapability, VaultPolicyRule } from '../../../vault-acl';
import type { VaultHit } from '../rule';

/** Capabilities that change what a path holds (or bypass its restrictions). */
const WRITE_CAPABILITIES: string[] = [
  VaultCapability.CREATE, VaultCapability.UPDATE, VaultCapability.PATCH, VaultCapability.DELETE, VaultCapability.SUDO,
];

/** One rule of a policy, with who holds the policy, for messages. */
export interface JudgedRule {
  readonly policy: PolicyResource;
  readonly rule: VaultPolicyRule;
  /** `attached to <role>`, or `attached to no role in this configuration`. */
  readonly holder: string;
  /** The auth role that holds it, when a role does. @default undefined */
  readonly holderRole?: TerraformResource;
}

/**
 * Every rule of the policies a workload may hold: those its auth roles attach, those an auth
 * method hands to every login through its own `token_policies`, those identity
 * entities and groups attach when workloads log in as them (their aliases sit on a workload auth
 * method), and those nothing in the configuration attaches (whatever attaches them is unseen,
 * so they are judged anyway). Policies attached only to people's groups and entities, or to
 * tokens, belong to people or operators, not workloads.
 */
export function judgedPolicyRules(ctx: VaultCheckContext): JudgedRule[] {
  const judged: JudgedRule[] = [];
  for (const role of workloadAuthRoles(ctx)) {
    for (const policy of policiesOf(ctx, role.props)) {
      for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: `attached to ${role.address}`, holderRole: role });
    }
  }
  for (const backend of policyGrantingBackends(ctx)) {
    for (const policy of policiesOf(ctx, backend.props)) {
      for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: `handed out by ${backend.address} to every login through it` });
    }
  }
  for (const { resource, mounts } of workloadIdentities(ctx)) {
    for (const policy of policiesOf(ctx, resource.props)) {
      for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: `held by ${resource.address}, which logs in through ${mounts.join(', ')}` });
    }
  }
  const engines = engineMounts(ctx);
  // A policy scoped to each person's own login is people's: attached to no workload here, it is not judged.
  const operators = (p: PolicyResource) => administersVault(p) || administersPartOfVault(p) || administersOneEngine(p, engines)
    || isIntegrationServerPolicy(p)
    || p.forPeople === true;
  for (const policy of unattachedPolicies(ctx).filter((p) => !operators(p))) {
    for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: 'attached to no role in this configuration' });
  }
  // A group whose members are added outside this configuration holds its policies for whoever
  // is added: as for a policy nothing attaches, the holder is unseen, so they are judged.
  const unseen = groupsOfUnseenMembers(ctx);
  for (const r of ctx.resources.filter((h) => PEOPLE_HOLDERS.includes(h.type))) {
    const group = identityHolding(r);
    if (!group || !unseen.has(group)) continue;
    for (const policy of policiesOf(ctx, r.props).filter((p) => !operators(p))) {
      for (const rule of policy.rules ?? []) judged.push({ policy, rule, holder: `held by ${group}, whose members are added outside this configuration` });
    }
  }
  // A policy given to a person's login (a userpass or LDAP user written through its API path) is
  // how that person browses Vault: what it lets them read is theirs to read. What it lets them
  // change is still judged, since a password login writing whole mounts is a broad grant.
  const judgedAlready = new Set(judged.map((j) => j.policy.address));
  const people = [...new Map(policiesOfPeople(ctx).map((p) => [p.address, p])).values()];
  for (const policy of people.filter((p) => !judgedAlready.has(p.address) && !operators(p) && !administersNamespaces(p))) {
    for (const rule of (policy.rules ?? []).filter((r) => r.capabilities.some((c) => WRITE_CAPABILITIES.includes(c)))) {
      judged.push({ policy, rule, holder: 'given to a person\'s login through vault_generic_endpoint' });
    }
  }
  // A root-equivalent rule is judged whoever holds it, people's groups and entities included:
  // it is wider than any administrator's documented policy, and anyone signing in to the group holds root.
  const judgedNow = new Set(judged.map((j) => j.policy.address));
  for (const holder of ctx.resources.filter((r) => PEOPLE_HOLDERS.includes(r.type))) {
    for (const policy of policiesOf(ctx, holder.props).filter((p) => !judgedNow.has(p.address))) {
      for (const rule of (policy.rules ?? []).filter(rootEquivalent)) {
        judged.push({ policy, rule, holder: `held by ${holder.address}; root-equivalent, whoever holds it` });
      }
    }
  }
  return judged;
}

/**
 * Internal identity groups whose members this configuration leaves to others: entities
 * (`external_member_entity_ids = true`, none written here or through
 * `vault_identity_group_member_entity_ids`) or groups (`external_member_group_ids = true`, none
 * written here or through `vault_identity_group_member_group_ids`), and that no workload of the
 * files logs in as.
 */
function groupsOfUnseenMembers(ctx: VaultCheckContext): Set<string> {
  const workloads = new Set(workloadIdentities(ctx).map((w) => w.resource.address));
  const writtenBy = (type: string) => new Set(ctx.resources.filter((r) => r.type === type)
    .map((r) => referencedAddress(r.props.group_id)).filter((a): a is string => a !== undefined));
  const entitiesWritten = writtenBy('vault_identity_group_member_entity_ids');
  const groupsWritten = writtenBy('vault_identity_group_member_group_ids');
  const listed = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== '');
  const unseen = (r: TerraformResource) => (isTrue(r.props.external_member_entity_ids) && !listed(r.props.member_entity_ids)
      && !entitiesWritten.has(r.address))
    || (isTrue(r.props.external_member_group_ids) && !listed(r.props.member_group_ids) && !groupsWritten.has(r.address));
  return new Set(ctx.resources.filter((r) => r.type === 'vault_identity_group' && (r.props.type ?? 'internal') === 'internal'
    && unseen(r) && !workloads.has(r.address)).map((r) => r.address));
}

/** The identity group or entity whose policies a resource sets: itself, or the one a `vault_identity_*_policies` names. */
function identityHolding(r: TerraformResource): string | undefined {
  return r.type.endsWith('_policies') ? referencedAddress(r.props.group_id ?? r.props.entity_id) : r.address;
}

/**
 * The people who hold each policy: identity groups and entities no workload logs in as (with
 * the groups' and entities' separate policy attachments), and people's own logins.
 */
function peopleHolding(ctx: VaultCheckContext): Map<string, string[]> {
  const workloads = new Set(workloadIdentities(ctx).map((w) => w.resource.address));
  const held = new Map<string, string[]>();
  const add = (policy: PolicyResource, holder: string) => held.set(policy.address, [...new Set([...(held.get(policy.address) ?? []), holder])]);
  for (const r of ctx.resources.filter((h) => PEOPLE_HOLDERS.includes(h.type))) {
    const identity = identityHolding(r);
    if (identity && workloads.has(identity)) continue;
    for (const policy of policiesOf(ctx, r.props)) add(policy, identity ?? r.address);
  }
  for (const policy of policiesOfPeople(ctx)) add(policy, 'a person\'s login');
  return held;
}

/**
 * The holder list a policy finding's message carries (` (attached to a; attached to b)`,
 * ` for the tokens of a, b`), which a finding on one holder leaves out.
 */
const HOLDERS_IN_MESSAGE = / \((?:attached to|handed out by|held by|given to)[^()]*\)| for the tokens of .*$/;

/** An administrator's policy: of the whole Vault, of one part of it, or root-equivalent. */
function isAdministratorsPolicy(policy: PolicyResource): boolean {
  return administersVault(policy) || administersNamespaces(policy) || administersPartOfVault(policy) || (policy.rules ?? []).some(rootEquivalent);
}

/**
 * Findings on administrators' policies that people hold as well as workload logins (an
 * administrators' group's policy also given to a controller's Kubernetes role). The policy is the
 * people's to hold: what is wrong is each workload login holding it, so its findings move to each
 * workload role that attaches it, one finding per role with every path. Findings on other
 * policies, which are as broad for people as for workloads, are unchanged.
 */
export function onWorkloadHoldersOfPeoplesPolicies(ctx: VaultCheckContext, hits: VaultHit[]): VaultHit[] {
  const people = peopleHolding(ctx);
  const roles = workloadAuthRoles(ctx);
  const out: VaultHit[] = [];
  const moved = new Map<string, { policy: PolicyResource; holders: TerraformResource[]; hits: VaultHit[] }>();
  for (const hit of hits) {
    const policy = hit.address ? ctx.policies.get(hit.address) : undefined;
    const holders = policy && people.has(policy.address) && isAdministratorsPolicy(policy)
      ? roles.filter((r) => policiesOf(ctx, r.props).includes(policy)) : [];
    if (!policy || holders.length === 0) {
      out.push(hit);
      continue;
    }
    const entry = moved.get(policy.address) ?? { policy, holders, hits: [] };
    entry.hits.push(hit);
    moved.set(policy.address, entry);
  }
  for (const { policy, holders, hits: merged } of moved.values()) {
    const parts = merged.map((h) => h.message.replace(HOLDERS_IN_MESSAGE, ''));
    // One severity when the merged findings agree on one; otherwise the rule's own.
    const severities = new Set(merged.map((h) => h.severity));
    const severity = severities.size === 1 ? merged[0].severity : undefined;
    for (const role of holders) {
      out.push({
        address: role.address,
        message: `logs in with the policy "${policy.name}", which people hold (${people.get(policy.address)!.join(', ')}): ${parts.join('; ')}`,
        ...(severity ? { severity } : {}),
      });
    }
  }
  return out;
}

/** Identity resources that give people (or whoever signs in as them) their policies. */
const PEOPLE_HOLDERS = ['vault_identity_group', 'vault_identity_entity', 'vault_identity_group_policies', 'vault_identity_entity_policies'];

/** A rule over every path of Vault (`*`, `+/*`, every `sys/` path) that writes or bypasses restrictions. */
function rootEquivalent(rule: VaultPolicyRule): boolean {
  const path = rule.path.replace(/^\/+/, '');
  return /^(\*|\+\/?\*?|sys\/?\*)$/.test(path) && rule.capabilities.some((c) => WRITE_CAPABILITIES.includes(c));
}

/**
 * True for HashiCorp's documented administrator policy and its kind: it manages auth methods,
 * policies and secrets engines (`sys/auth/*`, `sys/policies/acl/*`, `sys/mounts/*`), and holds no
 * root-equivalent `*` or `sys/*`. Nothing here gives it to a workload, so it is a person's: an
 * administrator's policy held by a workload is judged where the workload holds it.
 */
export function administersVault(policy: PolicyResource): boolean {
  return managesWithoutRoot(policy, /^sys\/auth(\/|$)/);
}

/**
 * True when a policy manages `area`, policies and secrets engines, and holds no root-equivalent
 * path (`*`, `+`, `sys/*`, raw storage, seal wrapping, every child namespace).
 */
function managesWithoutRoot(policy: PolicyResource, area: RegExp): boolean {
  const paths = (policy.rules ?? []).map((r) => r.path.replace(/^\/+/, ''));
  const manages = (pattern: RegExp) => paths.some((p) => pattern.test(p));
  const rootLike = paths.some((p) => /^(\*|\+|sys\/?\*|sys\/raw(\/.*)?|sys\/sealwrap.*)$/.test(p) || /^\+\//.test(p));
  return !rootLike && manages(area) && manages(/^sys\/(policy|policies\/acl)(\/|$)/) && manages(/^sys\/mounts(\/|$)/);
}

/**
 * True for the namespace administrator's policy of HashiCorp's multi-tenancy guide and its kind:
 * it manages namespaces, policies and secrets engines (`sys/namespaces/*`, `sys/policies/acl/*`,
 * `sys/mounts/*`) and holds no root-equivalent path. Given to a person's login it is that
 * administrator's, as the guide gives it; held by no role here, what it mints (`auth/token/*`) is
 * judged, since nothing says a person holds it.
 */
export function administersNamespaces(policy: PolicyResource): boolean {
  return managesWithoutRoot(policy, /^sys\/namespaces(\/|$)/);
}

/**
 * Paths of Vault's own configuration that administer one part of it: auth methods and their roles
 * (`sys/auth/<m>`, `auth/<m>/...`, `sys/mounts/auth/<m>`), policies, identity, audit devices,
 * mounts' settings. Minting tokens (`auth/token/create*`) and root-equivalent paths are not.
 */
const CONFIGURATION_PATH = /^(sys\/(auth|mounts|policy|policies|audit|audit-hash|quotas|plugins|namespaces|config)(\/|$)|auth\/|auth$|identity(\/|$))/;

/**
 * True for the administrator policy of one part of Vault (its LDAP or OIDC auth method, its
 * policies, its identity store): every path is Vault's own configuration, none reads a secret,
 * mints a token or is root-equivalent. Like HashiCorp's whole-Vault administrator policy, attached
 * to no role here it is an operator's; held by a workload, it is judged where the workload holds it.
 */
export function administersPartOfVault(policy: PolicyResource): boolean {
  const rules = (policy.rules ?? []).map((r) => ({ ...r, path: r.path.replace(/^\/+/, '') }));
  const writes = (pattern: RegExp) => rules.some((r) => pattern.test(r.path) && r.capabilities.some((c) => WRITE_CAPABILITIES.includes(c)));
  // Writing policies and also what attaches them (identity, an auth method's roles or users):
  // its holder can grant itself any policy, which is no one part.
  if (writes(/^sys\/(policy|policies)(\/|$)/) && writes(/^(identity(\/|$)|auth\/[^/]+\/)/)) return false;
  // Every auth method at once (`auth/*`, `auth/+/...`) is no one part.
  return rules.length > 0 && rules.every((r) => CONFIGURATION_PATH.test(r.path) && !/^auth\/(token\/create|\*|\+)/.test(r.path));
}

/** Token paths a server integration uses on its own token and on the tokens it hands out. */
const INTEGRATION_TOKEN_PATH = /^auth\/token\/(lookup|lookup-self|lookup-accessor|renew-self|revoke-self|revoke-accessor|roles\/[^*+/]+)$/;

/**
 * True for the server policy of a documented Vault integration (Nomad's and Consul's servers,
 * CI brokers): it creates child tokens through one named token role (`auth/token/create/<role>`,
 * whose allowed policies bound what it hands out), looks up, renews and revokes tokens, and
 * reaches no other `sys/` path than its own capabilities, and nothing with sudo. Attached to no
 * role here, it is given to the integration's servers by their operators, not to a workload;
 * held by a workload role, it is judged where the role holds it.
 */
export function isIntegrationServerPolicy(policy: PolicyResource): boolean {
  const rules = (policy.rules ?? []).map((r) => ({ ...r, path: r.path.replace(/^\/+/, '') }));
  if (!rules.some((r) => /^auth\/token\/create\/[^*+/${}]+$/.test(r.path))) return false;
  return rules.every((r) => !r.capabilities.includes(VaultCapability.SUDO)
    && (!/^(auth\/token|sys)(\/|$)/.test(r.path) || /^auth\/token\/create\/[^*+/]+$/.test(r.path) || INTEGRATION_TOKEN_PATH.test(r.path)
      || /^sys\/(capabilities-self|leases\/(renew|revoke|lookup))$/.test(r.path)));
}

/** Secrets engine resources that mount at `path` (or `backend`), with the default Vault gives each. */
const ENGINE_MOUNTS: Record<string, { key: string; default?: string }> = {
  vault_consul_secret_backend: { key: 'path', default: 'consul' },
  vault_nomad_secret_backend: { key: 'backend', default: 'nomad' },
  vault_aws_secret_backend: { key: 'path', default: 'aws' },
  vault_gcp_secret_backend: { key: 'path', default: 'gcp' },
  vault_azure_secret_backend: { key: 'path', default: 'azure' },
  vault_database_secrets_mount: { key: 'path' },
};

/** The paths of the configuration's credential engines: every mount but KV, whose tree is data, not an engine's configuration. */
function engineMounts(ctx: VaultCheckContext): Set<string> {
  return mountPaths(ctx.resources.flatMap((r) => {
    if (r.type === 'vault_mount') return /^(kv|kv-v2|generic)$/.test(String(r.props.type)) ? [] : [r.props.path];
    const engine = ENGINE_MOUNTS[r.type];
    return engine ? [r.props[engine.key] ?? engine.default] : [];
  }));
}

/** The mount paths the files name literally, without leading or trailing slashes. */
function mountPaths(paths: unknown[]): Set<string> {
  return new Set(paths.filter((p): p is string => typeof p === 'string' && !p.includes('${')).map((p) => p.replace(/^\/+|\/+$/g, '')));
}

/**
 * True for the administrator policy of one credential engine the configuration mounts: every path
 * lies under that mount, and it holds the whole of it (`consul/*`), which is what configuring the
 * engine takes. Nothing here gives it to a workload, so it is the engine's operators'; held by
 * a workload, it is judged where the workload holds it.
 */
export function administersOneEngine(policy: PolicyResource, engines: Set<string>): boolean {
  const paths = (policy.rules ?? []).map((r) => r.path.replace(/^\/+/, ''));
  const mount = [...engines].find((m) => paths.includes(`${m}/*`));
  return mount !== undefined && paths.every((p) => p === `${mount}/*` || p.startsWith(`${mount}/`));
}

/** KV version 2's API segments: `kv/data/*` names every secret of the mount, as `kv/*` does. */
const KV2_API_SEGMENTS = ['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys'];

/**
 * Endpoints where a credential engine hands out one role's credentials or certificates: a glob
 * straight after one (`aws/creds/*`, `ssh/sign/*`, `pki/issue/*`) reaches every role of the mount.
 */
const ROLE_CREDENTIAL_ENDPOINTS = ['creds', 'sts', 'sign', 'issue', 'static-creds', 'roleset', 'static-account', 'impersonated-account'];

/**
 * `sys/` paths that describe the caller or the server's health, which Vault documents for agents
 * and monitors (Vault Agent, Nomad, Prometheus), and the caller's own utilities that Vault's
 * built-in `default` policy grants every token (response wrapping, hashing and random bytes, a
 * control-group request, the UI's view of the caller's own ACL and mounts), with generating a
 * password from a password policy: they change no configuration and reveal no one else's secret.
 */
const SELF_DESCRIBING = new RegExp('^sys/(capabilities-self|health|leader|ha-status|seal-status|metrics|leases/(renew|lookup)|renew(/.*)?'
  + '|wrapping/(wrap|unwrap|lookup|rewrap)|tools/(hash|random)(/.*)?|control-group/request|mfa/validate'
  + '|internal/ui/(resultant-acl|mounts(/.*)?)|policies/password/[^/*]+/generate)$');

/** True for a self-describing path (above), in this namespace or in every child namespace (`+/sys/capabilities-self`). */
export function isSelfDescribing(path: string): boolean {
  return SELF_DESCRIBING.test(path.replace(/^\/+/, '').replace(/^(\+\/)+/, ''));
}

/** The GCP engine's short credential endpoints (`gcp/token/<roleset>`, `gcp/key/<roleset>`). */
const GCP_CREDENTIAL_ENDPOINTS = ['token', 'key'];

/** The paths the configuration mounts GCP secrets engines at. */
export function gcpEngineMounts(ctx: VaultCheckContext): Set<string> {
  const { key, default: byDefault } = ENGINE_MOUNTS.vault_gcp_secret_backend;
  return mountPaths(ctx.resources.filter((r) => r.type === 'vault_gcp_secret_backend').map((r) => r.props[key] ?? byDefault));
}

/**
 * True when a path's glob or `+` covers whole mounts (`aws/*`, `+/creds/x`, `secret/data/*`) or
 * every role's credentials of one (`ssh/sign/*`, `aws/creds/+`; `gcp/key/*` on a mount of `gcpMounts`).
 */
export function isBroadGlob(path: string, gcpMounts: ReadonlySet<string> = new Set()): boolean {
  const segments = path.replace(/^\/+/, '').split('/');
  // Each token has a cubbyhole of its own: a glob over it reaches the caller's storage and nothing else.
  if (segments[0] === 'cubbyhole') return false;
  // The caller's own view (`+/sys/capabilities-self`) in every child namespace reaches no one else's.
  if (isSelfDescribing(path)) return false;
  if (segments.slice(0, 2).some((s) => s === '+')) return true;
  // `aws/creds/+`, `gcp/token/+`: one segment of any role's name after a credential endpoint.
  const credentialEndpoint = (mount: string, endpoint: string) => ROLE_CREDENTIAL_ENDPOINTS.includes(endpoint)
    || (gcpMounts.has(mount) && GCP_CREDENTIAL_ENDPOINTS.includes(endpoint));
  if (segments.length === 3 && segments[2] === '+' && credentialEndpoint(segments[0], segments[1])) return true;
  if (!path.endsWith('*')) return false;
  const named = path.replace(/^\/+/, '').slice(0, -1).split('/').filter((s) => s !== '');
  // The API segment after a KV v2 mount does not narrow the path.
  const meaningful = named.length >= 2 && KV2_API_SEGMENTS.includes(named[1]) ? named.length - 1 : named.length;
  const everyRole = named.length === 2 && path.endsWith('/*') && credentialEndpoint(named[0], named[1]);
  return meaningful < 2 || everyRole;
}

/**
 * Service accounts of the operators that sync a Vault mount into Kubernetes secrets (External
 * Secrets Operator, HashiCorp's Vault Secrets Operator, the Secrets Store CSI provider): reading
 * the mount they sync is their documented job.
 */
const SYNC_OPERATOR_ACCOUNT = /^(external-secrets?(-operator)?|kubernetes-external-secrets|vault-secrets-operator(-controller-manager)?|secrets-store-csi-driver|vault-csi-provider)$/;

/**
 * True when a rule only reads (or lists) and its holder is a Kubernetes auth role bound to a
 * secret-sync operator's service accounts alone, in named namespaces: the operator copies what
 * the mount holds into the cluster, where each workload's own secret is scoped.
 */
export function syncOperatorRead(judged: JudgedRule): boolean {
  const role = judged.holderRole;
  if (!role || role.type !== 'vault_kubernetes_auth_backend_role') return false;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);
  const names = list(role.props.bound_service_account_names);
  const namespaces = list(role.props.bound_service_account_namespaces);
  return names.length > 0 && names.every((n) => SYNC_OPERATOR_ACCOUNT.test(n))
    && namespaces.length > 0 && namespaces.every((n) => n !== '*' && !isReference(n))
    && judged.rule.capabilities.every((c) => c === VaultCapability.READ || c === VaultCapability.LIST);
}
