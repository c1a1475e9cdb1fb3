import { VaultPolicyRule } from '../../../vault-acl';
import { readPolicyRules } from '../../../vault-acl/policy-text';
import { namesASecret } from '../../private/secret-names';
import { isUnresolved } from '../../private/unresolved';

/** One Terraform configuration in JSON form (written as `*.tf.json`, synthesized by CDKTF, or read from HCL). */
export interface TerraformConfig {
  readonly 'resource'?: Record<string, Record<string, Record<string, unknown>>>;
  readonly 'provider'?: Record<string, Array<Record<string, unknown>>>;
  readonly 'data'?: Record<string, Record<string, Record<string, unknown>>>;
  readonly '//'?: Record<string, unknown>;
}

/** One resource of the configuration. */
export interface TerraformResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, where findings are reported. */
  readonly address: string;
  readonly props: Record<string, unknown>;
}

/** A `vault_policy` resource with its rules parsed (undefined when its text is not known). */
export interface PolicyResource {
  readonly name: string;
  readonly rules?: VaultPolicyRule[];
  readonly address: string;
  /** The namespace it is written in, as `namespaceOf` reads it (`''` for the provider's). */
  readonly namespace: string;
  /** True when its paths are templated on the caller's login name on an auth method people log in with (see `templatedOnPersonLogin`). */
  readonly forPeople?: boolean;
}

/** Auth method types people log in with (a password, a directory, a browser). */
const PERSON_AUTH_TYPES = ['userpass', 'ldap', 'okta', 'radius', 'oidc', 'github'];

/**
 * True when a policy's text scopes paths to the caller's own login on an auth method people log in
 * with (`{{identity.entity.aliases.${vault_auth_backend.userpass.accessor}.name}}`): each person
 * reaches their own sandbox or password, which is a policy written for people, not for a workload.
 */
function templatedOnPersonLogin(text: string, byAddress: Map<string, TerraformResource>): boolean {
  return [...text.matchAll(/\{\{\s*identity\.entity\.aliases\.\$\{\s*([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.accessor\s*\}\.name\s*\}\}/g)].some(([, address]) => {
    const method = byAddress.get(address);
    const type = method ? authMethodType(method) : undefined;
    return typeof type === 'string' && PERSON_AUTH_TYPES.includes(type);
  });
}

/** The configuration's `provider "vault"` blocks, in the list form whichever form the input wrote. */
export function vaultProviderBlocks(config: TerraformConfig): Array<Record<string, unknown>> {
  const providers = config.provider?.vault as unknown;
  return (Array.isArray(providers) ? providers : providers ? [providers] : []) as Array<Record<string, unknown>>;
}

/** What every Vault rule reads: the configuration and what is derived from it once. */
export interface VaultCheckContext {
  readonly config: TerraformConfig;
  readonly resources: TerraformResource[];
  /** The policies by address. */
  readonly policies: Map<string, PolicyResource>;
  /** The paths of the secrets engines it mounts, without trailing slashes. */
  readonly mounts: string[];
}

/** Auth roles of workload auth methods, whose tokens carry `token_policies`. */
export const AUTH_ROLE_TYPES = [
  'vault_aws_auth_backend_role', 'vault_jwt_auth_backend_role', 'vault_kubernetes_auth_backend_role', 'vault_approle_auth_backend_role',
  'vault_cert_auth_backend_role', 'vault_gcp_auth_backend_role', 'vault_azure_auth_backend_role',
];

const MOUNT_TYPES = ['vault_mount', 'vault_aws_secret_backend', 'vault_database_secrets_mount'];

export function resourcesOf(config: TerraformConfig): TerraformResource[] {
  return Object.entries(config.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName ?? {}).flatMap(([name, props]) =>
      // A resource with `count` or `for_each` read from HCL may be a list of blocks; each is the same resource.
      (Array.isArray(props) ? props : [props]).map((p) => ({ type, name, address: `${type}.${name}`, props: (p ?? {}) as Record<string, unknown> }))));
}

export function vaultContext(config: TerraformConfig): VaultCheckContext {
  const resources = resourcesOf(config);
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const policies = new Map(resources.filter((r) => r.type === 'vault_policy').map((r) => [r.address, {
    name: String(r.props.name),
    rules: typeof r.props.policy === 'string' ? safeRules(withArguments(r.props.policy, byAddress)) : undefined,
    address: r.address,
    namespace: namespaceOf(r.props),
    forPeople: typeof r.props.policy === 'string' && templatedOnPersonLogin(r.props.policy, byAddress),
  }]));
  const mounts = resources
    .filter((r) => MOUNT_TYPES.includes(r.type) && typeof r.props.path === 'string')
    .map((r) => String(r.props.path).replace(/^\/+|\/+$/g, ''));
  return { config, resources, policies, mounts };
}

/**
 * A policy's text with references to other resources' arguments replaced by the values they were
 * given (`${vault_mount.pki.path}` is the mount's `path`, `${vault_ssh_secret_backend_role.r.name}`
 * the role's `name`): Terraform knows them before apply. References to computed attributes
 * (an accessor, an id) stay, and keep the policy unread.
 */
function withArguments(text: string, byAddress: Map<string, TerraformResource>): string {
  return text.replace(/\$\{\s*([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.([a-z_]+)\s*\}/g, (whole, address: string, attribute: string) => {
    const resource = byAddress.get(address);
    const value = resource?.props[attribute] ?? (resource && attribute === 'path' ? defaultAuthPath(resource) : undefined);
    return typeof value === 'string' && !value.includes('${') ? value.replace(/^\/+|\/+$/g, '') : whole;
  });
}

/** The type of auth method a resource enables: `vault_auth_backend`'s `type`, JWT/OIDC's (`jwt` unless set), or the one its resource type names. */
function authMethodType(resource: TerraformResource): unknown {
  if (resource.type === 'vault_auth_backend') return resource.props.type;
  if (resource.type === 'vault_jwt_auth_backend') return resource.props.type ?? 'jwt';
  return /^vault_([a-z]+)_auth_backend$/.exec(resource.type)?.[1];
}

/** Auth method resources enabled at their type's name when `path` is not set. */
const PATH_DEFAULTS_TO_TYPE = [
  'vault_auth_backend', 'vault_jwt_auth_backend', 'vault_github_auth_backend', 'vault_ldap_auth_backend', 'vault_okta_auth_backend', 'vault_gcp_auth_backend',
];

/** The path an auth method is enabled at when `path` is not set. */
function defaultAuthPath(resource: TerraformResource): unknown {
  return PATH_DEFAULTS_TO_TYPE.includes(resource.type) ? authMethodType(resource) : undefined;
}

/**
 * The `path "..." { ... }` blocks of a policy's text, each with where it starts and ends
 * (braces inside a block, as in `allowed_parameters = { ... }`, are matched).
 */
function pathBlocks(text: string): Array<{ start: number; end: number; path: string }> {
  const blocks: Array<{ start: number; end: number; path: string }> = [];
  const opening = /(^|\n)\s*path\s+"((?:[^"\\]|\\.)*)"\s*\{/g;
  let match: RegExpExecArray | null;
  while ((match = opening.exec(text)) !== null) {
    let depth = 1;
    let i = opening.lastIndex;
    for (; i < text.length && depth > 0; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    blocks.push({ start: match.index, end: i, path: match[2] });
    opening.lastIndex = i;
  }
  return blocks;
}

/**
 * The rules of a policy's text. A path that names a value known only at apply time (an
 * accessor, an input of the module) leaves that rule unread, and only that rule: the policy's
 * other paths are still read and judged.
 */
function safeRules(text: string): VaultPolicyRule[] | undefined {
  let readable = text;
  if (text.includes('${')) {
    const unknown = pathBlocks(text).filter((b) => b.path.includes('${'));
    for (const block of unknown.reverse()) readable = readable.slice(0, block.start) + readable.slice(block.end);
    if (unknown.length === 0 || readable.includes('${')) return undefined;
  }
  try {
    return readPolicyRules(readable);
  } catch {
    return undefined;
  }
}

/** True for a Terraform expression (`${var.x}`, `${aws_iam_access_key.k.secret}`) rather than a literal. */
export function isReference(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** True for a switch Terraform turns on, written as a boolean or as the string `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** True for a switch Terraform turns off, written as a boolean or as the string `"false"`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/**
 * What a login as the default namespace's `default` service account admits: Kubernetes runs
 * every pod there that names no service account as it, whatever the workload.
 */
export const DEFAULT_ACCOUNT_REACH = 'every pod deployed there without naming a service account logs in with this role; bind the workload\'s own service account';

/** True when the configuration cannot tell the value: the unresolved marker, or an expression left as written. */
export function isUnknown(value: unknown): boolean {
  return isUnresolved(value) || isReference(value);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A literal number of seconds: a number, digits, or a Vault duration string (`90s`, `30m`, `1h30m`,
 * `7d`); undefined when absent or not a literal.
 */
export function seconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(text)) return undefined;
  return [...text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit], 0);
}

/** How a value reads in a message: `missing`, `unresolved (${var.x})`, or the literal. */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'missing';
  if (isUnresolved(value)) return String(value);
  if (isReference(value)) return `unresolved (${String(value)})`;
  return JSON.stringify(value);
}

/**
 * Problems of one TTL pair, as text; empty when fine. A value the configuration cannot tell is
 * reported as unresolved, never as missing.
 */
export function ttlProblems(props: Record<string, unknown>, defaultKey: string, maxKey: string, ceiling: number): string[] {
  const problems: string[] = [];
  const def = seconds(props[defaultKey]);
  const max = seconds(props[maxKey]);
  for (const [key, value] of [[defaultKey, def], [maxKey, max]] as const) {
    const raw = props[key];
    if (isUnknown(raw)) problems.push(`${key} is ${describe(raw)}: it must be at most ${ceiling} s where it is set`);
    else if (value === undefined || value <= 0) problems.push(`${key} is ${describe(raw)} (0 or missing means Vault's default)`);
    else if (value > ceiling) problems.push(`${key} is ${value} s, above ${ceiling}`);
  }
  if (def !== undefined && max !== undefined && def > 0 && max > 0 && def > max) problems.push(`${defaultKey} (${def}) is above ${maxKey} (${max})`);
  return problems;
}

/** Policy names a resource lists, in any of the fields Vault resources use for them. */
function policyEntries(props: Record<string, unknown>): unknown[] {
  return ['token_policies', 'policies'].flatMap((key) => (Array.isArray(props[key]) ? props[key] as unknown[] : []));
}

/**
 * The namespace a resource is written in, comparable between resources: the namespace resource a
 * reference names (`${vault_namespace.team.path_fq}` and `.path` are both `vault_namespace.team`),
 * or the literal path; `''` for the provider's namespace.
 */
export function namespaceOf(props: Record<string, unknown>): string {
  const value = props.namespace;
  if (value === undefined || value === null || value === '') return '';
  return referencedAddress(value) ?? String(value).replace(/^\/+|\/+$/g, '');
}

/**
 * Resolves `${vault_policy.<name>.name}` references and literal names to policy resources. A name
 * means the policy of that name in the holder's own namespace, where the configuration writes one
 * there: Vault looks a token's policies up in the token's namespace.
 */
export function policiesOf(ctx: VaultCheckContext, props: Record<string, unknown>): PolicyResource[] {
  return policyNames(ctx, policyEntries(props), namespaceOf(props));
}

function policyNames(ctx: VaultCheckContext, entries: unknown[], namespace: string): PolicyResource[] {
  return entries.flatMap((entry) => {
    const text = String(entry);
    const ref = /^\$\{vault_policy\.([^.}]+)\.name\}$/.exec(text);
    const byAddress = ref ? ctx.policies.get(`vault_policy.${ref[1]}`) : undefined;
    const named = [...ctx.policies.values()].filter((p) => p.name === text);
    const byName = named.find((p) => p.namespace === namespace) ?? named[0];
    return byAddress ? [byAddress] : byName ? [byName] : [];
  });
}

/**
 * A JWT/OIDC role's type: as written, or the `type` of the auth backend it names
 * (`role_type = vault_jwt_auth_backend.okta.type`). Undefined when it is not written.
 */
export function jwtRoleType(role: TerraformResource, resources: TerraformResource[]): unknown {
  const written = role.props.role_type;
  const ref = typeof written === 'string' ? /^\$\{(vault_jwt_auth_backend\.[A-Za-z0-9_-]+)\.type\}$/.exec(written) : null;
  if (!ref) return written;
  const backend = resources.find((r) => r.address === ref[1]);
  return typeof backend?.props.type === 'string' ? backend.props.type : written;
}

/**
 * True for a JWT/OIDC role people sign in with through a browser: its type is `oidc`, or it
 * writes no type (Vault's default is `oidc`) and lists the redirect URIs that only the browser
 * flow uses (Vault refuses an `oidc` role without them). A role with neither was meant for JWT
 * logins, which Vault refuses it; it is judged as a workload's.
 */
export function isBrowserLoginRole(role: TerraformResource, resources: TerraformResource[]): boolean {
  if (role.type !== 'vault_jwt_auth_backend_role') return false;
  const type = jwtRoleType(role, resources);
  if (type === 'oidc') return true;
  if (type !== undefined && type !== null) return false;
  const uris = role.props.allowed_redirect_uris;
  return (Array.isArray(uris) && uris.length > 0) || isUnknown(uris);
}

/** The auth roles of workloads in the configuration (an OIDC role signs people in, not workloads). */
export function workloadAuthRoles(ctx: VaultCheckContext): TerraformResource[] {
  return ctx.resources.filter((r) => AUTH_ROLE_TYPES.includes(r.type) && !isBrowserLoginRole(r, ctx.resources));
}

/**
 * Auth methods that hand policies to every login through them by their own `token_policies`
 * (an LDAP, GitHub or Okta method configured with policies): each is a holder of those policies,
 * as a role is of its own.
 */
export function policyGrantingBackends(ctx: VaultCheckContext): TerraformResource[] {
  return ctx.resources.filter((r) => /^vault_[a-z0-9_]+_auth_backend$/.test(r.type) && policyEntries(r.props).some((e) => e !== '' && e !== 'default'));
}

/** The holders whose tokens the rule pack judges: workload auth roles, and auth methods that grant policies themselves. */
export function policyHolders(ctx: VaultCheckContext): TerraformResource[] {
  return [...workloadAuthRoles(ctx), ...policyGrantingBackends(ctx)];
}

/**
 * Policies that nothing in the configuration attaches: no auth role, token, group or entity
 * names them. They are judged as a workload's would be, since whatever attaches them is unseen.
 */
export function unattachedPolicies(ctx: VaultCheckContext): PolicyResource[] {
  const attached = new Set(ctx.resources.filter((r) => r.type !== 'vault_policy').flatMap((r) => policiesOf(ctx, r.props)).map((p) => p.address));
  // A policy named by an expression elsewhere (`vault_policy.x.name` inside a list or a local) counts as attached.
  const text = JSON.stringify(ctx.resources.filter((r) => r.type !== 'vault_policy').map((r) => r.props));
  for (const p of policiesOfPeople(ctx)) attached.add(p.address);
  return [...ctx.policies.values()].filter((p) => !attached.has(p.address) && !text.includes(`${p.address}.name`) && p.name !== 'default');
}

/** A write to a person's login: a user or group of an auth method people log in with (userpass, LDAP, Okta, RADIUS). */
const PERSON_LOGIN_PATH = /^\/?auth\/[^/]+\/(users|groups)\/[^/]+\/?$/;

/**
 * The policies `vault_generic_endpoint` writes give to people: the `policies` / `token_policies`
 * of a user or group created through its API path (`auth/userpass/users/student`). Such a policy
 * is held, by a person, not attached to no one.
 */
export function policiesOfPeople(ctx: VaultCheckContext): PolicyResource[] {
  return ctx.resources.filter((r) => r.type === 'vault_generic_endpoint' && typeof r.props.path === 'string' && PERSON_LOGIN_PATH.test(r.props.path))
    .flatMap((r) => {
      const document = dataDocument(r);
      if (!document) return [];
      const entries = ['policies', 'token_policies'].flatMap((key) => {
        const value = document[key];
        return Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((v) => v.trim()) : [];
      });
      return policyNames(ctx, entries, namespaceOf(r.props));
    });
}

/** Secret documents Terraform writes into Vault's KV engine. */
export const KV_DOCUMENT_TYPES = ['vault_generic_secret', 'vault_kv_secret', 'vault_kv_secret_v2'];

/**
 * A `data_json` argument as the object it writes (parsed when it is JSON text); undefined when
 * it is opaque (`${var.doc}`, a file) or not an object.
 */
export function dataDocument(r: TerraformResource): Record<string, unknown> | undefined {
  let document: unknown = r.props.data_json;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  return document && typeof document === 'object' && !Array.isArray(document) && !isUnresolved(document) ? document as Record<string, unknown> : undefined;
}

/** True when the configuration manages a whole Vault: it defines auth methods and secrets engines. */
export function managesWholeVault(ctx: VaultCheckContext): boolean {
  const auth = ctx.resources.some((r) => r.type === 'vault_auth_backend' || /^vault_[a-z0-9_]+_auth_backend$/.test(r.type));
  const mounts = ctx.resources.some((r) => MOUNT_TYPES.includes(r.type) || /^vault_[a-z0-9_]+_secret_backend$/.test(r.type) || /^vault_[a-z0-9_]+_secrets_mount$/.test(r.type));
  return auth && mounts;
}

/** The resource a reference names: `${vault_jwt_auth_backend.jwt.accessor}` → `vault_jwt_auth_backend.jwt`. */
export function referencedAddress(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.[A-Za-z_]+\}$/.exec(value) : null;
  return match?.[1];
}

/** Auth method types only machines log in with. */
const WORKLOAD_AUTH_TYPES = ['approle', 'aws', 'kubernetes', 'gcp', 'azure', 'cert'];

/** The auth methods (by resource address) workloads log in through: those their roles name, and machine-only types. */
export function workloadAuthMounts(ctx: VaultCheckContext): Set<string> {
  const mounts = new Set<string>();
  const byPath = new Map(ctx.resources.filter((r) => /^vault_([a-z0-9]+_)?auth_backend$/.test(r.type))
    .map((r) => [String(r.props.path ?? r.props.type ?? '').replace(/^\/+|\/+$/g, ''), r.address]));
  for (const role of workloadAuthRoles(ctx)) {
    const address = referencedAddress(role.props.backend) ?? byPath.get(String(role.props.backend ?? '').replace(/^\/+|\/+$/g, ''));
    if (address) mounts.add(address);
  }
  for (const r of ctx.resources) {
    if (r.type === 'vault_auth_backend' && WORKLOAD_AUTH_TYPES.includes(String(r.props.type))) mounts.add(r.address);
  }
  return mounts;
}

/** An identity entity or group that workloads log in as: its aliases sit on a workload auth method. */
export interface WorkloadIdentity {
  readonly resource: TerraformResource;
  /** The auth methods its aliases log in through. */
  readonly mounts: string[];
}

/**
 * Identity entities and groups whose aliases are on workload auth methods (a CI workflow's
 * entity on a JWT mount, the hosts' group on a cert mount), and groups with such entities as
 * members: the policies they carry reach workloads' tokens, whatever the roles list.
 */
export function workloadIdentities(ctx: VaultCheckContext): WorkloadIdentity[] {
  const mounts = workloadAuthMounts(ctx);
  const through = new Map<string, Set<string>>();
  const add = (address: string | undefined, mount: string) => {
    if (!address) return;
    through.set(address, new Set([...(through.get(address) ?? []), mount]));
  };
  for (const alias of ctx.resources.filter((r) => r.type === 'vault_identity_entity_alias' || r.type === 'vault_identity_group_alias')) {
    const mount = referencedAddress(alias.props.mount_accessor);
    if (mount && mounts.has(mount)) add(referencedAddress(alias.props.canonical_id), mount);
  }
  // A group whose members include a workload's entity carries its policies to that workload.
  const members = (value: unknown) => (Array.isArray(value) ? value : []).map(referencedAddress).filter((a): a is string => !!a);
  for (const r of ctx.resources) {
    const group = r.type === 'vault_identity_group' ? r.address
      : r.type === 'vault_identity_group_member_entity_ids' ? referencedAddress(r.props.group_id) : undefined;
    if (!group) continue;
    for (const member of members(r.props.member_entity_ids)) for (const mount of through.get(member) ?? []) add(group, mount);
  }
  return ctx.resources.filter((r) => (r.type === 'vault_identity_entity' || r.type === 'vault_identity_group') && through.has(r.address))
    .map((resource) => ({ resource, mounts: [...through.get(resource.address)!] }));
}

/**
 * HCP Terraform's dynamic-provider-credential settings (`TFC_VAULT_ADDR`, `TFC_VAULT_RUN_ROLE`,
 * `TFC_AWS_RUN_ROLE_ARN`, `TFC_VAULT_BACKED_AWS_AUTH_TYPE`...): the address, namespace, role and
 * auth path through which a run gets short-lived credentials instead of a static one. Marked
 * sensitive or not, none of them is a secret.
 */
const DYNAMIC_CREDENTIAL_SETTING = /^TFC_(VAULT|AWS|GCP|AZURE|KUBERNETES|VAULT_BACKED_[A-Z]+)_[A-Z0-9_]+$/;
const NAMES_A_SECRET = /TOKEN|SECRET|PASSWORD|PRIVATE|CREDENTIAL/;

/** True for a Terraform Cloud variable that holds a credential: marked sensitive, and not one of HCP Terraform's dynamic-credential settings. */
export function holdsTfcCredential(variable: TerraformResource): boolean {
  const key = variable.props.key;
  const setting = typeof key === 'string' && DYNAMIC_CREDENTIAL_SETTING.test(key) && !NAMES_A_SECRET.test(key) && !namesASecret(key);
  return variable.props.sensitive === true && !setting;
}
