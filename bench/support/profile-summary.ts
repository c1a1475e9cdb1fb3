/* eslint-disable no-console */
// Summarizes a V8 CPU profile (`node --cpu-prof`, as `BENCH_CPU_PROF=<dir>` of bench/synth-scale.ts
// writes it): the functions with the most self time, and the functions of gateward's src/ and of
// aws-cdk-lib with the most inclusive time (time with everything they call), in seconds.
//
//   ts-node --transpile-only --project bench/tsconfig.json bench/support/profile-summary.ts <file.cpuprofile> [top] [<start µs>-<end µs>]
//
// The window (bench/results/synth-scale.json has it for the profiled measurement, as `windowUs`)
// keeps only the samples of the measurement: module loading and compilation before it are left out.
import * as fs from 'fs';
import * as path from 'path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** One function's share of the profile. */
export interface FunctionCost {
  readonly name: string;
  /** Where it is: a path relative to the repository, `aws-cdk-lib/...`, `node:...` or `(native)`. */
  readonly where: string;
  readonly selfMs: number;
  /** Time with everything it calls, counted once per sample however often it recurses. */
  readonly totalMs: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: FunctionCost[];
}

/** Self and inclusive time of every function of a profile, optionally of the samples in a window only (µs, the profile's clock). */
export function summarizeProfile(profile: CpuProfile, root: string, window?: { start: number; end: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'}|${where(node.callFrame.url, root)}|${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.start || at > window.end)) continue;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000; // the delta after a sample is the time it stands for
    totalMs += ms;
    let node = byId.get(profile.samples[i]);
    if (!node) continue;
    const leaf = keyOf(node);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const seen = new Set<string>();
    while (node) {
      const key = keyOf(node);
      if (!seen.has(key)) {
        seen.add(key);
        total.set(key, (total.get(key) ?? 0) + ms);
      }
      const up = parent.get(node.id);
      node = up === undefined ? undefined : byId.get(up);
    }
  }
  const functions = [...total.keys()].map((key) => {
    const [name, place] = key.split('|');
    return { name, where: place, selfMs: self.get(key) ?? 0, totalMs: total.get(key) ?? 0 };
  });
  return { totalMs, functions };
}

function where(url: string, root: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url;
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) return file.slice(modules + '/node_modules/'.length);
  return path.relative(root, file);
}

function main(): void {
  const [file, topArg, windowArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top] [<start µs>-<end µs>]');
  const top = Number(topArg ?? 25);
  const root = path.resolve(__dirname, '..', '..');
  const profile = JSON.parse(fs.readFileSync(file, 'utf-8')) as CpuProfile;
  const [start, end] = (windowArg ?? '').split('-').map(Number);
  const window = windowArg ? { start, end } : undefined;
  if (window && (window.start < profile.startTime || window.end > profile.endTime)) {
    console.log(`note: the window ${window.start}-${window.end} is not inside the profile's ${profile.startTime}-${profile.endTime}`);
  }
  const summary = summarizeProfile(profile, root, window);
  const s = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
  const line = (f: FunctionCost) => `  ${s(f.selfMs)} self ${s(f.totalMs)} total  ${f.name}  ${f.where}`;
  const ignored = (f: FunctionCost) => f.name === '(root)' || f.name === '(program)' || f.name === '(idle)';
  console.log(`profile ${path.basename(file)}: ${s(summary.totalMs)} sampled${window ? ' in the measured window' : ''}`);
  console.log(`\ntop ${top} by self time`);
  for (const f of summary.functions.filter((g) => !ignored(g)).sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(line(f));
  const group = (label: string, match: (f: FunctionCost) => boolean) => {
    console.log(`\ntop ${top} by total time in ${label}`);
    for (const f of summary.functions.filter(match).sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) console.log(line(f));
  };
  console.log(`\ntop ${top} by self time in src/`);
  for (const f of summary.functions.filter((g) => g.where.startsWith('src/')).sort((x, y) => y.selfMs - x.selfMs).slice(0, top)) console.log(line(f));
  group('src/', (f) => f.where.startsWith('src/'));
  group('aws-cdk-lib', (f) => f.where.startsWith('aws-cdk-lib/'));
  const byPackage = new Map<string, number>();
  for (const f of summary.functions) {
    const pkg = f.where.startsWith('src/') ? f.where.split('/').slice(0, 2).join('/')
      : f.where.startsWith('aws-cdk-lib/') ? f.where.split('/').slice(0, 2).join('/')
        : f.where.includes('/') ? f.where.split('/')[0] : f.where;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + f.selfMs);
  }
  console.log('\nself time by place');
  for (const [pkg, ms] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${s(ms)}  ${pkg}`);
}

if (require.main === module) main();
