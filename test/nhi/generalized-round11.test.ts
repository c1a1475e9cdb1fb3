import { checkWithCli, fixtureCase, findingsOf as of, locationsOf as locations } from '../support/check-cli';

/** Runs `gateward check` on one side of a fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

describe('an engine credential fed by an input declared with default = null', () => {
  test('is in state when the engine cannot run without it (a required argument, a Consul token without bootstrap)', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'required-null-input', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual([
      'vault_consul_secret_backend.consul', 'vault_pki_secret_backend_config_ca.ca', 'vault_rabbitmq_secret_backend.mq',
    ]);
    const mq = of(findings, 'NHI-TF-SECRET-IN-STATE').find((f) => f.location === 'vault_rabbitmq_secret_backend.mq')!;
    expect(mq.message).toContain('password is set from unresolved (${var.rabbitmq_password})');
  });

  test('is left unset when the argument is optional (LDAP bind password, a bootstrapping Consul engine)', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'required-null-input', 'compliant');
    expect(of(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a token in a database connection\'s generic data map', () => {
  test('is a secret Terraform keeps in state', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'data-map-token', 'violating');
    const hits = of(findings, 'NHI-TF-SECRET-IN-STATE');
    expect(hits.map((f) => f.location)).toEqual(['vault_database_secret_backend_connection.app']);
    expect(hits[0].message).toContain('data.token is set from unresolved (${var.vault_token})');
  });

  test('settings in the map (an address, a token_ttl given literally) are not', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'data-map-token', 'compliant');
    expect(of(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a connection string without a scheme', () => {
  test('user:pass@host:port/service carries a literal password', async () => {
    const findings = await checkCase('NHI-VAULT-SECRET-LITERAL', 'schemeless-dsn', 'violating');
    expect(of(findings, 'NHI-VAULT-SECRET-LITERAL').map((f) => [f.location, f.message])).toEqual([
      ['vault_database_secret_backend_connection.oracle', 'connection_url embeds a password'],
    ]);
  });

  test('the same DSN with {{username}}:{{password}} templates does not', async () => {
    const findings = await checkCase('NHI-VAULT-SECRET-LITERAL', 'schemeless-dsn', 'compliant');
    expect(of(findings, 'NHI-VAULT-SECRET-LITERAL')).toEqual([]);
  });
});

describe('a database role\'s TTL', () => {
  test('from a module variable with no default is reported as unresolved, not missing', async () => {
    const findings = await checkCase('NHI-VAULT-DB-ROLE-TTL', 'caller-objects', 'violating');
    const hits = of(findings, 'NHI-VAULT-DB-ROLE-TTL');
    expect(hits.map((f) => f.location)).toEqual(['vault_database_secret_backend_role.app']);
    expect(hits[0].message).toContain('max_ttl is unresolved (${var.role_max_ttl})');
    expect(hits[0].message).not.toContain('max_ttl is missing');
  });

  test('written by the caller in each element of a list it passes is the caller\'s to judge', async () => {
    const findings = await checkCase('NHI-VAULT-DB-ROLE-TTL', 'caller-objects', 'compliant');
    expect(of(findings, 'NHI-VAULT-DB-ROLE-TTL')).toEqual([]);
  });
});

describe('a periodic token role', () => {
  test('with no explicit maximum renews forever', async () => {
    const findings = await checkCase('NHI-VAULT-TOKEN-TTL', 'period-capped', 'violating');
    const hits = of(findings, 'NHI-VAULT-TOKEN-TTL');
    expect(hits.map((f) => f.location)).toEqual(['vault_approle_auth_backend_role.worker']);
    expect(hits[0].message).toContain('token_period is 300: tokens renew forever');
  });

  test('capped by token_explicit_max_ttl within the ceiling is bounded', async () => {
    const findings = await checkCase('NHI-VAULT-TOKEN-TTL', 'period-capped', 'compliant');
    expect(of(findings, 'NHI-VAULT-TOKEN-TTL')).toEqual([]);
  });
});

describe('a glob policy', () => {
  test('given to a person\'s userpass login is judged for what it lets the person change', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'person-held', 'violating');
    const hits = of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB');
    expect(hits.map((f) => f.location)).toEqual(['vault_policy.editor']);
    expect(hits[0].message).toContain('given to a person\'s login');
    expect(hits[0].message).not.toContain('attached to no role');
  });

  test('a person\'s read/list of one engine, and a list-only glob on KV metadata, are not broad', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'person-held', 'compliant');
    expect(of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
  });
});
