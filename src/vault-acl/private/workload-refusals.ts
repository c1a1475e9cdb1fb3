import { VaultCapability } from '../vault-capability';
import { VaultPolicyRule } from '../vault-policy-rule';

const WRITES = [VaultCapability.CREATE, VaultCapability.UPDATE, VaultCapability.PATCH, VaultCapability.DELETE];

/**
 * Paths that Vault protects with `sudo` (from Vault's `api/sudo_paths.go`); a trailing `*`
 * covers everything below. No workload policy may touch them.
 */
const SUDO_PATHS = [
  'auth/token/accessors', 'auth/token/revoke-orphan', 'pki/root', 'pki/root/sign-self-issued',
  'sys/audit', 'sys/audit/*', 'sys/auth/*', 'sys/config/auditing/request-headers*', 'sys/config/cors',
  'sys/config/ui/headers*', 'sys/internal/inspect/router/*', 'sys/internal/counters/activity/export',
  'sys/leases', 'sys/leases/lookup/*', 'sys/leases/revoke-force/*', 'sys/leases/revoke-prefix/*',
  'sys/plugins/catalog/*', 'sys/plugins/runtimes/catalog/*', 'sys/raw/*', 'sys/remount', 'sys/revoke-force/*',
  'sys/revoke-prefix/*', 'sys/rotate', 'sys/seal', 'sys/step-down', 'sys/replication/*', 'sys/storage/raft/snapshot-auto/config*',
];

/** True when a pattern with a trailing `*` could match `path` or something below it. */
function overlaps(pattern: string, path: string): boolean {
  const strip = (p: string) => p.replace(/\*$/, '');
  const a = strip(pattern);
  const b = strip(path);
  return a.startsWith(b) || b.startsWith(a);
}

const TEMPLATE = /\{\{.*?\}\}/g;

/** The segments under `auth/<mount>/` that define who may log in: cert auth's certs, userpass and LDAP users and groups, GitHub's and Okta's mappings. */
const LOGIN_SEGMENTS = /^(certs|users|groups|map)\*?$/;

/** A user's own password, the user segment an identity template: what userpass lets each person change. */
const OWN_PASSWORD = /^auth\/[^/]+\/users\/\{\{[^}]+\}\}\/password$/;

/**
 * Why a rule may not appear in a workload policy, or undefined when it may. An identity template
 * (`{{identity.entity.name}}`) becomes whatever an entity's name or metadata says, which whoever
 * manages identities chooses: in the first segment it could become `sys`, so it is refused there;
 * behind a literal mount it stays inside that mount and is judged as an ordinary segment.
 */
export function workloadRefusal(rule: VaultPolicyRule): string | undefined {
  const path = rule.path.replace(/^\/+/, '');
  const first = path.split('/')[0];
  if (first.search(TEMPLATE) >= 0) {
    return `has a templated first segment ${first}, which an entity's name or metadata could turn into sys/ or any other mount`;
  }
  return literalRefusal(rule, path.replace(TEMPLATE, 'x'));
}

function literalRefusal(rule: VaultPolicyRule, path: string): string | undefined {
  const segments = path.split('/');
  const caps = rule.capabilities;
  const writes = caps.some((c) => WRITES.includes(c));
  if (caps.includes(VaultCapability.SUDO)) return 'grants sudo, which unlocks root-protected paths';
  if (segments[0] === '*' || segments[0] === '+' || segments[0].startsWith('*')) return 'starts with a wildcard, which would cover every mount';
  if (path.indexOf('*') !== -1 && path.indexOf('*') !== path.length - 1) return 'has a * before its end; Vault only supports * as the last character';
  if (segments[0] === 'sys') return 'is under sys/, the server\'s own configuration';
  const sudo = SUDO_PATHS.find((p) => overlaps(p, path));
  if (sudo) return `touches the root-protected path ${sudo}`;
  if (/^auth\/token\/(create|roles)/.test(path)) return 'creates tokens, which would let a workload mint identities';
  if (segments[0] === 'auth' && segments.slice(2).some((s) => s === 'role' || s.startsWith('role')) && writes) return 'writes an auth role, which would let a workload grant itself a login';
  // A trusted certificate, a user or a group mapping of an auth method is a login as much as a
  // role is; a person changing their own password (`users/{{...}}/password`) is not.
  if (segments[0] === 'auth' && LOGIN_SEGMENTS.test(segments[2] ?? '') && writes && !OWN_PASSWORD.test(rule.path.replace(/^\/+/, ''))) {
    return 'writes an auth method\'s logins (trusted certificates, users or group mappings), which would let a workload grant itself a login';
  }
  if (segments[0] === 'identity' && writes) return 'writes identity, which would let a workload change who it is';
  if (segments.some((s) => s === 'config' || s.startsWith('config*'))) return 'reaches an engine\'s configuration, which holds its root credential';
  if (segments.some((s) => s.startsWith('rotate-root') || s.startsWith('rotate-role'))) return 'rotates an engine\'s root credential';
  return undefined;
}
