import * as fs from 'fs';
import { loadEngines, rootVault, runDir } from '../support/live/engines';
import { loadState, secretVariables } from '../support/live/live-world';
import { PlaneApplier } from '../support/live/plane-applier';

// Item 1: the example's Vault plane applies to OpenBao, a second plan is empty, and the
// protected resources refuse destruction.
const engines = loadEngines();
const state = loadState(runDir());
const config = JSON.parse(fs.readFileSync(state.tfJsonFile, 'utf-8'));
const vault = rootVault(engines);

test('the plane applied, and every resource reads back as configured (a second plan is empty)', async () => {
  expect(state.driftAfterApply).toEqual([]);
  const applier = new PlaneApplier(config, { ...state.variables, ...secretVariables(runDir(), state) });
  expect(applier.resources.length).toBe(Object.values(config.resource as Record<string, object>).reduce((n,
    byName) => n + Object.keys(byName).length, 0));
  expect(await applier.plan(vault)).toEqual([]);
});

test('the server holds what the plane names: mounts, auth methods, policies and audit devices', async () => {
  const mounts = (await vault.read('sys/mounts')).body.data;
  expect(Object.keys(mounts)).toEqual(expect.arrayContaining(['acme-llm/support/aws/', 'acme-llm/research/aws/', 'acme-llm/support/database/']));
  expect(mounts['acme-llm/support/aws/'].type).toBe('aws');
  const auth = (await vault.read('sys/auth')).body.data;
  expect(auth['acme-llm/aws/'].type).toBe('aws');
  expect(Object.entries(auth).filter(([p]) => p.startsWith('acme-llm/jwt-')).map(([, m]: [string, any]) => m.type)).toEqual(['jwt']);
  const policies = (await vault.request('LIST', 'sys/policies/acl')).body.data.keys;
  expect(policies).toEqual(expect.arrayContaining(['acme-llm-support-router', 'acme-llm-research-router', 'acme-llm-workload-ticket-summarizer']));
  expect(policies).not.toContain('acme-llm-router');
});

test('drift on the server shows in the next plan', async () => {
  const applier = new PlaneApplier(config, { ...state.variables, ...secretVariables(runDir(), state) });
  const role = 'acme-llm/support/aws/roles/models';
  const before = (await vault.read(role)).body.data;
  await vault.write(role, { ...before, default_sts_ttl: 1800 });
  try {
    expect(await applier.plan(vault)).toEqual([expect.objectContaining({ field: 'default_sts_ttl', want: 900, have: 1800 })]);
  } finally {
    await vault.write(role, { ...before });
  }
  expect(await applier.plan(vault)).toEqual([]);
});

test('destroying the plane is refused for the protected resources: both audit devices', () => {
  const applier = new PlaneApplier(config, { ...state.variables, ...secretVariables(runDir(), state) });
  expect(applier.destroyRefusals().sort()).toEqual(Object.keys(config.resource.vault_audit).map((n) => `vault_audit.${n}`).sort());
});
