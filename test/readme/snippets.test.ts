import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { AwsNhiChecker, NhiFinding, VaultNhiChecker } from '../../src';

// Every TypeScript snippet of the README is code a reader copies into a file. Each one starts with
// a comment naming that file (`// aws-app.ts`); `(continued)` adds to a file named earlier. The
// test writes the files as a reader would, type-checks them together against the library's
// source, runs each one as `cdk synth` and `cdktf synth` run an app, and checks what the README
// says about the output.

const root = path.resolve(__dirname, '..', '..');
const README = path.join(root, 'README.md');

/** What running each README file must do. A new file needs an entry here. */
interface FileExpectation {
  /** The CDK cloud assembly it synthesizes holds these stacks. */
  readonly cdkStacks?: string[];
  /** The CDKTF output it synthesizes holds these stacks. */
  readonly cdktfStacks?: string[];
  /** The NHI rule pack's findings in its output, as `rule at location`. */
  readonly openFindings?: string[];
  readonly acknowledged?: string[];
}
const EXPECTED: Record<string, FileExpectation> = {
  'gateway-spec.ts': {},
  // "The example has no finding at all": nor has the README's gateway, in its own stack or in the
  // cell stack its one tenant's id picks.
  'aws-app.ts': { cdkStacks: ['acme-llm-aws', 'acme-llm-aws-cells-232'], openFindings: [], acknowledged: [] },
  'vault-app.ts': { cdktfStacks: ['acme-llm-vault'], openFindings: [], acknowledged: [] },
  // Acknowledging: each acknowledgement covers one finding, and none is left open.
  'billing-app.ts': {
    cdkStacks: ['billing'],
    openFindings: [],
    acknowledged: ['NHI-SECRET-NO-ROTATION at billing/VendorKey', 'NHI-NO-AUDIT-TRAIL at billing'],
  },
  'vault-audit-app.ts': { cdktfStacks: ['vault-audit'], openFindings: [], acknowledged: ['NHI-VAULT-AUDIT-DEVICES at vault-audit'] },
  // The organization guardrails, in the management account's own app.
  'guardrails-app.ts': { cdkStacks: ['acme-llm-guardrails'], openFindings: [], acknowledged: [] },
  // The assertions throw when they do not hold.
  'aws-app.test.ts': {},
};

interface Snippet { readonly file: string; readonly continued: boolean; readonly line: number; readonly code: string }

/** The ```ts blocks of a markdown text, each with the file its first line names. */
function readSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const problems: string[] = [];
  const fence = /^```(ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    const [first, ...rest] = match[2].split('\n');
    const header = /^\/\/ ([\w.-]+\.ts)( \(continued\))?$/.exec(first);
    if (!header) {
      problems.push(`README.md:${line}: a TypeScript snippet starts with the file it belongs to, e.g. "// aws-app.ts" or "// aws-app.ts (continued)" (got "${first}")`);
      continue;
    }
    snippets.push({ file: header[1], continued: header[2] !== undefined, line, code: rest.join('\n') });
  }
  for (const [i, snippet] of snippets.entries()) {
    const earlier = snippets.slice(0, i).some((s) => s.file === snippet.file);
    if (snippet.continued && !earlier) problems.push(`README.md:${snippet.line}: "${snippet.file} (continued)" continues no earlier snippet of ${snippet.file}`);
    if (!snippet.continued && earlier) problems.push(`README.md:${snippet.line}: ${snippet.file} already has a snippet above; mark this one "(continued)"`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return snippets;
}

/** File name -> its text: the snippets of each file, in README order. */
function filesOf(snippets: Snippet[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const snippet of snippets) {
    files.set(snippet.file, (files.get(snippet.file) ?? '') + `// README.md:${snippet.line}\n${snippet.code}\n`);
  }
  return files;
}

let work: string;
let files: Map<string, string>;

beforeAll(() => {
  files = filesOf(readSnippets(fs.readFileSync(README, 'utf-8')));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-readme-'));
  for (const [file, text] of files) fs.writeFileSync(path.join(work, file), text);
  // The app resolves its libraries as the project's own code does; `gateward` is the source.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  const shim = path.join(work, 'shim', 'gateward');
  fs.mkdirSync(shim, { recursive: true });
  fs.writeFileSync(path.join(shim, 'index.js'), `module.exports = require(${JSON.stringify(path.join(root, 'src', 'index.ts'))});\n`);
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('every snippet names its file, and every file has an expectation', () => {
  expect([...files.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
});

test('the snippets type-check as written, against the library', () => {
  const projectOptions = ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root).options;
  const program = ts.createProgram([...files.keys()].map((file) => path.join(work, file)), {
    ...projectOptions,
    rootDir: undefined,
    outDir: undefined,
    noEmit: true,
    types: ['node', 'jest'],
    typeRoots: [path.join(root, 'node_modules', '@types')],
    paths: { gateward: [path.join(root, 'src', 'index.ts')] },
  });
  const diagnostics = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && d.file.fileName.startsWith(work))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  expect(diagnostics).toEqual([]);
}, 120_000);

describe.each(Object.keys(EXPECTED))('%s', (file) => {
  test('runs, synthesizes what it claims, and the rule pack agrees with the README', () => {
    const expected = EXPECTED[file];
    const cdkOut = path.join(work, `${file}.cdk.out`);
    const cdktfOut = path.join(work, `${file}.cdktf.out`);
    run(file, cdkOut, cdktfOut);

    const findings: NhiFinding[] = [];
    if (expected.cdkStacks) {
      const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf-8'));
      const stacks = Object.entries(manifest.artifacts as Record<string, { type: string }>)
        .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack').map(([id]) => id);
      expect(stacks).toEqual(expected.cdkStacks);
      findings.push(...new AwsNhiChecker().checkCloudAssembly(cdkOut));
    }
    if (expected.cdktfStacks) {
      expect(fs.readdirSync(path.join(cdktfOut, 'stacks')).sort()).toEqual(expected.cdktfStacks);
      findings.push(...new VaultNhiChecker().checkCdktfOutput(cdktfOut));
    }
    const described = (wanted: boolean) => findings.filter((f) => f.acknowledged === wanted).map((f) => `${f.ruleId} at ${f.location}`).sort();
    if (expected.openFindings) expect(described(false)).toEqual([...expected.openFindings].sort());
    if (expected.acknowledged) expect(described(true)).toEqual([...expected.acknowledged].sort());
  }, 240_000);
});

/**
 * Runs one README file the way the CDK and CDKTF CLIs run an app: CDK_OUTDIR makes a CDK app
 * synthesize itself on exit, with the context the CDK CLI passes by default (construct paths and
 * asset metadata in the template); CDKTF_OUTDIR is where `app.synth()` writes. A `*.test.ts` file gets
 * a `test` that calls its body at once: gateward's assertions throw, so the body failing fails the
 * run; this stands in only for the test runner's scheduling.
 */
function run(file: string, cdkOut: string, cdktfOut: string): void {
  const testStandIn = path.join(work, 'test-stand-in.js');
  fs.writeFileSync(testStandIn, 'globalThis.test = (name, body) => { body(); };\n');
  const args = ['-r', require.resolve('ts-node/register/transpile-only')];
  if (file.endsWith('.test.ts')) args.push('-r', testStandIn);
  try {
    execFileSync(process.execPath, [...args, path.join(work, file)], {
      cwd: work,
      encoding: 'utf-8',
      stdio: 'pipe',
      env: {
        ...process.env,
        CDK_OUTDIR: cdkOut,
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true }),
        CDKTF_OUTDIR: cdktfOut,
        NODE_PATH: path.join(work, 'shim'),
        TS_NODE_PROJECT: path.join(root, 'tsconfig.json'),
      },
    });
  } catch (error: any) {
    throw new Error(`${file} failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  }
}
