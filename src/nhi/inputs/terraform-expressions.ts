import * as fs from 'fs';
import * as path from 'path';
import { evaluateHcl, HclScope, HclSyntaxError, KeptReference, Namespace, parseHclExpression, plainValue } from './hcl-expression';
import { renderPolicyDocument, renderVaultPolicyDocument } from './policy-document';
import { isUnresolved, Unresolved } from '../private/unresolved';

/** What one Terraform module holds that references read: variables, locals and data sources. */
export interface ModuleValues {
  /** The module's directory: `path.module`, and where `file()` paths are relative to. */
  readonly directory: string;
  /** Each variable's value: its tfvars value or default; absent when it has neither. */
  readonly variables: Record<string, unknown>;
  /** Names of every declared variable, with or without a value. */
  readonly declared: string[];
  /** Names of the variables declared with `default = null` (optional inputs) that have no value here. */
  readonly nullDefaults?: string[];
  readonly locals: Record<string, unknown>;
  /** The module's data sources, by type and name, as written. */
  readonly dataSources: Record<string, Record<string, Record<string, unknown>>>;
  /**
   * True for a module another module calls: its inputs are the caller's arguments or its own
   * defaults, so a `for_each` over a variable the caller leaves out, whose default is empty,
   * creates nothing, as Terraform does. A module read as the root is judged for what it offers.
   */
  readonly called?: boolean;
  /** For a called module, the variables its caller gives (the others take the module's defaults). */
  readonly givenByCaller?: string[];
  /** The outputs of the local modules read so far, by module name (already resolved in the module). */
  readonly moduleOutputs?: Record<string, Record<string, unknown>>;
  /** The module's resources, by type and name, as written: `for_each = aws_iam_role.r` takes their instances. */
  readonly resources?: Record<string, Record<string, Record<string, unknown>>>;
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

/** Data sources whose value the files hold: what each instance evaluates to, from its resolved arguments. */
const DATA_VALUES: Record<string, (props: Record<string, unknown>, directory: string) => Record<string, unknown>> = {
  aws_iam_policy_document: (props) => {
    const document = renderPolicyDocument(props);
    return { json: JSON.stringify(document, undefined, 2), minified_json: JSON.stringify(document) };
  },
  vault_policy_document: (props) => ({ hcl: renderVaultPolicyDocument(props) }),
  local_file: (props, directory) => {
    const filename = props.filename;
    if (typeof filename !== 'string') return { filename, content: Unresolved.of('${data.local_file.content}') };
    const full = path.isAbsolute(filename) ? filename : path.join(directory, filename);
    const content = fs.existsSync(full) && fs.statSync(full).isFile() ? fs.readFileSync(full, 'utf-8') : Unresolved.of(`\${file(${JSON.stringify(filename)})}`);
    return { filename, content, id: filename };
  },
};

/** The instances a `for_each` or `count` value stands for: keys with their `each`/`count` bindings. */
export interface Instance {
  /** `["key"]` or `[0]`, appended to the address; empty for a representative instance with no known key. */
  readonly suffix: string;
  readonly bindings: Record<string, unknown>;
}

/** Values the module resolves once, shared by the resolvers of its instances. */
interface SharedCache {
  readonly values: Map<string, unknown>;
  readonly resolving: Set<string>;
  /** Blocks whose instances are being listed, so `for_each` over each other stops instead of looping. */
  readonly listing: Set<Record<string, unknown>>;
}

/** True when a body references `count.index` (so its instances differ). */
function usesCountIndex(body: unknown): boolean {
  return JSON.stringify(body ?? null).includes('count.index');
}

/** How many instances of a `count` resource are read when each differs: enough for the configurations met. */
const COUNT_LIMIT = 32;

/**
 * Resolves what a Terraform module's files hold: variables with a value (tfvars or default),
 * locals, `path.module`, `each`/`count` of the instance being read, functions over values the
 * files hold (`file()`, `fileset()`, `yamldecode()`, `jsonencode()`, `toset()`, `for`
 * expressions, arithmetic, conditionals), and data sources whose value is in the files
 * (`aws_iam_policy_document`, `vault_policy_document`, `local_file`). A value they do not hold
 * (a variable without a default, a module that was not read) becomes `Unresolved`; references to
 * resources stay as written, since the rules follow them.
 */
export class TerraformResolver {
  private readonly cache: SharedCache;
  private readonly scope: HclScope;

  constructor(
    private readonly module: ModuleValues,
    private readonly bindings: Record<string, unknown> = {},
    cache?: SharedCache,
  ) {
    this.cache = cache ?? { values: new Map(), resolving: new Set(), listing: new Set() };
    this.scope = { directory: module.directory, lookup: (name) => this.lookup(name) };
  }

  /** A resolver for one instance (`each`, `count`) or one dynamic block's iterator, sharing this module's values. */
  public withBindings(bindings: Record<string, unknown>): TerraformResolver {
    return new TerraformResolver(this.module, { ...this.bindings, ...bindings }, this.cache);
  }

  /** Kept for callers that prepared expressions before resolving; the evaluator needs nothing prepared. */
  public async prepare(_value: unknown): Promise<void> {
    return Promise.resolve();
  }

  /** `value` with every resolvable interpolation resolved, deeply; `dynamic` blocks become the blocks they generate. */
  public resolve(value: unknown): unknown {
    if (typeof value === 'string') return this.resolveString(value);
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object' && !isUnresolved(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === '//') out[k] = v;
        else if (k === 'dynamic' && v && typeof v === 'object' && !Array.isArray(v)) this.expandDynamic(v as Record<string, unknown>, out);
        else out[k] = this.resolve(v);
      }
      return out;
    }
    return value;
  }

  /**
   * The instances a resource's, data source's or module's `for_each`/`count` stands for. A
   * literal map or set gives one instance per key; `count = N` gives N when the body reads
   * `count.index`, otherwise one representative `[0]`. An empty or unknown collection gives one
   * representative instance with unresolved `each` values: the block is judged as written; in a
   * called module, an empty default of a variable the caller leaves out gives none.
   */
  public instancesOf(body: Record<string, unknown>): Instance[] | undefined {
    if (body.for_each !== undefined) {
      // `for_each = aws_iam_role.r`: one instance per instance of that resource, each.value the instance itself.
      const over = typeof body.for_each === 'string' ? /^\$\{\s*([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\s*\}$/.exec(body.for_each) : null;
      const block = over ? this.module.resources?.[over[1]]?.[over[2]] : undefined;
      if (over && block && block !== body && !this.cache.listing.has(block)) {
        this.cache.listing.add(body);
        let keys: Instance[] | undefined;
        try {
          keys = this.instancesOf(block)?.filter((i) => /^\["/.test(i.suffix));
        } finally {
          this.cache.listing.delete(body);
        }
        if (keys && keys.length > 0) {
          return keys.map((i) => ({ suffix: i.suffix, bindings: { each: { key: JSON.parse(i.suffix.slice(1, -1)), value: `\${${over[1]}.${over[2]}${i.suffix}}` } } }));
        }
      }
      const collection = this.resolve(body.for_each);
      const unresolvedEach = {
        each: { key: Unresolved.of('${each.key}'), value: Unresolved.of('${each.value}') },
      };
      if (Array.isArray(collection) && collection.length > 0 && collection.every((k) => typeof k === 'string' || typeof k === 'number')) {
        return collection.map((k) => ({ suffix: `[${JSON.stringify(String(k))}]`, bindings: { each: { key: String(k), value: k } } }));
      }
      if (collection && typeof collection === 'object' && !Array.isArray(collection) && !isUnresolved(collection) && Object.keys(collection).length > 0) {
        return Object.keys(collection).sort().map((k) => ({ suffix: `[${JSON.stringify(k)}]`, bindings: { each: { key: k, value: (collection as Record<string, unknown>)[k] } } }));
      }
      const empty = (Array.isArray(collection) && collection.length === 0)
        || (collection !== null && typeof collection === 'object' && !Array.isArray(collection) && !isUnresolved(collection) && Object.keys(collection).length === 0);
      // Over a variable the caller leaves out, the module's own empty default: nothing is created.
      // One the caller gives (from its own variables, which the operator fills) is judged as written.
      const own = typeof body.for_each === 'string' ? /^\$\{\s*var\.([A-Za-z0-9_-]+)\s*\}$/.exec(body.for_each)?.[1] : undefined;
      if (empty && this.module.called && own !== undefined && !(this.module.givenByCaller ?? []).includes(own)) return [];
      return [{ suffix: '', bindings: unresolvedEach }];
    }
    if (body.count !== undefined) {
      const count = this.resolve(body.count);
      const n = typeof count === 'number' ? count : typeof count === 'string' && /^\d+$/.test(count) ? Number(count) : undefined;
      if (n !== undefined && n > 1 && usesCountIndex(body)) {
        return Array.from({ length: Math.min(n, COUNT_LIMIT) }, (_v, i) => ({ suffix: `[${i}]`, bindings: { count: { index: i } } }));
      }
      return [{ suffix: '[0]', bindings: { count: { index: 0 } } }];
    }
    return undefined;
  }

  private expandDynamic(dynamic: Record<string, unknown>, out: Record<string, unknown>): void {
    for (const [type, specs] of Object.entries(dynamic)) {
      const generated: unknown[] = Array.isArray(out[type]) ? [...out[type] as unknown[]] : out[type] !== undefined ? [out[type]] : [];
      for (const spec of (Array.isArray(specs) ? specs : [specs]) as Array<Record<string, unknown>>) {
        if (!spec || typeof spec !== 'object') continue;
        const iterator = typeof spec.iterator === 'string' ? spec.iterator.replace(/^\$\{|\}$/g, '') : type;
        const content = Array.isArray(spec.content) ? spec.content[0] : spec.content;
        const collection = this.resolve(spec.for_each);
        const entries: Array<[unknown, unknown]> = Array.isArray(collection)
          ? collection.map((v, i) => [i, v])
          : collection && typeof collection === 'object' && !isUnresolved(collection)
            ? Object.keys(collection).sort().map((k) => [k, (collection as Record<string, unknown>)[k]])
            : [[Unresolved.of(`\${${iterator}.key}`), Unresolved.of(`\${${iterator}.value}`)]];
        for (const [key, value] of entries) generated.push(this.withBindings({ [iterator]: { key, value } }).resolve(content ?? {}));
      }
      out[type] = generated;
    }
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
      if (isUnresolved(value)) return Unresolved.of(text, false, value.readsFile);
      out += text.slice(last, span.start) + (value === KEEP ? text.slice(span.start, span.end) : typeof value === 'string' ? value : JSON.stringify(value));
      last = span.end;
    }
    return out + text.slice(last);
  }

  private expression(expression: string, written: string): unknown {
    let node;
    try {
      node = parseHclExpression(expression);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      // Syntax the evaluator does not read: unknown, and unresolved when it reads a variable.
      return /(^|[^A-Za-z0-9_.])(var|local|module|each|count)\.[A-Za-z_]/.test(expression) ? Unresolved.of(written) : KEEP;
    }
    const value = evaluateHcl(node, this.scope);
    if (value instanceof KeptReference) return value.text === expression ? KEEP : `\${${value.text}}`;
    // A plain reference to a value that is itself unresolved (a module input its caller could not
    // resolve) names what is missing where it comes from: the caller's expression.
    if (isUnresolved(value)) return ['name', 'attr', 'index'].includes(node.kind) && value.expression !== `\${${node.src}}` ? value : Unresolved.of(written, value.nullDefault && written === value.expression, value.readsFile);
    return plainValue(value);
  }

  private lookup(name: string): unknown {
    if (name in this.bindings) return this.bindings[name];
    switch (name) {
      case 'var': return new Namespace((key) => {
        const k = String(key);
        return k in this.module.variables ? this.named(`var.${k}`, this.module.variables[k]) : Unresolved.of(`\${var.${k}}`, this.module.nullDefaults?.includes(k) ?? false);
      });
      case 'local': return new Namespace((key) => {
        const k = String(key);
        return k in this.module.locals ? this.named(`local.${k}`, this.module.locals[k]) : Unresolved.of(`\${local.${k}}`);
      });
      case 'path': return new Namespace((key) => (['module', 'root', 'cwd'].includes(String(key)) ? this.module.directory : undefined));
      case 'each':
      case 'count': return new Namespace((key) => Unresolved.of(`\${${name}.${key}}`));
      case 'terraform': return new Namespace((key) => Unresolved.of(`\${terraform.${key}}`));
      case 'module': return new Namespace((key) => {
        const outputs = this.module.moduleOutputs?.[String(key)];
        if (!outputs) return Unresolved.of(`\${module.${key}}`);
        return new Namespace((output) => (String(output) in outputs ? outputs[String(output)] : Unresolved.of(`\${module.${key}.${output}}`)), () => outputs);
      });
      case 'data': return new Namespace((type) => {
        const byName = this.module.dataSources[String(type)];
        const render = DATA_VALUES[String(type)];
        return new Namespace((dataName) => {
          const body = byName?.[String(dataName)];
          if (!body || !render) return new KeptReference(`data.${type}.${dataName}`);
          return this.named(`data.${type}.${dataName}`, body, (resolved) => this.dataValue(String(type), body, resolved));
        });
      });
      default: return undefined;
    }
  }

  /** A data source's value: its instance, or for `for_each`/`count` its instances by key. */
  private dataValue(type: string, body: Record<string, unknown>, _resolved: unknown): unknown {
    const render = DATA_VALUES[type];
    const { for_each: _f, count: _c, ...rest } = body;
    const instances = this.instancesOf(body);
    if (!instances) return render(this.resolve(rest) as Record<string, unknown>, this.module.directory);
    const values: Record<string, unknown> = {};
    for (const instance of instances) {
      const key = instance.suffix === '' ? '' : JSON.parse(instance.suffix.slice(1, -1));
      values[String(key)] = render(this.withBindings(instance.bindings).resolve(rest) as Record<string, unknown>, this.module.directory);
    }
    return new Namespace((key) => (String(key) in values ? values[String(key)] : undefined), () => values);
  }

  /** A variable's, local's or data source's value, resolved once per module; a cycle is unresolved. */
  private named(name: string, value: unknown, compute?: (resolved: unknown) => unknown): unknown {
    if (this.cache.values.has(name)) return this.cache.values.get(name);
    if (this.cache.resolving.has(name)) return Unresolved.of(name);
    this.cache.resolving.add(name);
    try {
      const result = compute ? compute(undefined) : this.resolve(value);
      this.cache.values.set(name, result);
      return result;
    } finally {
      this.cache.resolving.delete(name);
    }
  }
}
