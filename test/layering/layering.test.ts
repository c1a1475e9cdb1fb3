import * as fs from 'fs';
import * as path from 'path';
import { ESLint, Linter, loadESLint } from 'eslint';

// The layering lint (ARCHITECTURE.md, "Folders") run for real: ESLint with the project's own
// configuration over a fixture tree laid out like src/, where each folder's probe imports every
// other folder and each construct library. The expected arrows are written out here, independent
// of projenrc/layering.ts, so a rule that stops firing (or fires on an allowed arrow) fails.

const repo = path.resolve(__dirname, '..', '..');
const fixtureRoot = path.join(repo, 'test', 'fixtures', 'layering');
const LAYERING_RULES = ['import/no-restricted-paths', '@typescript-eslint/no-restricted-imports'];

const FOLDERS = ['contract', 'vault-acl', 'problems', 'spec', 'aws', 'vault', 'nhi', 'review', 'runtime'];
const PACKAGES = ['aws-cdk-lib', 'cdk-nag', 'cdktf', 'constructs', '@cdktf/provider-vault/lib/policy'];
const CONSTRUCT_LIBRARIES = PACKAGES;
const TERRAFORM = ['cdktf', '@cdktf/provider-vault/lib/policy'];

/** What each folder may import: our folders, and the packages it must not import. */
const ARROWS: Record<string, { ours: string[]; bannedPackages: string[] }> = {
  'contract': { ours: [], bannedPackages: CONSTRUCT_LIBRARIES },
  'vault-acl': { ours: ['problems'], bannedPackages: CONSTRUCT_LIBRARIES },
  'problems': { ours: [], bannedPackages: CONSTRUCT_LIBRARIES },
  'spec': { ours: ['contract', 'vault-acl', 'problems'], bannedPackages: CONSTRUCT_LIBRARIES },
  'aws': { ours: ['spec', 'contract', 'vault-acl', 'problems'], bannedPackages: TERRAFORM },
  'vault': { ours: ['spec', 'contract', 'vault-acl', 'problems'], bannedPackages: ['aws-cdk-lib', 'cdk-nag'] },
  'nhi': { ours: ['spec', 'contract', 'vault-acl', 'problems'], bannedPackages: TERRAFORM },
  'review': { ours: ['nhi', 'spec', 'contract', 'vault-acl', 'problems'], bannedPackages: TERRAFORM },
  // The router may import types from spec (`import type`), never values.
  'runtime': { ours: ['contract'], bannedPackages: CONSTRUCT_LIBRARIES },
};

/** An ESLint that reads the project's .eslintrc.json, as `npx projen eslint` does. */
async function projectEslint(cwd: string, overrideConfig?: Linter.LegacyConfig): Promise<ESLint> {
  // The legacy (eslintrc) class, which reads .eslintrc.json as projen's eslint task does; its
  // constructor takes the legacy options, which the flat ESLint type does not describe.
  const LegacyESLint = (await loadESLint({ useFlatConfig: false })) as unknown as new (options: Record<string, unknown>) => ESLint;
  return new LegacyESLint({
    cwd,
    useEslintrc: false,
    overrideConfigFile: path.join(repo, '.eslintrc.json'),
    overrideConfig,
  });
}

/** The module each reported line of a probe imports, per rule. */
function reportedImports(result: ESLint.LintResult): Map<string, string[]> {
  const lines = fs.readFileSync(result.filePath, 'utf-8').split('\n');
  const byModule = new Map<string, string[]>();
  for (const message of result.messages) {
    if (!message.ruleId || !LAYERING_RULES.includes(message.ruleId)) continue;
    const specifier = /from '([^']+)'/.exec(lines[message.line - 1])?.[1] ?? `line ${message.line}`;
    byModule.set(specifier, [...byModule.get(specifier) ?? [], message.ruleId]);
  }
  return byModule;
}

let results: Map<string, ESLint.LintResult>;
let terraformWriter: ESLint.LintResult;

beforeAll(async () => {
  // The project's zones are written relative to the repository root (`./src/aws`); run them
  // rooted at the fixture tree instead. Every other setting, and the per-folder package bans
  // (whose file globs ESLint resolves against `cwd` for a given config file), stay the project's.
  const fromProject = await projectEslint(repo);
  const projectConfig = await fromProject.calculateConfigForFile(path.join(repo, 'src', 'aws', 'any.ts'));
  const [severity, options] = projectConfig.rules['import/no-restricted-paths'];
  const eslint = await projectEslint(fixtureRoot, {
    rules: { 'import/no-restricted-paths': [severity, { ...options, basePath: fixtureRoot }] },
  });
  const linted = await eslint.lintFiles(FOLDERS.map((folder) => path.join(fixtureRoot, 'src', folder, 'probe.ts')));
  results = new Map(linted.map((result) => [path.basename(path.dirname(result.filePath)), result]));
  [terraformWriter] = await eslint.lintFiles([path.join(fixtureRoot, 'src', 'nhi', 'terraform-nhi-acknowledgements.ts')]);
}, 120_000);

describe.each(FOLDERS)('src/%s', (folder) => {
  const arrows = ARROWS[folder];

  test.each(FOLDERS.filter((other) => other !== folder))('importing src/%s is reported exactly when the layout forbids it', (other) => {
    const reported = reportedImports(results.get(folder)!).get(`../${other}`) ?? [];
    if (arrows.ours.includes(other)) {
      expect(reported).toEqual([]);
    } else {
      expect(reported.length).toBeGreaterThan(0);
    }
  });

  test.each(PACKAGES)('importing %s is reported exactly when the folder bans it', (pkg) => {
    const reported = reportedImports(results.get(folder)!).get(pkg) ?? [];
    expect(reported).toEqual(arrows.bannedPackages.includes(pkg) ? ['@typescript-eslint/no-restricted-imports'] : []);
  });
});

describe('the router and the spec', () => {
  test('a type import from src/spec passes, a value import is reported by the type-only rule', () => {
    const reported = reportedImports(results.get('runtime')!);
    expect(reported.get('../spec/shape')).toBeUndefined();
    expect(reported.get('../spec')).toEqual(['@typescript-eslint/no-restricted-imports']);
  });
});

describe('cdktf outside src/vault', () => {
  test('only the rule pack\'s writer of acknowledgements into CDKTF apps may import it', () => {
    expect(terraformWriter.messages).toEqual([]);
    expect(reportedImports(results.get('nhi')!).get('cdktf')).toEqual(['@typescript-eslint/no-restricted-imports']);
  });
});

describe('the project configuration', () => {
  test('names every folder of src/ as a layer, so a new folder cannot escape the rules', async () => {
    const eslint = await projectEslint(repo);
    const config = await eslint.calculateConfigForFile(path.join(repo, 'src', 'aws', 'any.ts'));
    const zones: { target: string }[] = config.rules['import/no-restricted-paths'][1].zones;
    const layered = zones.map((zone) => path.basename(zone.target)).sort();
    expect(layered).toEqual([...FOLDERS].sort());
    const folders = fs.readdirSync(path.join(repo, 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.filter((name) => !layered.includes(name))).toEqual([]);
  });

  test('the probes are otherwise clean, so what is reported is the layering and nothing else', () => {
    for (const result of [...results.values(), terraformWriter]) {
      expect(result.messages.filter((message) => !LAYERING_RULES.includes(message.ruleId ?? ''))).toEqual([]);
    }
  });
});
