import { readPolicyRules } from '../../src/vault-acl/policy-text';
import { rulesOfHcl } from '../support/hcl';
import { synthesizeVaultPlane } from '../support/vault-example';

// The checker reads policies synchronously; HashiCorp's HCL parser is the reference it must agree
// with. The parser returns paths as map keys, in sorted order, so both sides are compared sorted.
const byPath = <T extends { path: string }>(rules: T[]) => [...rules].sort((a, b) => a.path.localeCompare(b.path));
const agreeing = async (hcl: string) => {
  const reference = byPath((await rulesOfHcl(hcl)).map((r) => ({ path: r.path, capabilities: r.capabilities })));
  expect(byPath((readPolicyRules(hcl) ?? []).map((r) => ({ path: r.path, capabilities: r.capabilities })))).toEqual(reference);
  return reference;
};

test('reads every policy of the example\'s Vault plane as HashiCorp\'s parser does', async () => {
  const policies = Object.values(synthesizeVaultPlane().resources('vault_policy')) as Array<{ policy: string }>;
  expect(policies.length).toBeGreaterThanOrEqual(2);
  for (const { policy } of policies) expect((await agreeing(policy)).length).toBeGreaterThan(0);
});

test('reads comments, parameters with braces, several blocks and escaped quotes as HashiCorp\'s parser does', async () => {
  const hcl = [
    '# header comment with path "not/a/rule" {',
    'path "aws/creds/models" {',
    '  capabilities = ["read"] // trailing comment',
    '  allowed_parameters = {',
    '    "ttl" = ["900"]',
    '  }',
    '}',
    '/* block comment',
    'path "sys/mounts" { capabilities = ["sudo"] }',
    '*/',
    'path "kv/data/app/+/config" { capabilities = ["read", "list"] }',
    'path "kv/data/\\"quoted\\"" {',
    '  capabilities = []',
    '}',
  ].join('\n');
  expect(await agreeing(hcl)).toEqual([
    { path: 'aws/creds/models', capabilities: ['read'] },
    { path: 'kv/data/"quoted"', capabilities: [] },
    { path: 'kv/data/app/+/config', capabilities: ['read', 'list'] },
  ]);
});

test('reads the JSON form of a policy', () => {
  expect(readPolicyRules(JSON.stringify({ path: { 'aws/creds/r': { capabilities: ['read'] }, 'db/creds/+': [{ capabilities: ['read', 'list'] }] } }))).toEqual([
    { path: 'aws/creds/r', capabilities: ['read'] },
    { path: 'db/creds/+', capabilities: ['read', 'list'] },
  ]);
});

test('declines what it cannot judge: text computed at apply time, and unbalanced blocks', () => {
  expect(readPolicyRules('${data.vault_policy_document.p.hcl}')).toBeUndefined();
  expect(readPolicyRules('path "aws/creds/r" {\n  capabilities = ["read"]\n')).toBeUndefined();
  expect(readPolicyRules('{ not json')).toBeUndefined();
});
