import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// The public API is what jsii exports. Compile it and read the assembly, so the rule holds for
// everything users of every language see, not for what a source scan happens to find.

interface JsiiDocs { summary?: string; default?: string }
interface JsiiProperty { name: string; optional?: boolean; docs?: JsiiDocs }
interface JsiiCallable { name: string; docs?: JsiiDocs; parameters?: Array<{ name: string; optional?: boolean }> }
interface JsiiType {
  fqn: string;
  kind: 'class' | 'interface' | 'enum';
  docs?: JsiiDocs;
  datatype?: boolean;
  properties?: JsiiProperty[];
  methods?: JsiiCallable[];
  members?: Array<{ name: string; docs?: JsiiDocs }>;
}

const root = path.resolve(__dirname, '..');
let types: JsiiType[];

beforeAll(() => {
  execFileSync(path.join(root, 'node_modules', '.bin', 'jsii'), ['--silence-warnings=reserved-word'], { cwd: root, stdio: 'pipe' });
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf-8'));
  types = Object.values(assembly.types) as JsiiType[];
}, 120_000);

test('the public API compiles under jsii and exports the spec', () => {
  expect(types.map((t) => t.fqn)).toEqual(expect.arrayContaining([
    'gateward.GatewaySpec', 'gateward.GatewayBlueprint', 'gateward.GatewayNaming', 'gateward.GatewaySpecValidator',
  ]));
});

test('every type, property, method and enum member has a doc comment', () => {
  const undocumented: string[] = [];
  for (const type of types) {
    if (!type.docs?.summary) undocumented.push(type.fqn);
    for (const prop of type.properties ?? []) if (!prop.docs?.summary) undocumented.push(`${type.fqn}.${prop.name}`);
    for (const method of type.methods ?? []) if (!method.docs?.summary) undocumented.push(`${type.fqn}.${method.name}()`);
    for (const member of type.members ?? []) if (!member.docs?.summary) undocumented.push(`${type.fqn}.${member.name}`);
  }
  expect(undocumented).toEqual([]);
});

test('every optional property says what happens by default', () => {
  const missing = types.flatMap((type) => (type.properties ?? [])
    .filter((prop) => prop.optional && !prop.docs?.default)
    .map((prop) => `${type.fqn}.${prop.name}`));
  expect(missing).toEqual([]);
});
