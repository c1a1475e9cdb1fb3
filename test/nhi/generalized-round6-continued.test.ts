import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/review/cli';

interface Finding { ruleId: string; location: string; message: string }

/** Runs `gateward check` on Terraform files written to a temporary directory; returns its findings. */
async function checkTerraform(files: Record<string, string>): Promise<Finding[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-tf-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const out: string[] = [];
    const code = await main(['check', dir, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
    expect(code).not.toBe(2);
    return JSON.parse(out.join('\n')).findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.location).sort();

/** A CA certificate made with openssl for the test (the key is thrown away): what a `file()` of a CA chain reads. */
function caCertificate(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-ca-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k'),
      '-out', path.join(dir, 'c'), '-days', '1', '-subj', '/CN=Central Signing CA', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' });
    return fs.readFileSync(path.join(dir, 'c'), 'utf-8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('a cert auth role that trusts a whole CA (NHI-VAULT-CERT-AUTH-UNBOUND)', () => {
  const role = (name: string, certificate: string, extra = '') =>
    `resource "vault_cert_auth_backend_role" "${name}" {\n  backend = vault_auth_backend.cert.path\n  name = "${name}"\n  certificate = ${certificate}\n  token_policies = ["app"]\n${extra}}\n`;
  const cert = 'resource "vault_auth_backend" "cert" {\n  type = "cert"\n  path = "cert"\n}\n';
  const pki = [
    'resource "vault_mount" "root" {\n  path = "pki-root"\n  type = "pki"\n}\n',
    'resource "vault_pki_secret_backend_root_cert" "root" {\n  backend = vault_mount.root.path\n  type = "internal"\n  common_name = "Root"\n}\n',
    'resource "vault_pki_secret_backend_root_sign_intermediate" "hosts" {\n  backend = vault_mount.root.path\n  csr = "x"\n  common_name = "Hosts"\n}\n',
    'resource "vault_mount" "clients" {\n  path = "pki-clients"\n  type = "pki"\n}\n',
    'resource "vault_pki_secret_backend_root_cert" "clients" {\n  backend = vault_mount.clients.path\n  type = "internal"\n  common_name = "Clients"\n}\n',
    'resource "vault_pki_secret_backend_role" "clients" {\n  backend = vault_mount.clients.path\n  name = "ci"\n  allowed_domains = ["ci.example.internal"]\n  client_flag = true\n}\n',
  ].join('\n');

  test('a CA chain read from a file, and a root CA that signs intermediates, with no allowed names, are reported', async () => {
    const findings = await checkTerraform({
      'ca/chain.pem': caCertificate(),
      'main.tf': [cert, pki, 'data "local_file" "chain" {\n  filename = "${path.root}/ca/chain.pem"\n}\n',
        role('from_file', 'data.local_file.chain.content'), role('root', 'vault_pki_secret_backend_root_cert.root.certificate')].join('\n'),
    });
    expect(of(findings, 'NHI-VAULT-CERT-AUTH-UNBOUND')).toEqual(['vault_cert_auth_backend_role.from_file', 'vault_cert_auth_backend_role.root']);
    expect(findings.find((f) => f.location === 'vault_cert_auth_backend_role.from_file' && f.ruleId === 'NHI-VAULT-CERT-AUTH-UNBOUND')!.message)
      .toContain('CN=Central Signing CA');
  });

  test('named clients, a dedicated client CA, and a certificate given as an input are not', async () => {
    const findings = await checkTerraform({
      'main.tf': [cert, pki, 'variable "client_cert" {\n  type = string\n}\n',
        role('named', 'vault_pki_secret_backend_root_cert.root.certificate', '  allowed_common_names = ["runner.ci.example.internal"]\n'),
        role('dedicated', 'vault_pki_secret_backend_root_cert.clients.certificate'), role('input', 'var.client_cert')].join('\n'),
    });
    expect(of(findings, 'NHI-VAULT-CERT-AUTH-UNBOUND')).toEqual([]);
  });
});

describe('backend credentials Terraform writes into Vault (NHI-TF-SECRET-IN-STATE)', () => {
  const ldap = (bindpass: string) =>
    `resource "vault_ldap_auth_backend" "ldap" {\n  path = "ldap"\n  url = "ldaps://dc.example.internal"\n  binddn = "cn=vault"\n  ${bindpass}\n  userdn = "ou=people"\n}\n`;
  const oidc = 'resource "vault_jwt_auth_backend" "oidc" {\n  path = "oidc"\n  type = "oidc"\n  oidc_discovery_url = "https://idp.example.com"\n  oidc_client_id = "vault"\n  oidc_client_secret = var.oidc_client_secret\n}\n';

  test('a bind password and an OIDC client secret from required variables sit in the state', async () => {
    const findings = await checkTerraform({
      'main.tf': ['variable "ldap_bindpass" {\n  type = string\n  sensitive = true\n}\n', 'variable "oidc_client_secret" {\n  type = string\n}\n', ldap('bindpass = var.ldap_bindpass'), oidc].join('\n'),
    });
    expect(of(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['vault_jwt_auth_backend.oidc', 'vault_ldap_auth_backend.ldap']);
    expect(findings.find((f) => f.location === 'vault_ldap_auth_backend.ldap' && f.ruleId === 'NHI-TF-SECRET-IN-STATE')!.message)
      .toMatch(/^bindpass is set from unresolved \(\$\{var\.ldap_bindpass\}\)/);
  });

  test('a write-only argument, and an optional input (default = null) left unset, are not kept in the state', async () => {
    const findings = await checkTerraform({
      'main.tf': ['variable "ldap_bindpass" {\n  type = string\n  sensitive = true\n  ephemeral = true\n}\n', 'variable "oidc_client_secret" {\n  default = null\n  sensitive = true\n}\n',
        ldap('bindpass_wo = var.ldap_bindpass\n  bindpass_wo_version = 1'), oidc].join('\n'),
    });
    expect(of(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('policies an auth method hands out and engine administration paths (NHI-VAULT-POLICY-FORBIDDEN, -BROAD-GLOB)', () => {
  const policy = (name: string, body: string) => `resource "vault_policy" "${name}" {\n  name = "${name}"\n  policy = <<EOT\n${body}\nEOT\n}\n`;
  const mounts = 'resource "vault_mount" "ssh" {\n  path = "ssh"\n  type = "ssh"\n}\nresource "vault_mount" "ldap" {\n  path = "ldap"\n  type = "ldap"\n}\n';

  test('a policy an LDAP auth method hands to every login is judged as held', async () => {
    const findings = await checkTerraform({
      'main.tf': [mounts, policy('ldap_admin', 'path "ldap/*" {\n  capabilities = ["create", "read", "update", "delete", "list", "sudo"]\n}'),
        'resource "vault_ldap_auth_backend" "ldap" {\n  path = "ldap-login"\n  url = "ldaps://dc.example.internal"\n  token_policies = ["default", "ldap_admin"]\n}\n'].join('\n'),
    });
    expect(of(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual(['vault_policy.ldap_admin']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-POLICY-BROAD-GLOB')!.message).toContain('handed out by vault_ldap_auth_backend.ldap');
  });

  test('ssh/roles/* held by two roles is one finding on the policy, naming both, and none on the roles', async () => {
    const jwt = (name: string) => `resource "vault_jwt_auth_backend_role" "${name}" {\n  backend = "jwt"\n  role_name = "${name}"\n  role_type = "jwt"\n  bound_audiences = ["vault"]\n  bound_claims = { sub = "repo:acme/${name}:ref:refs/heads/main" }\n  user_claim = "sub"\n  token_ttl = 600\n  token_max_ttl = 900\n  token_policies = ["ssh_roles", "sign"]\n}\n`;
    const findings = await checkTerraform({
      'main.tf': [mounts, policy('ssh_roles', 'path "ssh/roles/*" {\n  capabilities = ["create", "update", "read", "list"]\n}'),
        policy('sign', 'path "ssh/sign/ci" {\n  capabilities = ["update"]\n}'), jwt('deploy'), jwt('release')].join('\n'),
    });
    expect(of(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual(['vault_policy.ssh_roles']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN')!.message)
      .toBe('reaches ssh/roles/any for the tokens of vault_jwt_auth_backend_role.deploy, vault_jwt_auth_backend_role.release');
  });
});

describe('a caller key in a function no HTTP caller reaches (NHI-SHARED-CALLER-KEY), in Terraform', () => {
  const fn = 'resource "aws_iam_role" "proxy" {\n  name = "proxy"\n  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })\n}\n'
    + 'resource "aws_lambda_function" "proxy" {\n  function_name = "proxy"\n  role = aws_iam_role.proxy.arn\n  environment {\n    variables = { GATEWAY_API_KEY = var.gateway_key }\n  }\n}\nvariable "gateway_key" {\n  type = string\n}\n';

  test('a function reached through its function URL is reported; one invoked only by a queue is not', async () => {
    const url = 'resource "aws_lambda_function_url" "proxy" {\n  function_name = aws_lambda_function.proxy.function_name\n  authorization_type = "NONE"\n}\n';
    const queue = 'resource "aws_lambda_permission" "queue" {\n  action = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.proxy.function_name\n  principal = "sqs.amazonaws.com"\n}\n';
    expect(of(await checkTerraform({ 'main.tf': fn + url }), 'NHI-SHARED-CALLER-KEY')).toEqual(['aws_lambda_function.proxy']);
    expect(of(await checkTerraform({ 'main.tf': fn + queue }), 'NHI-SHARED-CALLER-KEY')).toEqual([]);
  });
});
