import { checkWithCli, fixtureCase, locationsOf as locations } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

const broad = ['NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB'];

describe('sudo where Vault protects nothing with it', () => {
  test('in a KV mount\'s tree it unlocks nothing', async () => {
    expect(locations(await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'sudo-in-kv-tree', 'compliant'), 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual([]);
  });

  test('on another engine\'s path it is still refused', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'sudo-in-kv-tree', 'violating');
    expect(locations(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual(['vault_policy.app']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN')!.message).toContain('grants sudo');
  });
});

describe('the caller\'s own view in every child namespace', () => {
  test('+/sys/capabilities-self reaches no one else\'s', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'namespaced-self-view', 'compliant');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([]);
  });

  test('every child namespace\'s secrets still cover whole mounts', async () => {
    expect(locations(await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'namespaced-self-view', 'violating'), 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual(['vault_policy.app']);
  });
});

describe('a policy that writes policies and what attaches them', () => {
  test('attached to no role, it is judged: its holder can give itself any policy', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'grants-itself', 'violating');
    expect(locations(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual(['vault_policy.user_admin']);
  });

  test('the same paths split between two operators\' policies, each one part of Vault, are not', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'grants-itself', 'compliant');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([]);
  });
});
