import * as path from 'path';
import { main } from '../../../src/review/cli';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'tf-modules');

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('local Terraform modules', () => {
  let findings: Array<{ ruleId: string; location: string; file: string; message: string }>;
  let checked: string;
  beforeAll(async () => {
    const result = await run('check', FIXTURE, '--json', '-');
    expect(result.code).toBe(1);
    findings = JSON.parse(result.out).findings;
    checked = result.err;
  });
  const messages = () => findings.map((f) => `${f.ruleId} ${f.location} ${f.message}`);

  test('a module\'s resources are addressed module.x.<type>.<name> and placed in the module\'s file', () => {
    const wildcard = findings.find((f) => f.ruleId === 'NHI-IAM-WILDCARD-ACTION' && f.message.includes('iam:*'));
    expect(wildcard?.location).toBe('module.proxy.aws_iam_role.this');
    expect(wildcard?.file).toBe(path.join(FIXTURE, 'modules', 'proxy', 'main.tf'));
  });

  test('variables are bound from the module block: a literal list becomes the policy\'s actions', () => {
    expect(messages()).toContainEqual(expect.stringMatching(/^NHI-IAM-WILDCARD-ACTION module\.proxy\.aws_iam_role\.this allows iam:\*/));
  });

  test('an argument the caller cannot resolve stays unresolved in the module; a module default applies', () => {
    const ttl = findings.find((f) => f.ruleId === 'NHI-VAULT-DB-ROLE-TTL');
    expect(ttl?.location).toBe('module.proxy.vault_database_secret_backend_role.app');
    expect(ttl?.message).toContain('unresolved (${var.ttl})');
    expect(ttl?.message).not.toContain('max_ttl');
  });

  test('a nested module reaches its caller\'s resource, and a module output reaches the root', () => {
    // module.proxy.module.inner attaches s3:* to the role module.proxy passes it.
    // One finding per rule and resource: s3:* is listed in the role's one wildcard-action finding.
    expect(messages()).toContainEqual(expect.stringMatching(/^NHI-IAM-WILDCARD-ACTION module\.proxy\.aws_iam_role\.this .*allows s3:\*/));
    // The root attaches AdministratorAccess to module.proxy.role_name.
    expect(messages()).toContainEqual(expect.stringMatching(/^NHI-IAM-ADMIN-POLICY module\.proxy\.aws_iam_role\.this .*AdministratorAccess/));
  });

  test('what was checked names the modules read and those not fetched, a cycle stops', () => {
    expect(checked).toContain('3 local modules read (module.loop: 1 file, module.proxy: 1 file, module.proxy.module.inner: 1 file)');
    expect(checked).toContain('module.network ("terraform-aws-modules/vpc/aws": not a local path; registry and git modules are not fetched)');
    expect(checked).toContain('module.loop.module.again ("../loop": includes a module that includes it (a cycle))');
    expect(findings.filter((f) => f.location === 'module.loop.aws_iam_user.loop')).toHaveLength(1);
  });
});
