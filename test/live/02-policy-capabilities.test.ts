import * as fs from 'fs';
import { VaultCapability, VaultPolicyDocument, VaultPolicyMatcher } from '../../src';
import { readPolicyRules } from '../../src/vault-acl/policy-text';
import { loadEngines, rememberSecrets, rootVault, runDir } from '../support/live/engines';
import { loadState } from '../support/live/live-world';

// Item 2: every generated policy, written into OpenBao, yields exactly the capabilities the
// plane claims: the server's sys/capabilities answer equals VaultPolicyMatcher's for each path.
const engines = loadEngines();
const state = loadState(runDir());
const config = JSON.parse(fs.readFileSync(state.tfJsonFile, 'utf-8'));
const vault = rootVault(engines);
const planePolicies = Object.values(config.resource.vault_policy as Record<string, { name: string; policy: string }>);

/** The matcher's answer in the server's words: no capability is `deny`. */
function matcherAnswer(docs: VaultPolicyDocument[], path: string): string[] {
  const caps = new VaultPolicyMatcher(docs).capabilitiesAt(path);
  return caps.length === 0 ? ['deny'] : [...caps].sort();
}

async function tokenWith(policies: string[]): Promise<string> {
  const token = (await vault.write('auth/token/create', { policies, no_default_policy: true, ttl: '10m' })).auth.client_token;
  rememberSecrets(token);
  return token;
}

// Paths around every credential path of the plane: the path itself, its parent and children,
// a sibling role, the other tenant's mount, and the engine's configuration.
const credentialPaths = planePolicies.flatMap((p) => readPolicyRules(p.policy)!.map((r) => r.path));
const probes = [...new Set(credentialPaths.flatMap((p) => {
  const parent = p.slice(0, p.lastIndexOf('/'));
  return [p, parent, `${p}/x`, `${p}x`, `${parent}/other`, p.replace('/support/', '/research/'), p.replace('/research/', '/support/'),
    p.replace(/\/creds\/.*/, '/config/root'), p.replace(/\/creds\/.*/, '/roles/' + p.split('/').pop()), p.replace(/\/creds\//, '/sts/')];
})), 'sys/policies/acl/acme-llm-support-router', 'sys/policies/acl/acme-llm-research-router', 'auth/token/create', 'sys/mounts', 'acme-llm', 'acme-llm/'];

test.each(planePolicies.map((p) => [p.name, p]))('policy %s: the server and the matcher agree on every probed path', async (_name, policy) => {
  const doc = VaultPolicyDocument.forAnalysis(policy.name, readPolicyRules(policy.policy)!);
  const server = await vault.capabilities(await tokenWith([policy.name]), probes);
  const matcher = Object.fromEntries(probes.map((p) => [p, matcherAnswer([doc], p)]));
  expect(server).toEqual(matcher);
  // The policy grants something: read on its own credential paths, and nothing beside them.
  for (const rule of doc.rules) expect(server[rule.path]).toEqual(['read']);
});

// The plane's own policies are exact paths only; these typed policies cover what the matcher
// must also get right: globs, `+` segments, deny beating allow, LIST, and priority between them.
const extra = [
  VaultPolicyDocument.forAnalysis('live-glob', [
    { path: 'acme-llm/support/aws/creds/*', capabilities: [VaultCapability.READ] },
    { path: 'acme-llm/support/aws/creds/models-*', capabilities: [VaultCapability.READ, VaultCapability.UPDATE] },
  ]),
  VaultPolicyDocument.forAnalysis('live-plus', [
    { path: 'acme-llm/+/aws/creds/models', capabilities: [VaultCapability.READ] },
    { path: 'acme-llm/+/database/*', capabilities: [VaultCapability.READ, VaultCapability.LIST] },
  ]),
  VaultPolicyDocument.forAnalysis('live-deny', [
    { path: 'acme-llm/research/*', capabilities: [VaultCapability.READ, VaultCapability.LIST] },
    { path: 'acme-llm/research/aws/creds/key-openai', capabilities: [VaultCapability.DENY] },
    { path: 'acme-llm/research/aws/*', capabilities: [VaultCapability.DENY] },
    { path: 'acme-llm/research/aws/creds/+', capabilities: [VaultCapability.READ] },
  ]),
  VaultPolicyDocument.forAnalysis('live-list', [
    { path: 'acme-llm/support/database/roles', capabilities: [VaultCapability.LIST] },
    { path: 'acme-llm/support/database/roles/', capabilities: [VaultCapability.LIST, VaultCapability.READ] },
  ]),
];
const extraProbes = [
  'acme-llm/support/aws/creds/models', 'acme-llm/support/aws/creds/models-eu', 'acme-llm/support/aws/creds/', 'acme-llm/support/aws/creds',
  'acme-llm/research/aws/creds/models', 'acme-llm/other/aws/creds/models', 'acme-llm/a/b/aws/creds/models', 'acme-llm/support/database/creds/kb-vectors',
  'acme-llm/research/database/roles', 'acme-llm/research/aws/creds/key-openai', 'acme-llm/research/aws/config/root', 'acme-llm/research/x',
  'acme-llm/research/aws/creds/a/b', 'acme-llm/support/database/roles', 'acme-llm/support/database/roles/', 'acme-llm/support/database/roles/kb',
];

test.each(extra.map((d) => [d.name, d]))('typed policy %s: the server and the matcher agree', async (_name, doc) => {
  await vault.write(`sys/policies/acl/${doc.name}`, { policy: doc.toHcl() }, 'PUT');
  const server = await vault.capabilities(await tokenWith([doc.name]), extraProbes);
  expect(server).toEqual(Object.fromEntries(extraProbes.map((p) => [p, matcherAnswer([doc], p)])));
});

test('a token holding all of them: the server and the matcher agree on the merged policies', async () => {
  const docs = [...extra, ...planePolicies.map((p) => VaultPolicyDocument.forAnalysis(p.name, readPolicyRules(p.policy)!))];
  const all = [...new Set([...probes, ...extraProbes])];
  const server = await vault.capabilities(await tokenWith(docs.map((d) => d.name)), all);
  expect(server).toEqual(Object.fromEntries(all.map((p) => [p, matcherAnswer(docs, p)])));
});
