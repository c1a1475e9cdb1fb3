import { ClientRequest } from 'http';
import { performance, PerformanceObserver } from 'perf_hooks';
import * as v8 from 'v8';
import { isMainThread, parentPort, workerData } from 'worker_threads';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createRouter } from '../../src/runtime/router';
import type { RouterWiring } from '../../test/support/runtime/gateway-world';

// The benchmark's worker: the router alone in a thread, built as `createRouter` builds it in
// Lambda, driven request by request. bench/router-overhead.ts bundles this file with esbuild as
// the router's Lambda asset is bundled (minified, every dependency inside), so the thread holds
// the router's code and nothing else: no TypeScript compiler and no test support in its heap.

/** What the worker is given. */
export interface WorkerInput {
  readonly wiring: RouterWiring;
  readonly event: APIGatewayProxyEvent;
  readonly requests: number;
  readonly concurrency: number;
  readonly warmup: number;
}

/** One measured request, in ms. */
export interface Sample {
  readonly wall: number;
  readonly model: number;
  readonly authorize: number;
  readonly credentials: number;
  /** Time the router waited for the policy store's answers (the union of its IsAuthorized calls). */
  readonly policyStoreWait: number;
}

/** One run (sequential or concurrent) as the worker measured it. */
export interface Run {
  readonly samples: Sample[];
  readonly seconds: number;
  /** Garbage-collection pauses of the router's thread during the run (V8's kind, and ms). */
  readonly gcPauses: Array<{ kind: number; ms: number }>;
}

export interface WorkerOutput {
  readonly firstMs: number;
  /** The router thread's heap in use after the runs, in MiB. */
  readonly heapMiB: number;
  readonly sequential: Run;
  readonly concurrent: Run;
}

/** The union length of time intervals. */
function covered(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of sorted) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/** The worker: builds the cell's router, as `createRouter` does in Lambda, and drives it. */
async function measure(input: WorkerInput): Promise<WorkerOutput> {
  const { wiring } = input;
  const lines: string[] = [];
  // Sub-millisecond wall time, so the record's latencies are precise enough to subtract.
  const clock = () => performance.timeOrigin + performance.now();
  const router = createRouter(wiring.settings, {
    endpoints: wiring.endpoints,
    credentials: async () => wiring.credentials,
    clock,
    logLine: (line) => lines.push(line),
    providerCa: wiring.providerCa,
  });

  // The policy store's part of each request, as the router waits for it: each IsAuthorized call,
  // from the SDK handing over its body to the answer's arrival, attributed by the request id the
  // body carries. Not from the socket write: writing the request wakes the services' thread, which
  // can take the CPU from the router's before the router notes the time, so a later mark would
  // count the store's work as the router's. Not AsyncLocalStorage: its promise hooks would add to
  // every promise the router makes.
  const waits = new Map<string, Array<[number, number]>>();
  const end = ClientRequest.prototype.end as (this: ClientRequest, ...args: unknown[]) => ClientRequest;
  ClientRequest.prototype.end = function (this: ClientRequest, ...args: unknown[]) {
    const requestId = args[0] !== undefined && typeof args[0] !== 'function' && this.getHeader('x-amz-target') === 'VerifiedPermissions.IsAuthorized'
      ? /"requestId":\{"string":"([^"]+)"/.exec(String(args[0]))?.[1] : undefined;
    if (requestId !== undefined) {
      const sent = performance.now();
      this.once('response', () => {
        if (!waits.has(requestId)) waits.set(requestId, []);
        waits.get(requestId)!.push([sent, performance.now()]);
      });
    }
    return end.apply(this, args);
  } as ClientRequest['end'];

  let gcPauses: Array<{ kind: number; ms: number }> = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.push({ kind: (entry as unknown as { detail: { kind: number } }).detail.kind, ms: entry.duration });
    }
  });
  gc.observe({ entryTypes: ['gc'] });

  const walls = new Map<string, number>();
  let counter = 0;
  const call = async (label: string) => {
    const requestId = `bench-${label}-${counter++}`;
    const event = { ...input.event, requestContext: { ...input.event.requestContext, requestId } };
    const started = performance.now();
    const result = await router.handle(event);
    const wall = performance.now() - started;
    if (result.statusCode !== 200) throw new Error(`request failed: ${result.body}`);
    walls.set(requestId, wall);
    return wall;
  };
  // Records are read after a run, so parsing them is not in the figures.
  const collect = (label: string): Sample[] => {
    const records = lines.splice(0).map((line) => JSON.parse(line)).filter((r) => r.requestId.startsWith(`bench-${label}-`));
    return records.map((r) => {
      const wait = waits.get(r.requestId);
      if (!wait) throw new Error(`no policy-store call was seen for ${r.requestId}`);
      const { model, authorize, credentials } = r.latencyMs;
      return { wall: walls.get(r.requestId)!, model, authorize, credentials, policyStoreWait: covered(wait) };
    });
  };

  // The first request logs in to Vault and reads credentials; later ones reuse them.
  const firstMs = await call('first');
  for (let i = 0; i < input.warmup; i++) await call('warmup');
  collect('none');

  const run = async (label: string, concurrency: number): Promise<Run> => {
    gcPauses = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < input.requests) await call(label);
    }));
    const seconds = (performance.now() - started) / 1000;
    // GC entries are delivered asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
    return { samples: collect(label), seconds, gcPauses };
  };
  const sequential = await run('sequential', 1);
  const concurrent = await run('concurrent', input.concurrency);
  gc.disconnect();
  return { firstMs, heapMiB: v8.getHeapStatistics().used_heap_size / 2 ** 20, sequential, concurrent };
}

if (!isMainThread) {
  measure(workerData as WorkerInput).then((output) => parentPort!.postMessage(output), (error) => {
    throw error;
  });
}
