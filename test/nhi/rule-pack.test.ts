import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsNhiChecker, CheckedPlane, NhiFinding, NhiRules, VaultNhiChecker } from '../../src';
import { Unresolved } from '../../src/nhi/private/unresolved';
import { vaultFindings } from '../../src/nhi/private/vault-rules';
import { RULE_DEFINITIONS } from '../../src/nhi/rules/registry';
import { acknowledgementKey, StaleAcknowledgement } from '../../src/nhi/rules/stale-acknowledgement';

const RULES_DIR = path.join(__dirname, '..', '..', 'src', 'nhi', 'rules');
const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'rules');
/** Fixtures are checked with one owner tag configured, so the owner-tag rule has something to judge. */
const OWNER_TAG_KEYS = ['owner'];

test('the rule list is pinned', () => {
  expect(NhiRules.all().map((r) => r.id)).toEqual([
    'NHI-IAM-WILDCARD-ACTION', 'NHI-IAM-WILDCARD-RESOURCE', 'NHI-IAM-NOT-ACTION', 'NHI-IAM-PASSROLE', 'NHI-IAM-PRIVILEGE-ESCALATION',
    'NHI-IAM-ADMIN-POLICY', 'NHI-IAM-LONG-SESSION', 'NHI-TRUST-ROOT-OR-ANYONE', 'NHI-TRUST-CROSS-ACCOUNT-NO-EXTERNAL-ID',
    'NHI-TRUST-SERVICE-NO-SOURCE', 'NHI-TRUST-OIDC-BROAD-SUBJECT', 'NHI-HUMAN-CAN-ASSUME', 'NHI-ROLE-REUSE', 'NHI-LONG-LIVED-IAM-CREDENTIALS', 'NHI-SECRET-NO-ROTATION',
    'NHI-SECRET-SLOW-ROTATION', 'NHI-SECRET-NO-CMK', 'NHI-CFN-SECRET-LITERAL', 'NHI-STATIC-CALLER-KEY', 'NHI-SHARED-CALLER-KEY',
    'NHI-HTTP-LISTENER', 'NHI-MISSING-OWNER-TAGS', 'NHI-LOG-NO-RETENTION', 'NHI-LOG-NO-KMS', 'NHI-TRAIL-NO-VALIDATION', 'NHI-NO-AUDIT-TRAIL',
    'NHI-ENTRY-POINT-NO-ACCESS-LOG',
    'NHI-VAULT-IAM-USER', 'NHI-VAULT-AWS-ROLE-POLICY', 'NHI-VAULT-AWS-STATIC-ROOT', 'NHI-VAULT-CLOUD-STATIC-KEY', 'NHI-VAULT-CLOUD-ROLE-ADMIN', 'NHI-VAULT-STS-TTL', 'NHI-VAULT-LEASE-TTL',
    'NHI-VAULT-TOKEN-TTL', 'NHI-VAULT-DB-ROLE-TTL', 'NHI-VAULT-DB-ALLOWED-ROLES', 'NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB',
    'NHI-VAULT-JWT-NO-AUDIENCE', 'NHI-VAULT-K8S-ROLE-UNBOUND', 'NHI-VAULT-AWS-AUTH-SERVER-ID', 'NHI-VAULT-APPROLE-SECRET-ID', 'NHI-VAULT-APPROLE-SECRET-ID-UNBOUNDED',
    'NHI-VAULT-APPROLE-NO-SECRET-ID', 'NHI-VAULT-TOKEN-RESOURCE', 'NHI-VAULT-SECRET-LITERAL', 'NHI-VAULT-KV-SECRET-LITERAL',
    'NHI-TF-SECRET-IN-STATE', 'NHI-TF-SECRET-IN-ENV', 'NHI-TF-SHARED-WORKSPACE-CREDENTIAL', 'NHI-VAULT-INSECURE-TLS', 'NHI-VAULT-CERT-ROLE-BROAD', 'NHI-VAULT-CERT-AUTH-UNBOUND', 'NHI-VAULT-AUDIT-DEVICES', 'NHI-VAULT-AUDIT-LOG-RAW',
    'NHI-STALE-ACKNOWLEDGEMENT',
  ]);
  for (const rule of NhiRules.all()) {
    expect(rule.nhi).toMatch(/^NHI\d+:2025 /);
    expect(rule.nist.length).toBeGreaterThan(0);
    expect(rule.fix.length).toBeGreaterThan(20);
  }
  // The stale-acknowledgement rule judges what both planes carry.
  expect(NhiRules.byId('NHI-STALE-ACKNOWLEDGEMENT').plane).toBeUndefined();
  expect(NhiRules.all().filter((r) => r.plane === undefined).map((r) => r.id)).toEqual(['NHI-STALE-ACKNOWLEDGEMENT']);
});

describe('the registry is built from the rule files', () => {
  /** Every rule a file under `rules/` exports, with the folder it is in. */
  const declared = (): Array<{ folder: string; id: string; plane: unknown }> => ['aws', 'vault', '.'].flatMap((folder) =>
    fs.readdirSync(path.join(RULES_DIR, folder)).filter((f) => f.endsWith('.ts') && !['registry.ts', 'rule.ts'].includes(f))
      .flatMap((file) => Object.values(jest.requireActual(path.join(RULES_DIR, folder, file)) as Record<string, { id?: string; plane?: unknown }>)
        .filter((value) => typeof value?.id === 'string')
        .map((rule) => ({ folder, id: rule.id!, plane: rule.plane }))));

  test('each file holds exactly one rule, of its folder\'s plane, and the registry lists them all', () => {
    const rules = declared();
    const files = ['aws', 'vault', '.'].flatMap((folder) => fs.readdirSync(path.join(RULES_DIR, folder))
      .filter((f) => f.endsWith('.ts') && !['registry.ts', 'rule.ts'].includes(f)));
    expect(rules).toHaveLength(files.length);
    expect(rules.map((r) => r.id).sort()).toEqual(RULE_DEFINITIONS.map((r) => r.id).sort());
    const planeOf: Record<string, unknown> = { 'aws': CheckedPlane.AWS, 'vault': CheckedPlane.VAULT, '.': undefined };
    for (const rule of rules) expect([rule.id, rule.plane]).toEqual([rule.id, planeOf[rule.folder]]);
  });

  test('every fixture folder belongs to a rule', () => {
    expect(fs.readdirSync(FIXTURES_DIR).sort()).toEqual(RULE_DEFINITIONS.map((r) => r.id).sort());
  });
});

/** Runs the checker the fixture's file type calls for: a CloudFormation template or Terraform JSON. */
function check(file: string): NhiFinding[] {
  if (file.endsWith('.template.json')) {
    return new AwsNhiChecker({ ownerTagKeys: OWNER_TAG_KEYS }).checkTemplates([{ templateFile: file, account: '111122223333', stackPath: 'Fixture' }]);
  }
  if (file.endsWith('.tf.json')) return new VaultNhiChecker().checkTerraformFile(file, 'fixture');
  throw new Error(`${file}: a fixture is a .template.json or a .tf.json file`);
}

describe.each(RULE_DEFINITIONS.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  test('fires on its violating fixture', () => {
    const found = check(path.join(FIXTURES_DIR, id, rule.fixtures.violating)).filter((f) => f.ruleId === id);
    expect(found.length).toBeGreaterThan(0);
    for (const finding of found) {
      expect(finding.message.length).toBeGreaterThan(10);
      expect(finding.acknowledged).toBe(false);
    }
  });

  test('stays silent on its compliant fixture', () => {
    expect(check(path.join(FIXTURES_DIR, id, rule.fixtures.compliant)).filter((f) => f.ruleId === id && !f.acknowledged)).toEqual([]);
  });
});

test('the unresolved marker is reported as unresolved, never as missing', () => {
  const findings = vaultFindings({
    resource: {
      vault_database_secret_backend_role: { app: { backend: 'db', name: 'app', db_name: 'pg', default_ttl: Unresolved.of('${var.postgres_ttl}'), max_ttl: 3600 } },
      vault_approle_auth_backend_role: { ci: { role_name: 'ci', secret_id_ttl: Unresolved.of('${var.secret_id_ttl}'), secret_id_num_uses: 1, token_ttl: 900, token_max_ttl: 3600 } },
    },
  });
  const messages = findings.map((f) => `${f.ruleId}: ${f.message}`);
  expect(messages).toContain('NHI-VAULT-DB-ROLE-TTL: default_ttl is unresolved (${var.postgres_ttl}): it must be at most 86400 s where it is set');
  expect(messages).toContain('NHI-VAULT-APPROLE-SECRET-ID-UNBOUNDED: secret_id_ttl is unresolved (${var.secret_id_ttl})');
  expect(messages.join('\n')).not.toMatch(/missing/);
});

test('the stale-acknowledgement check is the rule file\'s own, and an acknowledgement that matched a finding of any severity is not stale', () => {
  const reason = 'the organization trail of the management account covers this account';
  const placed = [{ location: 'App', file: 'App.template.json', plane: CheckedPlane.AWS, records: [{ rule: 'NHI-NO-AUDIT-TRAIL', reason }, { rule: 'NHI-LOG-NO-KMS', reason: 'short' }] }];
  const used = new Set([acknowledgementKey('App.template.json', 'App', 'NHI-NO-AUDIT-TRAIL')]);
  expect(StaleAcknowledgement.check({ placed, used, cdkAcknowledgements: [] })).toEqual([
    { plane: CheckedPlane.AWS, location: 'App', file: 'App.template.json', message: 'acknowledges NHI-LOG-NO-KMS without a reason of at least 20 characters' },
  ]);
  expect(StaleAcknowledgement.check({ placed, used: new Set(), cdkAcknowledgements: [] }).map((h) => h.message)[0])
    .toBe('acknowledges NHI-NO-AUDIT-TRAIL, but the rule finds nothing here');

  // Through the checker: the informational finding is matched by its acknowledgement, which is therefore not stale.
  const template = {
    Metadata: { [NhiRules.ACKNOWLEDGEMENTS_KEY]: [{ rule: 'NHI-NO-AUDIT-TRAIL', reason }] },
    Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } } },
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-stale-')), 'App.template.json');
  fs.writeFileSync(file, JSON.stringify(template));
  const findings = new AwsNhiChecker().checkTemplates([{ templateFile: file, stackPath: 'App' }]);
  expect(findings.map((f) => [f.ruleId, f.severity, f.acknowledged])).toEqual([['NHI-NO-AUDIT-TRAIL', 'info', true]]);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
