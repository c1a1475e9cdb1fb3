// How Vault judges a request's parameters against a rule's allowed, denied and required
// parameters (vault/acl.go). Not part of the package's public API.
import { MergedRule } from './acl-model';

/** `*` at either end of a policy value is a glob; otherwise the strings must be equal. */
function globMatches(pattern: string, value: string): boolean {
  if (pattern.length < 2) return pattern === value;
  const starts = pattern.startsWith('*');
  const ends = pattern.endsWith('*');
  if (starts && ends) return value.includes(pattern.slice(1, -1));
  if (starts) return value.endsWith(pattern.slice(1));
  if (ends) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  const at = (o: unknown, k: string) => (o as Record<string, unknown>)[k];
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepEqual(at(a, k), at(b, k)));
}

function inList(value: unknown, list: unknown[]): boolean {
  return list.some((entry) => {
    if (entry === null || entry === undefined || value === null || value === undefined) return (entry ?? null) === (value ?? null);
    if (typeof entry === 'string') return typeof value === 'string' && globMatches(entry, value);
    return deepEqual(entry, value);
  });
}

/** A string parameter may be a comma-separated list (or a JSON list): Vault judges each element. */
function commaElements(value: string): string[] | undefined {
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.map(String) : undefined;
    } catch {
      return undefined;
    }
  }
  return text.split(',').map((s) => s.trim());
}

function elements(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return commaElements(value);
  return undefined;
}

function allowedValue(value: unknown, list: unknown[]): boolean {
  if (list.length === 0 || inList(value, list)) return true;
  const each = elements(value);
  return each !== undefined && each.every((v) => inList(v, list));
}

function deniedValue(value: unknown, list: unknown[]): boolean {
  if (list.length === 0 || inList(value, list)) return true;
  const each = elements(value);
  return each !== undefined && each.some((v) => inList(v, list));
}

/** Vault lower-cases policy names before it stores them, so it judges them lower-cased. */
function normalized(parameter: string, value: unknown): unknown {
  if (!['policies', 'token_policies'].includes(parameter.toLowerCase())) return value;
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v.toLowerCase() : v));
  return value;
}

/** Why the rule refuses the request's parameters, or undefined when it accepts them. */
export function parameterRefusal(rule: MergedRule, data: Record<string, unknown>): string | undefined {
  for (const parameter of rule.required) {
    if (!(parameter.toLowerCase() in data)) return `the parameter ${parameter} is required`;
  }
  const entries = Object.entries(data);
  if (entries.length === 0) return undefined;
  const denied = rule.denied ?? {};
  if ('*' in denied) return 'every parameter is denied';
  for (const [parameter, value] of entries) {
    const list = denied[parameter.toLowerCase()];
    if (list && deniedValue(normalized(parameter, value), list)) return `the parameter ${parameter} is denied that value`;
  }
  const allowed = rule.allowed ?? {};
  const keys = Object.keys(allowed);
  const allowAll = '*' in allowed;
  if (keys.length === 0 || (keys.length === 1 && allowAll)) return undefined;
  for (const [parameter, value] of entries) {
    const list = allowed[parameter.toLowerCase()];
    if (!list && !allowAll) return `the parameter ${parameter} is not allowed`;
    if (list && !allowedValue(normalized(parameter, value), list)) return `the parameter ${parameter} is not allowed that value`;
  }
  return undefined;
}
