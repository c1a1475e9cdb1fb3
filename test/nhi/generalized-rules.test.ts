import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/review/cli';
import { checkAws, checkVault, resource } from '../support/check-fixtures';

const only = (id: string) => (findings: Array<{ ruleId: string; location: string }>) =>
  findings.filter((f) => f.ruleId === id).map((f) => f.location);

/** Runs `gateward check` on Terraform files written to a temporary directory; returns its findings. */
async function checkTerraform(files: Record<string, string>): Promise<Array<{ ruleId: string; location: string; message: string }>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-tf-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const out: string[] = [];
    await main(['check', dir, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
    return JSON.parse(out.join('\n')).findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('Vault: audit devices belong to the root namespace', () => {
  const whole = { vault_auth_backend: { aws: { type: 'aws' } }, vault_mount: { kv: { path: 'kv', type: 'kv-v2' } } };

  test('a configuration that logs in to a namespace, or defines its mounts inside one, is not judged', () => {
    // The root configuration of a Vault configures its provider (a reusable module with one or two mounts leaves that to its caller).
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault(whole, { provider: { vault: [{ address: 'https://v' }] } }, false))).toEqual(['vault-stack']);
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault(whole, { provider: { vault: [{ address: 'https://v', namespace: 'admin/team' }] } }, false))).toEqual([]);
    const inside = {
      vault_auth_backend: { aws: { type: 'aws', namespace: '${vault_namespace.team.path}' } },
      vault_mount: { kv: { path: 'kv', type: 'kv-v2', namespace: '${vault_namespace.team.path}' } },
    };
    expect(only('NHI-VAULT-AUDIT-DEVICES')(checkVault(inside, {}, false))).toEqual([]);
  });
});

describe('Vault: token lifetimes are judged where the tokens open something', () => {
  const jwt = { vault_jwt_auth_backend: { gha: { path: 'gha', oidc_discovery_url: 'https://token.actions.githubusercontent.com' } } };
  const role = { backend: '${vault_jwt_auth_backend.gha.path}', role_name: 'ci', role_type: 'jwt', user_claim: 'sub', bound_audiences: ['vault'], bound_subject: 'repo:a/b:ref:refs/heads/main', token_policies: ['default'] };
  const admin = { vault_policy: { admin: { name: 'admin', policy: 'path "*" {\n  capabilities = ["sudo", "read"]\n}\n' } } };

  test('a role whose tokens carry only the default policy is not, unless an entity on its mount adds one', () => {
    expect(only('NHI-VAULT-TOKEN-TTL')(checkVault({ ...jwt, vault_jwt_auth_backend_role: { ci: role } }))).toEqual([]);
    const entity = {
      vault_identity_entity: { ci: { name: 'ci', policies: ['${vault_policy.admin.name}'] } },
      vault_identity_entity_alias: { ci: { name: 'repo:a/b:ref:refs/heads/main', mount_accessor: '${vault_jwt_auth_backend.gha.accessor}', canonical_id: '${vault_identity_entity.ci.id}' } },
    };
    expect(only('NHI-VAULT-TOKEN-TTL')(checkVault({ ...jwt, ...admin, ...entity, vault_jwt_auth_backend_role: { ci: role } }))).toEqual(['vault_jwt_auth_backend_role.ci']);
  });

  test('a minted token is capped by its token role\'s explicit maximum', () => {
    const tokenRole = { vault_token_auth_backend_role: { ops: { role_name: 'ops', allowed_policies: ['ops'], token_explicit_max_ttl: 1800 } } };
    expect(only('NHI-VAULT-TOKEN-TTL')(checkVault({ ...tokenRole, vault_token: { t: { role_name: 'ops', policies: ['ops'], ttl: '365d' } } }))).toEqual([]);
    expect(only('NHI-VAULT-TOKEN-TTL')(checkVault({ vault_token: { t: { policies: ['ops'], ttl: '365d' } } }))).toEqual(['vault_token.t']);
  });
});

describe('AWS: OIDC trust narrowed to one workload', () => {
  const trusting = (sub: string | undefined, federated = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com') => ({
    Role: resource('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: federated },
          Condition: { StringLike: { ...(sub ? { 'token.actions.githubusercontent.com:sub': sub } : {}), 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
        }],
      },
    }),
  });
  const messages = (sub: string | undefined, federated?: string) => checkAws(trusting(sub, federated))
    .filter((f) => f.ruleId === 'NHI-TRUST-OIDC-BROAD-SUBJECT').map((f) => f.message);

  test.each([
    [undefined, 'with no condition on the sub claim'],
    ['repo:acme/*', 'any repository of acme'],
    ['repo:acme/app:*', 'any branch, tag, environment or pull request of acme/app'],
    ['*', 'any subject of the issuer'],
  ])('sub %s is too broad', (sub, why) => {
    expect(messages(sub).join('\n')).toContain(why);
  });

  test.each([['repo:acme/app:environment:production'], ['repo:acme/app:ref:refs/heads/release-*']])('sub %s names one workload', (sub) => {
    expect(messages(sub)).toEqual([]);
  });

  test('a Kubernetes service account in any namespace, or any matching name in one namespace, is too broad; one named account is not', () => {
    const eks = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC';
    const k8s = (operator: string, sub: string) => checkAws({ Role: resource('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: eks }, Condition: { [operator]: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': sub } } }] } }) })
      .filter((f) => f.ruleId === 'NHI-TRUST-OIDC-BROAD-SUBJECT').map((f) => f.message).join('\n');
    expect(k8s('StringLike', 'system:serviceaccount:*:proxy')).toContain('any service account of any namespace');
    expect(k8s('StringLike', 'system:serviceaccount:gw:proxy-*')).toContain('any service account of namespace gw whose name matches proxy-*');
    expect(k8s('StringLike', 'system:serviceaccount:gw:proxy')).toBe('');
    // StringEquals compares `*` literally: it names one (odd) account.
    expect(k8s('StringEquals', 'system:serviceaccount:gw:proxy-*')).toBe('');
  });
});

describe('AWS rules read Terraform: environment secrets and values set outside Terraform', () => {
  test('a task definition\'s plain environment with a key from a variable and a URL with a variable password is one finding', async () => {
    const findings = await checkTerraform({
      'main.tf': `
variable "master_key" { sensitive = true }
variable "db_password" { sensitive = true }
resource "aws_ecs_task_definition" "proxy" {
  family = "proxy"
  container_definitions = jsonencode([{
    name = "proxy"
    image = "proxy:1"
    environment = [
      { name = "PROXY_MASTER_KEY", value = var.master_key },
      { name = "DATABASE_URL", value = "postgresql://app:\${var.db_password}@db.internal/app" },
      { name = "LOG_LEVEL", value = "info" },
    ]
  }])
}
`,
    });
    const env = findings.filter((f) => f.ruleId === 'NHI-CFN-SECRET-LITERAL');
    expect(env.map((f) => f.location)).toEqual(['aws_ecs_task_definition.proxy']);
    expect(env[0].message).toContain('PROXY_MASTER_KEY takes its value from ${var.master_key}');
    expect(env[0].message).toContain('DATABASE_URL holds a connection URL whose password comes from ${var.db_password}');
  });

  test('a secret version whose value Terraform ignores is set outside it: its placeholder is no literal', async () => {
    const placeholder = (lifecycle: string) => checkTerraform({
      'main.tf': `
resource "aws_secretsmanager_secret" "key" { name = "provider-key" }
resource "aws_secretsmanager_secret_version" "key" {
  secret_id     = aws_secretsmanager_secret.key.id
  secret_string = jsonencode({ OPENAI_API_KEY = "CHANGE_ME" })
  ${lifecycle}
}
`,
    });
    expect(only('NHI-CFN-SECRET-LITERAL')(await placeholder(''))).toEqual(['aws_secretsmanager_secret.key']);
    expect(only('NHI-CFN-SECRET-LITERAL')(await placeholder('lifecycle { ignore_changes = [secret_string] }'))).toEqual([]);
  });
});
