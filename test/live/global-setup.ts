import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENGINE_SCRIPTS, RUN_DIR_VARIABLE } from '../support/live/engines';
import { setUpWorld } from '../support/live/live-world';

/**
 * Starts the engines once for the whole live suite (scripts/engines/start.sh), then bootstraps
 * them and applies the example's Vault plane. Stops everything again when any step fails.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-live-'));
  process.env[RUN_DIR_VARIABLE] = runDir;
  (globalThis as any).__gatewardLive = { runDir, started, servers: [] };
  try {
    execFileSync(path.join(ENGINE_SCRIPTS, 'start.sh'), [runDir], { stdio: ['ignore', 'inherit', 'inherit'] });
    const { state, servers } = await setUpWorld(runDir);
    (globalThis as any).__gatewardLive.servers = servers;
    console.log(`live: engines up and the Vault plane applied in ${((Date.now() - started) / 1000).toFixed(1)} s (apply ${state.applySeconds.toFixed(1)} s); run directory ${runDir}`);
  } catch (error) {
    execFileSync(path.join(ENGINE_SCRIPTS, 'stop.sh'), [runDir], { stdio: 'inherit' });
    // The run directory holds this run's secrets; kept only on request, as after a passing run.
    if (process.env.GATEWARD_LIVE_KEEP !== '1') fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}
