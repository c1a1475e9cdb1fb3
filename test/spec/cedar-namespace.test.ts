import * as fs from 'fs';
import * as path from 'path';
import { CEDAR_NAMESPACE } from '../../src/contract/cedar-names';
import { GatewayNaming } from '../../src/spec/naming';

// The Cedar namespace is written once, in the router contract, and naming reads it from there.

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('naming\'s namespace is the contract\'s', () => {
  expect(GatewayNaming.CEDAR_NAMESPACE).toBe(CEDAR_NAMESPACE);
});

test('the namespace literal appears in src/ only in the contract', () => {
  const src = path.resolve(__dirname, '..', '..', 'src');
  const literal = new RegExp(`['"\`]${CEDAR_NAMESPACE}['"\`]`);
  const writing = sourceFiles(src).filter((file) => literal.test(fs.readFileSync(file, 'utf-8'))).map((file) => path.relative(src, file));
  expect(writing).toEqual([path.join('contract', 'cedar-names.ts')]);
});
