import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/review/cli';

interface Finding { ruleId: string; location: string; message: string }

/** Runs `gateward check` on files written to a temporary directory (Terraform) or on one template file; returns its findings. */
async function check(files: Record<string, string>, only?: string): Promise<Finding[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-r7-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const out: string[] = [];
    const code = await main(['check', only ? path.join(dir, only) : dir, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
    expect(code).not.toBe(2);
    return JSON.parse(out.join('\n')).findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.location).sort();

describe('a documented integration\'s server policy attached to no role', () => {
  const serverPolicy = (create: string) => `resource "vault_policy" "nomad_server" {
  name   = "nomad-server"
  policy = <<EOT
path "${create}" {
  capabilities = ["update"]
}
path "auth/token/roles/nomad-cluster" {
  capabilities = ["read"]
}
path "auth/token/lookup" {
  capabilities = ["update"]
}
path "auth/token/revoke-accessor" {
  capabilities = ["update"]
}
path "sys/capabilities-self" {
  capabilities = ["update"]
}
path "secret/*" {
  capabilities = ["read", "list"]
}
EOT
}
`;

  test('token creation through one named token role is the integration\'s servers\' policy, not judged as a workload\'s', async () => {
    const findings = await check({ 'main.tf': serverPolicy('auth/token/create/nomad-cluster') });
    expect(of(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual([]);
    expect(of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
  });

  test('unbounded token creation (auth/token/create) is still judged', async () => {
    const findings = await check({ 'main.tf': serverPolicy('auth/token/create') });
    expect(findings.filter((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN').map((f) => f.message)).toContainEqual(expect.stringMatching(/^path "auth\/token\/create" /));
  });

  test('the same policy held by a workload auth role is judged where the role holds it', async () => {
    const findings = await check({
      'main.tf': `${serverPolicy('auth/token/create/nomad-cluster')}
resource "vault_approle_auth_backend_role" "app" {
  role_name          = "app"
  token_policies     = [vault_policy.nomad_server.name]
  token_ttl          = 900
  token_max_ttl      = 3600
  secret_id_ttl      = 600
  secret_id_num_uses = 1
}
`,
    });
    expect(of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual(['vault_policy.nomad_server']);
  });
});

describe('the audit-device rule on a reusable module', () => {
  const integration = `resource "vault_jwt_auth_backend" "nomad" {
  path     = "nomad_jwt"
  jwks_url = "https://nomad.example.com/.well-known/jwks.json"
}
resource "vault_nomad_secret_backend" "nomad" {
  backend = "nomad"
  address = "https://nomad.example.com:4646"
}
`;
  test('a module with no provider and one auth method and one engine owns no audit device', async () => {
    expect(of(await check({ 'main.tf': integration }), 'NHI-VAULT-AUDIT-DEVICES')).toEqual([]);
  });

  test('the same resources with the Vault provider configured are a whole Vault\'s configuration', async () => {
    const findings = await check({ 'main.tf': `provider "vault" {\n  address = "https://vault.example.com:8200"\n}\n${integration}` });
    expect(of(findings, 'NHI-VAULT-AUDIT-DEVICES')).toHaveLength(1);
  });

  test('a module with no provider that mounts three backends still manages the Vault', async () => {
    const findings = await check({ 'main.tf': `${integration}resource "vault_mount" "kv" {\n  path = "kv"\n  type = "kv-v2"\n}\n` });
    expect(of(findings, 'NHI-VAULT-AUDIT-DEVICES')).toHaveLength(1);
  });
});

describe('Nomad\'s periodic workload-identity role', () => {
  const role = (period: number, claim = '/nomad_job_id') => `resource "vault_jwt_auth_backend_role" "nomad_jobs" {
  backend                 = "jwt-nomad"
  role_name               = "nomad-workloads"
  role_type               = "jwt"
  bound_audiences         = ["vault.io"]
  user_claim              = "${claim}"
  user_claim_json_pointer = true
  claim_mappings = {
    nomad_namespace = "nomad_namespace"
  }
  token_type             = "service"
  token_policies         = ["nomad-workloads"]
  token_period           = ${period}
  token_explicit_max_ttl = 0
}
`;
  test('a period within the ceiling, renewed by Nomad for the task\'s life, is not a long-lived token', async () => {
    expect(of(await check({ 'main.tf': role(1800) }), 'NHI-VAULT-TOKEN-TTL')).toEqual([]);
  });

  test('a period beyond the ceiling is still reported', async () => {
    expect(of(await check({ 'main.tf': role(28800) }), 'NHI-VAULT-TOKEN-TTL')).toEqual(['vault_jwt_auth_backend_role.nomad_jobs']);
  });

  test('a periodic role of another login (no Nomad claims) is still reported', async () => {
    const findings = await check({ 'main.tf': role(1800, 'sub').replace(/claim_mappings = \{\n {4}nomad_namespace = "nomad_namespace"\n {2}\}\n/, '') });
    expect(of(findings, 'NHI-VAULT-TOKEN-TTL')).toEqual(['vault_jwt_auth_backend_role.nomad_jobs']);
  });
});

describe('a Nomad management token minted by Terraform for Vault\'s Nomad engine', () => {
  const files = (token: string) => ({
    'main.tf': `resource "nomad_acl_token" "management" {
  type = "management"
  name = "vault"
}
resource "vault_nomad_secret_backend" "nomad" {
  backend = "nomad"
  address = "https://nomad.example.com:4646"
  token   = ${token}
}
`,
  });
  test('is a minted token, and the engine\'s token is in state', async () => {
    const findings = await check(files('nomad_acl_token.management.secret_id'));
    expect(of(findings, 'NHI-VAULT-TOKEN-RESOURCE')).toEqual(['nomad_acl_token.management']);
    expect(of(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['vault_nomad_secret_backend.nomad']);
  });
  test('a Nomad token no Vault resource is given is not reported by the Vault rule', async () => {
    const findings = await check(files('var.nomad_token'));
    expect(of(findings, 'NHI-VAULT-TOKEN-RESOURCE')).toEqual([]);
  });
});

describe('secrets Terraform writes outside AWS\'s and Vault\'s stores', () => {
  test('an ElastiCache auth token from random_password and a Kubernetes secret are in state', async () => {
    const findings = await check({
      'main.tf': `resource "random_password" "redis" {
  length = 32
}
resource "aws_elasticache_replication_group" "redis" {
  replication_group_id       = "gateway"
  description                = "gateway cache"
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
}
resource "kubernetes_secret" "keys" {
  metadata {
    name = "keys"
  }
  data = {
    OPENAI_API_KEY = var.openai_key
  }
}
resource "kubernetes_secret" "empty" {
  metadata {
    name = "filled-elsewhere"
  }
}
resource "aws_elasticache_replication_group" "open" {
  replication_group_id = "open"
  description          = "no auth token"
}
variable "openai_key" {
  type      = string
  sensitive = true
}
`,
    });
    expect(of(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['aws_elasticache_replication_group.redis', 'kubernetes_secret.keys']);
  });
});

describe('secrets reaching a plain environment variable indirectly', () => {
  test('a variable interpolated into a heredoc container definition\'s environment is a secret in the environment', async () => {
    const findings = await check({
      'ecs.tf': `resource "aws_ecs_task_definition" "proxy" {
  family                = "proxy"
  container_definitions = <<DEFINITION
[
  {
    "name": "proxy",
    "image": "\${var.image}",
    "environment": [
      { "name": "REDIS_HOST", "value": "\${var.redis_host}" },
      { "name": "REDIS_PASSWORD", "value": "\${var.redis_password}" }
    ]
  }
]
DEFINITION
}
variable "image" {
  type = string
}
variable "redis_host" {
  type = string
}
variable "redis_password" {
  type = string
}
`,
    });
    const hit = findings.find((f) => f.ruleId === 'NHI-CFN-SECRET-LITERAL' && f.location === 'aws_ecs_task_definition.proxy');
    expect(hit?.message).toContain('REDIS_PASSWORD takes its value from ${var.redis_password}');
    expect(hit?.message).not.toContain('REDIS_HOST');
  });

  const template = (environment: unknown, secretString: string) => JSON.stringify({
    Resources: {
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { ContainerDefinitions: [{ Name: 'proxy', Image: 'proxy:1', Environment: environment }] },
      },
      Keys: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: secretString } },
    },
  });

  test('a {{resolve:secretsmanager}} reference joined into a plain environment value is reported', async () => {
    const joined = [{ Name: 'DATABASE_URL', Value: { 'Fn::Join': ['', ['postgresql://app:{{resolve:secretsmanager:', { Ref: 'Db' }, ':SecretString:password::}}@db:5432/app']] } }];
    const findings = await check({ 'stack.template.json': template(joined, '{"OPENAI_API_KEY":"sk-live-0123456789abcdef"}') }, 'stack.template.json');
    expect(findings.find((f) => f.ruleId === 'NHI-CFN-SECRET-LITERAL' && f.location === 'Task')?.message).toContain('DATABASE_URL resolves a Secrets Manager secret');
    expect(of(findings, 'NHI-CFN-SECRET-LITERAL')).toEqual(['Keys', 'Task']);
  });

  test('placeholders in a SecretString, and plain settings in the environment, are not reported', async () => {
    const plain = [{ Name: 'PORT', Value: '4000' }, { Name: 'DB_SECRET_ARN', Value: { Ref: 'Db' } }];
    const findings = await check({ 'stack.template.json': template(plain, '{"OPENAI_API_KEY":"placeholder","GROQ_API_KEY":"CHANGEME"}') }, 'stack.template.json');
    expect(of(findings, 'NHI-CFN-SECRET-LITERAL')).toEqual([]);
  });
});

describe('roles of an EKS cluster\'s access entries', () => {
  const files = (policy: string) => ({
    'main.tf': `data "aws_caller_identity" "current" {}
resource "aws_iam_role" "developers" {
  name = "eks-developers"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
  })
}
resource "aws_eks_access_entry" "developers" {
  cluster_name      = "gateway"
  principal_arn     = aws_iam_role.developers.arn
  kubernetes_groups = ["developers"]
}
${policy}`,
  });
  test('a role that only maps people of the account into the cluster is human access, not workload trust', async () => {
    expect(of(await check(files('')), 'NHI-TRUST-ROOT-OR-ANYONE')).toEqual([]);
  });
  test('the same role holding AWS permissions is still reported', async () => {
    const policy = `resource "aws_iam_role_policy" "developers" {
  role = aws_iam_role.developers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::gateway-logs/*" }]
  })
}
`;
    expect(of(await check(files(policy)), 'NHI-TRUST-ROOT-OR-ANYONE')).toEqual(['aws_iam_role.developers']);
  });
});

describe('a Kubernetes workload Terraform writes (NHI-TF-SECRET-IN-ENV)', () => {
  const deployment = (env: string) => `resource "kubernetes_deployment" "proxy" {
  metadata {
    name = "proxy"
  }
  spec {
    template {
      metadata {
        labels = { app = "proxy" }
      }
      spec {
        container {
          name  = "proxy"
          image = "proxy:1"
${env}
        }
      }
    }
  }
}
variable "redis_password" {
  type      = string
  sensitive = true
}
`;
  test('a password from a variable as a plain env value is reported', async () => {
    const findings = await check({ 'k8s.tf': deployment('          env {\n            name  = "REDIS_PASSWORD"\n            value = var.redis_password\n          }') });
    expect(findings.filter((f) => f.ruleId === 'NHI-TF-SECRET-IN-ENV').map((f) => [f.location, f.message]))
      .toEqual([['kubernetes_deployment.proxy', expect.stringContaining('REDIS_PASSWORD takes its value from ${var.redis_password}')]]);
  });
  test('a value_from reference to a Secret is not', async () => {
    const env = '          env {\n            name = "REDIS_PASSWORD"\n            value_from {\n              secret_key_ref {\n                name = "redis"\n                key  = "password"\n              }\n            }\n          }';
    expect(of(await check({ 'k8s.tf': deployment(env) }), 'NHI-TF-SECRET-IN-ENV')).toEqual([]);
  });
});

describe('a vault_policy_document built from dynamic "rule" blocks over a merged local map', () => {
  const files = (paths: string) => ({
    'main.tf': `variable "prefix" {
  type = string
}
variable "extra_rules" {
  type    = map(object({ path = string, capabilities = list(string) }))
  default = {}
}
locals {
  default_rules = {
${paths}
  }
  rules = merge(local.default_rules, var.extra_rules)
}
data "vault_policy_document" "tenant" {
  dynamic "rule" {
    for_each = local.rules
    content {
      path         = rule.value.path
      capabilities = rule.value.capabilities
    }
  }
}
resource "vault_policy" "tenant" {
  name   = "tenant"
  policy = data.vault_policy_document.tenant.hcl
}
resource "vault_approle_auth_backend_role" "tenant" {
  role_name          = "tenant"
  token_policies     = [vault_policy.tenant.name]
  token_ttl          = 900
  token_max_ttl      = 3600
  secret_id_ttl      = 600
  secret_id_num_uses = 1
}
`,
  });
  test('rules whose paths hold an unresolved prefix are still judged on what they reach beyond it', async () => {
    const findings = await check(files(`    rw = {
      path         = "\${var.prefix}/*"
      capabilities = ["create", "read", "update", "delete", "list"]
    }
    mounts = {
      path         = "sys/mounts/\${var.prefix}/*"
      capabilities = ["create", "update"]
    }`));
    expect(findings.filter((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN').map((f) => f.message)).toEqual([expect.stringMatching(/^path "sys\/mounts\/<var\.prefix>\/\*"/)]);
    expect(findings.filter((f) => f.ruleId === 'NHI-VAULT-POLICY-BROAD-GLOB').map((f) => f.message)).toEqual([expect.stringMatching(/^path "<var\.prefix>\/\*"/)]);
  });
  test('a narrow path under the prefix is not', async () => {
    const findings = await check(files(`    read = {
      path         = "\${var.prefix}/data/app/settings"
      capabilities = ["read"]
    }`));
    expect(of(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual([]);
    expect(of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
  });
});
