/**
 * Vault ACL capabilities.
 */
export enum VaultCapability {
  /** Create data at a path (POST/PUT where none exists). */
  CREATE = 'create',
  /** Read data at a path (GET). Reading dynamic credentials is a read. */
  READ = 'read',
  /** Change data at a path (POST/PUT). */
  UPDATE = 'update',
  /** Partially change data at a path (PATCH). */
  PATCH = 'patch',
  /** Delete data at a path. */
  DELETE = 'delete',
  /** List keys under a path. */
  LIST = 'list',
  /** Use root-protected paths. Never allowed in a workload policy. */
  SUDO = 'sudo',
  /** Refuse everything at the path, whatever else is granted there. */
  DENY = 'deny',
  /** Subscribe to events. */
  SUBSCRIBE = 'subscribe',
}

/** Capabilities in the order Vault documents them; HCL lists them in this order. */
const CAPABILITY_ORDER = Object.values(VaultCapability);
const WRITES = [VaultCapability.CREATE, VaultCapability.UPDATE, VaultCapability.PATCH, VaultCapability.DELETE];

/**
 * One path rule of a Vault ACL policy.
 */
export interface VaultPolicyRule {
  /**
   * The path: exact, or with `+` for one segment, or ending in `*` for every path that starts
   * with what comes before it.
   */
  readonly path: string;

  /** What may be done at the path. */
  readonly capabilities: VaultCapability[];

  /**
   * What the rule is for; written as a comment above it.
   *
   * @default - no comment
   */
  readonly description?: string;

  /**
   * Parameters a request may carry, each with the values it may take (an empty list allows any).
   *
   * @default - no constraint
   */
  readonly allowedParameters?: Record<string, string[]>;

  /**
   * Parameters a request may not carry, or values they may not take.
   *
   * @default - no constraint
   */
  readonly deniedParameters?: Record<string, string[]>;

  /**
   * Parameters a request must carry.
   *
   * @default - none
   */
  readonly requiredParameters?: string[];
}

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

/** Names Vault reserves (compared after lower-casing and trimming, as Vault does). */
const RESERVED_NAMES = ['root', 'default'];

/** True when a pattern with a trailing `*` could match `path` or something below it. */
function overlaps(pattern: string, path: string): boolean {
  const strip = (p: string) => p.replace(/\*$/, '');
  const a = strip(pattern);
  const b = strip(path);
  return a.startsWith(b) || b.startsWith(a);
}

/**
 * Why a rule may not appear in a workload policy, or undefined when it may.
 */
function workloadRefusal(rule: VaultPolicyRule): string | undefined {
  const path = rule.path.replace(/^\/+/, '');
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
  if (segments[0] === 'identity' && writes) return 'writes identity, which would let a workload change who it is';
  if (segments.some((s) => s === 'config' || s.startsWith('config*'))) return 'reaches an engine\'s configuration, which holds its root credential';
  if (segments.some((s) => s.startsWith('rotate-root') || s.startsWith('rotate-role'))) return 'rotates an engine\'s root credential';
  return undefined;
}

function hclString(value: string): string {
  return JSON.stringify(value);
}

function hclList(values: string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

function hclMap(map: Record<string, string[]>): string {
  const keys = Object.keys(map).sort();
  return `{\n${keys.map((k) => `    ${hclString(k)} = ${hclList([...map[k]].sort())}`).join('\n')}\n  }`;
}

/**
 * A Vault ACL policy built from typed rules and rendered as deterministic HCL.
 *
 * `VaultPolicyDocument.forWorkload` refuses what no workload (a router, a service) should ever
 * hold: `sys/` and every sudo-protected path, the `sudo` capability, a wildcard as the first
 * segment, a `*` before the end of a path, token creation, auth-role and identity writes, engine
 * configuration and root rotation. It reports every refused rule at once.
 */
export class VaultPolicyDocument {
  /**
   * Why a rule may not appear in a workload policy, or undefined when it may.
   */
  public static whyRefused(rule: VaultPolicyRule): string | undefined {
    return workloadRefusal(rule);
  }

  /**
   * A policy exactly as given, without the workload restrictions: for analysing policies
   * written elsewhere.
   *
   * @internal
   */
  public static _unchecked(name: string, rules: VaultPolicyRule[]): VaultPolicyDocument {
    return new VaultPolicyDocument(name, rules);
  }

  /**
   * A policy for a workload, with the workload restrictions enforced.
   *
   * @param name lower-case letters, digits, `_` and `-`; never `root` or `default`
   * @param rules the rules; each path appears once
   */
  public static forWorkload(name: string, rules: VaultPolicyRule[]): VaultPolicyDocument {
    const problems: string[] = [];
    const normalized = name.trim().toLowerCase();
    if (RESERVED_NAMES.includes(normalized)) {
      problems.push(`the name "${name}" is Vault's reserved ${normalized} policy; choose a name of your own`);
    } else if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
      problems.push(`the name "${name}" may contain lower-case letters, digits, _ and - only (Vault lower-cases names; a mixed-case name hides a different policy)`);
    }
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      const where = `rules[${i}] (path "${rule.path}")`;
      if (seen.has(rule.path)) problems.push(`${where} repeats a path; give each path one rule`);
      seen.add(rule.path);
      if (rule.capabilities.length === 0) problems.push(`${where} grants nothing; remove it or give it capabilities`);
      const refusal = workloadRefusal(rule);
      if (refusal) problems.push(`${where} ${refusal}; a workload policy may not have it`);
    });
    if (problems.length > 0) {
      throw new Error(`Vault policy "${name}" is refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    return new VaultPolicyDocument(name, rules);
  }

  /** The policy name. */
  public readonly name: string;

  /** The rules, sorted by path. */
  public readonly rules: VaultPolicyRule[];

  private constructor(name: string, rules: VaultPolicyRule[]) {
    this.name = name;
    this.rules = [...rules].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The policy in HCL. The same rules always give the same text (rules sorted by path,
   * capabilities in Vault's order, parameters sorted), so plans show no spurious changes.
   */
  public toHcl(): string {
    const blocks = this.rules.map((rule) => {
      const lines: string[] = [];
      if (rule.description) lines.push(`# ${rule.description.replace(/\s+/g, ' ')}`);
      lines.push(`path ${hclString(rule.path)} {`);
      const caps = CAPABILITY_ORDER.filter((c) => rule.capabilities.includes(c));
      lines.push(`  capabilities = ${hclList(caps)}`);
      if (rule.allowedParameters) lines.push(`  allowed_parameters = ${hclMap(rule.allowedParameters)}`);
      if (rule.deniedParameters) lines.push(`  denied_parameters = ${hclMap(rule.deniedParameters)}`);
      if (rule.requiredParameters) lines.push(`  required_parameters = ${hclList([...rule.requiredParameters].sort())}`);
      lines.push('}');
      return lines.join('\n');
    });
    return `${blocks.join('\n\n')}\n`;
  }
}
