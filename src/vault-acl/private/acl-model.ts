// Vault's ACL as data: the policies a token holds, merged per pattern the way Vault merges them,
// and the lookups Vault performs (exact, then the longest prefix and the segment-wildcard
// patterns ranked by priority). Not part of the package's public API; VaultPolicyMatcher is.
import { parameterValues } from './parameter-values';
import { VaultCapability } from '../vault-capability';
import { VaultOperation } from '../vault-operation';
import { VaultPolicyDocument } from '../vault-policy-document';

/** A pattern with every policy's rule for it merged. */
export interface MergedRule {
  /** The pattern without its leading `/` (and, for a prefix, still with its `*`). */
  readonly pattern: string;
  readonly kind: 'exact' | 'prefix' | 'segment';
  /** Where `kind` is `prefix`, the pattern without its trailing `*`. */
  readonly key: string;
  capabilities: Set<VaultCapability>;
  minWrappingTtl: number;
  maxWrappingTtl: number;
  allowed?: Record<string, unknown[]>;
  denied?: Record<string, unknown[]>;
  required: string[];
  readonly policies: string[];
  readonly granting: Map<VaultCapability, string[]>;
}

interface Ranked {
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly wildcards: number;
  readonly body: string;
  readonly rule: MergedRule;
}

const TEMPLATE = /\{\{.*?\}\}/;

/** Whether a pattern holds an identity template (`{{identity.entity.id}}` and the like). */
export function isTemplated(pattern: string): boolean {
  return TEMPLATE.test(pattern);
}

/** Vault strips one leading `/` from a policy path; a request path loses every leading `/`. */
export function normalizePolicyPath(path: string): string {
  return path.startsWith('/') ? path.slice(1) : path;
}

export function normalizeRequestPath(path: string): string {
  return path.replace(/^\/+/, '');
}

function hasSegmentWildcards(pattern: string): boolean {
  return pattern === '+' || pattern.includes('/+') || pattern.startsWith('+/') || isTemplated(pattern);
}

/** A pattern segment that stands for any segment: `+`, or a segment holding a template. */
function segmentMatches(part: string, value: string, asPrefix: boolean): boolean | undefined {
  if (part === '+') return true;
  if (!isTemplated(part)) return undefined;
  const source = part.split(/\{\{.*?\}\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`^${source}${asPrefix ? '' : '$'}`).test(value);
}

/** Vault's priority: a later first wildcard, then no glob, then fewer `+`, then longer, then larger. */
function lower(a: Ranked, b: Ranked): boolean {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard < b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix;
  if (a.wildcards !== b.wildcards) return a.wildcards > b.wildcards;
  if (a.body.length !== b.body.length) return a.body.length < b.body.length;
  return a.body < b.body;
}

function best(ranked: Ranked[]): Ranked | undefined {
  return ranked.reduce<Ranked | undefined>((top, r) => (top === undefined || lower(top, r) ? r : top), undefined);
}

function firstWildcardOf(pattern: string): number {
  const positions = [pattern.indexOf('+'), pattern.search(TEMPLATE)].filter((i) => i >= 0);
  return positions.length > 0 ? Math.min(...positions) : -1;
}

const NO_PARAMETERS = undefined;

/** The ACL of a token: its policies merged per pattern, and Vault's lookups over them. */
export class AclModel {
  public readonly isRoot: boolean;
  public readonly refusal?: string;
  private readonly exact = new Map<string, MergedRule>();
  private readonly prefix = new Map<string, MergedRule>();
  private readonly segment = new Map<string, MergedRule>();

  constructor(policies: VaultPolicyDocument[]) {
    const root = policies.filter((p) => p.name.trim().toLowerCase() === 'root');
    this.isRoot = root.length > 0;
    if (this.isRoot && policies.length > 1) this.refusal = 'other policies present along with root';
    for (const policy of policies) {
      for (const rule of policy.rules) {
        const pattern = normalizePolicyPath(rule.path);
        const segmentKind = hasSegmentWildcards(pattern);
        const kind = segmentKind ? 'segment' : pattern.endsWith('*') ? 'prefix' : 'exact';
        const key = kind === 'prefix' ? pattern.slice(0, -1) : pattern;
        const table = kind === 'exact' ? this.exact : kind === 'prefix' ? this.prefix : this.segment;
        const incoming = rule.capabilities.includes(VaultCapability.DENY) ? new Set([VaultCapability.DENY]) : new Set(rule.capabilities);
        const values = incoming.has(VaultCapability.DENY) ? {} : parameterValues(rule);
        const allowed = lowerKeys(values.allowed);
        const denied = lowerKeys(values.denied);
        const existing = table.get(key);
        if (!existing) {
          const granting = new Map<VaultCapability, string[]>();
          incoming.forEach((c) => granting.set(c, [policy.name]));
          const deny = incoming.has(VaultCapability.DENY);
          table.set(key, {
            pattern,
            kind,
            key,
            capabilities: incoming,
            policies: [policy.name],
            granting,
            minWrappingTtl: deny ? 0 : rule.minWrappingTtl ?? 0,
            maxWrappingTtl: deny ? 0 : rule.maxWrappingTtl ?? 0,
            allowed,
            denied,
            required: deny ? [] : [...(rule.requiredParameters ?? [])],
          });
          continue;
        }
        existing.policies.push(policy.name);
        if (existing.capabilities.has(VaultCapability.DENY)) continue;
        if (incoming.has(VaultCapability.DENY)) {
          existing.capabilities = new Set([VaultCapability.DENY]);
          existing.allowed = NO_PARAMETERS;
          existing.denied = NO_PARAMETERS;
          continue;
        }
        incoming.forEach((c) => {
          existing.capabilities.add(c);
          existing.granting.set(c, [...(existing.granting.get(c) ?? []), policy.name]);
        });
        const max = rule.maxWrappingTtl ?? 0;
        const min = rule.minWrappingTtl ?? 0;
        if (max > 0 && (existing.maxWrappingTtl === 0 || max < existing.maxWrappingTtl)) existing.maxWrappingTtl = max;
        if (min > 0 && (existing.minWrappingTtl === 0 || min < existing.minWrappingTtl)) existing.minWrappingTtl = min;
        existing.allowed = mergeParameters(existing.allowed, allowed);
        existing.denied = mergeParameters(existing.denied, denied);
        for (const r of rule.requiredParameters ?? []) if (!existing.required.includes(r)) existing.required.push(r);
      }
    }
  }

  /** Every merged rule, for questions about what the policies could reach. */
  public rules(): MergedRule[] {
    return [...this.exact.values(), ...this.prefix.values(), ...this.segment.values()];
  }

  /** The merged rule Vault applies to `operation` at `path`, or undefined when none matches. */
  public lookup(rawPath: string, operation: VaultOperation): MergedRule | undefined {
    const path = normalizeRequestPath(rawPath);
    const exact = this.exact.get(path);
    if (exact) return exact;
    const listing = operation === VaultOperation.LIST || operation === VaultOperation.SCAN;
    if (listing) {
      const trimmedExact = this.exact.get(path.replace(/\/$/, ''));
      if (trimmedExact) return trimmedExact;
    }
    if (listing && path.endsWith('/')) {
      // LIST with a trailing slash: rules for both forms compete; the most specific deny wins
      // unless a more specific rule grants the listing (Vault's fix for a deny being bypassed).
      const all = [...this.candidates(path.slice(0, -1)), ...this.candidates(path)];
      if (all.length === 0) return undefined;
      const needed = operation === VaultOperation.SCAN ? VaultCapability.SCAN : VaultCapability.LIST;
      const bestDeny = best(all.filter((r) => r.rule.capabilities.has(VaultCapability.DENY)));
      const bestList = best(all.filter((r) => r.rule.capabilities.has(needed)));
      if (bestDeny && (!bestList || lower(bestList, bestDeny))) return bestDeny.rule;
      return (bestList ?? best(all))!.rule;
    }
    return best(this.candidates(path))?.rule;
  }

  /** The longest matching prefix rule and every matching segment-wildcard rule, ranked. */
  private candidates(path: string): Ranked[] {
    const ranked: Ranked[] = [];
    let longest: MergedRule | undefined;
    for (const rule of this.prefix.values()) {
      if (path.startsWith(rule.key) && (!longest || rule.key.length > longest.key.length)) longest = rule;
    }
    if (longest) ranked.push({ firstWildcard: longest.key.length, isPrefix: true, wildcards: 0, body: longest.key, rule: longest });
    const parts = path.split('/');
    for (const rule of this.segment.values()) {
      if (rule.pattern === '') continue;
      const isPrefix = rule.pattern.endsWith('*');
      const body = isPrefix ? rule.pattern.slice(0, -1) : rule.pattern;
      const pattern = body.split('/');
      if (parts.length < pattern.length || (!isPrefix && pattern.length !== parts.length)) continue;
      let wildcards = 0;
      const matched = pattern.every((part, i) => {
        const last = i === pattern.length - 1;
        const wildcard = segmentMatches(part, parts[i], isPrefix && last);
        if (wildcard !== undefined) {
          wildcards++;
          return wildcard;
        }
        return part === parts[i] || (isPrefix && last && parts[i].startsWith(part));
      });
      if (matched) ranked.push({ firstWildcard: firstWildcardOf(rule.pattern), isPrefix, wildcards, body, rule });
    }
    return ranked;
  }
}

function lowerKeys(map: Record<string, unknown[]> | undefined): Record<string, unknown[]> | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), [...v]]));
}

/** Vault's merge: an empty list (any value) on either side wins, otherwise the values are joined. */
function mergeParameters(existing: Record<string, unknown[]> | undefined, incoming: Record<string, unknown[]> | undefined) {
  if (!incoming || Object.keys(incoming).length === 0) return existing;
  if (!existing) return { ...incoming };
  const out = { ...existing };
  for (const [key, values] of Object.entries(incoming)) {
    const current = out[key];
    out[key] = values.length === 0 || (current !== undefined && current.length === 0) ? [] : [...values, ...(current ?? [])];
  }
  return out;
}

/** Whether a merged rule could grant something at `prefix` or below it (a mount's own root counts). */
export function reachesBelow(rule: MergedRule, prefix: string): boolean {
  const caps = [...rule.capabilities];
  if (caps.length === 0 || rule.capabilities.has(VaultCapability.DENY)) return false;
  const root = prefix.endsWith('/') ? prefix.slice(0, -1) : undefined;
  if (rule.kind === 'exact') return rule.key.startsWith(prefix) || rule.key === root;
  if (rule.kind === 'prefix') return rule.key.startsWith(prefix) || prefix.startsWith(rule.key) || (root !== undefined && root.startsWith(rule.key));
  const isPrefix = rule.pattern.endsWith('*');
  const pattern = (isPrefix ? rule.pattern.slice(0, -1) : rule.pattern).split('/');
  const covers = (wanted: string[], exactly: boolean): boolean => {
    for (let i = 0; i < wanted.length; i++) {
      if (i >= pattern.length) return false;
      const part = pattern[i];
      const last = i === wanted.length - 1;
      const patternLast = i === pattern.length - 1;
      if (isPrefix && patternLast && !isTemplated(part) && part !== '+' && wanted[i].startsWith(part)) return true;
      const wildcard = segmentMatches(part, wanted[i], false);
      if (wildcard !== undefined) {
        if (!wildcard && !(last && !exactly)) return false;
        continue;
      }
      if (last && !exactly ? !part.startsWith(wanted[i]) : part !== wanted[i]) return false;
    }
    return exactly ? wanted.length === pattern.length : true;
  };
  return covers(prefix.split('/'), false) || (root !== undefined && covers(root.split('/'), true));
}
