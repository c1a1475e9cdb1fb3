import { performance } from 'perf_hooks';
import { GatewayWorld } from '../test/support/runtime/gateway-world';

// The router's own overhead per request: parsing, caller resolution, authorization and the
// credential path, excluding the model call. The router runs in-process against the loopback
// services the end-to-end tests use (Cedar evaluates the policy store's policies; Vault checks
// signatures and policies), so the figures are the router's code path plus loopback HTTP; a real
// policy store and Vault add their network round trips to the first two.

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const body = { modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', messages: [{ role: 'user', content: [{ text: 'Summarize ticket 42' }] }] };

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const percentile = (ascending: number[], p: number) => ascending[Math.min(ascending.length - 1, Math.floor((p / 100) * ascending.length))];
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  const world = await GatewayWorld.start();
  world.clock.running = true;
  try {
    const call = async () => {
      const result = await world.router.handle(world.event(SUPPORT_BOT, body));
      if (result.statusCode !== 200) throw new Error(`request failed: ${result.body}`);
    };
    // The first request logs in to Vault and reads credentials; later ones reuse them.
    await call();
    const first = world.records()[0];

    const started = performance.now();
    for (let i = 0; i < REQUESTS; i++) await call();
    const sequentialSeconds = (performance.now() - started) / 1000;

    const concurrentStart = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) await call();
    }));
    const concurrentSeconds = (performance.now() - concurrentStart) / 1000;

    const records = world.records().slice(1, REQUESTS + 1);
    const service = world.aws.policyStoreTimesMs.slice(1, REQUESTS + 1);
    const own = sorted(records.map((r, i) => r.latencyMs.total - (r.latencyMs.model ?? 0) - service[i]));
    const overhead = sorted(records.map((r) => r.latencyMs.total - (r.latencyMs.model ?? 0)));
    const authorize = sorted(records.map((r) => r.latencyMs.authorize));
    const credentials = sorted(records.map((r) => r.latencyMs.credentials));

    console.log('gateward router overhead (authorization + credential path, model call excluded)');
    console.log(`  requests: ${REQUESTS} sequential, then ${REQUESTS} at concurrency ${CONCURRENCY}; node ${process.version}`);
    console.log(`  first request (Vault login and credential read): ${ms(first.latencyMs.total - first.latencyMs.model)}`);
    console.log(`  overhead per request   p50 ${ms(percentile(overhead, 50))}   p99 ${ms(percentile(overhead, 99))}`);
    console.log(`    authorization        p50 ${ms(percentile(authorize, 50))}   p99 ${ms(percentile(authorize, 99))}`
      + `   (of which the loopback policy store's Cedar evaluation p50 ${ms(percentile(sorted(service), 50))})`);
    console.log(`    credentials (cached) p50 ${ms(percentile(credentials, 50))}   p99 ${ms(percentile(credentials, 99))}`);
    console.log(`  the router's own share (loopback service time removed) p50 ${ms(percentile(own, 50))}   p99 ${ms(percentile(own, 99))}`);
    console.log(`  throughput (with the loopback model call): ${(REQUESTS / sequentialSeconds).toFixed(0)} req/s sequential, `
      + `${(REQUESTS / concurrentSeconds).toFixed(0)} req/s at concurrency ${CONCURRENCY}`);
  } finally {
    await world.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
