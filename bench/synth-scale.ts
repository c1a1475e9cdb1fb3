/* eslint-disable no-console */
// Synthesis at scale: how long the example gateway's AWS plane takes to synthesize for N tenants
// (each with two workloads, a foundation model, an inference profile, a provider key, a data store
// and a tool: test/support/scale-spec.ts), its peak memory, the ratio against an app that writes
// the same resources as raw CfnResources and as CDK's typed L1 classes, what CDK's CloudFormation validation and each rule pack
// add, every CloudFormation, IAM, API Gateway, Lambda, Verified Permissions and Organizations quota
// with its headroom, and the longest dependency chain a deployment walks.
//
//   ts-node --transpile-only --project bench/tsconfig.json bench/synth-scale.ts
//   env: BENCH_TENANTS=1,10,100,1000  BENCH_ROUNDS=3
//        BENCH_PARTS=ratio,validation,rule-packs,example,analysis,capacity (default: all but example)
//        BENCH_CPU=<cpu>  pins each measurement to one CPU with taskset ('' to not pin; default the last CPU)
//        BENCH_RULE_PACK_MAX_TENANTS=100  the rule packs run up to this many tenants (they take minutes at 100)
//        BENCH_CPU_PROF=<dir>  runs the first gateway measurement of each N under node --cpu-prof
//        BENCH_WORKDIR=<dir>  where the assemblies go (default: a new directory under the OS temp dir)
//        BENCH_SOURCE_MAPS=1  keeps ts-node's source-mapped stack traces during the measurement (off: plain node's)
//
// Every measurement runs in a fresh child process (bench/support/synth-child.ts). The assembly is
// read generically: every stack of manifest.json, nested Stage assemblies, and nested stacks.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readAssembly } from './support/assembly';
import { dependencyGraph, DependencyChain, formatChain, longestChain } from './support/dependency-graph';
import { RULE_PACKS, RulePackName } from './support/gateway-app';
import { measureQuotas, QuotaFigure } from './support/quotas';
import type { SynthJob, SynthResult } from './support/synth-child';

const ROOT = path.resolve(__dirname, '..');
const TENANTS = (process.env.BENCH_TENANTS ?? '1,10,100,1000').split(',').map((n) => Number(n.trim())).filter((n) => n > 0);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const PARTS = new Set((process.env.BENCH_PARTS ?? 'ratio,validation,rule-packs,analysis,capacity').split(',').map((p) => p.trim()));
const WORKDIR = process.env.BENCH_WORKDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-synth-scale-'));
const RESULTS = path.join(ROOT, 'bench', 'results', 'synth-scale.json');
const CPU = process.env.BENCH_CPU ?? String(os.cpus().length - 1);
const CPU_PROF = process.env.BENCH_CPU_PROF;
// cfn-guard and the NHI rule pack grow faster than linearly (minutes at 100 tenants): above this, they are skipped.
const RULE_PACK_MAX_TENANTS = Number(process.env.BENCH_RULE_PACK_MAX_TENANTS ?? 100);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const num = (n: number) => n.toLocaleString('en-US');

function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}
const PIN = CPU !== '' && hasTaskset();

/** Runs one job in a fresh node process and returns what it measured. */
function measure(job: SynthJob, profileDir?: string): SynthResult {
  const node = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    '-r', require.resolve('ts-node/register/transpile-only'),
    path.join(__dirname, 'support', 'synth-child.ts'),
    JSON.stringify(job),
  ];
  const [command, args] = PIN ? ['taskset', ['-c', CPU, process.execPath, ...node]] : [process.execPath, node];
  const child = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'bench', 'tsconfig.json') },
    encoding: 'utf-8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (!fs.existsSync(job.resultFile)) {
    throw new Error(`measurement ${JSON.stringify(job)} ended with ${child.status ?? child.signal} and no result:\n${(child.stderr ?? '').slice(-4000)}`);
  }
  const result = JSON.parse(fs.readFileSync(job.resultFile, 'utf-8')) as SynthResult;
  fs.rmSync(job.resultFile);
  return result;
}

interface TenantFigures {
  readonly tenants: number;
  readonly stacks?: number;
  readonly nestedStacks?: number;
  readonly resources?: number;
  readonly gateway: SynthResult[];
  readonly raw: SynthResult[];
  /** The same templates read back as CDK's typed L1 classes (`typed-l1-app.ts`). */
  readonly typedL1: SynthResult[];
  readonly ratios: number[];
  readonly medians: {
    gatewayMs?: number;
    rawMs?: number;
    ratio?: number;
    cpuRatio?: number;
    maxRssKb?: number;
    rawMaxRssKb?: number;
    /** Synthesis phases alone (`app.synth()`), and their ratios, each the median over the rounds. */
    gatewaySynthMs?: number;
    rawSynthMs?: number;
    typedL1SynthMs?: number;
    synthRatio?: number;
    typedL1SynthRatio?: number;
    gatewayOverTypedL1SynthRatio?: number;
    /** A typed-L1 app's ratio cannot be lower than its synthesis phase plus the raw app's construction, over the raw app. */
    typedL1FloorRatio?: number;
    /** The same ratios of CPU times, which leave out waiting for a CPU on a shared machine. */
    synthCpuRatio?: number;
    typedL1SynthCpuRatio?: number;
    gatewayOverTypedL1SynthCpuRatio?: number;
    typedL1FloorCpuRatio?: number;
  };
  readonly cfnValidation?: SynthResult & { addedMs: number };
  readonly rulePacks: Array<{ name: string; result: SynthResult; addedMs: number }>;
  readonly example?: SynthResult & { addedMs: number };
  readonly quotas?: QuotaFigure[];
  readonly chain?: DependencyChain;
  readonly dependsOnChain?: DependencyChain;
  readonly unresolvedImports?: string[];
  /** The fullest cell stack for heavier or differently named tenants (the same number of them). */
  readonly capacity?: CapacityFigure[];
  /** The machine's 1-minute load average before and after this size's measurements (the machine may be shared). */
  readonly load: [number, number];
}

/** How full the fullest stack is for one tenant shape: CloudFormation's per-stack quotas as `measureQuotas` reads them. */
interface CapacityFigure {
  readonly shape: string;
  readonly quotas?: QuotaFigure[];
  readonly error?: string;
}

// Tenants heavier than the measured shape, with ids that the cell-stack hash spreads less evenly.
const CAPACITY_SHAPES: Array<{ label: string; shape: NonNullable<Extract<SynthJob, { kind: 'gateway' }>['shape']> }> = [
  { label: 'named ids', shape: { ids: 'named' } },
  { label: 'named ids, 2 provider keys each', shape: { ids: 'named', providerKeys: 2 } },
  { label: 'named ids, 3 provider keys each', shape: { ids: 'named', providerKeys: 3 } },
];

/** The per-stack quotas a tenant's cell fills: its resources and its template's size. */
const CAPACITY_QUOTAS = ['resources per stack', 'template body per stack'];

function benchTenants(tenants: number): TenantFigures {
  const loadBefore = os.loadavg()[0];
  const dir = path.join(WORKDIR, `t${tenants}`);
  const gatewayOut = path.join(dir, 'gateway');
  const resultFile = path.join(dir, 'result.json');
  const gatewayJob = (overrides: Partial<Extract<SynthJob, { kind: 'gateway' }>> = {}): SynthJob => ({
    kind: 'gateway', tenants, outdir: gatewayOut, cfnValidation: false, rulePacks: [], assetStaging: false, resultFile, ...overrides,
  });
  const gateway: SynthResult[] = [];
  const raw: SynthResult[] = [];
  const typedL1: SynthResult[] = [];
  const ratios: number[] = [];
  // On a shared machine a measurement also waits for its CPU: the ratio of CPU times leaves that out.
  const cpuRatios: number[] = [];
  // Gateway and raw alternate, so a slower moment of the machine weighs on both.
  for (let round = 0; round < ROUNDS; round++) {
    const g = measure(gatewayJob(), round === 0 ? CPU_PROF : undefined);
    gateway.push(g);
    console.log(`  [${tenants} tenants] round ${round + 1}: gateway ${seconds(g.totalMs)} (CPU ${seconds(g.cpuMs)})${g.error ? ` FAILED: ${failure(g)}` : ''}`);
    if (round === 0 && CPU_PROF) {
      console.log(`  [${tenants} tenants] CPU profile in ${CPU_PROF}; its measured window: `
        + `bench/support/profile-summary.ts <file> 25 ${g.windowUs.start}-${g.windowUs.end}`);
    }
    if (g.error || !PARTS.has('ratio')) break;
    const r = measure({ kind: 'raw', source: gatewayOut, outdir: path.join(dir, 'raw'), resultFile });
    raw.push(r);
    if (r.error) throw new Error(`the raw app failed to synthesize: ${r.error}`);
    ratios.push(g.totalMs / r.totalMs);
    cpuRatios.push(g.cpuMs / r.cpuMs);
    console.log(`  [${tenants} tenants] round ${round + 1}: raw ${seconds(r.totalMs)} (CPU ${seconds(r.cpuMs)}), ratio ${(g.totalMs / r.totalMs).toFixed(2)} (CPU ${(g.cpuMs / r.cpuMs).toFixed(2)})`);
    const t = measure({ kind: 'typed-l1', source: gatewayOut, outdir: path.join(dir, 'typed-l1'), resultFile });
    typedL1.push(t);
    if (t.error) throw new Error(`the typed-L1 app failed to synthesize: ${t.error}`);
    console.log(`  [${tenants} tenants] round ${round + 1}: typed L1 synthesis phase ${seconds(t.synthMs)} (CPU ${seconds(t.synthCpuMs)});`
      + ` synthesis phases gateway/raw ${(g.synthMs / r.synthMs).toFixed(2)} (CPU ${(g.synthCpuMs / r.synthCpuMs).toFixed(2)}),`
      + ` typed L1/raw ${(t.synthMs / r.synthMs).toFixed(2)} (CPU ${(t.synthCpuMs / r.synthCpuMs).toFixed(2)})`);
  }
  const perRound = (f: (i: number) => number) => (typedL1.length ? median(typedL1.map((_, i) => f(i))) : undefined);
  const baseline = median(gateway.map((g) => g.totalMs));
  const medians = {
    gatewayMs: baseline,
    rawMs: raw.length ? median(raw.map((r) => r.totalMs)) : undefined,
    ratio: ratios.length ? median(ratios) : undefined,
    cpuRatio: cpuRatios.length ? median(cpuRatios) : undefined,
    maxRssKb: median(gateway.map((g) => g.maxRssKb)),
    rawMaxRssKb: raw.length ? median(raw.map((r) => r.maxRssKb)) : undefined,
    gatewaySynthMs: median(gateway.map((g) => g.synthMs)),
    rawSynthMs: raw.length ? median(raw.map((r) => r.synthMs)) : undefined,
    typedL1SynthMs: typedL1.length ? median(typedL1.map((t) => t.synthMs)) : undefined,
    synthRatio: perRound((i) => gateway[i].synthMs / raw[i].synthMs),
    typedL1SynthRatio: perRound((i) => typedL1[i].synthMs / raw[i].synthMs),
    gatewayOverTypedL1SynthRatio: perRound((i) => gateway[i].synthMs / typedL1[i].synthMs),
    typedL1FloorRatio: perRound((i) => (raw[i].constructMs + typedL1[i].synthMs) / raw[i].totalMs),
    synthCpuRatio: perRound((i) => gateway[i].synthCpuMs / raw[i].synthCpuMs),
    typedL1SynthCpuRatio: perRound((i) => typedL1[i].synthCpuMs / raw[i].synthCpuMs),
    gatewayOverTypedL1SynthCpuRatio: perRound((i) => gateway[i].synthCpuMs / typedL1[i].synthCpuMs),
    typedL1FloorCpuRatio: perRound((i) => (raw[i].cpuMs - raw[i].synthCpuMs + typedL1[i].synthCpuMs) / raw[i].cpuMs),
  };
  const figures: TenantFigures = { tenants, gateway, raw, typedL1, ratios, medians, rulePacks: [], load: [loadBefore, os.loadavg()[0]] };
  if (gateway[0].error) return figures;

  let cfnValidation: TenantFigures['cfnValidation'];
  if (PARTS.has('validation')) {
    const v = measure(gatewayJob({ cfnValidation: true, outdir: path.join(dir, 'cfn-validation') }));
    cfnValidation = { ...v, addedMs: v.totalMs - baseline };
    console.log(`  [${tenants} tenants] CloudFormation validation: ${seconds(v.totalMs)}${v.error ? ` (synth fails: ${failure(v)})` : ''}`);
  }
  const rulePacks: TenantFigures['rulePacks'] = [];
  if (PARTS.has('rule-packs') && tenants > RULE_PACK_MAX_TENANTS) {
    console.log(`  [${tenants} tenants] rule packs skipped above ${RULE_PACK_MAX_TENANTS} tenants (BENCH_RULE_PACK_MAX_TENANTS)`);
  } else if (PARTS.has('rule-packs')) {
    for (const name of Object.keys(RULE_PACKS) as RulePackName[]) {
      const p = measure(gatewayJob({ rulePacks: [name], outdir: path.join(dir, 'rule-pack') }));
      rulePacks.push({ name, result: p, addedMs: p.totalMs - baseline });
      console.log(`  [${tenants} tenants] ${name}: ${seconds(p.totalMs)}${p.error ? ` (synth fails: ${failure(p)})` : ''}`);
    }
  }
  let example: TenantFigures['example'];
  if (PARTS.has('example') && tenants <= RULE_PACK_MAX_TENANTS) {
    const e = measure(gatewayJob({ cfnValidation: true, rulePacks: Object.keys(RULE_PACKS) as RulePackName[], assetStaging: true, outdir: path.join(dir, 'example') }));
    example = { ...e, addedMs: e.totalMs - baseline };
    console.log(`  [${tenants} tenants] as createAwsApp runs it: ${seconds(e.totalMs)}${e.error ? ` (synth fails: ${failure(e)})` : ''}`);
  }

  let analysis: Partial<TenantFigures> = {};
  if (PARTS.has('analysis')) {
    const model = readAssembly(gatewayOut);
    const graph = dependencyGraph(model);
    analysis = {
      stacks: model.stacks.length,
      nestedStacks: model.stacks.filter((s) => s.parent).length,
      resources: model.stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0),
      quotas: measureQuotas(model),
      chain: longestChain(graph),
      dependsOnChain: longestChain(graph, new Set(['DependsOn'])),
      unresolvedImports: graph.unresolvedImports,
    };
  }
  let capacity: CapacityFigure[] | undefined;
  if (PARTS.has('capacity')) {
    capacity = CAPACITY_SHAPES.map(({ label, shape }, i) => {
      const outdir = path.join(dir, `capacity-${i}`);
      const result = measure(gatewayJob({ shape, outdir }));
      if (result.error) return { shape: label, error: failure(result) };
      return { shape: label, quotas: measureQuotas(readAssembly(outdir)).filter((q) => q.service === 'CloudFormation' && CAPACITY_QUOTAS.includes(q.quota)) };
    });
  }
  return { ...figures, cfnValidation, rulePacks, example, ...analysis, capacity, load: [loadBefore, os.loadavg()[0]] };
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim())?.trim().slice(0, 200) ?? '';
}

/** Why a measurement failed: the failing rules of its validation report, or the first line of its error. */
function failure(result: SynthResult): string {
  if (result.violations?.length) {
    const rules = result.violations.map((v) => (v.resources > 0 ? `${v.rule} (${v.resources} resource${v.resources === 1 ? '' : 's'})` : v.rule));
    return `${result.violations.length} failing rule${result.violations.length === 1 ? '' : 's'}: ${rules.slice(0, 4).join(', ')}${rules.length > 4 ? ', ...' : ''}`;
  }
  return firstLine(result.error ?? '');
}

function report(f: TenantFigures, previous?: TenantFigures): void {
  console.log(`\n${num(f.tenants)} tenant${f.tenants === 1 ? '' : 's'}${f.stacks !== undefined ? `: ${num(f.resources!)} resources in ${f.stacks} stacks (${f.nestedStacks} nested)` : ''}`
    + `  [load average ${f.load[0].toFixed(1)} -> ${f.load[1].toFixed(1)} on ${os.cpus().length} CPUs]`);
  const g = f.gateway[0];
  if (g.error) {
    console.log(`  synthesis FAILED after ${seconds(g.totalMs)}: ${failure(g)}\n    ${firstLine(g.error!)}`);
    return;
  }
  const m = f.medians;
  const marginal = previous?.medians.gatewayMs !== undefined && !previous.gateway[0].error
    ? ` (${((m.gatewayMs! - previous.medians.gatewayMs) / (f.tenants - previous.tenants)).toFixed(1)} ms per tenant added since ${num(previous.tenants)})` : '';
  console.log(`  synthesis (CloudFormation validation and rule packs off), median of ${f.gateway.length}: ${seconds(m.gatewayMs!)}`
    + ` = construct ${seconds(median(f.gateway.map((r) => r.constructMs)))} + synth ${seconds(median(f.gateway.map((r) => r.synthMs)))}; peak RSS ${mb(m.maxRssKb!)}`);
  console.log(`  time per tenant: ${(m.gatewayMs! / f.tenants).toFixed(1)} ms${marginal}`);
  if (m.ratio !== undefined) {
    console.log(`  same resources as raw CfnResources: ${seconds(m.rawMs!)} (peak RSS ${mb(m.rawMaxRssKb!)}); ratio gateway/raw, median of ${f.ratios.length}: ${m.ratio.toFixed(2)}`
      + `  [${f.ratios.map((r) => r.toFixed(2)).join(', ')}]; ratio of CPU times: ${m.cpuRatio!.toFixed(2)}`);
    if (m.typedL1SynthRatio !== undefined) {
      console.log(`  synthesis phase alone (app.synth()): gateway ${seconds(m.gatewaySynthMs!)}, raw ${seconds(m.rawSynthMs!)}, the same templates as CDK's typed L1 classes`
        + ` (cloudformation-include) ${seconds(m.typedL1SynthMs!)}; ratios gateway/raw ${m.synthRatio!.toFixed(2)}, typed L1/raw ${m.typedL1SynthRatio.toFixed(2)},`
        + ` gateway/typed L1 ${m.gatewayOverTypedL1SynthRatio!.toFixed(2)}; of CPU times ${m.synthCpuRatio!.toFixed(2)}, ${m.typedL1SynthCpuRatio!.toFixed(2)}, ${m.gatewayOverTypedL1SynthCpuRatio!.toFixed(2)}`);
      console.log(`    an app of typed L1s cannot be below ${m.typedL1FloorRatio!.toFixed(2)}x the raw app (CPU ${m.typedL1FloorCpuRatio!.toFixed(2)}x): its synthesis phase plus the raw app's construction, over the raw app`);
    }
    const fp = median(f.gateway.map((r) => r.assetFingerprintMs ?? 0));
    console.log(`    both with asset staging off; left in the gateway's time: fingerprinting its ${g.assets ?? 0} file asset(s), about ${seconds(fp)} (timed again after synth)`);
  }
  if (f.cfnValidation) {
    const v = f.cfnValidation;
    // F1101: the validator refuses a template over 10 MB before it evaluates any rule.
    const refused = v.violations?.some((x) => x.rule === 'F1101') ? ' (it refused the template as over 10 MB, evaluating no rule)' : '';
    console.log(`  CDK CloudFormation validation (@aws-cdk/core:validateAgainstDefaultRules on): ${seconds(v.totalMs)}, adds ${seconds(v.addedMs)}`
      + ` (${(v.addedMs / m.gatewayMs! * 100).toFixed(0)}% of synthesis); peak RSS ${mb(v.maxRssKb)}${v.error ? `; synth fails: ${failure(v)}` : ''}${refused}`);
  }
  if (PARTS.has('rule-packs') && f.rulePacks.length === 0) console.log(`  rule packs: not run above ${RULE_PACK_MAX_TENANTS} tenants (BENCH_RULE_PACK_MAX_TENANTS)`);
  for (const p of f.rulePacks) {
    console.log(`  rule pack ${p.name}: adds ${seconds(p.addedMs)} (${(p.addedMs / m.gatewayMs! * 100).toFixed(0)}%); peak RSS ${mb(p.result.maxRssKb)}${p.result.error ? `; synth fails: ${failure(p.result)}` : ''}`);
  }
  if (f.example) {
    console.log(`  as createAwsApp runs it (validation, all four packs, asset staging): ${seconds(f.example.totalMs)}${f.example.error ? `; synth fails: ${failure(f.example)}` : ''}`);
  }
  if (f.quotas) {
    console.log('  quotas: the worst of each (headroom = limit - worst; "~" marks values with references whose length was guessed at 150 characters)');
    for (const q of f.quotas) {
      if (!q.worst) {
        console.log(`    ${`${q.service}: ${q.quota}`.padEnd(74)} none measured`);
        continue;
      }
      const flag = q.overCount > 0 ? `  OVER LIMIT (${q.overCount} of ${q.measured})` : '';
      const where = q.worst.value === 0 ? `(all ${q.measured} are 0)` : q.worst.where;
      const guessed = q.worst.guesses ? '~' : ' ';
      console.log(`    ${`${q.service}: ${q.quota}`.padEnd(74)} ${guessed}${num(q.worst.value).padStart(9)} / ${num(q.limit).padEnd(9)} headroom ${num(q.headroom!).padStart(9)}${flag}  ${where}`);
    }
  }
  for (const c of f.capacity ?? []) {
    const figures = (c.quotas ?? []).map((q) => `${q.quota} ${num(q.worst?.value ?? 0)} / ${num(q.limit)}${q.overCount > 0 ? ' OVER LIMIT' : ''} (${q.worst?.where ?? 'none'})`);
    console.log(`  capacity, ${c.shape}: ${c.error ? `synth fails: ${c.error}` : figures.join('; ')}`);
  }
  if (f.chain) {
    console.log(`  longest dependency chain (DependsOn, Ref, GetAtt, Sub, ImportValue, nested stacks, stack dependencies): ${num(f.chain.length)} resources`);
    console.log(`    ${formatChain(f.chain)}`);
    console.log(`  longest chain of DependsOn alone: ${num(f.dependsOnChain!.length)} resources`);
    if (f.chain.cycles.length) console.log(`  cycles (edges left out): ${f.chain.cycles.slice(0, 3).join('; ')}`);
    if (f.unresolvedImports?.length) console.log(`  imports no stack of the assembly exports: ${f.unresolvedImports.slice(0, 3).join('; ')}`);
  }
}

function summary(all: TenantFigures[]): void {
  console.log('\nsummary');
  console.log('  tenants  stacks  resources  synthesis  per tenant  peak RSS   raw      ratio  typed-L1 floor  +CFN validation  worst stack  longest chain');
  for (const f of all) {
    const m = f.medians;
    const failed = f.gateway[0].error ? 'FAILED' : undefined;
    const worstStack = f.quotas?.find((q) => q.quota === 'resources per stack')?.worst?.value;
    console.log(`  ${num(f.tenants).padStart(7)}  ${String(f.stacks ?? '-').padStart(6)}  ${num(f.resources ?? 0).padStart(9)}  ${(failed ?? seconds(m.gatewayMs!)).padStart(9)}`
      + `  ${failed ? '' : `${(m.gatewayMs! / f.tenants).toFixed(0)} ms`.padStart(10)}  ${failed ? '' : mb(m.maxRssKb!).padStart(8)}`
      + `  ${m.rawMs !== undefined ? seconds(m.rawMs).padStart(7) : '      -'}  ${m.ratio !== undefined ? m.ratio.toFixed(2).padStart(5) : '    -'}`
      + `  ${m.typedL1FloorRatio !== undefined ? m.typedL1FloorRatio.toFixed(2).padStart(14) : '             -'}`
      + `  ${f.cfnValidation ? `${f.cfnValidation.addedMs >= 0 ? '+' : ''}${seconds(f.cfnValidation.addedMs)}`.padStart(15) : '              -'}  ${String(worstStack ?? '-').padStart(11)}  ${String(f.chain?.length ?? '-').padStart(13)}`);
  }
}

function commit(): string | undefined {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf-8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'examples'], { cwd: ROOT, encoding: 'utf-8' });
  if (git.status !== 0) return process.env.BENCH_COMMIT;
  return `${git.stdout.trim()}${dirty.stdout.trim() ? ' (with uncommitted changes in src/ or examples/)' : ''}`;
}

function main(): void {
  console.log(`gateward synthesis at scale: tenants ${TENANTS.join(', ')}; ${ROUNDS} round(s); node ${process.version}; ${os.cpus()[0]?.model ?? 'cpu'}`
    + `${PIN ? `; each measurement pinned to CPU ${CPU}` : ''}; assemblies in ${WORKDIR}`);
  const all: TenantFigures[] = [];
  for (const tenants of TENANTS) {
    const figures = benchTenants(tenants);
    report(figures, all[all.length - 1]);
    all.push(figures);
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, `${JSON.stringify({ generatedAt: new Date().toISOString(), commit: commit(), node: process.version, rounds: ROUNDS, results: all }, undefined, 2)}\n`);
  }
  summary(all);
  console.log(`\nfigures written to ${path.relative(process.cwd(), RESULTS)}`);
}

main();
