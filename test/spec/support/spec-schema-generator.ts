import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Generates the JSON Schema of `GatewaySpec` from the TypeScript declarations in
 * `src/spec/gateway-spec.ts`, with the TypeScript compiler's own parser. The schema is committed
 * twice: as `schema/gateway-spec.schema.json` for pipelines and editors, and as the constant in
 * `src/spec/private/spec-schema.ts` from which the validator reads the known fields of every
 * struct. A test regenerates both and fails when either has drifted from the types.
 *
 * Run `npx ts-node test/spec/support/spec-schema-generator.ts` to rewrite both files.
 */

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SPEC_SOURCE = path.join(REPO_ROOT, 'src', 'spec', 'gateway-spec.ts');
export const SCHEMA_FILE = path.join(REPO_ROOT, 'schema', 'gateway-spec.schema.json');
export const SCHEMA_MODULE = path.join(REPO_ROOT, 'src', 'spec', 'private', 'spec-schema.ts');

const ROOT = 'GatewaySpec';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema (draft-07) of the spec declared in `source`. */
export function generateSpecSchema(source: string = fs.readFileSync(SPEC_SOURCE, 'utf8')): JsonSchema {
  const file = ts.createSourceFile('gateway-spec.ts', source, ts.ScriptTarget.ES2020, true);
  const declared = new Map<string, ts.InterfaceDeclaration | ts.EnumDeclaration>();
  for (const statement of file.statements) {
    if ((ts.isInterfaceDeclaration(statement) || ts.isEnumDeclaration(statement)) && isExported(statement)) {
      declared.set(statement.name.text, statement);
    } else if (!ts.isEmptyStatement(statement)) {
      throw new Error(`gateway-spec.ts may declare only exported interfaces and enums; found ${ts.SyntaxKind[statement.kind]}`);
    }
  }
  if (!declared.has(ROOT)) throw new Error(`gateway-spec.ts does not declare ${ROOT}`);

  const definitions: Record<string, JsonSchema> = {};
  for (const name of [...declared.keys()].sort()) {
    const node = declared.get(name)!;
    definitions[name] = ts.isEnumDeclaration(node) ? enumSchema(node) : structSchema(node, declared);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: ROOT,
    description: docOf(declared.get(ROOT)!),
    $ref: `#/definitions/${ROOT}`,
    definitions,
  };
}

function structSchema(node: ts.InterfaceDeclaration, declared: Map<string, ts.Node>): JsonSchema {
  if (node.heritageClauses?.length || node.typeParameters?.length) {
    throw new Error(`${node.name.text}: spec structs neither extend nor take type parameters`);
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const member of node.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isIdentifier(member.name)) {
      throw new Error(`${node.name.text}: only named, typed properties are supported`);
    }
    const name = member.name.text;
    properties[name] = { ...typeSchema(member.type, declared, `${node.name.text}.${name}`), description: docOf(member) };
    if (!member.questionToken) required.push(name);
  }
  return {
    type: 'object',
    description: docOf(node),
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

function typeSchema(type: ts.TypeNode, declared: Map<string, ts.Node>, where: string): JsonSchema {
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword: return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword: return { type: 'number' };
    case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
    default: break;
  }
  if (ts.isArrayTypeNode(type)) {
    return { type: 'array', items: typeSchema(type.elementType, declared, `${where}[]`) };
  }
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments && declared.has(type.typeName.text)) {
    return { $ref: `#/definitions/${type.typeName.text}` };
  }
  throw new Error(`${where}: type "${type.getText()}" has no JSON Schema form here`);
}

function enumSchema(node: ts.EnumDeclaration): JsonSchema {
  const values = node.members.map((member) => {
    if (!member.initializer || !ts.isStringLiteral(member.initializer)) {
      throw new Error(`${node.name.text}.${member.name.getText()}: spec enums have string values`);
    }
    return member.initializer.text;
  });
  return { type: 'string', description: docOf(node), enum: values };
}

/** The declaration's doc comment as one paragraph-preserving text, with its `@default` appended. */
function docOf(node: ts.Node): string {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  const doc = docs[docs.length - 1];
  if (!doc) throw new Error(`${(node as { name?: ts.Node }).name?.getText() ?? 'a declaration'} has no doc comment`);
  const text = normalise(ts.getTextOfJSDocComment(doc.comment) ?? '');
  const defaults = (doc.tags ?? []).filter((tag) => tag.tagName.text === 'default').map((tag) => normalise(ts.getTextOfJSDocComment(tag.comment) ?? ''));
  return defaults.length > 0 ? `${text}\n\nDefault: ${defaults.join(' ')}` : text;
}

function normalise(text: string): string {
  return text.split(/\n\s*\n/).map((paragraph) => paragraph.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n\n');
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/** The committed JSON file's exact text. */
export function schemaFileText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, undefined, 2)}\n`;
}

/** The committed TypeScript module's exact text. */
export function schemaModuleText(schema: JsonSchema): string {
  return [
    '/* eslint-disable */',
    '// Generated from src/spec/gateway-spec.ts by test/spec/support/spec-schema-generator.ts; do not edit.',
    '// The same schema is committed as schema/gateway-spec.schema.json; a test fails when either drifts.',
    '',
    '/** The JSON Schema (draft-07) of `GatewaySpec`. */',
    `export const GATEWAY_SPEC_SCHEMA = ${JSON.stringify(schema, undefined, 2)} as const;`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const schema = generateSpecSchema();
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, schemaFileText(schema));
  fs.writeFileSync(SCHEMA_MODULE, schemaModuleText(schema));
  process.stdout.write(`wrote ${path.relative(REPO_ROOT, SCHEMA_FILE)} and ${path.relative(REPO_ROOT, SCHEMA_MODULE)}\n`);
}
