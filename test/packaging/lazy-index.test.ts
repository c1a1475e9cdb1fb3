import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { collectExports, writeLazyIndex } from '../../projenrc/lazy-index';

// The rewrite runs on what TypeScript emits, so each case compiles a small package with the
// real compiler (CommonJS, as jsii emits) and rewrites its index.

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-lazy-index-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** Compiles `files` (path -> TypeScript source) into `<work>/lib`; returns that directory. */
function compile(files: Record<string, string>, expectedErrors: string[] = []): string {
  const src = path.join(work, 'src');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    fs.writeFileSync(path.join(src, file), text);
  }
  const lib = path.join(work, 'lib');
  const program = ts.createProgram(Object.keys(files).map((file) => path.join(src, file)), {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    rootDir: src,
    outDir: lib,
    strict: true,
  });
  const emitted = program.emit();
  expect(ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual(expectedErrors);
  return lib;
}

const twoPlanes = {
  'index.ts': "export * from './spec';\nexport * from './cloud';\n",
  'spec/index.ts': "export * from './spec';\n",
  'spec/spec.ts': 'export interface Spec { readonly name: string }\nexport enum Kind { A = "a" }\nexport function describe(s: Spec): string { return s.name; }\n',
  'cloud/index.ts': "export * from './plane';\nexport * from './other';\n",
  'cloud/plane.ts': "export class Plane { public readonly kind = 'plane'; }\n(globalThis as any).planeLoads = ((globalThis as any).planeLoads ?? 0) + 1;\n",
  'cloud/other.ts': 'export class Other {}\n(globalThis as any).otherLoads = ((globalThis as any).otherLoads ?? 0) + 1;\n',
};

test('maps every value export to the leaf module that defines it', () => {
  const lib = compile(twoPlanes);
  expect(collectExports(path.join(lib, 'index.js'))).toEqual([
    { name: 'Kind', modulePath: './spec/spec' },
    { name: 'describe', modulePath: './spec/spec' },
    { name: 'Plane', modulePath: './cloud/plane' },
    { name: 'Other', modulePath: './cloud/other' },
  ]);
});

test('the rewritten index loads a module only when one of its exports is used', () => {
  const lib = compile(twoPlanes);
  expect(writeLazyIndex(lib)).toBe(4);
  const script = [
    `const index = require(${JSON.stringify(path.join(lib, 'index.js'))});`,
    'const before = [globalThis.planeLoads ?? 0, globalThis.otherLoads ?? 0];',
    'const plane = new index.Plane();',
    'console.log(JSON.stringify({ before, after: [globalThis.planeLoads ?? 0, globalThis.otherLoads ?? 0], kind: plane.kind, keys: Object.keys(index) }));',
  ].join('\n');
  const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf-8' }));
  expect(result).toEqual({ before: [0, 0], after: [1, 0], kind: 'plane', keys: ['Kind', 'describe', 'Plane', 'Other'] });
});

test('refuses an index that does more than re-export folders', () => {
  const lib = compile({ ...twoPlanes, 'index.ts': "export * from './spec';\nexport const VERSION = '1';\n" });
  expect(() => writeLazyIndex(lib)).toThrow(/expected only `export \* from '.\/<folder>'` statements/);
});

test('refuses a name two modules export, should the compiler ever let one through', () => {
  // TypeScript reports the clash (and jsii does not emit on errors); the rewrite refuses it too.
  const lib = compile({ ...twoPlanes, 'cloud/other.ts': 'export class Other {}\nexport enum Kind { B = "b" }\n' },
    ["Module './spec' has already exported a member named 'Kind'. Consider explicitly re-exporting to resolve the ambiguity."]);
  expect(() => collectExports(path.join(lib, 'index.js'))).toThrow('"Kind" is exported by both ./spec/spec and ./cloud/other');
});

test('refuses to rewrite an index twice', () => {
  const lib = compile(twoPlanes);
  writeLazyIndex(lib);
  expect(() => writeLazyIndex(lib)).toThrow(/already lazy/);
});
