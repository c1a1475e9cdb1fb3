import * as fs from 'fs';
import { loadEngines, rootVault, runDir, seenSecrets } from '../support/live/engines';
import { loadState } from '../support/live/live-world';

// Item 7: both audit devices are on; after the suite (this file runs last), the file device's
// log holds none of the secret values the suite saw.
const engines = loadEngines();
const state = loadState(runDir());
const vault = rootVault(engines);

test('both audit devices are enabled, with the plane\'s options', async () => {
  const devices = (await vault.read('sys/audit')).body.data;
  expect(Object.keys(devices).sort()).toEqual(['acme-llm-file/', 'acme-llm-socket/']);
  expect(devices['acme-llm-file/']).toMatchObject({ type: 'file', options: { file_path: state.auditFile, hmac_accessor: 'false' } });
  expect(devices['acme-llm-socket/']).toMatchObject({ type: 'socket', options: { socket_type: 'unix', address: expect.any(String) } });
  // Both write inside this run's directory, never into the server paths the plane defaults to.
  for (const device of [devices['acme-llm-file/'].options.file_path, devices['acme-llm-socket/'].options.address]) {
    expect(device.startsWith(`${runDir()}/audit/`)).toBe(true);
  }
  expect(fs.existsSync(state.auditFile)).toBe(true);
});

test('the audit logs record the suite\'s requests and contain no secret value the suite saw', () => {
  const fileLog = fs.readFileSync(state.auditFile, 'utf-8');
  const socketLog = fs.readFileSync(state.socketAuditFile, 'utf-8');
  expect(fileLog.split('\n').filter(Boolean).length).toBeGreaterThan(20);
  expect(fileLog).toContain('auth/acme-llm/aws/login');
  expect(socketLog).toContain('auth/acme-llm/aws/login');
  const secrets = seenSecrets();
  expect(secrets.length).toBeGreaterThan(10);
  const leaked = secrets.filter((s) => fileLog.includes(s) || socketLog.includes(s));
  expect(leaked.map((s) => `${s.slice(0, 4)}… (${s.length} chars)`)).toEqual([]);
});
