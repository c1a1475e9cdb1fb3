import { VaultCapability, VaultPolicyDocument, VaultPolicyRule } from '../../src';
import { rulesOfHcl } from '../support/hcl';

const { READ, LIST, UPDATE, CREATE, DELETE, SUDO, DENY } = VaultCapability;

describe('HCL', () => {
  const rules: VaultPolicyRule[] = [
    { path: 'gw/t/aws/creds/models', capabilities: [READ], description: 'STS credentials' },
    { path: 'kv/data/app/+/config-free', capabilities: [LIST, READ] },
    { path: 'gw/t/aws/creds/key-openai', capabilities: [READ], allowedParameters: { ttl: ['900', '600'] }, deniedParameters: { role_arn: [] }, requiredParameters: ['ttl'] },
  ];

  test('is deterministic: rule order and capability order do not change the text', () => {
    const reordered = [rules[2], rules[0], { ...rules[1], capabilities: [READ, LIST] }];
    expect(VaultPolicyDocument.forWorkload('app', reordered).toHcl()).toBe(VaultPolicyDocument.forWorkload('app', rules).toHcl());
  });

  test('reads as expected', () => {
    expect(VaultPolicyDocument.forWorkload('app', [rules[0]]).toHcl()).toBe(
      '# STS credentials\npath "gw/t/aws/creds/models" {\n  capabilities = ["read"]\n}\n',
    );
  });

  test('parses with HashiCorp\'s HCL parser and round-trips to its rules', async () => {
    const document = VaultPolicyDocument.forWorkload('app', rules);
    expect(await rulesOfHcl(document.toHcl())).toEqual([
      { path: 'gw/t/aws/creds/key-openai', capabilities: ['read'], allowed: { ttl: ['600', '900'] }, denied: { role_arn: [] }, required: ['ttl'] },
      { path: 'gw/t/aws/creds/models', capabilities: ['read'] },
      { path: 'kv/data/app/+/config-free', capabilities: ['read', 'list'] },
    ]);
  });
});

describe('a workload policy refuses', () => {
  const refusals: Array<[string, VaultPolicyRule, RegExp]> = [
    ['sys/ paths', { path: 'sys/mounts', capabilities: [READ] }, /is under sys\//],
    ['sys/policy', { path: 'sys/policy/acme', capabilities: [UPDATE] }, /is under sys\//],
    ['a sudo-protected path outside sys/', { path: 'auth/token/accessors', capabilities: [LIST] }, /touches the root-protected path auth\/token\/accessors/],
    ['pki/root', { path: 'pki/root', capabilities: [DELETE] }, /root-protected path pki\/root/],
    ['the sudo capability', { path: 'gw/t/aws/creds/models', capabilities: [READ, SUDO] }, /grants sudo/],
    ['* as the first segment', { path: '*', capabilities: [READ] }, /starts with a wildcard/],
    ['+ as the first segment', { path: '+/aws/creds/models', capabilities: [READ] }, /starts with a wildcard/],
    ['a * before the end', { path: 'gw/*/creds/models', capabilities: [READ] }, /has a \* before its end/],
    ['token creation', { path: 'auth/token/create', capabilities: [UPDATE] }, /creates tokens/],
    ['orphan token creation', { path: 'auth/token/create-orphan', capabilities: [UPDATE] }, /creates tokens/],
    ['token roles', { path: 'auth/token/roles/admin', capabilities: [CREATE] }, /creates tokens/],
    ['auth role writes', { path: 'auth/kubernetes/role/app', capabilities: [UPDATE] }, /writes an auth role/],
    ['AppRole secret-id writes', { path: 'auth/approle/role/app/secret-id', capabilities: [UPDATE] }, /writes an auth role/],
    ['identity writes', { path: 'identity/entity/name/app', capabilities: [UPDATE] }, /writes identity/],
    ['engine configuration', { path: 'gw/t/aws/config/root', capabilities: [READ] }, /engine's configuration/],
    ['database connection configuration', { path: 'gw/t/database/config/kb', capabilities: [UPDATE] }, /engine's configuration/],
    ['root rotation', { path: 'gw/t/database/rotate-root/kb', capabilities: [UPDATE] }, /rotates an engine's root credential/],
  ];

  test.each(refusals)('%s', (_name, rule, message) => {
    expect(() => VaultPolicyDocument.forWorkload('app', [rule])).toThrow(message);
  });

  test.each([['root'], ['Default'], [' ROOT ']])('the reserved name %j', (name) => {
    expect(() => VaultPolicyDocument.forWorkload(name, [{ path: 'a/b', capabilities: [READ] }])).toThrow(/Vault's reserved (root|default) policy/);
  });

  test('a name with upper-case letters (Vault would lower-case it into another policy)', () => {
    expect(() => VaultPolicyDocument.forWorkload('App', [{ path: 'a/b', capabilities: [READ] }])).toThrow(/lower-case letters, digits, _ and - only/);
  });

  test('and reports every problem at once', () => {
    expect(() => VaultPolicyDocument.forWorkload('root', [
      { path: 'sys/seal', capabilities: [UPDATE, SUDO] },
      { path: 'auth/token/create', capabilities: [UPDATE] },
      { path: 'ok/path', capabilities: [] },
    ])).toThrow(/^Vault policy "root" is invalid \(4 problems\):\n {2}- name: /);
  });
});

describe('a workload policy allows', () => {
  test.each<[string, VaultPolicyRule]>([
    ['reading credentials', { path: 'gw/t/aws/creds/models', capabilities: [READ] }],
    ['a + segment after the mount', { path: 'gw/+/database/creds/kb', capabilities: [READ] }],
    ['a trailing glob', { path: 'kv/data/app/*', capabilities: [READ, LIST] }],
    ['an explicit deny', { path: 'gw/t/aws/creds/admin', capabilities: [DENY] }],
    ['reading an auth role (not writing it)', { path: 'auth/jwt/role/app', capabilities: [READ] }],
  ])('%s', (_name, rule) => {
    expect(VaultPolicyDocument.forWorkload('app', [rule]).rules).toEqual([rule]);
  });
});

describe('a policy read for analysis', () => {
  // What a server or someone else's configuration may hold: everything forWorkload refuses.
  const written: VaultPolicyRule[] = [
    { path: 'sys/audit', capabilities: [SUDO, UPDATE] },
    { path: 'auth/token/create', capabilities: [CREATE, UPDATE] },
    { path: 'gw/t/aws/creds/models', capabilities: [READ] },
  ];

  test('keeps the rules and name exactly as written, sorted by path, where forWorkload refuses them', () => {
    expect(() => VaultPolicyDocument.forWorkload('Root', written)).toThrow(/reserved root policy[^]*sys\/audit[^]*auth\/token\/create/);
    const document = VaultPolicyDocument.forAnalysis('Root', written);
    expect(document.name).toBe('Root');
    expect(document.rules.map((r) => r.path)).toEqual(['auth/token/create', 'gw/t/aws/creds/models', 'sys/audit']);
    expect(document.rules.map((r) => VaultPolicyDocument.whyRefused(r) !== undefined)).toEqual([true, false, true]);
  });

  test('renders the same HCL as the same rules written for a workload', () => {
    const allowed = [written[2]];
    expect(VaultPolicyDocument.forAnalysis('app', allowed).toHcl()).toBe(VaultPolicyDocument.forWorkload('app', allowed).toHcl());
  });
});

describe('a workload policy with identity templates', () => {
  test.each<[string, string, RegExp]>([
    ['a templated first segment (it could become sys/)', '{{identity.entity.metadata.x}}/policy/app', /templated first segment/],
    ['a templated auth mount whose roles a workload would write', 'auth/{{identity.entity.name}}/role/app', /writes an auth role/],
    ['a templated segment with a leading slash', '/{{identity.entity.id}}/creds/x', /templated first segment/],
  ])('refuses %s', (_name, path, message) => {
    expect(() => VaultPolicyDocument.forWorkload('app', [{ path, capabilities: [READ, UPDATE] }])).toThrow(message);
  });

  test('allows a template behind a literal mount that cannot reach sys/', () => {
    const rule = { path: 'kv/data/{{identity.entity.name}}/*', capabilities: [READ] };
    expect(VaultPolicyDocument.forWorkload('app', [rule]).rules).toEqual([rule]);
  });
});

test('renders wrapping TTLs so Vault enforces them', async () => {
  const hcl = VaultPolicyDocument.forWorkload('app', [{ path: 'gw/t/aws/creds/models', capabilities: [READ], minWrappingTtl: 60, maxWrappingTtl: 300 }]).toHcl();
  expect(hcl).toContain('min_wrapping_ttl = 60\n  max_wrapping_ttl = 300');
});
