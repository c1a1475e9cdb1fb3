import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ENGINE_SCRIPTS } from '../support/live/engines';

/** Stops the engines and prints the live suite's time. Keeps the run directory on request. */
export default async function globalTeardown(): Promise<void> {
  const live = (globalThis as any).__gatewardLive as { runDir: string; started: number; servers: Array<{ close: () => void }> } | undefined;
  if (!live) return;
  for (const server of live.servers) server.close();
  execFileSync(path.join(ENGINE_SCRIPTS, 'stop.sh'), [live.runDir], { stdio: 'inherit' });
  if (process.env.GATEWARD_LIVE_KEEP !== '1') fs.rmSync(live.runDir, { recursive: true, force: true });
  console.log(`live suite: ${((Date.now() - live.started) / 1000).toFixed(1)} s in total, engines stopped`);
}
