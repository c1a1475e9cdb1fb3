import * as fs from 'fs';
import * as path from 'path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { renderPolicyDocument } from './policy-document';
import { isUnresolved, Unresolved } from '../private/unresolved';

/** What one Terraform module holds that references read: variables, locals and policy documents. */
export interface ModuleValues {
  /** The module's directory: `path.module`, and where `file()` paths are relative to. */
  readonly directory: string;
  /** Each variable's value: its tfvars value or default; absent when it has neither. */
  readonly variables: Record<string, unknown>;
  /** Names of every declared variable, with or without a value. */
  readonly declared: string[];
  readonly locals: Record<string, unknown>;
  /** `aws_iam_policy_document` data sources, by name, as written. */
  readonly policyDocuments: Record<string, Record<string, unknown>>;
  /** The outputs of the local modules read so far, by module name (already resolved in the module). */
  readonly moduleOutputs?: Record<string, Record<string, unknown>>;
}

/** An interpolation `${...}` in a Terraform string: where it is and the expression inside. */
interface Interpolation {
  readonly start: number;
  readonly end: number;
  readonly expression: string;
}

/** The `${...}` spans of a string, braces matched and quoted strings skipped; `$${` is an escape. */
export function interpolations(text: string): Interpolation[] {
  const found: Interpolation[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] === '$' && text[i + 1] === '$' && text[i + 2] === '{') {
      i += 2;
      continue;
    }
    if (text[i] !== '$' || text[i + 1] !== '{') continue;
    let depth = 0;
    let quoted = false;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (quoted) {
        if (c === '\\') j++;
        else if (c === '"') quoted = false;
      } else if (c === '"') {
        quoted = true;
      } else if (c === '{') {
        depth++;
      } else if (c === '}') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= text.length) break;
    found.push({ start: i, end: j + 1, expression: text.slice(i + 2, j).trim() });
    i = j;
  }
  return found;
}

/** Kept as written: a reference to a resource, which the rules read as a reference. */
const KEEP = Symbol('keep');

const FUNCTION_CALL = /^(jsonencode|file|templatefile|trimspace|tostring)\(([\s\S]*)\)$/;

/**
 * Resolves what a Terraform module's files hold: variables with a value (tfvars or default),
 * locals, `path.module`, `file()` and `templatefile()` of files beside the module,
 * `jsonencode(...)`, and `aws_iam_policy_document` data sources rendered to policy JSON. A value
 * they do not hold (a variable without a default, a module output, a conditional on a variable)
 * becomes `Unresolved`; references to resources stay as written, since the rules follow them.
 *
 * `prepare` parses, with HashiCorp's HCL parser, the expressions that need it; `resolve` is
 * synchronous, and leaves an expression it has not prepared as written.
 */
export class TerraformResolver {
  private readonly parsed = new Map<string, unknown>();
  private readonly resolving = new Set<string>();

  constructor(private readonly module: ModuleValues) {}

  /** Parses every function argument in `value` (deeply) that resolution will need. */
  public async prepare(value: unknown): Promise<void> {
    const pending: string[] = [];
    const collect = (v: unknown) => {
      if (typeof v === 'string') {
        for (const span of interpolations(v)) {
          const call = FUNCTION_CALL.exec(span.expression);
          if (call && !this.parsed.has(call[2])) pending.push(call[2]);
        }
      } else if (Array.isArray(v)) {
        v.forEach(collect);
      } else if (v && typeof v === 'object' && !isUnresolved(v)) {
        Object.values(v).forEach(collect);
      }
    };
    collect(value);
    collect(this.module.locals);
    collect(this.module.policyDocuments);
    collect(this.module.variables);
    for (const argument of pending) {
      if (this.parsed.has(argument)) continue;
      let result: unknown;
      try {
        result = (await parseHcl('expression.tf', `value = ${argument}\n`)).value;
      } catch {
        result = Unresolved.of(argument);
      }
      this.parsed.set(argument, result);
      await this.prepare(result);
    }
  }

  /** `value` with every resolvable interpolation resolved, deeply. */
  public resolve(value: unknown): unknown {
    if (typeof value === 'string') return this.resolveString(value);
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object' && !isUnresolved(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '//' ? v : this.resolve(v)]));
    }
    return value;
  }

  private resolveString(text: string): unknown {
    const spans = interpolations(text);
    if (spans.length === 0) return text;
    if (spans.length === 1 && spans[0].start === 0 && spans[0].end === text.length) {
      const value = this.expression(spans[0].expression, text);
      return value === KEEP ? text : value;
    }
    let out = '';
    let last = 0;
    for (const span of spans) {
      const value = this.expression(span.expression, text.slice(span.start, span.end));
      if (isUnresolved(value)) return Unresolved.of(text);
      out += text.slice(last, span.start) + (value === KEEP ? text.slice(span.start, span.end) : typeof value === 'string' ? value : JSON.stringify(value));
      last = span.end;
    }
    return out + text.slice(last);
  }

  private expression(expression: string, written: string): unknown {
    const variable = /^var\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+)*)$/.exec(expression);
    if (variable) {
      const [, name, attributes] = variable;
      if (!(name in this.module.variables)) return Unresolved.of(written);
      return this.navigate(this.resolveNamed(`var.${name}`, this.module.variables[name]), attributes, written);
    }
    const local = /^local\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+)*)$/.exec(expression);
    if (local) {
      const [, name, attributes] = local;
      if (!(name in this.module.locals)) return Unresolved.of(written);
      return this.navigate(this.resolveNamed(`local.${name}`, this.module.locals[name]), attributes, written);
    }
    if (/^path\.(module|root|cwd)$/.test(expression)) return this.module.directory;
    const document = /^data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(json|minified_json)$/.exec(expression);
    if (document && this.module.policyDocuments[document[1]]) {
      const props = this.resolveNamed(`data.aws_iam_policy_document.${document[1]}`, this.module.policyDocuments[document[1]]);
      if (isUnresolved(props)) return props;
      return JSON.stringify(renderPolicyDocument(props as Record<string, unknown>), undefined, document[2] === 'json' ? 2 : undefined);
    }
    const call = FUNCTION_CALL.exec(expression);
    if (call) return this.call(call[1], call[2], written);
    const output = /^module\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+)*)$/.exec(expression);
    const outputs = output ? this.module.moduleOutputs?.[output[1]] : undefined;
    if (output && outputs && output[2] in outputs) return this.navigate(outputs[output[2]], output[3], written);
    if (/^module\./.test(expression)) return Unresolved.of(written);
    // Anything else that reads a variable, a local or a module output (a conditional, a
    // function we do not evaluate) depends on a value the files may not hold.
    if (/(^|[^A-Za-z0-9_.])(var|local|module)\.[A-Za-z_]/.test(expression)) return Unresolved.of(written);
    return KEEP;
  }

  private call(fn: string, argument: string, written: string): unknown {
    if (!this.parsed.has(argument)) return KEEP;
    const value = this.resolve(this.parsed.get(argument));
    switch (fn) {
      case 'jsonencode':
        // An unresolved part of the document is written as its expression, as Terraform would show it.
        return isUnresolved(value) ? value : JSON.stringify(value, (_k, v) => (isUnresolved(v) ? v.expression : v));
      case 'trimspace':
        return typeof value === 'string' ? value.trim() : Unresolved.of(written);
      case 'tostring':
        return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : Unresolved.of(written);
      case 'file':
      case 'templatefile': {
        // templatefile's first argument is the path; its variables we do not substitute.
        const file = Array.isArray(value) ? value[0] : value;
        if (typeof file !== 'string') return Unresolved.of(written);
        const full = path.isAbsolute(file) ? file : path.join(this.module.directory, file);
        if (!fs.existsSync(full) || !fs.statSync(full).isFile()) return Unresolved.of(written);
        const text = fs.readFileSync(full, 'utf-8');
        return fn === 'templatefile' && interpolations(text).length > 0 ? Unresolved.of(written) : text;
      }
      default:
        return KEEP;
    }
  }

  /** A variable's, local's or data source's value, resolved once; a cycle is unresolved. */
  private resolveNamed(name: string, value: unknown): unknown {
    if (this.resolving.has(name)) return Unresolved.of(name);
    this.resolving.add(name);
    try {
      return this.resolve(value);
    } finally {
      this.resolving.delete(name);
    }
  }

  private navigate(value: unknown, attributes: string, written: string): unknown {
    let current = value;
    for (const key of attributes.split('.').filter(Boolean)) {
      if (isUnresolved(current)) return current;
      if (!current || typeof current !== 'object' || !(key in current)) return Unresolved.of(written);
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  }
}
