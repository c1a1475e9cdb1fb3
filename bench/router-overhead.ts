import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { constants } from 'perf_hooks';
import { Worker } from 'worker_threads';
import { buildSync } from 'esbuild';
import type { Run, WorkerInput, WorkerOutput } from './support/router-worker';

// The router's own overhead per request: parsing, caller resolution, authorization and the
// credential path, excluding the model call. The router runs against the loopback services the
// end-to-end tests use (Cedar evaluates the policy store's policies; Vault checks signatures and
// policies), so the figures are the router's code path plus loopback HTTP; a real policy store
// and Vault add their network round trips to the first two.
//
// What the figures count, and why:
// - The router runs in a worker thread, with its own event loop and heap, as in a Lambda
//   execution environment that holds the router and nothing else. The stand-in services (Cedar,
//   the IAM simulator, and the synthesized planes they are built from) run in the main thread, so
//   neither their work nor their garbage collection is counted as the router's.
// - Each request is timed from outside, around `handle`, so the identity-chain record's
//   serialization, redaction and write are counted; the record's `latencyMs.total` stops before them.
// - The time taken off as the policy store's is the time the router waited for it: each
//   IsAuthorized call, from the SDK handing over its body to the answer's arrival.
// - The stand-ins keep idle connections open, as the real endpoints do. With the tests' 1 ms
//   keep-alive, every call would open a new connection.
// - Warm-up requests (JIT, SDK code loaded on first use) are not counted.
// - Deadlines run on real timers, as in Lambda, not on the timers the tests move by hand.
// - The concurrent run has one router serve several requests at once, as a container would; a
//   Lambda execution environment serves one at a time.
// - The tails move with the machine's load (other processes take the CPUs mid-request), so the
//   load average is printed with the figures; compare runs taken at a low one.

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
/** An inline image of this many KiB in every request (0: text only), to see what the body's size costs. */
const IMAGE_KIB = Number(process.env.BENCH_IMAGE_KIB ?? 0);
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const image = { image: { format: 'png', source: { bytes: Buffer.alloc(IMAGE_KIB * 1024, 7).toString('base64') } } };
const body = {
  modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  messages: [{ role: 'user', content: [{ text: 'Summarize ticket 42' }, ...(IMAGE_KIB > 0 ? [image] : [])] }],
};

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const percentile = (ascending: number[], p: number) => ascending[Math.min(ascending.length - 1, Math.floor((p / 100) * ascending.length))];
const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(10);

function row(label: string, values: number[]): string {
  const ascending = sorted(values);
  return `    ${label.padEnd(34)}${String(values.length).padStart(6)}${[50, 95, 99, 100].map((p) => ms(percentile(ascending, p))).join('')}`;
}

function report(title: string, run: Run, requests: number): void {
  const s = run.samples;
  const own = s.map((x) => x.wall - x.model - x.policyStoreWait);
  const authorizeOwn = s.map((x) => x.authorize - x.policyStoreWait);
  console.log(`  ${title}: ${(requests / run.seconds).toFixed(0)} req/s with the loopback model call`);
  console.log(row('overhead (model call excluded)', s.map((x) => x.wall - x.model)));
  console.log(row('  waiting for the policy store', s.map((x) => x.policyStoreWait)));
  console.log(row('the router\'s own share', own));
  console.log(row('  authorize (less the wait)', authorizeOwn));
  console.log(row('  credentials (cached)', s.map((x) => x.credentials)));
  console.log(row('  other (checks, record, log)', s.map((x, i) => own[i] - authorizeOwn[i] - x.credentials)));
  const pauses = (kind: number, name: string) => {
    const of = sorted(run.gcPauses.filter((p) => p.kind === kind).map((p) => p.ms));
    return `${of.length} ${name}${of.length ? ` (longest ${of[of.length - 1].toFixed(2)} ms, ${of.reduce((a, b) => a + b, 0).toFixed(1)} ms in all)` : ''}`;
  };
  const { NODE_PERFORMANCE_GC_MINOR: minor, NODE_PERFORMANCE_GC_MAJOR: major, NODE_PERFORMANCE_GC_INCREMENTAL: incremental } = constants;
  console.log(`    GC pauses in the router's thread: ${pauses(minor, 'minor')}, ${pauses(major, 'major')}, ${pauses(incremental, 'incremental marking')}`);
}

/**
 * The worker as one minified file with every dependency inside, built the way the router's
 * Lambda asset is (.projenrc.ts), so the measured thread runs the code a cell deploys.
 */
function bundleWorker(): string {
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-bench-router-')), 'worker.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'support', 'router-worker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    minify: true,
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the worker must not hold the synthesized planes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GatewayWorld } = require('../test/support/runtime/gateway-world') as typeof import('../test/support/runtime/gateway-world');
  const world = await GatewayWorld.start(undefined, undefined, { serverKeepAliveMs: 60_000 });
  try {
    const event = world.event(SUPPORT_BOT, body);
    const tenant = world.blueprint.workloads.find((w) => w.roleArn === SUPPORT_BOT)!.tenantId;
    const input: WorkerInput = { wiring: world.routerWiring(tenant), event, requests: REQUESTS, concurrency: CONCURRENCY, warmup: WARMUP };
    const loadBefore = os.loadavg()[0];
    const worker = new Worker(bundleWorker(), { workerData: input });
    const output = await new Promise<WorkerOutput>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the benchmark's worker exited (${code}) without its figures`)));
    });
    await worker.terminate();

    const store = sorted(world.aws.policyStoreTimesMs.slice(1 + WARMUP, 1 + WARMUP + REQUESTS));
    const load = `load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after, on ${os.cpus().length} CPUs`;
    console.log('gateward router overhead per request (authorization + credential path, model call excluded)');
    console.log(`  node ${process.version}; ${load}`);
    console.log(`  ${WARMUP} warm-up requests not counted; ${REQUESTS} requests sequential, then ${REQUESTS} at concurrency ${CONCURRENCY}; `
      + `request body ${(JSON.stringify(body).length / 1024).toFixed(1)} KiB`);
    console.log('  the router in its own thread; the loopback services in another, keeping connections alive');
    console.log(`  the router thread runs the router bundled as its Lambda asset is; its heap in use: ${output.heapMiB.toFixed(0)} MiB`);
    console.log(`  first request (Vault login and credential read): ${output.firstMs.toFixed(2)} ms`);
    console.log(`  the policy store's own time (signature check and Cedar, in the service's thread) p50 ${percentile(store, 50).toFixed(2)} ms`);
    console.log(`    ${''.padEnd(34)}${'n'.padStart(6)}${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(10)).join('')}`);
    report('sequential', output.sequential, REQUESTS);
    report(`concurrency ${CONCURRENCY}`, output.concurrent, REQUESTS);
    // The figures issue 14 measured before the router and this benchmark were changed, for comparison.
    console.log('  before (measured when the work began, one request at a time, old harness): overhead p50 6.8 ms, p99 77 ms; '
      + 'the router\'s own share p50 2.2 ms, p99 28 ms; target: own share p99 under 5 ms warm');
  } finally {
    await world.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
