import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/review/cli';
import { checkAws, checkVault, resource } from '../support/check-fixtures';

interface Finding { ruleId: string; location: string; message: string }

/** Runs `gateward check` on Terraform files written to a temporary directory; returns its findings. */
async function checkTerraform(files: Record<string, string>): Promise<Finding[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-tf-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const out: string[] = [];
    const code = await main(['check', dir, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
    expect(code).not.toBe(2);
    return JSON.parse(out.join('\n')).findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('an access key Terraform creates without pgp_key keeps its secret in the state', () => {
  const user = 'resource "aws_iam_user" "vault" {\n  name = "vault-root"\n}\n';
  const key = (extra: string) => `resource "aws_iam_access_key" "vault" {\n  user = aws_iam_user.vault.name\n${extra}}\n`;
  const keyFinding = (findings: Finding[]) => findings.find((f) => f.ruleId === 'NHI-LONG-LIVED-IAM-CREDENTIALS' && f.location === 'aws_iam_access_key.vault');

  test('without pgp_key the finding says the secret is in the state', async () => {
    const finding = keyFinding(await checkTerraform({ 'main.tf': user + key('') }));
    expect(finding?.message).toMatch(/without pgp_key, so its secret is kept in the state in clear/);
  });

  test('with pgp_key the key is still static, but its secret is stored encrypted', async () => {
    const finding = keyFinding(await checkTerraform({ 'main.tf': user + key('  pgp_key = "keybase:ops"\n') }));
    expect(finding?.message).toBe('is an access key: a static credential that never expires');
  });

  test('a CloudFormation access key has no Terraform state to speak of', () => {
    const findings = checkAws({ User: resource('AWS::IAM::User', {}), Key: resource('AWS::IAM::AccessKey', { UserName: { Ref: 'User' } }) });
    expect(findings.find((f) => f.ruleId === 'NHI-LONG-LIVED-IAM-CREDENTIALS' && f.location.endsWith('Key'))?.message)
      .toBe('is an access key: a static credential that never expires');
  });
});

describe('a mount is judged on its lease lifetimes only when the configuration issues from it', () => {
  const leaseFindings = (resources: Record<string, Record<string, unknown>>) =>
    checkVault(resources).filter((f) => f.ruleId === 'NHI-VAULT-LEASE-TTL').map((f) => f.location);
  const dbMount = { vault_mount: { db: { path: 'db', type: 'database' } } };
  const awsMount = { vault_aws_secret_backend: { aws: { path: 'aws', default_lease_ttl_seconds: 57600 } } };
  const dbRole = (backend: string) => ({ vault_database_secret_backend_role: { app: { backend, name: 'app', db_name: 'pg', creation_statements: ['x'], default_ttl: 900, max_ttl: 3600 } } });
  const awsRole = (backend: string) => ({ vault_aws_secret_backend_role: { r: { backend, name: 'r', credential_type: 'assumed_role', role_arns: ['arn:aws:iam::1:role/r'], default_sts_ttl: 900, max_sts_ttl: 3600 } } });

  test('a mount no role or connection names is not judged', () => {
    expect(leaseFindings({ ...dbMount, ...awsMount })).toEqual([]);
  });

  test('a role naming the mount by reference or by path makes it judged where the lease bounds its credentials', () => {
    // IAM users live until their lease ends; a role of known TTLs on a database mount is judged on the role.
    const iamUser = { vault_aws_secret_backend_role: { r: { backend: 'aws/', name: 'r', credential_type: 'iam_user', policy_arns: ['arn:aws:iam::1:policy/p'] } } };
    expect(leaseFindings({ ...awsMount, ...iamUser })).toEqual(['vault_aws_secret_backend.aws']);
    expect(leaseFindings({ ...awsMount, ...awsRole('aws/') })).toEqual([]);
    expect(leaseFindings({ ...dbMount, ...dbRole('${vault_mount.db.path}') })).toEqual([]);
  });

  test('a role on another mount leaves this one unjudged; one on an input backend may be on it', () => {
    expect(leaseFindings({ ...dbMount, ...dbRole('postgres') })).toEqual([]);
    expect(leaseFindings({ ...dbMount, ...dbRole('${var.backend}') })).toEqual(['vault_mount.db']);
  });
});
