import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/review/cli';

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

describe('a KV document written by Terraform (HCL, read with HashiCorp\'s parser)', () => {
  const kv = (name: string, data: string, extra = '') =>
    `resource "vault_kv_secret_v2" "${name}" {\n  mount = "secrets"\n  name  = "${name}"\n  data_json = jsonencode(${data})\n${extra}}\n`;
  const literal = (findings: Finding[], name: string) =>
    findings.find((f) => f.ruleId === 'NHI-VAULT-KV-SECRET-LITERAL' && f.location === `vault_kv_secret_v2.${name}`);
  const ignore = '  lifecycle {\n    ignore_changes = [data_json]\n  }\n';

  test('placeholders whose real values are set outside Terraform (ignore_changes) are not literal secrets', async () => {
    const findings = await checkTerraform({ 'kv.tf': kv('servicenow', '{ username = "PLACEHOLDER", password = "PLACEHOLDER" }', ignore) });
    expect(literal(findings, 'servicenow')).toBeUndefined();
  });

  test('a real value under ignore_changes is still written into the code and the state', async () => {
    const findings = await checkTerraform({ 'kv.tf': kv('servicenow', '{ password = "s3cr3t-Value-42" }', ignore) });
    expect(literal(findings, 'servicenow')?.message).toBe('data_json writes password literally, and Terraform keeps the value in its state in clear');
  });

  test('a placeholder Terraform keeps writing is still reported', async () => {
    const findings = await checkTerraform({ 'kv.tf': kv('servicenow', '{ password = "PLACEHOLDER" }') });
    expect(literal(findings, 'servicenow')).toBeDefined();
  });

  test('an abbreviated credential key (api_cred) is a secret key', async () => {
    const findings = await checkTerraform({ 'kv.tf': kv('dev', '{ api_cred = "aaaa-bbbb-cccc-dddd" }') });
    expect(literal(findings, 'dev')?.message).toBe('data_json writes api_cred literally, and Terraform keeps the value in its state in clear');
  });
});

describe('an auth role whose token_max_ttl bounds every token', () => {
  const role = (ttls: string) => `resource "vault_jwt_auth_backend_role" "ci" {
  backend         = "jwt"
  role_name       = "ci"
  role_type       = "jwt"
  user_claim      = "sub"
  bound_audiences = ["vault"]
  bound_subject   = "repo:acme/app:ref:refs/heads/main"
  token_policies  = [vault_policy.app.name]
${ttls}}

resource "vault_policy" "app" {
  name   = "app"
  policy = <<EOT
path "secret/data/app" {
  capabilities = ["read"]
}
EOT
}
`;
  const ttlFinding = (findings: Finding[]) => findings.find((f) => f.ruleId === 'NHI-VAULT-TOKEN-TTL' && f.location === 'vault_jwt_auth_backend_role.ci');

  test('no token_ttl beside a token_max_ttl within the ceiling is bounded', async () => {
    expect(ttlFinding(await checkTerraform({ 'jwt.tf': role('  token_max_ttl = "900"\n') }))).toBeUndefined();
  });

  test('no token_ttl beside a token_max_ttl above the ceiling is reported for the maximum', async () => {
    const finding = ttlFinding(await checkTerraform({ 'jwt.tf': role('  token_max_ttl = 86400\n') }));
    expect(finding?.message).toMatch(/token_max_ttl is 86400/);
  });

  test('neither TTL is still reported', async () => {
    expect(ttlFinding(await checkTerraform({ 'jwt.tf': role('') }))?.message).toMatch(/token_ttl is missing/);
  });
});
