import { checkWithCli, fixtureCase, findingsOf as of, locationsOf as locations } from '../support/check-cli';

/** Runs `gateward check` on one side of a fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

describe('audit devices', () => {
  test('a Vault with none is reported', async () => {
    const findings = of(await checkCase('NHI-VAULT-AUDIT-DEVICES', 'single-device', 'violating'), 'NHI-VAULT-AUDIT-DEVICES');
    expect(findings.map((f) => f.severity)).toEqual(['medium']);
    expect(findings[0].message).toContain('defines no audit device');
  });

  test('a single device is a note, not a finding', async () => {
    const findings = of(await checkCase('NHI-VAULT-AUDIT-DEVICES', 'single-device', 'compliant'), 'NHI-VAULT-AUDIT-DEVICES');
    expect(findings.map((f) => f.severity)).toEqual(['info']);
    expect(findings[0].message).toContain('1 audit device of 1 type (file)');
  });
});

describe('a GitHub Actions JWT role', () => {
  test('bound only by repository claims is reported', async () => {
    const findings = of(await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'github-repository-only', 'violating'), 'NHI-VAULT-JWT-NO-AUDIENCE');
    expect(findings.map((f) => f.location)).toEqual(['vault_jwt_auth_backend_role.deploy']);
    expect(findings[0].message).toContain('bound_claims binds only repository, repository_owner');
  });

  test('bound by a ref or an environment as well is not', async () => {
    expect(of(await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'github-repository-only', 'compliant'), 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual([]);
  });
});

describe('a policy path that names a value known only at apply time', () => {
  test('leaves only that path unread: the policy\'s other grants are judged (an auth path left at its default is known)', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'unresolved-path-block', 'violating');
    expect(locations(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual(['vault_policy.ci']);
    expect(of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')[0].message).toContain('path "kv/data/*" (attached to vault_approle_auth_backend_role.ci)');
  });

  test('a policy scoped to each person\'s own userpass login, attached to no workload, is people\'s', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'unresolved-path-block', 'compliant');
    expect(of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
    expect(of(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual([]);
  });
});

describe('configuration paths are matched by the mount\'s engine', () => {
  test('a database engine\'s config and a KV mount\'s own config endpoint are reported', async () => {
    const findings = of(await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'kv-secret-named-config', 'violating'), 'NHI-VAULT-POLICY-FORBIDDEN');
    // One finding on the policy (one per rule and resource), naming both paths.
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('path "apps/config"');
    expect(findings[0].message).toContain('path "database/config/main"');
  });

  test('a KV secret named config is data', async () => {
    expect(of(await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'kv-secret-named-config', 'compliant'), 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual([]);
  });
});
