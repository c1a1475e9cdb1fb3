/**
 * HashiCorp's parser (`@cdktf/hcl2json`) turns a configuration into JSON and leaves every
 * expression as the text it was written in (`"${toset([for f in fileset(path.module, "*.yaml") : f])}"`).
 * This module reads that text: a parser for HCL's expression syntax (literals, templates,
 * references, operators, conditionals, function calls, `for` expressions, splats) and an
 * evaluator that computes what the files hold and marks the rest:
 *
 * - a value the files do not hold (a variable without a default, a module that was not read)
 *   is `Unresolved`, so a rule says "unresolved" instead of "missing";
 * - a reference to a resource's attribute (`aws_iam_role.r.arn`) is kept as written, because
 *   the rules follow references by their text.
 *
 * What names mean (`var.x`, `each.key`, `data.t.n`) is the caller's: it passes a `Scope`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { isUnresolved, Unresolved } from '../private/unresolved';

// --- Syntax ------------------------------------------------------------------------------------------

/** One node of an expression, with the source text it was parsed from. */
export type HclNode =
  | { readonly kind: 'literal'; readonly value: unknown; readonly src: string }
  | { readonly kind: 'template'; readonly parts: Array<string | HclNode>; readonly src: string }
  | { readonly kind: 'name'; readonly name: string; readonly src: string }
  | { readonly kind: 'attr'; readonly target: HclNode; readonly name: string; readonly src: string }
  | { readonly kind: 'index'; readonly target: HclNode; readonly index: HclNode; readonly src: string }
  | { readonly kind: 'splat'; readonly target: HclNode; readonly rest: Array<{ attr?: string; index?: HclNode }>; readonly src: string }
  | { readonly kind: 'tuple'; readonly items: HclNode[]; readonly src: string }
  | { readonly kind: 'object'; readonly items: Array<{ key: HclNode; value: HclNode }>; readonly src: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: HclNode[]; readonly expand: boolean; readonly src: string }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: HclNode; readonly src: string }
  | { readonly kind: 'binary'; readonly op: string; readonly left: HclNode; readonly right: HclNode; readonly src: string }
  | { readonly kind: 'conditional'; readonly test: HclNode; readonly then: HclNode; readonly otherwise: HclNode; readonly src: string }
  | {
    readonly kind: 'for';
    readonly object: boolean;
    readonly keyVar?: string;
    readonly valueVar: string;
    readonly collection: HclNode;
    readonly key?: HclNode;
    readonly value: HclNode;
    readonly group: boolean;
    readonly condition?: HclNode;
    readonly src: string;
  };

interface Token {
  readonly type: 'number' | 'string' | 'heredoc' | 'ident' | 'punct' | 'end';
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** For strings and heredocs: the template's literal parts and interpolation sources. */
  readonly parts?: Array<string | { expression: string }>;
}

/** Thrown for text that is not an HCL expression this parser reads. */
export class HclSyntaxError extends Error {}

const PUNCTUATION = ['...', '==', '!=', '<=', '>=', '&&', '||', '=>', '[*]', '.*', '(', ')', '[', ']', '{', '}', ',', '.', ':', '?', '=', '<', '>', '+', '-', '*', '/', '%', '!'];

/** The end of a `${...}` that starts at `open` (the `$`), braces and quoted strings matched. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      j = closingQuote(text, j);
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  throw new HclSyntaxError('unclosed ${');
}

/** The index of the quote that closes the string opened at `open`; interpolations inside are skipped. */
function closingQuote(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if ((c === '$' || c === '%') && text[j + 1] === '{' && text[j - 1] !== c) j = closingBrace(text, j);
    else if (c === '"') return j;
  }
  throw new HclSyntaxError('unclosed string');
}

const ESCAPES: Record<string, string> = { 'n': '\n', 'r': '\r', 't': '\t', '"': '"', '\\': '\\' };

/** A template's text split into literal parts and `${...}` expression sources; `$${` and `%%{` are escapes. */
function templateParts(body: string, escapes: boolean): Array<string | { expression: string }> {
  const parts: Array<string | { expression: string }> = [];
  let literal = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (escapes && c === '\\' && i + 1 < body.length) {
      const next = body[i + 1];
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
        literal += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
        i += 5;
      } else {
        literal += ESCAPES[next] ?? next;
        i++;
      }
    } else if ((c === '$' || c === '%') && body[i + 1] === c && body[i + 2] === '{') {
      literal += `${c}{`;
      i += 2;
    } else if (c === '$' && body[i + 1] === '{') {
      const end = closingBrace(body, i);
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ expression: body.slice(i + 2, end).replace(/^~/, '').replace(/~$/, '').trim() });
      i = end;
    } else if (c === '%' && body[i + 1] === '{') {
      // Template directives (%{ if }, %{ for }) are not evaluated: the template is unknown.
      throw new HclSyntaxError('template directive');
    } else {
      literal += c;
    }
  }
  if (literal || parts.length === 0) parts.push(literal);
  return parts;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      i += match[0].length;
      tokens.push({ type: 'number', text: match[0], start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))!;
      i += match[0].length;
      tokens.push({ type: 'ident', text: match[0], start, end: i });
      continue;
    }
    if (c === '"') {
      const end = closingQuote(text, i);
      i = end + 1;
      tokens.push({ type: 'string', text: text.slice(start, i), start, end: i, parts: templateParts(text.slice(start + 1, end), true) });
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const heredoc = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(i));
      if (heredoc) {
        const bodyStart = i + heredoc[0].length;
        const close = new RegExp(`^[ \\t]*${heredoc[2]}[ \\t]*$`, 'm');
        const rest = text.slice(bodyStart);
        const found = close.exec(rest);
        if (!found) throw new HclSyntaxError('unclosed heredoc');
        let body = rest.slice(0, found.index);
        if (heredoc[1] === '-') {
          const lines = body.split('\n');
          const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length));
          body = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
        }
        i = bodyStart + found.index + found[0].length;
        tokens.push({ type: 'heredoc', text: text.slice(start, i), start, end: i, parts: templateParts(body, false) });
        continue;
      }
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (!punct) throw new HclSyntaxError(`unexpected character ${JSON.stringify(c)}`);
    // `.*` only after a name or bracket (a splat); `[*]` likewise; otherwise `.` and `[` alone.
    i += punct.length;
    tokens.push({ type: 'punct', text: punct, start, end: i });
  }
  tokens.push({ type: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

const BINARY_LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

class Parser {
  private position = 0;
  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  public parseAll(): HclNode {
    const node = this.expression();
    if (this.peek().type !== 'end') throw new HclSyntaxError(`unexpected ${JSON.stringify(this.peek().text)}`);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[this.position++];
  }

  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return (t.type === 'punct' || t.type === 'ident') && t.text === text;
  }

  private expect(text: string): Token {
    if (!this.is(text)) throw new HclSyntaxError(`expected ${text}, found ${JSON.stringify(this.peek().text)}`);
    return this.next();
  }

  private src(start: number): string {
    return this.text.slice(start, this.tokens[this.position - 1].end).trim();
  }

  private expression(): HclNode {
    const start = this.peek().start;
    const test = this.binary(0);
    if (!this.is('?')) return test;
    this.next();
    const then = this.expression();
    this.expect(':');
    const otherwise = this.expression();
    return { kind: 'conditional', test, then, otherwise, src: this.src(start) };
  }

  private binary(level: number): HclNode {
    if (level >= BINARY_LEVELS.length) return this.unary();
    const start = this.peek().start;
    let left = this.binary(level + 1);
    while (this.peek().type === 'punct' && BINARY_LEVELS[level].includes(this.peek().text)) {
      const op = this.next().text;
      const right = this.binary(level + 1);
      left = { kind: 'binary', op, left, right, src: this.src(start) };
    }
    return left;
  }

  private unary(): HclNode {
    if (this.is('!') || this.is('-')) {
      const start = this.peek().start;
      const op = this.next().text;
      const operand = this.unary();
      return { kind: 'unary', op, operand, src: this.src(start) };
    }
    return this.postfix();
  }

  private postfix(): HclNode {
    const start = this.peek().start;
    let node = this.primary();
    for (;;) {
      if (this.is('.') && (this.peek(1).type === 'ident' || this.peek(1).type === 'number')) {
        this.next();
        const name = this.next().text;
        node = /^\d+$/.test(name)
          ? { kind: 'index', target: node, index: { kind: 'literal', value: Number(name), src: name }, src: this.src(start) }
          : { kind: 'attr', target: node, name, src: this.src(start) };
      } else if (this.is('[*]') || this.is('.*')) {
        this.next();
        const rest: Array<{ attr?: string; index?: HclNode }> = [];
        for (;;) {
          if (this.is('.') && this.peek(1).type === 'ident') {
            this.next();
            rest.push({ attr: this.next().text });
          } else if (this.is('[') && !this.is('*', 1)) {
            this.next();
            rest.push({ index: this.expression() });
            this.expect(']');
          } else {
            break;
          }
        }
        node = { kind: 'splat', target: node, rest, src: this.src(start) };
      } else if (this.is('[')) {
        this.next();
        const index = this.expression();
        this.expect(']');
        node = { kind: 'index', target: node, index, src: this.src(start) };
      } else {
        return node;
      }
    }
  }

  private primary(): HclNode {
    const token = this.peek();
    const start = token.start;
    if (token.type === 'number') {
      this.next();
      return { kind: 'literal', value: Number(token.text), src: token.text };
    }
    if (token.type === 'string' || token.type === 'heredoc') {
      this.next();
      const parts = token.parts!.map((p) => (typeof p === 'string' ? p : parseHclExpression(p.expression)));
      if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'literal', value: parts[0], src: token.text };
      return { kind: 'template', parts, src: token.text };
    }
    if (token.type === 'ident') {
      this.next();
      if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true', src: token.text };
      if (token.text === 'null') return { kind: 'literal', value: null, src: token.text };
      if (this.is('(')) {
        this.next();
        const args: HclNode[] = [];
        let expand = false;
        while (!this.is(')')) {
          args.push(this.expression());
          if (this.is('...')) {
            this.next();
            expand = true;
          }
          if (this.is(',')) this.next();
          else break;
        }
        this.expect(')');
        return { kind: 'call', name: token.text, args, expand, src: this.src(start) };
      }
      return { kind: 'name', name: token.text, src: token.text };
    }
    if (this.is('(')) {
      this.next();
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (this.is('[')) {
      this.next();
      if (this.is('for')) return this.forExpression(false, start);
      const items: HclNode[] = [];
      while (!this.is(']')) {
        items.push(this.expression());
        if (this.is(',')) this.next();
        else break;
      }
      this.expect(']');
      return { kind: 'tuple', items, src: this.src(start) };
    }
    if (this.is('{')) {
      this.next();
      if (this.is('for')) return this.forExpression(true, start);
      const items: Array<{ key: HclNode; value: HclNode }> = [];
      while (!this.is('}')) {
        const keyToken = this.peek();
        // A bare name as a key is the name itself, not a reference.
        const key: HclNode = keyToken.type === 'ident' && (this.is('=', 1) || this.is(':', 1))
          ? (this.next(), { kind: 'literal', value: keyToken.text, src: keyToken.text })
          : this.expression();
        if (this.is('=') || this.is(':')) this.next();
        else throw new HclSyntaxError(`expected = in an object, found ${JSON.stringify(this.peek().text)}`);
        items.push({ key, value: this.expression() });
        if (this.is(',')) this.next();
      }
      this.expect('}');
      return { kind: 'object', items, src: this.src(start) };
    }
    throw new HclSyntaxError(`unexpected ${JSON.stringify(token.text)}`);
  }

  private forExpression(object: boolean, start: number): HclNode {
    this.expect('for');
    const first = this.next();
    if (first.type !== 'ident') throw new HclSyntaxError('expected a name after for');
    let keyVar: string | undefined;
    let valueVar = first.text;
    if (this.is(',')) {
      this.next();
      keyVar = first.text;
      const second = this.next();
      if (second.type !== 'ident') throw new HclSyntaxError('expected a name after ,');
      valueVar = second.text;
    }
    this.expect('in');
    const collection = this.expression();
    this.expect(':');
    let key: HclNode | undefined;
    let value: HclNode;
    let group = false;
    if (object) {
      key = this.expression();
      this.expect('=>');
      value = this.expression();
      if (this.is('...')) {
        this.next();
        group = true;
      }
    } else {
      value = this.expression();
    }
    const condition = this.is('if') ? (this.next(), this.expression()) : undefined;
    this.expect(object ? '}' : ']');
    return { kind: 'for', object, keyVar, valueVar, collection, key, value, group, condition, src: this.src(start) };
  }
}

const parsedExpressions = new Map<string, HclNode>();

/** Parses the text of one HCL expression (what sits inside `${...}`), or throws `HclSyntaxError`. */
export function parseHclExpression(text: string): HclNode {
  const cached = parsedExpressions.get(text);
  if (cached) return cached;
  const node = new Parser(text, tokenize(text)).parseAll();
  parsedExpressions.set(text, node);
  return node;
}

// --- Values ------------------------------------------------------------------------------------------

/** A reference kept as written (a resource's attribute): the rules read it by its text. */
export class KeptReference {
  constructor(public readonly text: string) {}
}

/** A name whose meaning depends on the attribute that follows (`var`, `data.aws_iam_role`, `module.x`). */
export class Namespace {
  constructor(
    /** The value of one attribute (or index) of the namespace, or undefined when it has none. */
    public readonly get: (key: string | number) => unknown,
    /** The namespace as a whole value, when it has one (a module's outputs, a resource's instances). */
    public readonly whole?: () => unknown,
  ) {}
}

/** Thrown when a known value does not have what an expression asks of it (`try()` catches it). */
class EvaluationError extends Error {}

/**
 * A file the configuration reads that the checked input does not hold (a key kept outside the
 * repository, `file("../secrets/dns_key")`): it exists where Terraform runs, so what it holds is
 * unknown here, not absent.
 */
class MissingFileError extends EvaluationError {
  constructor(
    /**
     * The path, relative to the module, of a file beside the configuration; undefined for one
     * elsewhere on the machine (`~/.vault-token`, `/var/run/secrets/...`), which no one keeps
     * beside the code.
     */
    public readonly file: string | undefined,
  ) {
    super(`no file ${file ?? ''}`);
  }
}

/** The file an unknown value reads, kept by every value computed from it. */
function fileReadBy(values: unknown[]): string | undefined {
  return values.find((v): v is Unresolved => isUnresolved(v) && v.readsFile !== undefined)?.readsFile;
}

/** What the names of an expression mean; `undefined` for a name it does not know. */
export interface HclScope {
  /** The module's directory, for `file()`, `fileset()` and relative paths. */
  readonly directory: string;
  lookup(name: string): unknown;
}

const isUnknown = (v: unknown): v is Unresolved | KeptReference => isUnresolved(v) || v instanceof KeptReference;

/** The marker for a node that cannot be computed: unresolved when any input is, otherwise kept as written. */
function unknownOf(node: HclNode, inputs: unknown[]): Unresolved | KeptReference {
  return inputs.some((v) => isUnresolved(v) || containsUnresolvedDeep(v)) ? Unresolved.of(`\${${node.src}}`, false, fileReadBy(inputs)) : new KeptReference(node.src);
}

function containsUnresolvedDeep(value: unknown): boolean {
  if (isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnresolvedDeep);
  if (value && typeof value === 'object' && !(value instanceof KeptReference) && !(value instanceof Namespace)) {
    return Object.values(value).some(containsUnresolvedDeep);
  }
  return false;
}

function containsUnknownDeep(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknownDeep);
  if (value && typeof value === 'object' && !(value instanceof Namespace)) return Object.values(value).some(containsUnknownDeep);
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && !isUnknown(value) && !(value instanceof Namespace);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  if (value instanceof KeptReference) return `\${${value.text}}`;
  if (isUnresolved(value)) return { unresolved: value.expression };
  return value;
}

/** How a value reads inside a template or as a map key. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new EvaluationError('not a string');
}

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  throw new EvaluationError('not a number');
}

function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new EvaluationError('not a list');
}

/** A value as Terraform's JSON/YAML encoders write it: a kept reference as its `${...}` text, an unresolved value as its expression. */
export function plainValue(value: unknown): unknown {
  if (value instanceof KeptReference) return `\${${value.text}}`;
  if (isUnresolved(value)) return value;
  if (value instanceof Namespace) return value.whole ? plainValue(value.whole()) : undefined;
  if (Array.isArray(value)) return value.map(plainValue);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  return value;
}

/** A value ready for an encoder: an unresolved part is written as its expression, as Terraform would show it. */
function encodable(value: unknown): unknown {
  if (isUnresolved(value)) return value.expression;
  if (Array.isArray(value)) return value.map(encodable);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodable(v)]));
  return value;
}

// --- Evaluation --------------------------------------------------------------------------------------

/** Evaluates a parsed expression; unknown parts become `Unresolved` or `KeptReference`, never errors. */
export function evaluateHcl(node: HclNode, scope: HclScope): unknown {
  try {
    return new Evaluator(scope).evaluate(node, new Map());
  } catch (error) {
    if (error instanceof MissingFileError) return Unresolved.of(`\${${node.src}}`, false, error.file);
    if (error instanceof EvaluationError) return Unresolved.of(`\${${node.src}}`);
    throw error;
  }
}

type Locals = Map<string, unknown>;

class Evaluator {
  constructor(private readonly scope: HclScope) {}

  public evaluate(node: HclNode, locals: Locals): unknown {
    switch (node.kind) {
      case 'literal': return node.value;
      case 'template': {
        const values = node.parts.map((p) => (typeof p === 'string' ? p : this.evaluate(p, locals)));
        // The template as written, without its quotes: `${var.arn}:username::`.
        if (values.some((v) => isUnresolved(v))) return Unresolved.of(node.src.startsWith('"') ? node.src.slice(1, -1) : node.src, false, fileReadBy(values));
        // A kept reference stays in the text as written, as Terraform JSON would show it.
        return values.map((v) => (v instanceof KeptReference ? `\${${v.text}}` : asText(plainValue(v)))).join('');
      }
      case 'name': {
        if (locals.has(node.name)) return locals.get(node.name);
        const value = this.scope.lookup(node.name);
        return value === undefined ? new KeptReference(node.src) : value;
      }
      case 'attr': return this.navigate(node, this.evaluate(node.target, locals), node.name);
      case 'index': {
        const target = this.evaluate(node.target, locals);
        const index = this.evaluate(node.index, locals);
        if (isUnknown(index)) {
          if (target instanceof KeptReference) return new KeptReference(`${target.text}[${node.index.src}]`);
          return unknownOf(node, [target, index]);
        }
        return this.navigate(node, target, typeof index === 'number' ? index : asText(index), true);
      }
      case 'splat': {
        const target = this.evaluate(node.target, locals);
        if (isUnknown(target)) return target instanceof KeptReference ? new KeptReference(node.src) : unknownOf(node, [target]);
        const items = target === null || target === undefined ? [] : Array.isArray(target) ? target : [target];
        return items.map((item) => node.rest.reduce<unknown>((v, step) => (step.attr !== undefined
          ? this.navigate(node, v, step.attr)
          : this.navigate(node, v, ((i) => (typeof i === 'number' ? i : asText(i)))(this.evaluate(step.index!, locals)))), item));
      }
      case 'tuple': return node.items.map((item) => this.evaluate(item, locals));
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const item of node.items) {
          const key = this.evaluate(item.key, locals);
          // A key written as a template around a value the files do not hold
          // (`"${replace(var.issuer, "https://", "")}:sub"`) keeps its written text: what it says
          // literally (the `:sub` claim) is known, and the rest stays visibly `${...}`.
          if (item.key.kind === 'template' && isUnresolved(key) && key.expression.includes('${')) {
            out[key.expression] = this.evaluate(item.value, locals);
            continue;
          }
          if (isUnknown(key)) return unknownOf(node, [key]);
          out[asText(key)] = this.evaluate(item.value, locals);
        }
        return out;
      }
      case 'unary': {
        const operand = this.evaluate(node.operand, locals);
        if (isUnknown(operand)) return unknownOf(node, [operand]);
        return node.op === '!' ? !operand : -asNumber(operand);
      }
      case 'binary': return this.binary(node, locals);
      case 'conditional': {
        const test = this.evaluate(node.test, locals);
        if (!isUnknown(test)) return this.evaluate(test === true || test === 'true' ? node.then : node.otherwise, locals);
        const then = this.evaluate(node.then, locals);
        const otherwise = this.evaluate(node.otherwise, locals);
        if (deepEqual(then, otherwise)) return then;
        return unknownOf(node, [test, then, otherwise]);
      }
      case 'for': return this.forExpression(node, locals);
      case 'call': return this.call(node, locals);
    }
  }

  private navigate(node: HclNode, given: unknown, key: string | number, viaIndex = false): unknown {
    // A value resolved earlier to a reference kept as written (`"${data.x.y.outputs}"`) is still that reference.
    const whole = typeof given === 'string' ? /^\$\{([^{}]+)\}$/.exec(given) : null;
    const target = whole ? new KeptReference(whole[1].trim()) : given;
    if (target instanceof KeptReference) {
      const step = typeof key === 'number' ? `[${key}]` : viaIndex || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `[${JSON.stringify(key)}]` : `.${key}`;
      return new KeptReference(`${target.text}${step}`);
    }
    if (isUnresolved(target)) return Unresolved.of(`\${${node.src}}`, false, target.readsFile);
    if (target instanceof Namespace) {
      const value = target.get(key);
      if (value === undefined) throw new EvaluationError(`no ${key}`);
      return value;
    }
    if (Array.isArray(target)) {
      const i = typeof key === 'number' ? key : Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= target.length) throw new EvaluationError(`no element ${key}`);
      return target[i];
    }
    if (isObject(target)) {
      const k = String(key);
      if (!(k in target)) throw new EvaluationError(`no attribute ${k}`);
      return target[k];
    }
    throw new EvaluationError(`cannot read ${key}`);
  }

  private binary(node: Extract<HclNode, { kind: 'binary' }>, locals: Locals): unknown {
    const left = this.evaluate(node.left, locals);
    // `&&` and `||` decide on a known side when they can.
    if (node.op === '&&' && left === false) return false;
    if (node.op === '||' && left === true) return true;
    const right = this.evaluate(node.right, locals);
    if (node.op === '&&' && right === false) return false;
    if (node.op === '||' && right === true) return true;
    if (isUnknown(left) || isUnknown(right) || containsUnknownDeep(left) || containsUnknownDeep(right)) return unknownOf(node, [left, right]);
    switch (node.op) {
      case '==': return deepEqual(left, right);
      case '!=': return !deepEqual(left, right);
      case '&&': return left === true && right === true;
      case '||': return left === true || right === true;
      case '<': return asNumber(left) < asNumber(right);
      case '>': return asNumber(left) > asNumber(right);
      case '<=': return asNumber(left) <= asNumber(right);
      case '>=': return asNumber(left) >= asNumber(right);
      case '+': return asNumber(left) + asNumber(right);
      case '-': return asNumber(left) - asNumber(right);
      case '*': return asNumber(left) * asNumber(right);
      case '/': return asNumber(left) / asNumber(right);
      case '%': return asNumber(left) % asNumber(right);
      default: throw new EvaluationError(`operator ${node.op}`);
    }
  }

  private forExpression(node: Extract<HclNode, { kind: 'for' }>, locals: Locals): unknown {
    const collection = this.evaluate(node.collection, locals);
    if (isUnknown(collection)) return unknownOf(node, [collection]);
    const entries: Array<[unknown, unknown]> = Array.isArray(collection)
      ? collection.map((v, i) => [i, v])
      : isObject(collection) ? Object.keys(collection).sort().map((k) => [k, collection[k]])
        : collection instanceof Namespace && collection.whole ? Object.entries(asMap(collection.whole())).sort(([a], [b]) => (a < b ? -1 : 1))
          : (() => { throw new EvaluationError('not a collection'); })();
    const objectOut: Record<string, unknown> = {};
    const listOut: unknown[] = [];
    for (const [key, value] of entries) {
      const inner = new Map(locals);
      if (node.keyVar) inner.set(node.keyVar, key);
      inner.set(node.valueVar, value);
      if (node.condition) {
        const keep = this.evaluate(node.condition, inner);
        if (isUnknown(keep)) return unknownOf(node, [keep]);
        if (keep !== true) continue;
      }
      const v = this.evaluate(node.value, inner);
      if (!node.object) {
        listOut.push(v);
        continue;
      }
      const k = this.evaluate(node.key!, inner);
      if (isUnknown(k)) return unknownOf(node, [k]);
      const name = asText(k);
      if (node.group) objectOut[name] = [...((objectOut[name] as unknown[]) ?? []), v];
      else objectOut[name] = v;
    }
    return node.object ? objectOut : listOut;
  }

  private call(node: Extract<HclNode, { kind: 'call' }>, locals: Locals): unknown {
    const name = node.name.replace(/^provider::[^:]+::/, '');
    if (name === 'try' || name === 'can') {
      let sawUnresolved: unknown;
      // `try(file("../secrets/key"), "FIXME")`: where Terraform runs, the file is read and the fallback is not used.
      let readMissingFile: string | undefined;
      for (const arg of node.args) {
        try {
          const value = this.evaluate(arg, locals);
          if (isUnresolved(value)) {
            sawUnresolved = sawUnresolved ?? value;
            continue;
          }
          // `try(each.value.ttl, null)`: an optional input whose value the caller gives, or not; unknown, not absent.
          if (name === 'try' && sawUnresolved && value === null) return Unresolved.of(`\${${node.src}}`);
          return name === 'can' ? true : value;
        } catch (error) {
          if (error instanceof MissingFileError) {
            readMissingFile = error.file;
            break;
          }
          if (!(error instanceof EvaluationError)) throw error;
        }
      }
      const unknown = sawUnresolved !== undefined || readMissingFile !== undefined;
      if (name === 'can') return unknown ? Unresolved.of(`\${${node.src}}`) : false;
      return unknown ? Unresolved.of(`\${${node.src}}`, false, readMissingFile ?? fileReadBy([sawUnresolved])) : (() => { throw new EvaluationError('no argument of try() succeeded'); })();
    }
    let args = node.args.map((a) => this.evaluate(a, locals));
    if (node.expand && args.length > 0) {
      const last = args[args.length - 1];
      if (isUnknown(last)) return unknownOf(node, args);
      args = [...args.slice(0, -1), ...asList(last)];
    }
    const fn = FUNCTIONS[name];
    // A function the evaluator does not know, or arguments it cannot see: the result is unknown.
    if (!fn) return unknownOf(node, args.some(isUnknown) ? args : [Unresolved.of(node.src)]);
    // `format("arn:aws:iam::%s:root", data.aws_caller_identity.current.account_id)`: the text a
    // template would write, each reference kept in it (`arn:aws:iam::${data...account_id}:root`).
    if (name === 'format' && typeof args[0] === 'string' && args.slice(1).every((a) => !isUnknown(a) || a instanceof KeptReference)) {
      return format(args[0], args.slice(1).map((a) => (a instanceof KeptReference ? `\${${a.text}}` : a)));
    }
    if (args.some(isUnknown)) return unknownOf(node, args);
    // Encoding, hashing or recasing text that holds a reference (`base64encode("robot:${random_password.p.result}")`)
    // would mangle the reference: the result is what the reference holds, unknown here.
    if (TEXT_TRANSFORMS.has(name) && args.some((a) => typeof a === 'string' && KEPT_REFERENCE.test(a))) return Unresolved.of(`\${${node.src}}`);
    if (name === 'jsonencode' || name === 'yamlencode' || name === 'sensitive' || name === 'nonsensitive') return fn(args, this.scope);
    // A template renders each variable where it reads it: one it never reads, or a resource
    // reference it writes into the text (a mount's path in a policy), leaves the rest known.
    if (args.some((a) => containsUnknownDeep(a)) && !TOLERANT.has(name) && name !== 'templatefile') return unknownOf(node, args);
    return fn(args, this.scope);
  }
}

function asMap(value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  if (value instanceof Namespace && value.whole) return asMap(value.whole());
  throw new EvaluationError('not a map');
}

/** Functions that encode, hash or recase their text argument: a reference inside cannot be kept in what they return. */
const TEXT_TRANSFORMS = new Set(['base64encode', 'base64decode', 'base64gzip', 'textencodebase64', 'urlencode', 'md5', 'sha1', 'sha256', 'sha512',
  'base64sha256', 'base64sha512', 'bcrypt', 'lower', 'upper', 'title']);
/** A reference kept in text (`${random_password.p.result}`, `${var.x}`), not an escaped literal (`$${aws:username}`). */
const KEPT_REFERENCE = /(^|[^$])\$\{(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+/;

/** Functions whose result stays meaningful when some elements are unknown: they rearrange, not compute. */
const TOLERANT = new Set(['concat', 'merge', 'tolist', 'toset', 'tomap', 'flatten', 'compact', 'distinct', 'keys', 'values', 'length', 'lookup', 'element', 'coalesce', 'one', 'zipmap', 'slice', 'reverse']);

type HclFunction = (args: unknown[], scope: HclScope) => unknown;

function fromJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new EvaluationError('not JSON');
  }
}

function resolvePath(scope: HclScope, file: string): string {
  return path.isAbsolute(file) ? file : path.join(scope.directory, file);
}

function readFile(scope: HclScope, file: unknown): string {
  const given = asText(file);
  const full = resolvePath(scope, given);
  if (!fs.existsSync(full)) {
    const beside = !given.startsWith('~') && (!path.isAbsolute(given) || full.startsWith(scope.directory + path.sep));
    throw new MissingFileError(beside ? path.relative(scope.directory, full) : undefined);
  }
  if (!fs.statSync(full).isFile()) throw new EvaluationError(`not a file: ${full}`);
  return fs.readFileSync(full, 'utf-8');
}

/** A glob of `fileset()` (`*`, `**`, `?`, `{a,b}`, `[...]`) as a regular expression over slash-separated paths. */
function globRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      out += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) {
        out += '\\{';
        continue;
      }
      out += `(?:${pattern.slice(i + 1, end).split(',').map((alt) => alt.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
      i = end;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i);
      out += end < 0 ? '\\[' : pattern.slice(i, end + 1);
      i = end < 0 ? i : end;
    } else {
      out += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

function walkFiles(root: string, relative = ''): string[] {
  const here = path.join(root, relative);
  if (!fs.existsSync(here) || !fs.statSync(here).isDirectory()) return [];
  return fs.readdirSync(here).sort().flatMap((entry) => {
    const rel = relative ? `${relative}/${entry}` : entry;
    const full = path.join(root, rel);
    if (entry.startsWith('.terraform')) return [];
    return fs.statSync(full).isDirectory() ? walkFiles(root, rel) : [rel];
  });
}

/** Terraform's `format` verbs that configurations use: `%s`, `%d`, `%q`, `%v`, `%%`. */
function format(spec: string, values: unknown[]): string {
  let i = 0;
  return spec.replace(/%(%|[-+#0 ]*\d*(?:\.\d+)?[sdqvft])/g, (_match, verb: string) => {
    if (verb === '%') return '%';
    const value = values[i++];
    switch (verb.slice(-1)) {
      case 'q': return JSON.stringify(asText(value));
      case 'd': return String(Math.trunc(asNumber(value)));
      case 'f': return String(asNumber(value));
      case 't': return String(value);
      default: return typeof value === 'string' ? value : JSON.stringify(plainValue(value));
    }
  });
}

const FUNCTIONS: Record<string, HclFunction> = {
  jsonencode: ([v]) => JSON.stringify(encodable(plainValue(v))),
  jsondecode: ([v]) => fromJson(asText(v)),
  yamlencode: ([v]) => JSON.stringify(encodable(plainValue(v))),
  yamldecode: ([v]) => {
    try {
      return parseYaml(asText(v)) ?? null;
    } catch {
      throw new EvaluationError('not YAML');
    }
  },
  sensitive: ([v]) => v,
  nonsensitive: ([v]) => v,
  file: ([f], scope) => readFile(scope, f),
  fileexists: ([f], scope) => fs.existsSync(resolvePath(scope, asText(f))),
  templatefile: ([f, vars], scope) => {
    const text = readFile(scope, f);
    const bound = isObject(vars) ? vars : {};
    let node: HclNode;
    try {
      node = { kind: 'template', parts: templateParts(text, false).map((p) => (typeof p === 'string' ? p : parseHclExpression(p.expression))), src: text };
    } catch (error) {
      // A template this evaluator cannot render (`%{ for }`, `%{ if }` directives) leaves only the
      // value that uses it unknown; the file that calls it still parsed.
      if (error instanceof HclSyntaxError) throw new EvaluationError(`template not rendered: ${error.message}`);
      throw error;
    }
    const inner: HclScope = { directory: scope.directory, lookup: (n) => (n in bound ? bound[n] : undefined) };
    const value = evaluateHcl(node, inner);
    if (value instanceof KeptReference) throw new EvaluationError('template reads what it was not given');
    return value;
  },
  fileset: ([dir, pattern], scope) => {
    const root = resolvePath(scope, asText(dir));
    const regex = globRegex(asText(pattern));
    return walkFiles(root).filter((f) => regex.test(f));
  },
  basename: ([p]) => path.posix.basename(asText(p)),
  dirname: ([p]) => path.posix.dirname(asText(p)),
  abspath: ([p], scope) => resolvePath(scope, asText(p)),
  tostring: ([v]) => (v === null ? null : asText(v)),
  tonumber: ([v]) => (v === null ? null : asNumber(v)),
  tobool: ([v]) => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : v === null ? null : (() => { throw new EvaluationError('not a bool'); })()),
  tolist: ([v]) => asList(v),
  toset: ([v]) => {
    const seen = new Set<string>();
    return asList(v).filter((x) => {
      const key = JSON.stringify(sortKeys(x));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }).sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : 0));
  },
  tomap: ([v]) => asMap(v),
  concat: (args) => args.flatMap((a) => asList(a)),
  merge: (args) => Object.assign({}, ...args.filter((a) => a !== null).map(asMap)),
  keys: ([m]) => Object.keys(asMap(m)).sort(),
  values: ([m]) => Object.keys(asMap(m)).sort().map((k) => asMap(m)[k]),
  length: ([v]) => (typeof v === 'string' ? v.length : Array.isArray(v) ? v.length : Object.keys(asMap(v)).length),
  lookup: ([m, k, d]) => {
    const map = asMap(m);
    const key = asText(k);
    if (key in map) return map[key];
    if (d === undefined) throw new EvaluationError(`no key ${key}`);
    return d;
  },
  contains: ([l, v]) => asList(l).some((x) => deepEqual(x, v)),
  distinct: ([l]) => asList(l).filter((x, i, all) => all.findIndex((y) => deepEqual(x, y)) === i),
  flatten: ([l]) => {
    const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
    return flat(asList(l));
  },
  element: ([l, i]) => {
    const list = asList(l);
    if (list.length === 0) throw new EvaluationError('empty list');
    return list[asNumber(i) % list.length];
  },
  index: ([l, v]) => {
    const i = asList(l).findIndex((x) => deepEqual(x, v));
    if (i < 0) throw new EvaluationError('not in list');
    return i;
  },
  slice: ([l, a, b]) => asList(l).slice(asNumber(a), asNumber(b)),
  reverse: ([l]) => [...asList(l)].reverse(),
  sort: ([l]) => asList(l).map(asText).sort(),
  one: ([l]) => {
    const list = asList(l);
    if (list.length > 1) throw new EvaluationError('more than one element');
    return list.length === 0 ? null : list[0];
  },
  coalesce: (args) => {
    const found = args.find((a) => a !== null && a !== '' && a !== undefined);
    if (found === undefined) throw new EvaluationError('no non-empty argument');
    return found;
  },
  coalescelist: (args) => args.find((a) => Array.isArray(a) && a.length > 0) ?? [],
  compact: ([l]) => asList(l).filter((x) => x !== null && x !== ''),
  join: ([sep, l]) => asList(l).map(asText).join(asText(sep)),
  split: ([sep, s]) => asText(s).split(asText(sep)),
  replace: ([s, find, rep]) => {
    const text = asText(s);
    const pattern = asText(find);
    const regex = /^\/(.*)\/$/s.exec(pattern);
    return regex ? text.replace(new RegExp(regex[1], 'g'), asText(rep).replace(/\$\{(\d+)\}/g, '$$$1')) : text.split(pattern).join(asText(rep));
  },
  lower: ([s]) => asText(s).toLowerCase(),
  upper: ([s]) => asText(s).toUpperCase(),
  title: ([s]) => asText(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  format: ([spec, ...values]) => format(asText(spec), values),
  formatlist: ([spec, ...lists]) => {
    const length = Math.max(0, ...lists.filter(Array.isArray).map((l) => (l as unknown[]).length));
    return Array.from({ length }, (_v, i) => format(asText(spec), lists.map((l) => (Array.isArray(l) ? l[i] : l))));
  },
  trimspace: ([s]) => asText(s).trim(),
  trim: ([s, chars]) => {
    const set = asText(chars);
    let text = asText(s);
    while (text && set.includes(text[0])) text = text.slice(1);
    while (text && set.includes(text[text.length - 1])) text = text.slice(0, -1);
    return text;
  },
  trimprefix: ([s, p]) => (asText(s).startsWith(asText(p)) ? asText(s).slice(asText(p).length) : asText(s)),
  trimsuffix: ([s, p]) => (asText(s).endsWith(asText(p)) && asText(p) !== '' ? asText(s).slice(0, -asText(p).length) : asText(s)),
  startswith: ([s, p]) => asText(s).startsWith(asText(p)),
  endswith: ([s, p]) => asText(s).endsWith(asText(p)),
  strcontains: ([s, p]) => asText(s).includes(asText(p)),
  substr: ([s, o, l]) => {
    const text = asText(s);
    const length = asNumber(l);
    return text.substr(asNumber(o), length < 0 ? undefined : length);
  },
  range: (args) => {
    const [start, end, step] = args.length === 1
      ? [0, asNumber(args[0]), 1]
      : [asNumber(args[0]), asNumber(args[1]), args[2] === undefined ? 1 : asNumber(args[2])];
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  zipmap: ([k, v]) => Object.fromEntries(asList(k).map((key, i) => [asText(key), asList(v)[i]])),
  min: (args) => Math.min(...args.map(asNumber)),
  max: (args) => Math.max(...args.map(asNumber)),
  sum: ([l]) => asList(l).map(asNumber).reduce((a, b) => a + b, 0),
  abs: ([n]) => Math.abs(asNumber(n)),
  pow: ([base, exponent]) => Math.pow(asNumber(base), asNumber(exponent)),
  signum: ([n]) => Math.sign(asNumber(n)),
  ceil: ([n]) => Math.ceil(asNumber(n)),
  floor: ([n]) => Math.floor(asNumber(n)),
  alltrue: ([l]) => asList(l).every((x) => x === true || x === 'true'),
  anytrue: ([l]) => asList(l).some((x) => x === true || x === 'true'),
  base64encode: ([s]) => Buffer.from(asText(s), 'utf-8').toString('base64'),
  base64decode: ([s]) => Buffer.from(asText(s), 'base64').toString('utf-8'),
  setunion: (args) => FUNCTIONS.distinct([args.flatMap((a) => asList(a))], { directory: '', lookup: () => undefined }),
  setintersection: ([first, ...rest]) => asList(first).filter((x) => rest.every((r) => asList(r).some((y) => deepEqual(x, y)))),
  setsubtract: ([a, b]) => asList(a).filter((x) => !asList(b).some((y) => deepEqual(x, y))),
};

/**
 * Applies the defaults of `optional(type, default)` attributes in a variable's type constraint
 * (`map(list(object({ capabilities = optional(set(string), ["read"]) })))`) to its value, as
 * Terraform does when it binds the variable.
 */
export function applyTypeDefaults(typeText: string, value: unknown): unknown {
  let type: HclNode;
  try {
    type = parseHclExpression(typeText);
  } catch {
    return value;
  }
  const apply = (t: HclNode, v: unknown): unknown => {
    if (t.kind !== 'call' || isUnknown(v) || v === null || v === undefined) return v;
    const [inner] = t.args;
    switch (t.name) {
      case 'map':
        return isObject(v) && inner ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, apply(inner, x)])) : v;
      case 'list':
      case 'set':
        return Array.isArray(v) && inner ? v.map((x) => apply(inner, x)) : v;
      case 'object': {
        if (!isObject(v) || !inner || inner.kind !== 'object') return v;
        const out: Record<string, unknown> = { ...v };
        for (const item of inner.items) {
          if (item.key.kind !== 'literal') continue;
          const key = String(item.key.value);
          const attribute = item.value;
          const optional = attribute.kind === 'call' && attribute.name === 'optional';
          const attributeType = optional ? attribute.args[0] : attribute;
          if (!(key in out) || out[key] === null) {
            if (optional) out[key] = attribute.args[1] ? evaluateHcl(attribute.args[1], { directory: '', lookup: () => undefined }) : null;
          }
          if (attributeType) out[key] = apply(attributeType, out[key]);
        }
        return out;
      }
      default:
        return v;
    }
  };
  return apply(type, value);
}
