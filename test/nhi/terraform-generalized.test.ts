import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { evaluateHcl, parseHclExpression } from '../../src/nhi/inputs/hcl-expression';
import { isUnresolved } from '../../src/nhi/private/unresolved';
import { main } from '../../src/review/cli';

interface Finding { ruleId: string; location: string; message: string }

/** Runs `gateward check` on Terraform files written to a temporary directory; returns its exit code and findings. */
async function checkTerraform(files: Record<string, string>): Promise<{ code: number; findings: Finding[]; err: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-tf-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['check', dir, '--json', '-'], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, findings: code === 2 ? [] : JSON.parse(out.join('\n')).findings, err: err.join('\n') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const of = (id: string, findings: Finding[]) => findings.filter((f) => f.ruleId === id);

describe('a template the evaluator cannot render leaves only its value unknown', () => {
  const policyTemplate = '%{ for p in paths ~}\npath "${p}" {\n  capabilities = ["read"]\n}\n%{ endfor ~}\n';

  test('templatefile() over %{ for } directives is unresolved, not a syntax error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-hcl-'));
    try {
      fs.writeFileSync(path.join(dir, 'p.tftpl'), policyTemplate);
      const value = evaluateHcl(parseHclExpression('templatefile("p.tftpl", { paths = ["a", "b"] })'), { directory: dir, lookup: () => undefined });
      expect(isUnresolved(value)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the module is still read: the AppRole beside the policy is judged, and the CLI does not exit 2', async () => {
    const result = await checkTerraform({
      'main.tf': `
resource "vault_auth_backend" "approle" { type = "approle" }
resource "vault_policy" "nodes" {
  name   = "nodes"
  policy = templatefile("\${path.module}/templates/policy.tftpl", { paths = ["pki/sign/node"] })
}
resource "vault_approle_auth_backend_role" "node" {
  backend        = vault_auth_backend.approle.path
  role_name      = "node"
  token_ttl      = 60
  token_max_ttl  = 600
  token_policies = [vault_policy.nodes.name]
}
`,
      'templates/policy.tftpl': policyTemplate,
    });
    expect(result.err).not.toContain('template directive');
    expect(result.code).toBe(1);
    expect(of('NHI-VAULT-APPROLE-SECRET-ID-UNBOUNDED', result.findings).map((f) => f.location)).toEqual(['vault_approle_auth_backend_role.node']);
  });

  test('a file that does not parse still exits 2', async () => {
    const result = await checkTerraform({ 'main.tf': 'resource "vault_policy" "p" {\n  policy = \n' });
    expect(result.code).toBe(2);
  });
});

describe('AWS: OIDC condition keys built from an expression are read by their claim', () => {
  const role = (name: string, conditions: string) => `
resource "aws_iam_role" "${name}" {
  name = "${name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = var.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = ${conditions}
    }]
  })
}
`;
  const key = (claim: string) => `"\${replace(var.cluster_oidc_issuer_url, "https://", "")}:${claim}"`;
  const files = {
    'main.tf': `
variable "cluster_oidc_issuer_url" { type = string }
variable "oidc_provider_arn" { type = string }
${role('pinned', `{ StringEquals = { ${key('sub')} = "system:serviceaccount:kube-system:lbc", ${key('aud')} = "sts.amazonaws.com" } }`)}
${role('literal_star', `{ StringEquals = { ${key('sub')} = "system:serviceaccount:default:*-sa" } }`)}
${role('name_glob', `{ StringEquals = { ${key('aud')} = "sts.amazonaws.com" }, StringLike = { ${key('sub')} = "system:serviceaccount:default:*agent-sa" } }`)}
${role('unpinned', `{ StringEquals = { ${key('aud')} = "sts.amazonaws.com" } }`)}
`,
  };

  test('a StringEquals pin is one workload; a StringLike glob is broad, and the message names the glob', async () => {
    const { findings } = await checkTerraform(files);
    const broad = of('NHI-TRUST-OIDC-BROAD-SUBJECT', findings);
    expect(broad.map((f) => f.location).sort()).toEqual(['aws_iam_role.name_glob', 'aws_iam_role.unpinned']);
    expect(broad.find((f) => f.location === 'aws_iam_role.name_glob')!.message)
      .toContain('for sub system:serviceaccount:default:*agent-sa (StringLike glob): any service account of namespace default whose name matches *agent-sa');
    expect(broad.find((f) => f.location === 'aws_iam_role.unpinned')!.message).toContain('no condition on the sub claim');
  });
});

describe('Vault: a database connection configured by its connection_url alone', () => {
  const connection = (name: string, block: string) => `
resource "vault_database_secret_backend_connection" "${name}" {
  backend       = vault_database_secrets_mount.db.path
  name          = "${name}"
  allowed_roles = ["app"]
  postgresql {
${block}
  }
}
`;
  test('a URL from a variable, an empty placeholder default, or with a computed password carries the root credentials into the state', async () => {
    const { findings } = await checkTerraform({
      'main.tf': `
variable "pg_url" {
  type    = string
  default = ""
}
variable "pg_direct" { type = string }
variable "pg_password" {
  type      = string
  sensitive = true
}
variable "pg_host" { type = string }
resource "vault_database_secrets_mount" "db" {
  path                      = "db"
  default_lease_ttl_seconds = 900
  max_lease_ttl_seconds     = 3600
}
${connection('from_variable', '    connection_url = var.pg_direct')}
${connection('placeholder', '    connection_url = var.pg_url')}
${connection('userinfo', '    connection_url = "postgresql://admin:${var.pg_password}@${var.pg_host}:5432/app?sslmode=verify-full"')}
${connection('templated', '    connection_url = "postgresql://{{username}}:{{password}}@${var.pg_host}:5432/app?sslmode=verify-full"\n    username = "vault"\n    password_wo = var.pg_password\n    password_wo_version = 1')}
${connection('no_credentials', '    connection_url = "postgresql://${var.pg_host}:5432/app?sslmode=verify-full"')}
`,
    });
    const hits = of('NHI-TF-SECRET-IN-STATE', findings);
    expect(hits.map((f) => f.location).sort()).toEqual([
      'vault_database_secret_backend_connection.from_variable',
      'vault_database_secret_backend_connection.placeholder',
      'vault_database_secret_backend_connection.userinfo',
    ]);
    expect(hits.find((f) => f.location.endsWith('from_variable'))!.message).toContain('postgresql.connection_url is set from unresolved (${var.pg_direct}) with no {{username}}/{{password}} template');
  });
});

describe('Vault: a database role\'s TTLs count its mount\'s lease TTLs', () => {
  const files = (mountTtls: string) => ({
    'main.tf': `
variable "default_lease_ttl_seconds" { default = 6 * 60 * 60 }
resource "vault_mount" "db" {
  path = "db"
  type = "database"
${mountTtls}
}
resource "vault_database_secret_backend_role" "app" {
  backend             = vault_mount.db.path
  name                = "app"
  db_name             = "pg"
  creation_statements = ["CREATE ROLE \\"{{name}}\\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"]
}
`,
  });

  test('a role without TTLs on a mount that bounds its leases (6 * 60 * 60, 24 * 60 * 60) is not a finding', async () => {
    const { findings } = await checkTerraform(files('  default_lease_ttl_seconds = var.default_lease_ttl_seconds\n  max_lease_ttl_seconds = 24 * 60 * 60'));
    expect(of('NHI-VAULT-DB-ROLE-TTL', findings)).toEqual([]);
  });

  test('a mount that allows more than the ceiling is named in the role\'s finding', async () => {
    const { findings } = await checkTerraform(files('  default_lease_ttl_seconds = 3600\n  max_lease_ttl_seconds = 31 * 24 * 60 * 60'));
    const [finding] = of('NHI-VAULT-DB-ROLE-TTL', findings);
    expect(finding.message).toContain('max_ttl is 2678400 s, above 86400');
    expect(finding.message).toContain('max_ttl inherits vault_mount.db\'s max_lease_ttl_seconds');
  });

  test('with no lease TTLs on the mount either, the role is still a finding', async () => {
    const { findings } = await checkTerraform(files(''));
    expect(of('NHI-VAULT-DB-ROLE-TTL', findings).map((f) => f.message)).toEqual([expect.stringContaining('default_ttl is missing')]);
  });
});
