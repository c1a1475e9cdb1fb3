import { VaultCapability, VaultPolicyDocument, VaultPolicyMatcher, VaultPolicyRule } from '../../../vault-acl';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { policiesOf, policyHolders, VaultCheckContext } from '../support/vault';
import { gcpEngineMounts, isBroadGlob, isSelfDescribing, judgedPolicyRules, JudgedRule, onWorkloadHoldersOfPeoplesPolicies } from '../support/vault-policies';

/** The authorize endpoint of Vault's OIDC providers, which the `default` policy grants: the caller asks for a code about itself. */
const OIDC_PROVIDER_AUTHORIZE = /^identity\/oidc\/provider\/[^/*]+\/authorize$/;

/**
 * True when a rule Vault's workload restrictions refuse is, in this configuration, a documented
 * pattern: a self-describing `sys/` path without sudo or delete; the snapshot agent's read of the
 * Raft snapshot in a policy of its own; reading a CA's public key
 * (`<mount>/config/ca`); fetching an AppRole's secret ids only response-wrapped (the trusted
 * broker pattern); or token creation through a token role this configuration defines with a
 * bounded policy set (the broker pattern Nomad and CI systems use), or reading that role.
 */
function documentedPattern(ctx: VaultCheckContext, rule: VaultPolicyRule, policyRules: readonly VaultPolicyRule[]): boolean {
  const path = rule.path.replace(/^\/+/, '');
  const writes = rule.capabilities.some((c) => c === VaultCapability.SUDO || c === VaultCapability.DELETE);
  const readOnly = rule.capabilities.every((c) => c === VaultCapability.READ || c === VaultCapability.LIST);
  if ((isSelfDescribing(path) || OIDC_PROVIDER_AUTHORIZE.test(path)) && !writes) return true;
  // The snapshot agent's documented policy, a policy of its own: it reads the Raft snapshot and
  // nothing else (the same read in a policy every job holds hands them all a copy of the storage).
  if (path === 'sys/storage/raft/snapshot' && readOnly
    && policyRules.every((r) => r.path === rule.path || isSelfDescribing(r.path.replace(/^\/+/, '')))) return true;
  if (/^[^*+]+\/config\/ca$/.test(path) && readOnly) return true;
  // The list of mounts (their paths, types and options), which KV clients read to find a mount's
  // version: no secret, and nothing changes.
  if (path === 'sys/mounts' && readOnly) return true;
  // Rotating an engine's root credential (`aws/config/rotate-root`, `database/rotate-root/<db>`)
  // replaces it with one only Vault knows: the caller never reads it.
  if (/^[^*+]+\/rotate-root(\/[^*+/]+)?$/.test(path) && rule.capabilities.every((c) => c === VaultCapability.UPDATE || c === VaultCapability.CREATE)) return true;
  if (/^auth\/[^*+]+\/role\/[^*+/]+\/secret-id$/.test(path) && !rule.capabilities.includes(VaultCapability.SUDO) && (rule.maxWrappingTtl ?? 0) > 0) return true;
  const tokenRole = /^auth\/token\/(create|roles)\/([^*+/]+)$/.exec(path);
  if (!tokenRole) return false;
  if (tokenRole[1] === 'roles' && rule.capabilities.some((c) => c !== VaultCapability.READ && c !== VaultCapability.LIST)) return false;
  return ctx.resources.some((r) => r.type === 'vault_token_auth_backend_role' && r.props.role_name === tokenRole[2]
    && ['allowed_policies', 'disallowed_policies', 'allowed_policies_glob', 'disallowed_policies_glob']
      .some((key) => Array.isArray(r.props[key]) && (r.props[key] as unknown[]).length > 0));
}

/** The paths of the KV (and generic) mounts the configuration defines, longest first, without slashes. */
function kvMounts(ctx: VaultCheckContext): string[] {
  return ctx.resources
    .filter((r) => (r.type === 'vault_mount' && /^(kv|kv-v2|generic)$/.test(String(r.props.type))) || r.type === 'vault_kv_secret_backend_v2')
    .map((r) => r.props.path)
    .filter((p): p is string => typeof p === 'string' && !p.includes('${'))
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .sort((a, b) => b.length - a.length);
}

/**
 * True when a path's `config` segment names a secret in a KV mount (`secret/app/data/config`,
 * `kv/app/config`): KV's tree is the data people write, and its only configuration endpoint is
 * `<mount>/config`, right after the mount. Configuration paths are matched by the mount's engine.
 */
function kvSecretNamedConfig(path: string, kv: string[]): boolean {
  const clean = path.replace(/^\/+/, '');
  const mount = kv.find((m) => clean.startsWith(`${m}/`));
  if (!mount) return false;
  const rest = clean.slice(mount.length + 1).split('/');
  return rest[0] !== 'config' && !rest[0].startsWith('config*');
}

/**
 * True when a rule only reads a KV mount's own settings (`<mount>/config`: versions kept,
 * check-and-set), which hold no credential; writing them is still reported.
 */
function readsKvSettings(rule: VaultPolicyRule, kv: string[]): boolean {
  const clean = rule.path.replace(/^\/+|\/+$/g, '');
  return kv.some((m) => clean === `${m}/config`)
    && rule.capabilities.every((c) => c === VaultCapability.READ || c === VaultCapability.LIST);
}

/** Paths no workload token may reach, probed with the token's whole policy set. */
function sensitivePaths(mounts: string[]): string[] {
  return [
    'sys/policy/any', 'sys/policies/acl/any', 'sys/audit/any', 'sys/auth/any', 'sys/mounts/any', 'sys/raw/any', 'sys/seal',
    'auth/token/create', 'auth/token/create-orphan', 'identity/entity/id/any',
    ...mounts.flatMap((m) => [`${m}/config/root`, `${m}/rotate-root`, `${m}/roles/any`, `${m}/config/any`]),
  ];
}

/**
 * A rule under a KV mount with its `sudo` left out: KV's tree has no root-protected endpoint, so
 * `sudo` there unlocks nothing (what the rule's other capabilities reach is still judged).
 */
function withoutIdleSudo(rule: VaultPolicyRule, kv: string[]): VaultPolicyRule {
  const clean = rule.path.replace(/^\/+/, '');
  if (!rule.capabilities.includes(VaultCapability.SUDO) || !kv.some((m) => clean.startsWith(`${m}/`))) return rule;
  return { ...rule, capabilities: rule.capabilities.filter((c) => c !== VaultCapability.SUDO) };
}

/** The refused rules of the judged policies, each once per policy and path, with every holder. */
function byPolicyPath(ctx: VaultCheckContext) {
  const out: Array<{ policy: JudgedRule['policy']; rule: VaultPolicyRule; holders: string[]; refusal: string }> = [];
  const kv = kvMounts(ctx);
  const gcpMounts = gcpEngineMounts(ctx);
  for (const { policy, rule, holder } of judgedPolicyRules(ctx)) {
    const documented = isBroadGlob(rule.path, gcpMounts) || documentedPattern(ctx, rule, policy.rules ?? []);
    const refusal = documented ? undefined : VaultPolicyDocument.whyRefused(withoutIdleSudo(rule, kv));
    if (!refusal) continue;
    if (refusal.includes('configuration') && !refusal.includes('sys/') && (kvSecretNamedConfig(rule.path, kv) || readsKvSettings(rule, kv))) continue;
    const seen = out.find((o) => o.policy.address === policy.address && o.rule.path === rule.path);
    if (seen) {
      if (!seen.holders.includes(holder)) seen.holders.push(holder);
    } else {
      out.push({ policy, rule, holders: [holder], refusal });
    }
  }
  return out;
}

export const VaultPolicyForbidden = vaultRule({
  id: 'NHI-VAULT-POLICY-FORBIDDEN',
  title: 'A workload\'s policies reach sys/, root-protected paths, sudo, token or identity writes',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6(10)', 'AC-6(1)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'grant workloads only the credential paths they read; keep administration in a separate identity',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const hits: VaultHit[] = [];
    const refused = new Set<string>();
    // A policy held by several roles is one problem per path, reported once with its holders.
    for (const { policy, rule, holders, refusal } of byPolicyPath(ctx)) {
      refused.add(policy.address);
      hits.push({ address: policy.address, message: `path "${rule.path}" (${holders.join('; ')}) ${refusal}` });
    }
    // What each holder's tokens reach, judged with Vault's matcher: the sensitive paths a policy
    // reaches (an engine's roles or configuration through `ssh/roles/*`, `pki/*`) are that
    // policy's problem. Vault unites the capabilities of a token's policies, so a path its policies
    // reach together one of them reaches alone (unless another denies it): each is reported once
    // on the policy, where it is fixed, naming every holder (a policy already reported above carries its holders).
    const reached = new Map<string, { paths: string[]; holders: string[] }>();
    // A KV mount's tree is data: `secret/config/root` there is a secret's name, not an engine's root.
    const kv = kvMounts(ctx);
    const engineMounts = ctx.mounts.filter((m) => !kv.includes(m.replace(/^\/+|\/+$/g, '')));
    // An entity's record is sensitive to write (its policies and aliases), not to read: Vault's
    // default policy lets each token read its own entity through a templated path.
    const reaches = (m: VaultPolicyMatcher, path: string) => m.capabilitiesAt(path)
      .some((c) => c !== VaultCapability.DENY && (!path.startsWith('identity/') || (c !== VaultCapability.READ && c !== VaultCapability.LIST)));
    for (const holder of policyHolders(ctx)) {
      const attached = policiesOf(ctx, holder.props).filter((a) => a.rules);
      // A deny in another of the holder's policies still closes the path for this holder.
      const together = new VaultPolicyMatcher(attached.map((a) => VaultPolicyDocument.forAnalysis(a.name, a.rules!)));
      const open = sensitivePaths(engineMounts).filter((path) => reaches(together, path));
      for (const policy of attached.filter((a) => !refused.has(a.address))) {
        const matcher = new VaultPolicyMatcher([VaultPolicyDocument.forAnalysis(policy.name, policy.rules!)]);
        const paths = open.filter((path) => reaches(matcher, path));
        if (paths.length === 0) continue;
        const entry = reached.get(policy.address) ?? { paths: [], holders: [] };
        entry.paths.push(...paths.filter((p) => !entry.paths.includes(p)));
        if (!entry.holders.includes(holder.address)) entry.holders.push(holder.address);
        reached.set(policy.address, entry);
      }
    }
    for (const [address, { paths, holders }] of reached) {
      hits.push({
        address,
        message: `reaches ${paths.slice(0, 4).join(', ')}${paths.length > 4 ? ` and ${paths.length - 4} more` : ''} for the tokens of ${holders.join(', ')}`,
      });
    }
    return onWorkloadHoldersOfPeoplesPolicies(ctx, hits);
  },
});
