import { AclModel, MergedRule, reachesBelow } from './private/acl-model';
import { parameterRefusal } from './private/parameter-check';
import { displayValue } from './private/parameter-values';
import { VaultCapability } from './vault-capability';
import { VaultOperation } from './vault-operation';
import { VaultPolicyDocument } from './vault-policy-document';
import { VaultPolicyRule } from './vault-policy-rule';

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

  /**
   * The policies that grant the capability the request needs (Vault's granting policies).
   *
   * @default - none
   */
  readonly grantingPolicies?: string[];

  /**
   * True when the deciding pattern grants `sudo`, or the token holds the root policy.
   *
   * @default false
   */
  readonly rootPrivileges?: boolean;

  /**
   * Why the request is refused, when it is.
   *
   * @default - allowed, or nothing matched
   */
  readonly reason?: string;
}

/**
 * A request to judge: what a client sends to Vault.
 */
export interface VaultRequest {
  /** The operation. */
  readonly operation: VaultOperation;

  /** The request path, after `/v1/` (a leading `/` is ignored, as Vault ignores it). */
  readonly path: string;

  /**
   * The request's parameters (its body or query), by name.
   *
   * @default - none
   */
  readonly parameters?: { [name: string]: any };

  /**
   * The response-wrapping TTL the request asks for, in seconds.
   *
   * @default - the response is not wrapped
   */
  readonly wrappingTtl?: number;
}

/** The capability each operation needs. */
const NEEDED: Record<VaultOperation, VaultCapability | undefined> = {
  [VaultOperation.READ]: VaultCapability.READ,
  [VaultOperation.LIST]: VaultCapability.LIST,
  [VaultOperation.UPDATE]: VaultCapability.UPDATE,
  [VaultOperation.CREATE]: VaultCapability.CREATE,
  [VaultOperation.PATCH]: VaultCapability.PATCH,
  [VaultOperation.DELETE]: VaultCapability.DELETE,
  [VaultOperation.RECOVER]: VaultCapability.RECOVER,
  [VaultOperation.SCAN]: VaultCapability.SCAN,
  [VaultOperation.REVOKE]: VaultCapability.UPDATE,
  [VaultOperation.RENEW]: VaultCapability.UPDATE,
  [VaultOperation.ROLLBACK]: VaultCapability.UPDATE,
  [VaultOperation.HELP]: undefined,
};

/** Operations whose parameters Vault checks against allowed, denied and required parameters. */
const PARAMETER_OPERATIONS = [VaultOperation.READ, VaultOperation.UPDATE, VaultOperation.CREATE, VaultOperation.PATCH, VaultOperation.RECOVER];

/** The order Vault's sys/capabilities lists capabilities in. */
const REPORT_ORDER = [
  VaultCapability.SUDO, VaultCapability.READ, VaultCapability.LIST, VaultCapability.UPDATE, VaultCapability.DELETE,
  VaultCapability.CREATE, VaultCapability.PATCH, VaultCapability.SCAN, VaultCapability.SUBSCRIBE, VaultCapability.RECOVER,
];

const EVERY_CAPABILITY = Object.values(VaultCapability).filter((c) => c !== VaultCapability.DENY);

/**
 * Decides access the way Vault does for a token with a set of policies (Vault's `acl.go`): a
 * leading `/` is ignored in policy and request paths; an exact match wins; otherwise the longest
 * prefix (`*`) and the segment-wildcard (`+`) patterns compete by Vault's priority rules, and the
 * single highest-priority one decides, with every policy's rule for that pattern merged; `deny`
 * overrides only within that pattern. A LIST on a path with a trailing `/` is also matched without
 * it. The `root` policy allows everything. Parameter constraints and response-wrapping TTLs are
 * judged where a request carries them (`allowOperation`).
 *
 * An identity template in a path (`{{identity.entity.name}}`) is read as a segment that could be
 * anything, because some entity's name or metadata could make it so: the answers are then what
 * some token with these policies may do, the right reading for "may it reach" questions.
 */
export class VaultPolicyMatcher {
  /**
   * Why Vault would refuse to build an ACL of these policies (the root policy alongside others).
   * The matcher then still answers as root, the conservative reading.
   *
   * @default - none: Vault would build this ACL
   */
  public readonly refusal?: string;

  /** True when the token holds Vault's root policy, which allows everything. */
  public readonly isRoot: boolean;

  private readonly acl: AclModel;

  /**
   * @param policies the policies a token holds
   */
  constructor(policies: VaultPolicyDocument[]) {
    this.acl = new AclModel(policies);
    this.isRoot = this.acl.isRoot;
    this.refusal = this.acl.refusal;
  }

  /**
   * Whether `capability` is allowed at `path`, and which pattern decided.
   */
  public check(capability: VaultCapability, path: string): VaultAccessDecision {
    if (this.isRoot) return this.rootDecision();
    const rule = this.acl.lookup(path, capability === VaultCapability.LIST ? VaultOperation.LIST : VaultOperation.READ);
    if (!rule) return { allowed: false, policies: [], capabilities: [] };
    const denied = rule.capabilities.has(VaultCapability.DENY);
    return {
      allowed: !denied && rule.capabilities.has(capability),
      pattern: rule.pattern,
      policies: [...new Set(rule.policies)].sort(),
      capabilities: denied ? [VaultCapability.DENY] : [...rule.capabilities],
      grantingPolicies: denied ? [] : [...(rule.granting.get(capability) ?? [])],
      rootPrivileges: rule.capabilities.has(VaultCapability.SUDO),
    };
  }

  /**
   * Whether Vault allows a request: the operation's capability at its path, then the response
   * wrapping TTL, then its parameters against the allowed, denied and required parameters.
   */
  public allowOperation(request: VaultRequest): VaultAccessDecision {
    if (this.isRoot) return this.rootDecision();
    if (request.operation === VaultOperation.HELP) return { allowed: true, policies: [], capabilities: [] };
    const rule = this.acl.lookup(request.path, request.operation);
    if (!rule) return { allowed: false, policies: [], capabilities: [], reason: 'no rule matches the path' };
    const needed = NEEDED[request.operation]!;
    const denied = rule.capabilities.has(VaultCapability.DENY);
    const base = {
      pattern: rule.pattern,
      policies: [...new Set(rule.policies)].sort(),
      capabilities: denied ? [VaultCapability.DENY] : [...rule.capabilities],
      rootPrivileges: rule.capabilities.has(VaultCapability.SUDO),
    };
    if (denied || !rule.capabilities.has(needed)) {
      return { ...base, allowed: false, reason: denied ? `${rule.pattern} is denied` : `${rule.pattern} does not grant ${needed}` };
    }
    const granting = { grantingPolicies: [...(rule.granting.get(needed) ?? [])] };
    const refusal = wrappingRefusal(rule, request.wrappingTtl)
      ?? (PARAMETER_OPERATIONS.includes(request.operation) ? parameterRefusal(rule, request.parameters ?? {}) : undefined);
    return refusal ? { ...base, ...granting, allowed: false, reason: refusal } : { ...base, ...granting, allowed: true };
  }

  /**
   * Every capability a token has at `path` (none where it is denied), as Vault's
   * sys/capabilities reports them, less `deny`; for the root policy, every capability.
   */
  public capabilitiesAt(path: string): VaultCapability[] {
    if (this.isRoot) return [...EVERY_CAPABILITY];
    const rule = this.acl.lookup(path, VaultOperation.LIST);
    if (!rule || rule.capabilities.has(VaultCapability.DENY)) return [];
    return [...rule.capabilities];
  }

  /**
   * What Vault's `sys/capabilities` answers for `path`: `["root"]` for the root policy, `["deny"]`
   * where nothing is granted, otherwise the capabilities in Vault's order.
   */
  public reportedCapabilities(path: string): string[] {
    if (this.isRoot) return ['root'];
    const rule = this.acl.lookup(path, VaultOperation.LIST);
    if (!rule || rule.capabilities.has(VaultCapability.DENY)) return [VaultCapability.DENY];
    const listed = REPORT_ORDER.filter((c) => rule.capabilities.has(c));
    return listed.length > 0 ? listed : [VaultCapability.DENY];
  }

  /**
   * Whether any rule could grant something (other than deny) at `prefix` or below it, or at the
   * mount root `prefix` names when it ends in `/`: "may it reach" anything there.
   */
  public mayReachBelow(prefix: string): boolean {
    if (this.isRoot) return true;
    const wanted = prefix.replace(/^\/+/, '');
    return this.acl.rules().some((rule) => reachesBelow(rule, wanted));
  }

  /**
   * The rule Vault applies to `operation` at `path`: the deciding pattern with every policy's
   * rule for it merged (capabilities, parameters, wrapping TTLs), or undefined when none matches.
   *
   * @param path the request path
   * @param operation the operation, which matters for a LIST on a path with a trailing `/`
   */
  public effectiveRule(path: string, operation?: VaultOperation): VaultPolicyRule | undefined {
    const rule = this.acl.lookup(path, operation ?? VaultOperation.READ);
    return rule ? publicRule(rule) : undefined;
  }

  private rootDecision(): VaultAccessDecision {
    return { allowed: true, policies: ['root'], capabilities: [...EVERY_CAPABILITY], grantingPolicies: ['root'], rootPrivileges: true };
  }
}

function wrappingRefusal(rule: MergedRule, ttl: number | undefined): string | undefined {
  if (rule.maxWrappingTtl > 0 && (ttl === undefined || ttl > rule.maxWrappingTtl)) return `responses must be wrapped for at most ${rule.maxWrappingTtl}s`;
  if (rule.minWrappingTtl > 0 && (ttl === undefined || ttl < rule.minWrappingTtl)) return `responses must be wrapped for at least ${rule.minWrappingTtl}s`;
  if (rule.minWrappingTtl > 0 && rule.maxWrappingTtl > 0 && rule.maxWrappingTtl < rule.minWrappingTtl) return 'the merged wrapping TTLs leave no valid value';
  return undefined;
}

function publicRule(rule: MergedRule): VaultPolicyRule {
  const display = (map: Record<string, unknown[]> | undefined) =>
    map && Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.map(displayValue)]));
  return {
    path: rule.pattern,
    capabilities: rule.capabilities.has(VaultCapability.DENY) ? [VaultCapability.DENY] : [...rule.capabilities],
    ...(rule.allowed ? { allowedParameters: display(rule.allowed) } : {}),
    ...(rule.denied ? { deniedParameters: display(rule.denied) } : {}),
    ...(rule.required.length > 0 ? { requiredParameters: [...rule.required] } : {}),
    ...(rule.minWrappingTtl > 0 ? { minWrappingTtl: rule.minWrappingTtl } : {}),
    ...(rule.maxWrappingTtl > 0 ? { maxWrappingTtl: rule.maxWrappingTtl } : {}),
  };
}
