import { VaultCapability } from './vault-capability';
import { VaultPolicyDocument } from './vault-policy-document';

/**
 * The answer to "may a token with these policies do this at that path".
 */
export interface VaultAccessDecision {
  /** True when the capability is granted and not denied. */
  readonly allowed: boolean;

  /**
   * The pattern that decided: Vault applies only the highest-priority pattern that matches.
   *
   * @default - no pattern matched, so nothing is granted
   */
  readonly pattern?: string;

  /** The policies that contribute the deciding pattern. */
  readonly policies: string[];

  /** The capabilities the deciding pattern grants, merged across those policies. */
  readonly capabilities: VaultCapability[];
}

interface Candidate {
  readonly pattern: string;
  readonly policies: string[];
  readonly capabilities: Set<VaultCapability>;
}

function isExact(pattern: string): boolean {
  return !pattern.includes('+') && !pattern.endsWith('*');
}

/** Whether a pattern matches a path: `+` is one whole segment, a final `*` any suffix. */
function matches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*');
  const body = glob ? pattern.slice(0, -1) : pattern;
  const source = body.split('/').map((segment) => (segment === '+' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${source}${glob ? '.*' : ''}$`).test(path);
}

function firstWildcard(pattern: string): number {
  const positions = [pattern.indexOf('+'), pattern.indexOf('*')].filter((i) => i >= 0);
  return positions.length > 0 ? Math.min(...positions) : pattern.length;
}

function plusSegments(pattern: string): number {
  return pattern.split('/').filter((s) => s === '+').length;
}

/**
 * Compares two matching non-exact patterns by Vault's documented priority rules and returns a
 * positive number when `a` has the higher priority.
 *
 * 1. The pattern whose first wildcard (`+` or `*`) comes earlier is lower.
 * 2. A pattern ending in `*` is lower than one that does not.
 * 3. The pattern with more `+` segments is lower.
 * 4. The shorter pattern is lower.
 * 5. The lexicographically smaller pattern is lower.
 */
function comparePriority(a: string, b: string): number {
  const byWildcard = firstWildcard(a) - firstWildcard(b);
  if (byWildcard !== 0) return byWildcard;
  const aGlob = a.endsWith('*');
  const bGlob = b.endsWith('*');
  if (aGlob !== bGlob) return aGlob ? -1 : 1;
  const byPlus = plusSegments(b) - plusSegments(a);
  if (byPlus !== 0) return byPlus;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Decides access the way Vault does for a token with a set of policies: an exact match wins;
 * otherwise the single highest-priority matching pattern decides, with the capabilities of
 * every policy that uses that same pattern merged; `deny` overrides only within that pattern, so
 * a deny on a less specific pattern never beats an allow on a more specific one.
 */
export class VaultPolicyMatcher {
  private readonly candidates = new Map<string, Candidate>();

  /**
   * @param policies the policies a token holds
   */
  constructor(policies: VaultPolicyDocument[]) {
    for (const policy of policies) {
      for (const rule of policy.rules) {
        const existing = this.candidates.get(rule.path);
        const candidate = existing ?? { pattern: rule.path, policies: [], capabilities: new Set<VaultCapability>() };
        candidate.policies.push(policy.name);
        rule.capabilities.forEach((c) => candidate.capabilities.add(c));
        this.candidates.set(rule.path, candidate);
      }
    }
  }

  /**
   * Whether `capability` is allowed at `path`, and which pattern decided.
   */
  public check(capability: VaultCapability, path: string): VaultAccessDecision {
    const winner = this.winningPattern(path);
    if (!winner) return { allowed: false, policies: [], capabilities: [] };
    const denied = winner.capabilities.has(VaultCapability.DENY);
    return {
      allowed: !denied && winner.capabilities.has(capability),
      pattern: winner.pattern,
      policies: [...winner.policies].sort(),
      capabilities: denied ? [VaultCapability.DENY] : [...winner.capabilities],
    };
  }

  /**
   * Every capability a token has at `path`.
   */
  public capabilitiesAt(path: string): VaultCapability[] {
    const winner = this.winningPattern(path);
    if (!winner || winner.capabilities.has(VaultCapability.DENY)) return [];
    return [...winner.capabilities];
  }

  private winningPattern(path: string): Candidate | undefined {
    const exact = this.candidates.get(path);
    if (exact && isExact(exact.pattern)) return exact;
    const matching = [...this.candidates.values()].filter((c) => !isExact(c.pattern) && matches(c.pattern, path));
    if (matching.length === 0) return undefined;
    return matching.reduce((best, c) => (comparePriority(c.pattern, best.pattern) > 0 ? c : best));
  }
}
