import { TtlLimits } from '../../spec/ttl-limits';
import { VaultCapability, VaultPolicyDocument, VaultPolicyMatcher, VaultPolicyRule } from '../../vault-acl';
import { readPolicyRules } from '../../vault-acl/policy-text';
import { NhiSeverity } from '../finding';

/** What a Vault rule found. */
export interface RawVaultFinding {
  readonly ruleId: string;
  /** `type.name` of the resource, or undefined for the whole configuration. */
  readonly address?: string;
  readonly message: string;
  readonly severity?: NhiSeverity;
}

/** One synthesized Terraform JSON configuration. */
export interface TerraformConfig {
  readonly 'resource'?: Record<string, Record<string, Record<string, unknown>>>;
  readonly 'provider'?: Record<string, Array<Record<string, unknown>>>;
  readonly 'data'?: Record<string, Record<string, Record<string, unknown>>>;
  readonly '//'?: Record<string, unknown>;
}

const AWS_STS_TYPES = ['assumed_role', 'federation_token', 'session_token'];
const AUTH_ROLE_TYPES = [
  'vault_aws_auth_backend_role', 'vault_jwt_auth_backend_role', 'vault_kubernetes_auth_backend_role', 'vault_approle_auth_backend_role',
  'vault_cert_auth_backend_role', 'vault_gcp_auth_backend_role', 'vault_azure_auth_backend_role',
];
const SECRET_FIELDS = [
  'password', 'password_wo', 'secret_key', 'secret_key_wo', 'token', 'jwt', 'secret_id', 'private_key', 'oidc_client_secret',
  'oidc_client_secret_wo', 'client_secret', 'client_key', 'service_account_json', 'credentials', 'token_reviewer_jwt', 'self_managed_password',
];
// The gateway's own ceilings, which the spec validator and both planes enforce too: a lifetime a
// valid spec may ask for is never a finding, and one above what any spec may ask for always is.
const STS_CEILING = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;
const TOKEN_CEILING = TtlLimits.VAULT_TOKENS.ceilingSeconds;
const DATABASE_CEILING = TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds;

type Resources = Array<{ type: string; name: string; address: string; props: Record<string, unknown> }>;

function resourcesOf(config: TerraformConfig): Resources {
  return Object.entries(config.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, props]) => ({ type, name, address: `${type}.${name}`, props })));
}

function isReference(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** A literal whole number of seconds, or undefined when absent or not a literal. */
function seconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Problems of one TTL pair, as text; empty when fine. */
function ttlProblems(props: Record<string, unknown>, defaultKey: string, maxKey: string, ceiling: number): string[] {
  const problems: string[] = [];
  const def = seconds(props[defaultKey]);
  const max = seconds(props[maxKey]);
  if (def === undefined || def <= 0) problems.push(`${defaultKey} is ${props[defaultKey] === undefined ? 'missing' : JSON.stringify(props[defaultKey])} (0 or missing means Vault's default)`);
  else if (def > ceiling) problems.push(`${defaultKey} is ${def} s, above ${ceiling}`);
  if (max === undefined || max <= 0) problems.push(`${maxKey} is ${props[maxKey] === undefined ? 'missing' : JSON.stringify(props[maxKey])} (0 or missing means Vault's default)`);
  else if (max > ceiling) problems.push(`${maxKey} is ${max} s, above ${ceiling}`);
  if (def !== undefined && max !== undefined && def > max) problems.push(`${defaultKey} (${def}) is above ${maxKey} (${max})`);
  return problems;
}

/** Resolves `${vault_policy.<name>.name}` references and literal names to policy resources. */
function policiesOfRole(props: Record<string, unknown>, policies: Map<string, { name: string; rules?: VaultPolicyRule[]; address: string }>) {
  const names = (props.token_policies ?? []) as unknown[];
  return names.flatMap((entry) => {
    const text = String(entry);
    const ref = /^\$\{vault_policy\.([^.}]+)\.name\}$/.exec(text);
    const byAddress = ref ? policies.get(`vault_policy.${ref[1]}`) : undefined;
    const byName = [...policies.values()].find((p) => p.name === text);
    return byAddress ? [byAddress] : byName ? [byName] : [];
  });
}

/** Paths no workload token may reach, probed with the token's whole policy set. */
function sensitivePaths(mounts: string[]): string[] {
  return [
    'sys/policy/any', 'sys/policies/acl/any', 'sys/audit/any', 'sys/auth/any', 'sys/mounts/any', 'sys/raw/any', 'sys/seal',
    'auth/token/create', 'auth/token/create-orphan', 'identity/entity/id/any',
    ...mounts.flatMap((m) => [`${m}/config/root`, `${m}/rotate-root`, `${m}/roles/any`, `${m}/config/any`]),
  ];
}

function isBroadGlob(path: string): boolean {
  const segments = path.split('/');
  if (segments.slice(0, 2).some((s) => s === '+')) return true;
  if (!path.endsWith('*')) return false;
  return path.slice(0, -1).split('/').filter((s) => s !== '').length < 2;
}

/**
 * Every Vault rule over one Terraform JSON configuration.
 */
export function vaultFindings(config: TerraformConfig): RawVaultFinding[] {
  const found: RawVaultFinding[] = [];
  const resources = resourcesOf(config);
  const add = (ruleId: string, address: string | undefined, message: string, severity?: NhiSeverity) =>
    found.push({ ruleId, address, message, severity });

  const policies = new Map(resources.filter((r) => r.type === 'vault_policy').map((r) => [r.address, {
    name: String(r.props.name),
    rules: typeof r.props.policy === 'string' ? readPolicyRules(r.props.policy) : undefined,
    address: r.address,
  }]));
  const mounts = resources
    .filter((r) => ['vault_mount', 'vault_aws_secret_backend', 'vault_database_secrets_mount'].includes(r.type) && typeof r.props.path === 'string')
    .map((r) => String(r.props.path).replace(/\/+$/, ''));

  for (const r of resources) {
    const p = r.props;
    switch (r.type) {
      case 'vault_aws_secret_backend_role': {
        const type = String(p.credential_type ?? '');
        if (type === 'iam_user') add('NHI-VAULT-IAM-USER', r.address, 'creates an IAM user with long-lived keys for every lease');
        if (AWS_STS_TYPES.includes(type)) {
          const problems = ttlProblems(p, 'default_sts_ttl', 'max_sts_ttl', STS_CEILING);
          if (problems.length > 0) add('NHI-VAULT-STS-TTL', r.address, problems.join('; '));
        }
        break;
      }
      case 'vault_aws_secret_backend':
      case 'vault_database_secrets_mount':
      case 'vault_mount': {
        const kind = r.type === 'vault_mount' ? String(p.type ?? '') : r.type === 'vault_aws_secret_backend' ? 'aws' : 'database';
        if (!['aws', 'database'].includes(kind)) break;
        const problems = ttlProblems(p, 'default_lease_ttl_seconds', 'max_lease_ttl_seconds', kind === 'aws' ? STS_CEILING : DATABASE_CEILING);
        if (problems.length > 0) add('NHI-VAULT-LEASE-TTL', r.address, `(${kind} mount) ${problems.join('; ')}`);
        break;
      }
      case 'vault_database_secret_backend_role': {
        const problems = ttlProblems(p, 'default_ttl', 'max_ttl', DATABASE_CEILING);
        if (problems.length > 0) add('NHI-VAULT-DB-ROLE-TTL', r.address, problems.join('; '));
        break;
      }
      case 'vault_approle_auth_backend_role_secret_id':
        add('NHI-VAULT-APPROLE-SECRET-ID', r.address, 'creates an AppRole secret id in Terraform, which writes it into state');
        break;
      case 'vault_audit': {
        const options = (p.options ?? {}) as Record<string, unknown>;
        if (String(options.log_raw ?? 'false') === 'true') add('NHI-VAULT-AUDIT-LOG-RAW', r.address, 'sets log_raw, so secrets are written in clear');
        break;
      }
      default:
        break;
    }
    if (r.type === 'vault_jwt_auth_backend_role' && p.role_type !== 'oidc') {
      const audiences = (p.bound_audiences ?? []) as unknown[];
      const claims = (p.bound_claims ?? {}) as Record<string, unknown>;
      const pinned = (typeof p.bound_subject === 'string' && p.bound_subject !== '' && p.bound_subject !== '*')
        || (Object.keys(claims).length > 0 && !Object.values(claims).some((v) => v === '*'));
      const problems = [
        ...(p.role_type === undefined ? ['role_type is missing, so it is "oidc" (a browser flow), not "jwt"'] : []),
        ...(audiences.length === 0 ? ['bound_audiences is empty'] : []),
        ...(pinned ? [] : ['neither bound_subject nor bound_claims pins the workload']),
      ];
      if (problems.length > 0) add('NHI-VAULT-JWT-NO-AUDIENCE', r.address, problems.join('; '));
    }
    if (AUTH_ROLE_TYPES.includes(r.type) && !(r.type === 'vault_jwt_auth_backend_role' && p.role_type === 'oidc')) {
      const problems: string[] = [];
      const ttl = seconds(p.token_ttl);
      if (ttl === undefined || ttl <= 0 || ttl > TOKEN_CEILING) problems.push(`token_ttl is ${p.token_ttl ?? 'missing'} (at most ${TOKEN_CEILING} s)`);
      // Either maximum caps the token (0 means unset); each one that is set must be within the ceiling.
      const maxima = (['token_max_ttl', 'token_explicit_max_ttl'] as const).filter((key) => p[key] !== undefined && seconds(p[key]) !== 0);
      if (maxima.length === 0) problems.push(`token_max_ttl is ${p.token_max_ttl ?? 'missing'} (at most ${TOKEN_CEILING} s)`);
      for (const key of maxima) {
        const max = seconds(p[key]);
        if (max === undefined || max <= 0 || max > TOKEN_CEILING) problems.push(`${key} is ${JSON.stringify(p[key])} (at most ${TOKEN_CEILING} s)`);
      }
      if (seconds(p.token_period) !== undefined && seconds(p.token_period)! > 0) problems.push(`token_period is ${p.token_period}: tokens renew forever`);
      if (problems.length > 0) add('NHI-VAULT-TOKEN-TTL', r.address, problems.join('; '));

      const attached = policiesOfRole(p, policies);
      for (const policy of attached) {
        for (const rule of policy.rules ?? []) {
          const refusal = VaultPolicyDocument.whyRefused(rule);
          if (isBroadGlob(rule.path)) {
            add('NHI-VAULT-POLICY-BROAD-GLOB', policy.address, `path "${rule.path}" (attached to ${r.address}) covers whole mounts`);
          } else if (refusal) {
            add('NHI-VAULT-POLICY-FORBIDDEN', policy.address, `path "${rule.path}" (attached to ${r.address}) ${refusal}`);
          }
        }
      }
      const matcher = new VaultPolicyMatcher(attached.filter((a) => a.rules).map((a) => VaultPolicyDocument.forAnalysis(a.name, a.rules!)));
      const reached = sensitivePaths(mounts).filter((path) => matcher.capabilitiesAt(path).some((c) => c !== VaultCapability.DENY));
      if (reached.length > 0) {
        add('NHI-VAULT-POLICY-FORBIDDEN', r.address, `its tokens' policies together reach ${reached.slice(0, 4).join(', ')}${reached.length > 4 ? ` and ${reached.length - 4} more` : ''}`);
      }
    }
  }

  const walk = (value: unknown, key: string, address: string) => {
    if (Array.isArray(value)) {value.forEach((v) => walk(v, key, address));} else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (k !== '//') walk(v, k, address);
    } else if (typeof value === 'string' && value !== '' && !isReference(value)) {
      if (SECRET_FIELDS.includes(key)) add('NHI-VAULT-SECRET-LITERAL', address, `${key} is written literally`);
      else if (key === 'connection_url' && /:\/\/[^/{]+:(?!\{\{password\}\})[^@/]+@/.test(value)) add('NHI-VAULT-SECRET-LITERAL', address, 'connection_url embeds a password');
    }
  };
  for (const r of resources) walk(r.props, '', r.address);
  for (const [name, blocks] of Object.entries(config.provider ?? {})) walk(blocks, '', `provider.${name}`);

  const audits = resources.filter((r) => r.type === 'vault_audit');
  const types = new Set(audits.map((a) => String(a.props.type)));
  if (audits.length < 2 || types.size < 2) {
    add('NHI-VAULT-AUDIT-DEVICES', undefined, `defines ${audits.length} audit device${audits.length === 1 ? '' : 's'} of ${types.size} type${types.size === 1 ? '' : 's'}`);
  }
  return found;
}
