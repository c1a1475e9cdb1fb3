// A small reader for the HCL 1 subset Vault policies are written in (Vault parses policies with
// HCL 1, not HCL 2): blocks with labels, `key = value` items, strings, heredocs, numbers,
// booleans, lists and objects, and `#`, `//` and `/* */` comments. It is synchronous because
// validation plugins and the CLI cannot wait on a WASM parser; tests hold it to HashiCorp's parser.

/** A value as HCL 1 gives it. */
export type HclValue = string | number | boolean | null | HclValue[] | HclItem[];

/** One item of a body: `keys... = value` or `keys... { body }` (a block; value holds its body). */
export interface HclItem {
  readonly keys: string[];
  readonly value: HclValue;
  readonly line: number;
  readonly block: boolean;
}

/** Whether a value is an object body (a list of items) rather than a list of values. */
export function isBody(value: HclValue): value is HclItem[] {
  return Array.isArray(value) && value.length > 0 && (value as unknown[]).every((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && 'keys' in v);
}

type Token = { kind: 'string' | 'ident' | 'number' | 'punct'; text: string; value: HclValue; line: number };

class HclSyntaxError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const fail = (why: string): never => {
    throw new HclSyntaxError(`${why} on line ${line}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment');
      line += (text.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\n') fail('newline in string');
        if (text[j] === '\\') {
          const e = text[j + 1];
          const escapes: Record<string, string> = { 'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\' };
          if (e === 'u') {
            out += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          if (!(e in escapes)) fail(`unknown escape \\${e}`);
          out += escapes[e];
          j += 2;
          continue;
        }
        out += text[j++];
      }
      if (j >= text.length) fail('unterminated string');
      tokens.push({ kind: 'string', text: out, value: out, line });
      i = j + 1;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const header = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(text.slice(i));
      if (!header) fail('bad heredoc');
      const start = i + header![0].length;
      const lines = text.slice(start).split('\n');
      const body: string[] = [];
      let consumed = 0;
      let found = false;
      for (const l of lines) {
        consumed += l.length + 1;
        if (l.trim() === header![1]) { found = true; break; }
        body.push(l);
      }
      if (!found) fail('unterminated heredoc');
      const value = body.join('\n') + (body.length ? '\n' : '');
      tokens.push({ kind: 'string', text: value, value, line });
      line += body.length + 1;
      i = start + consumed;
      continue;
    }
    if ('={}[],:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c === ':' ? '=' : c, value: null, line });
      i++;
      continue;
    }
    const number = /^-?(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), line });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.\-]*/.exec(text.slice(i));
    if (ident) {
      const word = ident[0];
      const value = word === 'true' ? true : word === 'false' ? false : word;
      tokens.push({ kind: 'ident', text: word, value, line });
      i += word.length;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`);
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  public body(closing: string | undefined): HclItem[] {
    const items: HclItem[] = [];
    while (this.at < this.tokens.length) {
      const t = this.tokens[this.at];
      if (closing && t.kind === 'punct' && t.text === closing) return items;
      if (t.kind === 'punct' && t.text === ',') { this.at++; continue; }
      items.push(this.item());
    }
    if (closing) throw new HclSyntaxError(`missing ${closing}`);
    return items;
  }

  private item(): HclItem {
    const keys: string[] = [];
    const line = this.tokens[this.at].line;
    while (this.at < this.tokens.length && (this.tokens[this.at].kind === 'string' || this.tokens[this.at].kind === 'ident')) {
      keys.push(this.tokens[this.at++].text);
    }
    const next = this.tokens[this.at];
    if (keys.length === 0 || !next) throw new HclSyntaxError(`expected a key on line ${next?.line ?? line}`);
    if (next.kind === 'punct' && next.text === '=') {
      this.at++;
      return { keys, value: this.value(), line, block: false };
    }
    if (next.kind === 'punct' && next.text === '{') {
      this.at++;
      const body = this.body('}');
      this.at++;
      return { keys, value: body, line, block: true };
    }
    throw new HclSyntaxError(`expected = or { after ${keys.join(' ')} on line ${next.line}`);
  }

  private value(): HclValue {
    const t = this.tokens[this.at++];
    if (!t) throw new HclSyntaxError('expected a value at the end');
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'ident' && typeof t.value === 'boolean') return t.value;
    if (t.kind === 'punct' && t.text === '{') {
      const body = this.body('}');
      this.at++;
      return body;
    }
    if (t.kind === 'punct' && t.text === '[') {
      const list: HclValue[] = [];
      while (this.tokens[this.at] && !(this.tokens[this.at].kind === 'punct' && this.tokens[this.at].text === ']')) {
        list.push(this.value());
        const sep = this.tokens[this.at];
        if (sep && sep.kind === 'punct' && sep.text === ',') this.at++;
        else if (!(sep && sep.kind === 'punct' && sep.text === ']')) throw new HclSyntaxError(`expected , or ] on line ${sep?.line ?? t.line}`);
      }
      if (!this.tokens[this.at]) throw new HclSyntaxError('missing ]');
      this.at++;
      return list;
    }
    throw new HclSyntaxError(`unexpected ${JSON.stringify(t.text)} on line ${t.line}`);
  }
}

/** Parses HCL 1 text into items; throws an Error naming the line when it cannot. */
export function parseHcl(text: string): HclItem[] {
  const parser = new Parser(tokenize(text));
  return parser.body(undefined);
}

/** JSON (Vault accepts a policy in JSON) as the same items HCL gives. */
export function jsonToItems(value: unknown, line = 1): HclItem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HclSyntaxError('a JSON policy must be an object');
  const items: HclItem[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (Array.isArray(v) && v.length > 0 && v.every((e) => e && typeof e === 'object' && !Array.isArray(e))) {
      // A list of objects is the JSON form of repeated blocks.
      for (const e of v) items.push({ keys: [key], value: jsonToItems(e, line), line, block: true });
    } else {
      items.push({ keys: [key], value: jsonValue(v, line), line, block: false });
    }
  }
  return items;
}

function jsonValue(v: unknown, line: number): HclValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((e) => jsonValue(e, line));
  return jsonToItems(v, line);
}

/** A plain JavaScript value of an HCL value: bodies become objects (a repeated key keeps the last). */
export function plainValue(value: HclValue): unknown {
  if (isBody(value)) {
    const out: Record<string, unknown> = {};
    for (const item of value) out[item.keys.join('.')] = plainValue(item.value);
    return out;
  }
  if (Array.isArray(value)) return (value as HclValue[]).map(plainValue);
  return value;
}
