import { checkVault, open } from '../support/check-fixtures';

const STACK = 'vault-stack';
const only = (id: string) => (findings: ReturnType<typeof checkVault>) => findings.filter((f) => f.ruleId === id).map((f) => f.location);
const aws = { path: 'aws', default_lease_ttl_seconds: 900, max_lease_ttl_seconds: 3600 };
const stsRole = (extra: Record<string, unknown>) => ({ backend: 'aws', name: 'r', credential_type: 'assumed_role', role_arns: ['arn:aws:iam::1:role/r'], default_sts_ttl: 900, max_sts_ttl: 3600, ...extra });
const authRole = (extra: Record<string, unknown>) => ({ role: 'router', auth_type: 'iam', bound_iam_principal_arns: ['arn:aws:iam::1:role/router'], token_ttl: 900, token_max_ttl: 3600, token_policies: ['${vault_policy.p.name}'], ...extra });
const policy = (text: string) => ({ vault_policy: { p: { name: 'router', policy: text } } });
// A role on the db mount: a mount is judged on its leases when the configuration issues from it.
const iamUserRole = { vault_aws_secret_backend_role: { u: { backend: 'aws', name: 'u', credential_type: 'iam_user', policy_arns: ['arn:aws:iam::1:policy/p'] } } };
const readCreds = 'path "aws/creds/r" {\n  capabilities = ["read"]\n}\n';

test('a least-privilege Vault configuration fires nothing', () => {
  expect(open(checkVault({
    vault_aws_secret_backend: { aws },
    vault_aws_secret_backend_role: { r: stsRole({}) },
    vault_aws_auth_backend_role: { router: authRole({}) },
    ...policy(readCreds),
  }))).toEqual([]);
});

describe('each rule fires on its violation, at the right place, and not on the compliant form', () => {
  const cases: Array<[string, Record<string, Record<string, unknown>>, Record<string, Record<string, unknown>>, string | string[]]> = [
    ['NHI-VAULT-IAM-USER', { vault_aws_secret_backend_role: { r: { backend: 'aws', name: 'r', credential_type: 'iam_user', policy_arns: ['arn:p'] } } },
      { vault_aws_secret_backend_role: { r: stsRole({}) } }, 'vault_aws_secret_backend_role.r'],
    ['NHI-VAULT-STS-TTL', { vault_aws_secret_backend_role: { r: stsRole({ max_sts_ttl: 43200 }) } }, { vault_aws_secret_backend_role: { r: stsRole({}) } }, 'vault_aws_secret_backend_role.r'],
    ['NHI-VAULT-LEASE-TTL', { vault_aws_secret_backend: { aws: { path: 'aws', max_lease_ttl_seconds: 0, default_lease_ttl_seconds: 900 } }, ...iamUserRole },
      { vault_aws_secret_backend: { aws: { path: 'aws', max_lease_ttl_seconds: 3600, default_lease_ttl_seconds: 900 } }, ...iamUserRole }, 'vault_aws_secret_backend.aws'],
    ['NHI-VAULT-TOKEN-TTL', { vault_aws_auth_backend_role: { router: authRole({ token_period: 3600 }) }, ...policy(readCreds) },
      { vault_aws_auth_backend_role: { router: authRole({}) }, ...policy(readCreds) }, 'vault_aws_auth_backend_role.router'],
    ['NHI-VAULT-DB-ROLE-TTL', { vault_database_secret_backend_role: { kb: { backend: 'db', name: 'kb', db_name: 'c', creation_statements: ['x'], default_ttl: 7200, max_ttl: 3600 } } },
      { vault_database_secret_backend_role: { kb: { backend: 'db', name: 'kb', db_name: 'c', creation_statements: ['x'], default_ttl: 900, max_ttl: 3600 } } },
      'vault_database_secret_backend_role.kb'],
    ['NHI-VAULT-POLICY-FORBIDDEN', { vault_aws_auth_backend_role: { router: authRole({}) }, ...policy(`${readCreds}path "auth/token/create" {\n  capabilities = ["update"]\n}\n`) },
      { vault_aws_auth_backend_role: { router: authRole({}) }, ...policy(readCreds) }, 'vault_policy.p'],
    ['NHI-VAULT-POLICY-BROAD-GLOB', { vault_aws_auth_backend_role: { router: authRole({}) }, ...policy('path "aws/*" {\n  capabilities = ["read"]\n}\n') },
      { vault_aws_auth_backend_role: { router: authRole({}) }, ...policy('path "aws/creds/r*" {\n  capabilities = ["read"]\n}\n') }, 'vault_policy.p'],
    ['NHI-VAULT-JWT-NO-AUDIENCE', { vault_jwt_auth_backend_role: { app: { role_name: 'app', role_type: 'jwt', user_claim: 'sub', bound_subject: 'system:serviceaccount:a:b', token_ttl: 900, token_max_ttl: 3600 } } },
      { vault_jwt_auth_backend_role: { app: { role_name: 'app', role_type: 'jwt', user_claim: 'sub', bound_audiences: ['vault'], bound_subject: 'system:serviceaccount:a:b', token_ttl: 900, token_max_ttl: 3600 } } },
      'vault_jwt_auth_backend_role.app'],
    ['NHI-VAULT-APPROLE-SECRET-ID', { vault_approle_auth_backend_role_secret_id: { id: { role_name: 'ci' } } }, {}, 'vault_approle_auth_backend_role_secret_id.id'],
    ['NHI-VAULT-SECRET-LITERAL', { vault_database_secret_backend_connection: { c: { backend: 'db', name: 'c', postgresql: { connection_url: 'postgresql://{{username}}:{{password}}@h/d', password: 'hunter2hunter2' } } } },
      { vault_database_secret_backend_connection: { c: { backend: 'db', name: 'c', postgresql: { connection_url: 'postgresql://{{username}}:{{password}}@h/d', password_wo: '${var.db_password}' } } } },
      'vault_database_secret_backend_connection.c'],
    ['NHI-VAULT-AUDIT-LOG-RAW', { vault_audit: { file: { type: 'file', options: { file_path: '/a', log_raw: 'true' } }, socket: { type: 'socket', options: { address: '/s' } } } },
      {}, 'vault_audit.file'],
  ];

  test.each(cases)('%s', (ruleId, violating, compliant, location) => {
    // A forbidden path is reported once, on the policy that grants it; the role that holds it adds nothing new.
    expect(only(ruleId)(checkVault(violating))).toEqual(typeof location === 'string' ? [location] : location);
    expect(only(ruleId)(checkVault(compliant))).toEqual([]);
  });

  test('NHI-VAULT-AUDIT-DEVICES: one device, or two of one type, in a configuration that manages the whole Vault', () => {
    const whole = { vault_auth_backend: { aws: { type: 'aws' } }, vault_mount: { kv: { path: 'kv', type: 'kv-v2' } } };
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault({ ...whole, vault_audit: { file: { type: 'file', options: {} } } }, {}, false))).toEqual([STACK]);
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault({ ...whole, vault_audit: { a: { type: 'file', options: {} }, b: { type: 'file', options: {} } } }, {}, false))).toEqual([STACK]);
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault(whole))).toEqual([]);
    // A configuration that defines audit devices owns them.
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault({ vault_audit: { file: { type: 'file', options: {} } } }, {}, false))).toEqual([STACK]);
    // Roles on a Vault someone else runs, or Terraform with no Vault in it: the audit devices are not theirs to judge.
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault({ vault_mount: { kv: { path: 'kv', type: 'kv-v2' } } }, {}, false))).toEqual([]);
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault({ aws_iam_role: { r: { name: 'r', assume_role_policy: '{}' } } }, {}, false))).toEqual([]);
  });

  test('NHI-VAULT-SECRET-LITERAL: a root token in the provider block', () => {
    expect(only('NHI-VAULT-SECRET-LITERAL')(checkVault({}, { provider: { vault: [{ address: 'https://v', token: `hvs.${'CAESIJ'.padEnd(30, 'x')}` }] } }))).toEqual(['provider.vault']);
  });

  test('NHI-VAULT-POLICY-FORBIDDEN: a sensitive path a holder reaches is reported on the policy, naming every holder', () => {
    const viaPlus = {
      vault_aws_auth_backend_role: { router: authRole({}), batch: authRole({ role: 'batch' }) },
      ...policy('path "+/config/+" {\n  capabilities = ["read"]\n}\n'),
    };
    const findings = checkVault({ ...viaPlus, vault_aws_secret_backend: { aws } }).filter((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN');
    expect(findings.map((f) => f.location)).toEqual(['vault_policy.p']);
    expect(findings[0].message).toContain('aws/config/root');
    expect(findings[0].message).toContain('vault_aws_auth_backend_role.router, vault_aws_auth_backend_role.batch');
    // A deny in another of the holder's policies closes the path: the first policy reaches nothing for it.
    const denied = { name: 'deny-config', policy: 'path "aws/config/*" {\n  capabilities = ["deny"]\n}\n' };
    const closed = {
      vault_aws_auth_backend_role: { router: authRole({ token_policies: ['${vault_policy.p.name}', '${vault_policy.d.name}'] }) },
      vault_policy: { ...viaPlus.vault_policy, d: denied },
    };
    expect(only('NHI-VAULT-POLICY-FORBIDDEN')(checkVault({ ...closed, vault_aws_secret_backend: { aws } }))).not.toContain('vault_policy.p');
  });

  test('NHI-VAULT-POLICY-FORBIDDEN: one finding per policy and path, naming every role that holds it', () => {
    const mint = policy(`${readCreds}path "auth/token/create" {\n  capabilities = ["update"]\n}\n`);
    const findings = checkVault({ vault_aws_auth_backend_role: { a: authRole({ role: 'a' }), b: authRole({ role: 'b' }) }, ...mint })
      .filter((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN');
    expect(findings.map((f) => f.location)).toEqual(['vault_policy.p']);
    expect(findings[0].message).toContain('attached to vault_aws_auth_backend_role.a; attached to vault_aws_auth_backend_role.b');
  });

  test('NHI-VAULT-POLICY-FORBIDDEN: the documented agent and broker patterns are not forbidden', () => {
    const agent = policy([
      'path "sys/capabilities-self" {\n  capabilities = ["update"]\n}',
      'path "/sys/metrics" {\n  capabilities = ["read", "list"]\n}',
      'path "auth/token/create/nomad-cluster" {\n  capabilities = ["update"]\n}',
      'path "auth/token/roles/nomad-cluster" {\n  capabilities = ["read"]\n}',
    ].join('\n'));
    const tokenRole = (extra: Record<string, unknown>) => ({ vault_token_auth_backend_role: { nomad: { role_name: 'nomad-cluster', orphan: true, ...extra } } });
    const role = { vault_aws_auth_backend_role: { router: authRole({}) } };
    expect(only('NHI-VAULT-POLICY-FORBIDDEN')(checkVault({ ...role, ...agent, ...tokenRole({ disallowed_policies: ['admin'] }) }))).toEqual([]);
    // A token role that bounds nothing hands out any policy: creating tokens through it is forbidden.
    expect(only('NHI-VAULT-POLICY-FORBIDDEN')(checkVault({ ...role, ...agent, ...tokenRole({}) }))).toEqual(['vault_policy.p']);
  });

  test('a policy attached to no role is judged anyway, and says so; one held by a group of people is not', () => {
    // Minting tokens with sudo is no administrator policy of a part of Vault, which would be an operator's.
    const admin = { name: 'platform-admin', policy: 'path "auth/token/create" {\n  capabilities = ["create", "update", "sudo"]\n}\n' };
    const findings = checkVault({ vault_policy: { admin } }).filter((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN');
    expect(findings.map((f) => f.location)).toEqual(['vault_policy.admin']);
    expect(findings[0].message).toContain('(attached to no role in this configuration)');
    expect(open(checkVault({ vault_policy: { admin }, vault_identity_group: { ops: { name: 'ops', policies: ['${vault_policy.admin.name}'] } } }))).toEqual([]);
  });

  test('a value the configuration cannot tell is reported as unresolved, never as missing', () => {
    const role = { backend: 'db', name: 'kb', db_name: 'c', creation_statements: ['x'], default_ttl: '${var.postgres_ttl}', max_ttl: 3600 };
    const [finding] = checkVault({ vault_database_secret_backend_role: { kb: role } }).filter((f) => f.ruleId === 'NHI-VAULT-DB-ROLE-TTL');
    expect(finding.message).toContain('default_ttl is unresolved (${var.postgres_ttl})');
    expect(finding.message).not.toContain('missing');
  });

  test('an OIDC role for people is not held to workload token lifetimes', () => {
    expect(open(checkVault({ vault_jwt_auth_backend_role: { admins: { role_name: 'admins', role_type: 'oidc', user_claim: 'email', token_ttl: 28800 } } }))).toEqual([]);
  });

  test('the provider\'s legacy AWS role form (policy, no credential_type) creates IAM users and hands out its policy', () => {
    const legacy = { backend: 'aws', name: 'ec2_admin', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }) };
    const findings = checkVault({ vault_aws_secret_backend_role: { ec2_admin: legacy } });
    expect(findings.filter((f) => ['NHI-VAULT-IAM-USER', 'NHI-VAULT-AWS-ROLE-POLICY'].includes(f.ruleId)).map((f) => f.ruleId).sort())
      .toEqual(['NHI-VAULT-AWS-ROLE-POLICY', 'NHI-VAULT-IAM-USER']);
  });

  test('NHI-VAULT-AWS-STATIC-ROOT: a static key given to the AWS auth method too', () => {
    const client = { backend: 'aws', access_key: '${var.aws_auth_engine_access_key}', secret_key: '${var.aws_auth_engine_secret_key}', iam_server_id_header_value: 'v' };
    const [finding] = checkVault({ vault_aws_auth_backend_client: { main: client } }).filter((f) => f.ruleId === 'NHI-VAULT-AWS-STATIC-ROOT');
    expect([finding.location, finding.message]).toEqual(['vault_aws_auth_backend_client.main', 'authenticates to AWS with a static access key, unresolved (${var.aws_auth_engine_access_key}); Terraform passes its secret_key to Vault and keeps it in its state in clear']);
  });

  test('NHI-VAULT-TOKEN-TTL: a bounded token_ttl without a maximum is not a finding; no lifetime at all is', () => {
    const ttl = (extra: Record<string, unknown>) => only('NHI-VAULT-TOKEN-TTL')(checkVault({ vault_aws_auth_backend_role: { router: { ...authRole({}), token_max_ttl: undefined, ...extra } }, ...policy(readCreds) }));
    expect(ttl({ token_ttl: 900 })).toEqual([]);
    expect(ttl({ token_ttl: undefined })).toEqual(['vault_aws_auth_backend_role.router']);
  });
});
