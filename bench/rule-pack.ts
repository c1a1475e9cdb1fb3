/* eslint-disable no-console */
// Measures the NHI rule pack on the labelled public corpus in test/fixtures/corpus: runs the
// gateward CLI on every target in its original form, matches each finding to the hand-written
// labels (same target, same resource, a category the rule maps to) and prints precision and
// recall per plane, beside the recall of cdk-nag's AwsSolutions pack (on CloudFormation
// templates, through a CfnInclude app) and of checkov (from PyPI) on the same labels.
// gateward's informational findings (severity `info`: context, not NHI problems) are listed
// apart and count neither in precision nor in recall.
//
//   npx ts-node --transpile-only bench/rule-pack.ts [--verbose] [--json <file>]
//       [--only <target>,...] [--no-cdk-nag] [--no-checkov] [--cli "<command>"]
//
// The CLI runs as a child process (by default the TypeScript source through ts-node), so a
// target it cannot read is a miss with the CLI's own message, never a crash of the benchmark.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');
const CHECKOV_VERSION = '3.3.30';

type Plane = 'aws' | 'vault';

interface Label {
  readonly id: string;
  readonly resource: string;
  readonly alsoMatches?: string[];
  readonly file: string;
  readonly category: string;
  readonly reason: string;
}

interface Target {
  readonly name: string;
  readonly plane: Plane;
  readonly inputs: string[];
  readonly labels: Label[];
  readonly dir: string;
  /** Labelled before the rule pack was run on it or its rules were read (see BLIND.md). */
  readonly blind: boolean;
}

interface CategoryMap {
  readonly categories: string[];
  readonly gateward: Record<string, string[]>;
  readonly cdkNag: Record<string, string[]>;
  readonly checkov: Record<string, string[]>;
}

/** A finding of any engine, reduced to what matching needs. */
interface EngineFinding {
  readonly rule: string;
  /** Resource names the finding may stand for (location, logical id, address). */
  readonly resources: string[];
  readonly file?: string;
  readonly message?: string;
  /** True for secret scans (checkov `CKV_SECRET_*`), which name a file, not a resource: they match by file. */
  readonly byFile?: boolean;
  /** True when the finding is about the whole stack or configuration, not one resource. */
  readonly wholeInput?: boolean;
}

interface EngineRun {
  readonly findings: EngineFinding[];
  /** gateward's informational findings, scored apart: they claim no problem. */
  readonly notes?: EngineFinding[];
  /** Why (part of) the target was not read; empty when it was read whole. */
  readonly notRead: string[];
}

interface Scored {
  readonly findings: Array<EngineFinding & { readonly labels: string[]; readonly categories: string[] }>;
  readonly found: Set<string>;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function loadTargets(): Target[] {
  const only = option('--only')?.split(',');
  return fs.readdirSync(CORPUS)
    .filter((name) => fs.existsSync(path.join(CORPUS, name, 'labels.json')))
    .filter((name) => !only || only.includes(name))
    .sort()
    .map((name) => {
      const doc = JSON.parse(fs.readFileSync(path.join(CORPUS, name, 'labels.json'), 'utf-8'));
      return { name, plane: doc.plane, inputs: doc.inputs, labels: doc.labels, dir: path.join(CORPUS, name, 'input'), blind: doc.blind === true };
    });
}

const categoryMap: CategoryMap = JSON.parse(fs.readFileSync(path.join(CORPUS, 'category-map.json'), 'utf-8'));

/** The categories an engine's rule id stands for; `CKV_SECRET_*`-style keys match by prefix. */
function categoriesOf(table: Record<string, string[]>, rule: string): string[] {
  if (table[rule]) return table[rule];
  const prefix = Object.keys(table).find((key) => key.endsWith('*') && rule.startsWith(key.slice(0, -1)));
  return prefix ? table[prefix] : [];
}

// --- Resource names --------------------------------------------------------------------------

/** Terraform addresses are compared without the module path (findings may or may not carry it). */
const withoutModules = (address: string) => address.replace(/^(module\.[^.[\]]+(\[[^\]]*\])?\.)+/, '');
const withoutIndexes = (address: string) => address.replace(/\[[^\]]*\]/g, '');
const hasIndex = (address: string) => /\[[^\]]*\]/.test(address);

/**
 * Same resource: equal addresses, or equal without `[...]` indexes when one side names the
 * resource block without an index (it stands for every instance). Two different instances
 * (`x["a"]`, `x["b"]`) are different resources.
 */
function sameResource(a: string, b: string): boolean {
  const x = withoutModules(a);
  const y = withoutModules(b);
  return x === y || ((!hasIndex(x) || !hasIndex(y)) && withoutIndexes(x) === withoutIndexes(y));
}

function labelNames(label: Label): string[] {
  return [label.resource, ...(label.alsoMatches ?? [])];
}

/** CDK construct paths (as gateward reports them) to logical ids, from the target's JSON templates. */
function constructPaths(dir: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const file of walk(dir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(file, 'utf-8'));
    for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
      const cdkPath = resource?.Metadata?.['aws:cdk:path'];
      if (typeof cdkPath === 'string') paths.set(cdkPath.replace(/(\/(Resource|Default))+$/, ''), logicalId);
    }
  }
  return paths;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  if (fs.statSync(dir).isFile()) return [dir];
  return fs.readdirSync(dir).flatMap((entry) => walk(path.join(dir, entry)));
}

const relative = (target: Target, file: string | undefined) =>
  file === undefined ? undefined : path.relative(target.dir, path.isAbsolute(file) ? file : path.join(target.dir, file)).split(path.sep).join('/');

// --- Matching ------------------------------------------------------------------------------------

function score(target: Target, run: EngineRun, table: Record<string, string[]>): Scored {
  const found = new Set<string>();
  const findings = run.findings.map((finding) => {
    const categories = categoriesOf(table, finding.rule);
    // A finding about the whole stack or configuration stands for it.
    const names = [...finding.resources, ...(finding.wholeInput ? ['(configuration)'] : [])];
    // Only secret scans match by file; every other finding must name the label's resource.
    const labels = target.labels.filter((label) => categories.includes(label.category)
      && (finding.byFile ? finding.file !== undefined && finding.file === label.file
        : labelNames(label).some((l) => names.some((n) => sameResource(l, n)))));
    labels.forEach((label) => found.add(label.id));
    return { ...finding, labels: labels.map((l) => l.id), categories };
  });
  return { findings, found };
}

// --- gateward ------------------------------------------------------------------------------------

function runGateward(target: Target): EngineRun {
  const command = option('--cli')?.split(' ') ?? [process.execPath, '-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'review', 'cli.ts')];
  const check = (inputs: string[]) => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-bench-')), 'findings.json');
    const result = spawnSync(command[0], [...command.slice(1), 'check', ...inputs.map((i) => path.join(target.dir, i)), '--json', out], {
      cwd: ROOT, encoding: 'utf-8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') }, maxBuffer: 64 * 1024 * 1024,
    });
    const readable = (result.status === 0 || result.status === 1) && fs.existsSync(out);
    const findings = readable ? JSON.parse(fs.readFileSync(out, 'utf-8')).findings ?? [] : [];
    const reason = (result.stderr || result.stdout || String(result.error ?? '')).split('\n').find((line) => line.trim() !== '') ?? `exit ${result.status}`;
    return { readable, findings, reason: `${reason.trim()} (exit ${result.status})` };
  };
  const paths = constructPaths(target.dir);
  const logicalIds = templateLogicalIds(target.dir);
  const toFinding = (f: any): EngineFinding => ({
    rule: f.ruleId,
    resources: [f.location, ...(paths.has(f.location) ? [paths.get(f.location)!] : [])].filter((r) => typeof r === 'string'),
    file: relative(target, f.file),
    message: f.message,
    wholeInput: typeof f.location === 'string' && isWholeInput(f.location, logicalIds),
  });
  const split = (raw: any[]) => ({
    findings: raw.filter((f) => f.severity !== 'info').map(toFinding),
    notes: raw.filter((f) => f.severity === 'info').map(toFinding),
  });
  const whole = check(target.inputs);
  if (whole.readable) return { ...split(whole.findings), notRead: [] };
  // One unreadable path fails the whole command; read the others one by one so they still count.
  const findings: EngineFinding[] = [];
  const notes: EngineFinding[] = [];
  const notRead: string[] = [];
  for (const input of target.inputs) {
    const single = target.inputs.length > 1 ? check([input]) : whole;
    if (single.readable) {
      const parts = split(single.findings);
      findings.push(...parts.findings);
      notes.push(...parts.notes);
    } else {
      notRead.push(`${input}: ${single.reason}`);
    }
  }
  return { findings, notes, notRead };
}

/** A Terraform resource address (`module.m.aws_iam_role.r`, `data.x_y.z`), which names one resource. */
const TERRAFORM_ADDRESS = /^(module\.[^.]+\.)*(data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[^.]+/;

/**
 * gateward places a finding about a whole stack or Terraform configuration on the stack's or the
 * configuration's name: no construct path, no Terraform address, no logical id of the target.
 */
function isWholeInput(location: string, logicalIds: Set<string>): boolean {
  return !location.includes('/') && !TERRAFORM_ADDRESS.test(location) && !logicalIds.has(location);
}

/** The logical ids of the target's CloudFormation templates, JSON or YAML (top-level keys under Resources). */
function templateLogicalIds(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const file of walk(dir).filter((f) => /\.(json|ya?ml|template)$/.test(f))) {
    const text = fs.readFileSync(file, 'utf-8');
    if (!/"Resources"\s*:|^Resources:/m.test(text)) continue;
    try {
      for (const id of Object.keys(JSON.parse(text).Resources ?? {})) ids.add(id);
    } catch {
      const body = text.split(/^Resources:\s*$/m)[1] ?? '';
      for (const match of body.matchAll(/^ {2}([A-Za-z0-9]+):/gm)) ids.add(match[1]);
    }
  }
  return ids;
}

// --- cdk-nag (AwsSolutions) on CloudFormation through CfnInclude --------------------------------

/** The CloudFormation templates among a target's inputs (a cloud assembly's templates included). */
function cloudFormationTemplates(target: Target): string[] {
  return target.inputs.flatMap((input) => walk(path.join(target.dir, input)))
    .filter((file) => {
      if (file.endsWith('.template.json')) return true;
      if (!/\.(ya?ml|json|template)$/.test(file) || /manifest\.json$|tree\.json$|\.assets\.json$|\.metadata\.json$/.test(file)) return false;
      const text = fs.readFileSync(file, 'utf-8');
      return /AWSTemplateFormatVersion|^Resources:|"Resources"\s*:/m.test(text);
    });
}

function runCdkNag(target: Target): EngineRun {
  const templates = cloudFormationTemplates(target);
  if (templates.length === 0) return { findings: [], notRead: ['no CloudFormation template (cdk-nag reads CloudFormation only)'] };
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const cfnInclude = require('aws-cdk-lib/cloudformation-include') as typeof import('aws-cdk-lib/cloudformation-include');
  const nag = require('cdk-nag') as typeof import('cdk-nag');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const findings: EngineFinding[] = [];
  const notRead: string[] = [];
  for (const [i, template] of templates.entries()) {
    try {
      const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-bench-nag-')) });
      const stack = new cdk.Stack(app, `Target${i}`);
      new cfnInclude.CfnInclude(stack, 'Template', { templateFile: template });
      // The pack walks the construct tree itself; nothing is synthesized.
      const report = new nag.AwsSolutionsChecks().validateScope(stack);
      for (const violation of report.violations) {
        for (const resource of violation.violatingResources) {
          const logicalId = resource.resourceLogicalId ?? resource.constructPath?.split('/').pop() ?? '';
          findings.push({ rule: violation.ruleName, resources: [logicalId], file: relative(target, template), message: violation.description });
        }
      }
      fs.rmSync(app.outdir, { recursive: true, force: true });
    } catch (error) {
      notRead.push(`${relative(target, template)}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { findings, notRead };
}

// --- checkov (PyPI) ------------------------------------------------------------------------------

function checkovBinary(): string {
  const cache = process.env.GATEWARD_ENGINES_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'gateward-engines');
  const venv = path.join(cache, `venv-checkov-${CHECKOV_VERSION}`);
  const bin = path.join(venv, 'bin', 'checkov');
  if (!fs.existsSync(bin)) {
    console.error(`Installing checkov ${CHECKOV_VERSION} from PyPI into ${venv} ...`);
    fs.mkdirSync(cache, { recursive: true });
    const made = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    const pip = made.status === 0 ? spawnSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', `checkov==${CHECKOV_VERSION}`], { stdio: 'inherit' }) : made;
    if (pip.status !== 0) throw new Error(`could not install checkov ${CHECKOV_VERSION} into ${venv}`);
  }
  return bin;
}

function runCheckov(target: Target, bin: string): EngineRun {
  const findings: EngineFinding[] = [];
  const notRead: string[] = [];
  for (const input of target.inputs) {
    const full = path.join(target.dir, input);
    const where = fs.statSync(full).isDirectory() ? ['-d', full] : ['-f', full];
    const result = spawnSync(bin, [...where, '--framework', 'cloudformation', 'terraform', 'secrets', '-o', 'json', '--quiet', '--compact',
      '--skip-download', '--download-external-modules', 'false'], { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' } });
    let reports: any[];
    try {
      const parsed = JSON.parse(result.stdout);
      reports = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      notRead.push(`${input}: ${(result.stderr || result.stdout).split('\n').find((l) => l.trim()) ?? `exit ${result.status}`}`);
      continue;
    }
    for (const report of reports) {
      for (const check of report?.results?.failed_checks ?? []) {
        const resource = String(check.resource ?? '');
        // CloudFormation resources come as "AWS::Type.LogicalId".
        const name = resource.startsWith('AWS::') ? resource.slice(resource.lastIndexOf('.') + 1) : resource;
        const file = String(check.file_abs_path ?? path.join(full, check.file_path ?? ''));
        findings.push({ rule: check.check_id, resources: [name], file: relative(target, file), message: check.check_name, byFile: String(check.check_id).startsWith('CKV_SECRET_') });
      }
    }
  }
  return { findings, notRead };
}

// --- Report ----------------------------------------------------------------------------------------

const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${Math.round((100 * part) / whole)} %`);

function main(): void {
  const targets = loadTargets();
  const planes: Plane[] = ['aws', 'vault'];
  const useNag = !flag('--no-cdk-nag');
  const useCheckov = !flag('--no-checkov');
  const checkov = useCheckov ? checkovBinary() : undefined;
  const perTarget = targets.map((target) => {
    const gateward = runGateward(target);
    const nag = useNag && target.plane === 'aws' ? runCdkNag(target) : undefined;
    const ckv = checkov ? runCheckov(target, checkov) : undefined;
    console.error(`  ${target.name}: gateward ${gateward.findings.length} findings${gateward.notRead.length ? ' (not read whole)' : ''}`);
    return {
      target,
      gateward,
      gatewardScore: score(target, gateward, categoryMap.gateward),
      notesScore: score(target, { findings: gateward.notes ?? [], notRead: [] }, categoryMap.gateward),
      nag,
      nagScore: nag && score(target, nag, categoryMap.cdkNag),
      ckv,
      ckvScore: ckv && score(target, ckv, categoryMap.checkov),
    };
  });

  console.log('\nNHI rule pack on the labelled public corpus (test/fixtures/corpus)');
  // Blind targets were labelled before the rule pack met them; the others were labelled first
  // too, but rules were written after reading their labels. Each group is printed apart.
  const groups: Array<[string, string, typeof perTarget]> = [
    ['all', 'every target', perTarget],
    ['known', 'targets whose labels were read while rules were written', perTarget.filter((r) => !r.target.blind)],
    ['blind', 'targets labelled blind (BLIND.md)', perTarget.filter((r) => r.target.blind)],
  ];
  const summary: Record<string, unknown> = {};
  for (const [group, title, members] of groups) {
    if (members.length === 0 || (group !== 'all' && members.length === perTarget.length)) continue;
    console.log(`\n${title}\n`);
    console.log('plane  targets  labels  findings  true pos.  precision  recall          cdk-nag recall   checkov recall');
    const noteLines: string[] = [];
    const planeSummary: Record<string, unknown> = {};
    for (const plane of planes) {
      const rows = members.filter((r) => r.target.plane === plane);
      const labels = rows.reduce((n, r) => n + r.target.labels.length, 0);
      const findings = rows.reduce((n, r) => n + r.gatewardScore.findings.length, 0);
      const truePositives = rows.reduce((n, r) => n + r.gatewardScore.findings.filter((f) => f.labels.length > 0).length, 0);
      const found = rows.reduce((n, r) => n + r.gatewardScore.found.size, 0);
      const nagFound = rows.reduce((n, r) => n + (r.nagScore?.found.size ?? 0), 0);
      const ckvFound = rows.reduce((n, r) => n + (r.ckvScore?.found.size ?? 0), 0);
      const nagCell = useNag ? `${nagFound}/${labels} (${pct(nagFound, labels)})` : 'skipped';
      const ckvCell = useCheckov ? `${ckvFound}/${labels} (${pct(ckvFound, labels)})` : 'skipped';
      const notes = rows.reduce((n, r) => n + r.notesScore.findings.length, 0);
      const notesOnLabels = rows.reduce((n, r) => n + r.notesScore.findings.filter((f) => f.labels.length > 0).length, 0);
      console.log(`${plane.padEnd(7)}${String(rows.length).padEnd(9)}${String(labels).padEnd(8)}${String(findings).padEnd(10)}${String(truePositives).padEnd(11)}`
        + `${pct(truePositives, findings).padEnd(11)}${`${found}/${labels} (${pct(found, labels)})`.padEnd(16)}${nagCell.padEnd(17)}${ckvCell}`);
      const counts = { targets: rows.length, labels, findings, truePositives, labelsFound: found };
      const engines = { cdkNagLabelsFound: nagFound, checkovLabelsFound: ckvFound };
      planeSummary[plane] = { ...counts, ...engines, notes, notesOnLabels };
      noteLines.push(`${plane.padEnd(7)}${notes} notes (informational findings, not counted above), `
        + `${notesOnLabels} of them on a labelled problem`);
    }
    console.log('');
    for (const line of noteLines) console.log(line);
    summary[group] = planeSummary;
  }

  console.log('\nper target           (gateward: findings / true pos. / labels found; cdk-nag and checkov: labels found)');
  for (const r of perTarget) {
    const g = r.gatewardScore;
    console.log(`  ${`${r.target.name}${r.target.blind ? ' (blind)' : ''}`.padEnd(42)} ${String(g.findings.length).padStart(3)} ${String(g.findings.filter((f) => f.labels.length).length).padStart(3)} `
      + `${`${g.found.size}/${r.target.labels.length}`.padStart(6)}   cdk-nag ${r.nagScore ? `${r.nagScore.found.size}/${r.target.labels.length}` : '-'}   checkov ${r.ckvScore ? `${r.ckvScore.found.size}/${r.target.labels.length}` : '-'}`);
  }

  const unread = perTarget.filter((r) => r.gateward.notRead.length > 0);
  if (unread.length > 0) {
    console.log('\nNot read by the gateward CLI (their labels count as misses):');
    for (const r of unread) for (const why of r.gateward.notRead) console.log(`  ${r.target.name}: ${why}`);
  }
  for (const [engine, key] of [['cdk-nag', 'nag'], ['checkov', 'ckv']] as const) {
    const misses = perTarget.filter((r) => (r[key]?.notRead.length ?? 0) > 0);
    if (misses.length > 0) {
      console.log(`\nNot read by ${engine}:`);
      for (const r of misses) for (const why of r[key]!.notRead) console.log(`  ${r.target.name}: ${why}`);
    }
  }
  const unmapped = [...new Set(perTarget.flatMap((r) => r.gatewardScore.findings.filter((f) => f.categories.length === 0).map((f) => f.rule)))];
  if (unmapped.length > 0) console.log(`\nRule ids with no category in category-map.json (their findings count as false positives): ${unmapped.join(', ')}`);

  if (flag('--verbose')) {
    for (const r of perTarget) {
      const g = r.gatewardScore;
      const missed = r.target.labels.filter((l) => !g.found.has(l.id));
      const falsePositives = g.findings.filter((f) => f.labels.length === 0);
      if (missed.length + falsePositives.length + r.notesScore.findings.length === 0) continue;
      console.log(`\n${r.target.name}`);
      for (const l of missed) console.log(`  missed  ${l.id} ${l.category} ${l.resource}`);
      for (const f of falsePositives) console.log(`  no label  ${f.rule} ${f.resources.join(' | ')}: ${(f.message ?? '').slice(0, 140)}`);
      for (const f of r.notesScore.findings) console.log(`  note  ${f.rule} ${f.resources.join(' | ')}${f.labels.length ? ` (on ${f.labels.join(', ')})` : ''}`);
    }
  }

  const out = option('--json');
  if (out) {
    fs.writeFileSync(out, `${JSON.stringify({
      summary,
      targets: perTarget.map((r) => ({
        target: r.target.name,
        plane: r.target.plane,
        blind: r.target.blind,
        notRead: r.gateward.notRead,
        findings: r.gatewardScore.findings,
        notes: r.notesScore.findings,
        labelsFound: [...r.gatewardScore.found],
        cdkNag: r.nagScore && { notRead: r.nag!.notRead, labelsFound: [...r.nagScore.found] },
        checkov: r.ckvScore && { notRead: r.ckv!.notRead, labelsFound: [...r.ckvScore.found] },
      })),
    }, undefined, 2)}\n`);
  }
}

main();
