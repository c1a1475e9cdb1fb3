/**
 * A strict JSON reader that keeps where each value came from. `JSON.parse` reports neither line
 * nor column on Node 20, and silently keeps the last of two equal keys: a second `suspended`
 * would quietly replace the first. This reader refuses duplicates and reports every error, and
 * the position of every spec field, as a line and column.
 */

/** A 1-based line and column in the source text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Where each value (and, for object members, each key) starts, by spec path. */
export type PositionMap = Map<string, SourcePosition>;

export class SourceSyntaxError extends Error {
  constructor(message: string, public readonly position: SourcePosition) {
    super(message);
    this.name = 'SourceSyntaxError';
  }
}

/** Turns offsets into lines and columns. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  public position(offset: number): SourcePosition {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
}

/**
 * Parses JSON text. Returns the value and the position of every value by spec path
 * (`tenants[0].workloads[1].roleArn`).
 */
export function parseJsonWithPositions(text: string): { value: unknown; positions: PositionMap } {
  return new JsonReader(text).read();
}

const MAX_DEPTH = 64;

class JsonReader {
  private offset = 0;
  private readonly positions: PositionMap = new Map();
  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  public read(): { value: unknown; positions: PositionMap } {
    this.skipSpace();
    const value = this.value('', 0);
    this.skipSpace();
    if (this.offset < this.text.length) this.fail(`unexpected ${this.describe()} after the end of the document`);
    return { value, positions: this.positions };
  }

  private value(path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`values are nested more than ${MAX_DEPTH} levels deep`);
    if (!this.positions.has(path)) this.positions.set(path, this.lines.position(this.offset));
    const char = this.text[this.offset];
    if (char === '{') return this.object(path, depth);
    if (char === '[') return this.array(path, depth);
    if (char === '"') return this.string();
    if (char === '-' || (char >= '0' && char <= '9')) return this.number();
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.offset)) {
        this.offset += word.length;
        return literal;
      }
    }
    return this.fail(`expected a value but found ${this.describe()}`);
  }

  private object(path: string, depth: number): Record<string, unknown> {
    this.offset++;
    // A null-prototype object: a "__proto__" key stays an ordinary (and unknown) field.
    const result: Record<string, unknown> = Object.create(null);
    this.skipSpace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return { ...result };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.offset] !== '"') this.fail(`expected a field name in double quotes but found ${this.describe()}`);
      const keyStart = this.offset;
      const key = this.string();
      const memberPath = path ? `${path}.${key}` : key;
      if (Object.prototype.hasOwnProperty.call(result, key)) {
        this.offset = keyStart;
        this.fail(`the field "${key}" appears twice in one object; only one value can hold`);
      }
      // A member is located at its key: where an unknown field or a wrong value is written.
      this.positions.set(memberPath, this.lines.position(keyStart));
      this.skipSpace();
      this.expect(':', 'a ":" after the field name');
      this.skipSpace();
      const value = this.value(memberPath, depth + 1);
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.text[this.offset] === ',') {
        this.offset++;
        continue;
      }
      this.expect('}', 'a "," or "}" after the value');
      return copy(result);
    }
  }

  private array(path: string, depth: number): unknown[] {
    this.offset++;
    const result: unknown[] = [];
    this.skipSpace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      result.push(this.value(`${path}[${result.length}]`, depth + 1));
      this.skipSpace();
      if (this.text[this.offset] === ',') {
        this.offset++;
        continue;
      }
      this.expect(']', 'a "," or "]" after the value');
      return result;
    }
  }

  private string(): string {
    const start = this.offset;
    this.offset++;
    let result = '';
    for (;;) {
      const char = this.text[this.offset];
      if (char === undefined) {
        this.offset = start;
        this.fail('the string is never closed');
      }
      if (char === '"') {
        this.offset++;
        return result;
      }
      if (char < ' ') this.fail('a string may not hold a raw line break or control character; write it as an escape such as \\n');
      if (char === '\\') {
        const escape = this.text[this.offset + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t' };
        if (escape !== undefined && simple[escape] !== undefined) {
          result += simple[escape];
          this.offset += 2;
        } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.offset + 2, this.offset + 6))) {
          result += String.fromCharCode(parseInt(this.text.slice(this.offset + 2, this.offset + 6), 16));
          this.offset += 6;
        } else {
          this.fail('an invalid escape in a string');
        }
        continue;
      }
      result += char;
      this.offset++;
    }
  }

  private number(): number {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.offset, this.offset + 400));
    if (!match) return this.fail('an invalid number');
    this.offset += match[0].length;
    return Number(match[0]);
  }

  private expect(char: string, what: string): void {
    if (this.text[this.offset] !== char) this.fail(`expected ${what} but found ${this.describe()}`);
    this.offset++;
  }

  private skipSpace(): void {
    while (this.offset < this.text.length && ' \t\n\r'.includes(this.text[this.offset])) this.offset++;
  }

  private describe(): string {
    if (this.offset >= this.text.length) return 'the end of the text';
    return JSON.stringify(this.text.slice(this.offset, this.offset + 12));
  }

  private fail(message: string): never {
    throw new SourceSyntaxError(message, this.lines.position(this.offset));
  }
}

/** An ordinary object with the same own fields, `__proto__` included as a plain field. */
function copy(source: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    Object.defineProperty(result, key, { value: source[key], enumerable: true, writable: true, configurable: true });
  }
  return result;
}
