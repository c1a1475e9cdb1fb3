import { arnMatches, globMatches } from './arn-pattern';

/** A request context value: one value, or a set of values (`aws:TagKeys`, `kms:ResourceAliases`). */
export type ContextValue = string | string[];

/** A request's context keys, by key in lower case. */
export type RequestContext = ReadonlyMap<string, ContextValue>;

/** The context of a request from plain key/value pairs (keys are case-insensitive in IAM). */
export function requestContext(values: Record<string, ContextValue | undefined>): Map<string, ContextValue> {
  const context = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) context.set(key.toLowerCase(), value);
  return context;
}

/** How a condition that reads a key whose value the output cannot know was decided. */
export interface UnknownKeyPolicy {
  /** Keys (lower case, or prefixes ending in `/`) whose value is not known, e.g. `aws:principaltag/`. */
  readonly unknownKeys: string[];
  /** Called with each unknown key a deciding condition read. */
  readonly onUnknown: (key: string) => void;
  /**
   * True to read a condition on an unknown key in an Allow statement as met and in a Deny as
   * not met: the widest access the facts allow ("who could"). The caller records the assumption.
   */
  readonly permissive: boolean;
}

type Comparison = (policyValue: string, contextValue: string) => boolean;

const STRING: Record<string, { compare: Comparison; negated: boolean }> = {
  stringequals: { compare: (p, c) => p === c, negated: false },
  stringnotequals: { compare: (p, c) => p === c, negated: true },
  stringequalsignorecase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: true },
  stringlike: { compare: (p, c) => globMatches(p, c), negated: false },
  stringnotlike: { compare: (p, c) => globMatches(p, c), negated: true },
  arnequals: { compare: (p, c) => arnMatches(p, c), negated: false },
  arnlike: { compare: (p, c) => arnMatches(p, c), negated: false },
  arnnotequals: { compare: (p, c) => arnMatches(p, c), negated: true },
  arnnotlike: { compare: (p, c) => arnMatches(p, c), negated: true },
  numericequals: { compare: (p, c) => Number(c) === Number(p), negated: false },
  numericnotequals: { compare: (p, c) => Number(c) === Number(p), negated: true },
  numericlessthan: { compare: (p, c) => Number(c) < Number(p), negated: false },
  numericlessthanequals: { compare: (p, c) => Number(c) <= Number(p), negated: false },
  numericgreaterthan: { compare: (p, c) => Number(c) > Number(p), negated: false },
  numericgreaterthanequals: { compare: (p, c) => Number(c) >= Number(p), negated: false },
  dateequals: { compare: (p, c) => dateOf(c) === dateOf(p), negated: false },
  datenotequals: { compare: (p, c) => dateOf(c) === dateOf(p), negated: true },
  datelessthan: { compare: (p, c) => dateOf(c) < dateOf(p), negated: false },
  datelessthanequals: { compare: (p, c) => dateOf(c) <= dateOf(p), negated: false },
  dategreaterthan: { compare: (p, c) => dateOf(c) > dateOf(p), negated: false },
  dategreaterthanequals: { compare: (p, c) => dateOf(c) >= dateOf(p), negated: false },
  bool: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  binaryequals: { compare: (p, c) => p === c, negated: false },
  ipaddress: { compare: (p, c) => inCidr(c, p), negated: false },
  notipaddress: { compare: (p, c) => inCidr(c, p), negated: true },
};

function dateOf(value: string): number {
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

function inCidr(address: string, cidr: string): boolean {
  const [base, bits = '32'] = cidr.split('/');
  const toNumber = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address) || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return address === cidr;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(address) / size) === Math.floor(toNumber(base) / size);
}

function asStrings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** True when the operator name is one this evaluator knows (with its qualifiers removed). */
export function isKnownOperator(operator: string): boolean {
  const base = operator.replace(/^(ForAllValues|ForAnyValue):/i, '').replace(/IfExists$/i, '').toLowerCase();
  return base === 'null' || base in STRING;
}

function isUnknownKey(key: string, unknown: UnknownKeyPolicy | undefined): boolean {
  return !!unknown && unknown.unknownKeys.some((k) => (k.endsWith('/') ? key.startsWith(k) : key === k));
}

/**
 * Evaluates one operator block (`{"StringEquals": {"k": "v"}}`'s inner object) against a request
 * context, by IAM's rules: values of one key are ORed, keys and operators are ANDed; a missing key
 * fails a positive operator and meets a negated one, `...IfExists` is met by a missing key,
 * `ForAllValues` is met by a missing key and `ForAnyValue` is not; `Null` tests presence.
 */
export function operatorHolds(
  operator: string, keys: Record<string, unknown>, context: RequestContext, statementEffect: 'Allow' | 'Deny', unknown?: UnknownKeyPolicy,
): boolean {
  const qualifier = /^(ForAllValues|ForAnyValue):/i.exec(operator)?.[1]?.toLowerCase();
  let base = operator.replace(/^(ForAllValues|ForAnyValue):/i, '');
  const ifExists = /IfExists$/i.test(base);
  base = base.replace(/IfExists$/i, '').toLowerCase();
  for (const [rawKey, rawValues] of Object.entries(keys)) {
    const key = rawKey.toLowerCase();
    const policyValues = asStrings(rawValues);
    if (isUnknownKey(key, unknown)) {
      unknown!.onUnknown(rawKey);
      const met = unknown!.permissive ? statementEffect === 'Allow' : statementEffect === 'Deny';
      if (!met) return false;
      continue;
    }
    const present = context.get(key);
    if (base === 'null') {
      const wantAbsent = policyValues.some((v) => v.toLowerCase() === 'true');
      const absent = present === undefined || (Array.isArray(present) && present.length === 0);
      if (wantAbsent !== absent) return false;
      continue;
    }
    const spec = STRING[base];
    // An operator this evaluator does not know: never met, so an Allow it guards grants nothing
    // and a Deny it guards denies nothing. The model reports such conditions as unread.
    if (!spec) return false;
    const values = present === undefined ? [] : Array.isArray(present) ? present : [present];
    if (values.length === 0) {
      if (ifExists) continue;
      if (qualifier === 'forallvalues') continue;
      if (qualifier === 'foranyvalue') return false;
      if (spec.negated) continue;
      return false;
    }
    const matchesAny = (contextValue: string) => policyValues.some((p) => spec.compare(p, contextValue));
    const holdsFor = (contextValue: string) => (spec.negated ? !matchesAny(contextValue) : matchesAny(contextValue));
    let holds: boolean;
    if (qualifier === 'forallvalues') holds = values.every(holdsFor);
    else if (qualifier === 'foranyvalue') holds = values.some(holdsFor);
    else holds = spec.negated ? values.every(holdsFor) : values.some(holdsFor);
    if (!holds) return false;
  }
  return true;
}

/** True when every operator of a statement's `Condition` holds. */
export function conditionHolds(
  condition: Record<string, Record<string, unknown>> | undefined, context: RequestContext, effect: 'Allow' | 'Deny', unknown?: UnknownKeyPolicy,
): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) => operatorHolds(operator, keys ?? {}, context, effect, unknown));
}
