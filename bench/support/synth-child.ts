/* eslint-disable no-console */
// One measurement of bench/synth-scale.ts, in a process of its own so that its peak memory is its
// own: `node -r ts-node/register/transpile-only bench/support/synth-child.ts '<job JSON>'`. Writes
// the result as JSON to the job's `resultFile`.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { FileSystem } from 'aws-cdk-lib';
import { readAssembly } from './assembly';
import { benchContext, gatewayApp, RulePackName, withoutCloudFormationValidation } from './gateway-app';
import { rawApp } from './raw-app';
import { typedL1App } from './typed-l1-app';
import { scaleSpec, ScaleSpecOptions } from '../../test/support/scale-spec';

/** What one child process measures. */
export type SynthJob =
  | {
    readonly kind: 'gateway';
    readonly tenants: number;
    readonly outdir: string;
    readonly cfnValidation: boolean;
    readonly rulePacks: RulePackName[];
    readonly assetStaging: boolean;
    readonly resultFile: string;
    /** The tenants' shape beside their number (`scaleSpec`'s options). @default the measured shape */
    readonly shape?: Pick<ScaleSpecOptions, 'providerKeys' | 'ids'>;
  }
  | { readonly kind: 'raw' | 'typed-l1'; readonly source: string; readonly outdir: string; readonly resultFile: string };

/** What it measured, in milliseconds and kilobytes. */
export interface SynthResult {
  /** Building the construct tree (for the raw app: from the templates already in memory; for the typed-L1 app: parsing the templates' files). */
  readonly constructMs: number;
  /** `app.synth()`: preparing, resolving, writing, validating. */
  readonly synthMs: number;
  readonly totalMs: number;
  /**
   * CPU time (user and system, every thread of the process) over the same window: what the work
   * cost, without the time it waited for a CPU when the machine is shared.
   */
  readonly cpuMs: number;
  /** CPU time of `app.synth()` alone. */
  readonly synthCpuMs: number;
  /** Peak resident set size of the process (`process.resourceUsage().maxRSS`). */
  readonly maxRssKb: number;
  /** The synthesis failed (a validation error, for instance): its message, shortened. */
  readonly error?: string;
  /** When it failed on validation: the failing rules of the validation report, by plugin, with how many resources each. */
  readonly violations?: Array<{ readonly plugin: string; readonly rule: string; readonly severity: string; readonly resources: number }>;
  /** Fingerprinting the assets again after synthesis, which the raw app never does. */
  readonly assetFingerprintMs?: number;
  readonly assets?: number;
  /** Time spent before the measurement: building the spec, or reading the source assembly. */
  readonly setupMs: number;
  /** The measured window on the monotonic clock V8's CPU profiles use, in microseconds, to cut a `--cpu-prof` profile to it. */
  readonly windowUs: { readonly start: number; readonly end: number };
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

function run(job: SynthJob): SynthResult {
  fs.rmSync(job.outdir, { recursive: true, force: true });
  // ts-node maps every stack trace back to TypeScript (source-map-support), which makes each of the
  // creation stack traces CDK records cost several times what it does in compiled JavaScript.
  // Plain node is what is measured; BENCH_SOURCE_MAPS=1 keeps the mapping.
  if (process.env.BENCH_SOURCE_MAPS !== '1') delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  const setupStart = performance.now();
  const input = job.kind === 'gateway' ? scaleSpec(job.tenants, job.shape) : readAssembly(job.source);
  const windowStart = monotonicUs();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const app = job.kind === 'gateway'
    ? gatewayApp(input as ReturnType<typeof scaleSpec>, job.outdir, job)
    : (job.kind === 'raw' ? rawApp : typedL1App)(input as ReturnType<typeof readAssembly>, { outdir: job.outdir, context: benchContext(false) });
  if (job.kind !== 'gateway') withoutCloudFormationValidation(app);
  const built = performance.now();
  const cpuBuilt = process.cpuUsage(cpuStart);
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
  }
  const done = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const windowEnd = monotonicUs();
  const fingerprint = job.kind === 'gateway' && !error ? fingerprintAssets(job.outdir) : undefined;
  return {
    constructMs: built - start,
    synthMs: done - built,
    totalMs: done - start,
    cpuMs: (cpu.user + cpu.system) / 1000,
    synthCpuMs: (cpu.user + cpu.system - cpuBuilt.user - cpuBuilt.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    error,
    violations: error ? failingRules(job.outdir) : undefined,
    assetFingerprintMs: fingerprint?.ms,
    assets: fingerprint?.count,
    setupMs: start - setupStart,
    windowUs: { start: windowStart, end: windowEnd },
  };
}

/** The errors of the assembly's validation report, if it has one. */
function failingRules(outdir: string): SynthResult['violations'] {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return undefined;
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  return (report.pluginReports ?? []).flatMap((plugin: any) => (plugin.violations ?? [])
    .filter((v: any) => v.severity === 'error' || v.severity === 'fatal')
    .map((v: any) => ({ plugin: plugin.pluginName ?? '?', rule: v.ruleName, severity: v.severity, resources: (v.violatingResources ?? []).length })));
}

/** Times fingerprinting every file asset of the assembly that is not a template, as CDK does once per asset. */
function fingerprintAssets(outdir: string): { ms: number; count: number } {
  const sources = new Set<string>();
  for (const file of fs.readdirSync(outdir).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8'));
    for (const entry of Object.values((manifest.files ?? {}) as Record<string, any>)) {
      const source = entry.source?.path as string | undefined;
      if (source && !source.endsWith('.template.json')) sources.add(path.resolve(outdir, source));
    }
  }
  const start = performance.now();
  for (const source of sources) if (fs.existsSync(source)) FileSystem.fingerprint(source);
  return { ms: performance.now() - start, count: sources.size };
}

const job = JSON.parse(process.argv[2]) as SynthJob;
const result = run(job);
fs.mkdirSync(path.dirname(job.resultFile), { recursive: true });
fs.writeFileSync(job.resultFile, JSON.stringify(result));
