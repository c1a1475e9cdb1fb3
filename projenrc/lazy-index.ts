import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Rewrites the compiled package index (`lib/index.js`) so that each export loads its own module
 * on first use. The index re-exports both planes; loaded eagerly, an app that uses only the AWS
 * plane would load cdktf and the Vault provider (hundreds of modules), and the reverse.
 *
 * The declarations (`lib/index.d.ts`) and the jsii assembly are untouched: only when a module is
 * loaded changes. Run after `jsii` by the compile task.
 */

/** One value the index exports, and the compiled module that defines it. */
export interface IndexExport {
  readonly name: string;
  /** Relative to the index, e.g. `./aws/aws-plane`. */
  readonly modulePath: string;
}

/** Marks the generated file, and lets a second run leave it alone. */
export const LAZY_INDEX_MARKER = '// Generated after compilation by projenrc/lazy-index.ts';

/**
 * The modules a compiled file re-exports with `export * from '...'`, or undefined when the file
 * also does anything else (it then defines exports of its own and is a leaf).
 */
export function reExportTargets(file: string): string[] | undefined {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const targets: string[] = [];
  for (const statement of source.statements) {
    if (isTypeScriptPrelude(statement)) continue;
    const target = exportStarTarget(statement);
    if (target === undefined) return undefined;
    targets.push(target);
  }
  return targets;
}

/**
 * Every value the index exports, each resolved to the leaf module that defines it, in the order
 * TypeScript's `export *` would bind them. Leaf modules are loaded here, at build time, to read
 * their export names.
 */
export function collectExports(indexFile: string): IndexExport[] {
  const libDir = path.dirname(indexFile);
  const top = reExportTargets(indexFile);
  if (top === undefined || top.length === 0) {
    throw new Error(`${indexFile}: expected only \`export * from './<folder>'\` statements (src/index.ts holds public exports only). ` +
      'Move any other statement into a module of its own and re-export it.');
  }
  const seen = new Map<string, string>();
  const found: IndexExport[] = [];
  const visit = (fromDir: string, target: string, trail: string[]): void => {
    const file = resolveCompiled(fromDir, target);
    if (trail.includes(file)) throw new Error(`${indexFile}: re-export cycle ${[...trail, file].join(' -> ')}`);
    const nested = reExportTargets(file);
    if (nested !== undefined) {
      for (const next of nested) visit(path.dirname(file), next, [...trail, file]);
      return;
    }
    const modulePath = './' + path.relative(libDir, file).replace(/\\/g, '/').replace(/\.js$/, '');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const names = Object.keys(require(file)).filter((name) => name !== '__esModule' && name !== 'default');
    for (const name of names) {
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`${modulePath}: export "${name}" is not an identifier`);
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        throw new Error(`${indexFile}: "${name}" is exported by both ${earlier} and ${modulePath}; rename one of them.`);
      }
      seen.set(name, modulePath);
      found.push({ name, modulePath });
    }
  };
  for (const target of top) visit(libDir, target, [indexFile]);
  return found;
}

/**
 * The text of a CommonJS index whose exports are getters that load their module on first use.
 * Each `require` names its module literally, so bundlers still see every module, and a never-run
 * `module.exports = { ... }` lists the names for Node's static scan of CommonJS exports, so
 * `import { X } from 'gateward'` keeps working from ES modules.
 */
export function renderLazyIndex(entries: readonly IndexExport[]): string {
  const lines = [
    '"use strict";',
    LAZY_INDEX_MARKER + ': each export loads its module on first use,',
    '// so that using one plane does not load the other plane\'s libraries.',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    // Through a helper: Node's scan drops names it sees defined by a getter it cannot prove pure.
    'function lazy(name, load) { Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: load }); }',
  ];
  for (const { name, modulePath } of entries) {
    lines.push(`lazy(${JSON.stringify(name)}, function () { return require(${JSON.stringify(modulePath)}).${name}; });`);
  }
  lines.push('// Export names for Node\'s ES module loader (cjs-module-lexer). Never runs.');
  lines.push(`0 && (module.exports = { ${entries.map((e) => e.name).join(', ')} });`);
  return lines.join('\n') + '\n';
}

/** Rewrites `<libDir>/index.js` in place; returns how many exports it holds. */
export function writeLazyIndex(libDir: string): number {
  const indexFile = path.resolve(libDir, 'index.js');
  const text = fs.readFileSync(indexFile, 'utf-8');
  if (text.includes(LAZY_INDEX_MARKER)) {
    throw new Error(`${indexFile} is already lazy: recompile (jsii) before rewriting it again.`);
  }
  const entries = collectExports(indexFile);
  fs.writeFileSync(indexFile, renderLazyIndex(entries));
  return entries.length;
}

function resolveCompiled(fromDir: string, target: string): string {
  const base = path.resolve(fromDir, target);
  for (const candidate of [`${base}.js`, path.join(base, 'index.js')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find the compiled module ${target} from ${fromDir}`);
}

/** `__exportStar(require("./x"), exports);` */
function exportStarTarget(statement: ts.Statement): string | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return undefined;
  const call = statement.expression;
  if (!ts.isIdentifier(call.expression) || call.expression.text !== '__exportStar' || call.arguments.length !== 2) return undefined;
  const [required, target] = call.arguments;
  if (!ts.isIdentifier(target) || target.text !== 'exports') return undefined;
  if (!ts.isCallExpression(required) || !ts.isIdentifier(required.expression) || required.expression.text !== 'require') return undefined;
  const [specifier] = required.arguments;
  return specifier !== undefined && ts.isStringLiteral(specifier) && specifier.text.startsWith('.') ? specifier.text : undefined;
}

/** `"use strict"`, the `__esModule` flag and TypeScript's helper definitions. */
function isTypeScriptPrelude(statement: ts.Statement): boolean {
  if (ts.isExpressionStatement(statement)) {
    const expression = statement.expression;
    if (ts.isStringLiteral(expression)) return expression.text === 'use strict';
    return ts.isCallExpression(expression)
      && expression.expression.getText() === 'Object.defineProperty'
      && expression.arguments.length === 3
      && expression.arguments[0].getText() === 'exports'
      && ts.isStringLiteral(expression.arguments[1])
      && expression.arguments[1].text === '__esModule';
  }
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.every((d) => ts.isIdentifier(d.name) && /^__(createBinding|exportStar|setModuleDefault|importStar)$/.test(d.name.text));
  }
  return false;
}

if (require.main === module) {
  const libDir = process.argv[2] ?? 'lib';
  const count = writeLazyIndex(libDir);
  console.log(`${path.join(libDir, 'index.js')}: ${count} exports, each loaded on first use`);
}
