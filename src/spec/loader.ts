import * as fs from 'fs';
import * as path from 'path';
import type { Node as YamlNode } from 'yaml';
import { GatewaySpec } from './gateway-spec';
import { parseJsonWithPositions, PositionMap, SourcePosition, SourceSyntaxError } from './private/json-source';
import { GATEWAY_SPEC_SCHEMA } from './private/spec-schema';
import { GatewaySpecValidator } from './validation';
import { GatewayValidationError } from '../problems/gateway-validation-error';

/**
 * The text formats a gateway spec can be written in.
 */
export enum SpecFormat {
  /** JSON. */
  JSON = 'json',
  /** YAML 1.2 (the core schema: `yes` and `no` are strings, not booleans). */
  YAML = 'yaml',
}

const CORE_TAGS = ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((tag) => `tag:yaml.org,2002:${tag}`);

/** Larger than any real gateway: a guard against reading the wrong file. */
const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/**
 * Loads a gateway spec from a JSON or YAML file or string, for pipelines that keep the spec as
 * data. A syntax error names the source, line and column; then the spec is validated and every
 * problem is reported at once, each with its path in the spec and its line in the source.
 */
export class GatewaySpecLoader {
  /**
   * Reads, parses and validates a spec file. The format follows the extension: `.json`, or
   * `.yaml` / `.yml`.
   *
   * @param file the path of the file
   * @param format the format, when the extension does not tell it
   */
  public static fromFile(file: string, format?: SpecFormat): GatewaySpec {
    const chosen = format ?? formatOfFile(file);
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_SPEC_BYTES) throw new Error(`it is ${size} bytes; a gateway spec is at most ${MAX_SPEC_BYTES}`);
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
      throw new GatewaySpecLoadError(`Cannot read the gateway spec "${file}": ${reason}.`);
    }
    return load(text, chosen, file);
  }

  /**
   * Parses and validates a spec from text.
   *
   * @param text the spec as JSON or YAML
   * @param format the format; when left out, JSON if the text starts with `{`, YAML otherwise
   * @param sourceName names the text in error messages; when left out, "the JSON text" or "the YAML text"
   */
  public static fromString(text: string, format?: SpecFormat, sourceName?: string): GatewaySpec {
    if (typeof text !== 'string') throw new GatewaySpecLoadError('The gateway spec text must be a string.');
    const chosen = format ?? (text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? SpecFormat.JSON : SpecFormat.YAML);
    return load(text, chosen, sourceName ?? `the ${chosen.toUpperCase()} text`);
  }

  /**
   * The JSON Schema (draft-07) of a gateway spec, generated from its types: for editors and for
   * pipelines that check a spec before loading it. The same schema is published as
   * `schema/gateway-spec.schema.json`.
   */
  public static jsonSchema(): string {
    return JSON.stringify(GATEWAY_SPEC_SCHEMA, undefined, 2);
  }

  private constructor() {}
}

/**
 * The error a spec that cannot be read or parsed raises: its message names the source, and for
 * syntax errors the line and column. A spec that parses but is invalid raises
 * GatewayValidationError, as every validation does.
 */
class GatewaySpecLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewaySpecLoadError';
  }
}

function formatOfFile(file: string): SpecFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return SpecFormat.JSON;
  if (extension === '.yaml' || extension === '.yml') return SpecFormat.YAML;
  throw new GatewaySpecLoadError(`Cannot tell the format of the gateway spec "${file}" from its extension "${extension}": name it .json, .yaml or .yml, or pass the format.`);
}

function load(raw: string, format: SpecFormat, source: string): GatewaySpec {
  const text = raw.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new GatewaySpecLoadError(`${source}: the gateway spec is empty.`);
  const { value, locate } = format === SpecFormat.JSON ? readJson(text, source) : readYaml(text, source);
  const problems = GatewaySpecValidator.problems(value as GatewaySpec);
  if (problems.length > 0) {
    const located = problems.map((p) => {
      const at = locate(p.path);
      return at ? { ...p, path: `${p.path || '(spec)'} (${source}:${at.line}:${at.column})` } : p;
    });
    const name = (value as { name?: unknown } | null)?.name;
    const subject = typeof name === 'string' && name ? `GatewaySpec "${name}" from ${source}` : `The GatewaySpec from ${source}`;
    throw new GatewayValidationError(subject, problems, located);
  }
  return value as GatewaySpec;
}

type Locator = (specPath: string) => SourcePosition | undefined;

function readJson(text: string, source: string): { value: unknown; locate: Locator } {
  let parsed: { value: unknown; positions: PositionMap };
  try {
    parsed = parseJsonWithPositions(text);
  } catch (error) {
    if (error instanceof SourceSyntaxError) {
      throw new GatewaySpecLoadError(`${source}:${error.position.line}:${error.position.column}: invalid JSON: ${error.message}.`);
    }
    throw error;
  }
  return { value: parsed.value, locate: (specPath) => nearest(specPath, (p) => parsed.positions.get(p)) };
}

/**
 * The YAML parser, loaded on first use: code that never reads YAML (both planes, the rule pack)
 * does not load it.
 */
function yamlLibrary(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

function readYaml(text: string, source: string): { value: unknown; locate: Locator } {
  const { isNode, LineCounter, parseDocument, visit } = yamlLibrary();
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true, merge: false });
  const issue = document.errors[0] ?? document.warnings[0];
  if (issue) {
    const at = lines.linePos(issue.pos[0]);
    throw new GatewaySpecLoadError(`${source}:${at.line}:${at.col}: invalid YAML: ${firstLine(issue.message)}.`);
  }
  // Only the plain data of YAML's core schema: `!!binary`, `!!set`, `!!timestamp` or a custom tag
  // would turn into something other than strings, numbers, booleans, lists and maps.
  visit(document, (_key, node) => {
    if (!isNode(node) || node.tag === undefined || CORE_TAGS.includes(node.tag)) return;
    const at = lines.linePos(node.range?.[0] ?? 0);
    throw new GatewaySpecLoadError(`${source}:${at.line}:${at.col}: the YAML tag "${node.tag}" is not allowed; a gateway spec holds only strings, numbers, booleans, lists and maps.`);
  });
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new GatewaySpecLoadError(`${source}: invalid YAML: ${firstLine((error as Error).message)}.`);
  }
  const locate: Locator = (specPath) => nearest(specPath, (p) => {
    const node = yamlNodeAt(document.contents as YamlNode | null, p);
    if (!node?.range) return undefined;
    const at = lines.linePos(node.range[0]);
    return { line: at.line, column: at.col };
  });
  return { value, locate };
}

/** The node at a spec path: for a mapping member, its key, where the field is written. */
function yamlNodeAt(root: YamlNode | null, specPath: string): YamlNode | undefined {
  const { isMap, isScalar, isSeq } = yamlLibrary();
  let node: YamlNode | null | undefined = root;
  let located: YamlNode | undefined = root ?? undefined;
  for (const step of splitPath(specPath)) {
    if (typeof step === 'number' && isSeq(node)) {
      node = node.items[step] as YamlNode | undefined;
      located = node ?? undefined;
    } else if (typeof step === 'string' && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === step);
      if (!pair) return undefined;
      node = pair.value as YamlNode | null;
      located = pair.key as YamlNode;
    } else {
      return undefined;
    }
  }
  return located;
}

/** The position of the path, or of its nearest ancestor that exists (a missing field's object). */
function nearest(specPath: string, lookup: (p: string) => SourcePosition | undefined): SourcePosition | undefined {
  let current = specPath;
  for (;;) {
    const found = lookup(current);
    if (found || current === '') return found;
    current = current.replace(/(\[\d+\]|\.?[^.[]+)$/, '');
  }
}

/** `tenants[0].workloads[1].roleArn` as `['tenants', 0, 'workloads', 1, 'roleArn']`. */
function splitPath(specPath: string): Array<string | number> {
  const steps: Array<string | number> = [];
  for (const match of specPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    steps.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return steps;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/[.:]\s*$/, '');
}
