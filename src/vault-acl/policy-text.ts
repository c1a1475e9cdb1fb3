// Reading policy text is the inverse of VaultPolicyDocument.toHcl: the rule pack and the test
// harnesses read synthesized policies with it. Not part of the package's public API.
import { HclItem, HclValue, isBody, jsonToItems, parseHcl, plainValue } from './private/hcl-values';
import { displayValue, rememberTypedValues } from './private/parameter-values';
import { VaultCapability } from './vault-capability';
import { VaultPolicyRule } from './vault-policy-rule';

/** A policy read from text: its rules in the order written, and what Vault would refuse in it. */
export interface PolicyText {
  /** The `name` the text gives itself, if any. */
  readonly name?: string;
  /** The path rules, in the order written; a path may appear more than once (Vault merges them). */
  readonly rules: VaultPolicyRule[];
  /** Why Vault would refuse the policy (Vault refuses the whole policy for any of them). */
  readonly problems: string[];
}

const PATH_KEYS = [
  'comment', 'policy', 'capabilities', 'allowed_parameters', 'denied_parameters', 'required_parameters',
  'min_wrapping_ttl', 'max_wrapping_ttl', 'mfa_methods', 'control_group',
  // OpenBao's additions
  'pagination_limit', 'expiration', 'list_scan_response_keys_filter_path',
];

const CAPABILITIES = new Set<string>(Object.values(VaultCapability));

/** The capabilities each old `policy = "..."` keyword stands for (Vault's policy.go). */
const OLD_POLICY_KEYWORDS: Record<string, VaultCapability[]> = {
  deny: [VaultCapability.DENY],
  read: [VaultCapability.READ, VaultCapability.LIST],
  write: [VaultCapability.CREATE, VaultCapability.READ, VaultCapability.UPDATE, VaultCapability.DELETE, VaultCapability.LIST],
  sudo: [VaultCapability.CREATE, VaultCapability.READ, VaultCapability.UPDATE, VaultCapability.DELETE, VaultCapability.LIST, VaultCapability.SUDO],
};

/**
 * Reads the path rules of a Vault policy written in HCL or JSON, synchronously (validation
 * plugins and the CLI cannot wait on a WASM parser). Returns undefined when the text is not a
 * policy it can read (for example a reference to a policy document computed at apply time).
 */
export function readPolicyRules(text: string): VaultPolicyRule[] | undefined {
  return readPolicy(text)?.rules;
}

/**
 * Reads a policy the way Vault parses it: a leading `/` is kept as written (the matcher strips it),
 * the old `policy = "read"` keyword becomes the capabilities it stands for, a `deny` leaves only
 * deny, and durations become seconds. Returns undefined when the text is not HCL or JSON it can
 * read, or holds `${...}` (a value computed at apply time).
 */
export function readPolicy(text: string): PolicyText | undefined {
  if (text.includes('${')) return undefined;
  let items: HclItem[];
  try {
    const trimmed = text.trim();
    items = trimmed.startsWith('{') ? jsonToItems(JSON.parse(trimmed)) : parseHcl(text);
  } catch {
    return undefined;
  }
  const problems: string[] = [];
  const rules: VaultPolicyRule[] = [];
  let name: string | undefined;
  for (const item of items) {
    const key = item.keys[0];
    if (key === 'name' && typeof item.value === 'string') {
      name = item.value;
    } else if (key === 'path') {
      for (const [path, body] of pathBodies(item)) {
        const rule = readPathRule(path, body, problems);
        if (rule) rules.push(rule);
      }
    } else {
      problems.push(`invalid key "${key}" on line ${item.line}`);
    }
  }
  return { name, rules, problems };
}

/** `path "p" { ... }` blocks, and the JSON form `"path": { "p": { ... } }`. */
function pathBodies(item: HclItem): Array<[string, HclItem[]]> {
  if (item.keys.length >= 2) return [[item.keys[1], isBody(item.value) ? item.value : []]];
  if (isBody(item.value)) {
    return item.value.flatMap((inner) => {
      const bodies = isBody(inner.value) ? [inner.value] : Array.isArray(inner.value) ? (inner.value as HclValue[]).filter(isBody) : [];
      return (bodies.length > 0 ? bodies : [[]]).map((b) => [inner.keys[0], b as HclItem[]] as [string, HclItem[]]);
    });
  }
  return [];
}

function readPathRule(path: string, body: HclItem[], problems: string[]): VaultPolicyRule | undefined {
  const where = `path "${path}"`;
  const field = (k: string) => body.filter((i) => i.keys[0] === k).map((i) => i.value).pop();
  for (const i of body) if (!PATH_KEYS.includes(i.keys[0])) problems.push(`${where}: invalid key "${i.keys[0]}" on line ${i.line}`);
  if (path.replace(/^\//, '').includes('+*')) problems.push(`path "${path.replace(/^\//, '')}": invalid use of wildcards ('+*' is forbidden)`);
  const expiration = field('expiration');
  if (typeof expiration === 'string' && Date.parse(expiration) < Date.now()) return undefined;

  const written = stringList(field('capabilities'));
  let capabilities: string[] = [...written];
  const keyword = field('policy');
  if (typeof keyword === 'string' && keyword !== '') {
    const expanded = OLD_POLICY_KEYWORDS[keyword];
    if (!expanded) problems.push(`${where}: invalid policy "${keyword}"`);
    else capabilities = keyword === 'deny' ? expanded : [...capabilities, ...expanded];
  }
  for (const c of capabilities) if (!CAPABILITIES.has(c)) problems.push(`${where}: invalid capability "${c}"`);
  if (capabilities.includes(VaultCapability.DENY)) capabilities = [VaultCapability.DENY];
  const unique = [...new Set(capabilities.filter((c) => CAPABILITIES.has(c)))] as VaultCapability[];

  const rule: { -readonly [K in keyof VaultPolicyRule]: VaultPolicyRule[K] } = { path, capabilities: unique };
  const allowed = parameterMap(field('allowed_parameters'));
  const denied = parameterMap(field('denied_parameters'));
  if (allowed) rule.allowedParameters = displayMap(allowed);
  if (denied) rule.deniedParameters = displayMap(denied);
  const required = field('required_parameters');
  if (required !== undefined && stringList(required).length > 0) rule.requiredParameters = stringList(required);
  for (const [hclKey, prop] of [['min_wrapping_ttl', 'minWrappingTtl'], ['max_wrapping_ttl', 'maxWrappingTtl']] as const) {
    const raw = field(hclKey);
    if (raw === undefined) continue;
    const seconds = durationSeconds(raw);
    if (seconds === undefined) problems.push(`${where}: error parsing ${hclKey}: ${JSON.stringify(raw)} is not a duration`);
    else rule[prop] = seconds;
  }
  if (rule.minWrappingTtl && rule.maxWrappingTtl && rule.maxWrappingTtl < rule.minWrappingTtl) {
    problems.push(`${where}: max_wrapping_ttl cannot be less than min_wrapping_ttl`);
  }
  if (allowed || denied) rememberTypedValues(rule, { allowed, denied });
  return rule;
}

function stringList(value: HclValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? (value as HclValue[]).filter((v): v is string => typeof v === 'string') : [];
}

function parameterMap(value: HclValue | undefined): Record<string, unknown[]> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, unknown[]> = {};
  const bodies = isBody(value) ? [value] : Array.isArray(value) ? (value as HclValue[]).filter(isBody) : [];
  for (const body of bodies) {
    for (const item of body) {
      const v = plainValue(item.value);
      out[item.keys[0]] = Array.isArray(v) ? v : [v];
    }
  }
  return out;
}

function displayMap(map: Record<string, unknown[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(map).map(([k, vs]) => [k, vs.map(displayValue)]));
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Vault duration: a number of seconds, or a Go duration such as "1h" or "300s". */
export function durationSeconds(value: HclValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return total;
}
