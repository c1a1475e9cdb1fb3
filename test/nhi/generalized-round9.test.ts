import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/review/cli';

interface Finding { ruleId: string; location: string; message: string }

const RULES = path.join(__dirname, '..', 'fixtures', 'rules');

/** Runs `gateward check --json -` on one path; returns its findings. */
async function checkPath(input: string): Promise<Finding[]> {
  const out: string[] = [];
  const code = await main(['check', input, '--json', '-'], { out: (t) => out.push(t), err: () => undefined });
  expect(code).not.toBe(2);
  return JSON.parse(out.join('\n')).findings;
}

/** Runs the check on Terraform files written to a temporary directory. */
async function checkFiles(files: Record<string, string>): Promise<Finding[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-r9-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return await checkPath(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);
const locations = (findings: Finding[], ruleId: string) => of(findings, ruleId).map((f) => f.location).sort();

describe('a managed policy whose only holder is a role made in a module it is passed to', () => {
  const cases = path.join(RULES, 'NHI-IAM-WILDCARD-RESOURCE', 'module-held');

  test('is judged as the module role\'s, and the message names the module', async () => {
    const findings = await checkPath(path.join(cases, 'violating'));
    expect(locations(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['aws_iam_policy.proxy']);
    expect(locations(findings, 'NHI-IAM-WILDCARD-ACTION')).toEqual(['aws_iam_policy.worker']);
    const proxy = of(findings, 'NHI-IAM-WILDCARD-RESOURCE').find((f) => f.location === 'aws_iam_policy.proxy')!;
    expect(proxy.message).toContain('bedrock:InvokeModel');
    expect(proxy.message).toContain('held by the role module.proxy_irsa creates');
  });

  test('a scoped policy passed the same way, and a policy handed to an argument that attaches nothing, are silent', async () => {
    const findings = await checkPath(path.join(cases, 'compliant'));
    expect(findings.filter((f) => f.ruleId.startsWith('NHI-IAM-'))).toEqual([]);
  });

  test('a policy also attached to a role in the files is judged on that role only', async () => {
    const findings = await checkFiles({
      'main.tf': `module "irsa" {
  source           = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  role_policy_arns = { invoke = aws_iam_policy.invoke.arn }
}
resource "aws_iam_role" "local" {
  name               = "local"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "local" {
  role       = aws_iam_role.local.name
  policy_arn = aws_iam_policy.invoke.arn
}
resource "aws_iam_policy" "invoke" {
  name   = "invoke"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "bedrock:InvokeModel", Resource = "*" }] })
}
`,
    });
    expect(locations(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['aws_iam_role.local']);
  });
});

describe('an administrator\'s key beside the store callers\' own keys are looked up in', () => {
  const cases = path.join(RULES, 'NHI-SHARED-CALLER-KEY', 'key-store');

  test('a master key with only a provider-key table, and a non-admin key beside a callers\' table, are still the shared key', async () => {
    const findings = await checkPath(path.join(cases, 'violating.template.json'));
    expect(locations(findings, 'NHI-SHARED-CALLER-KEY')).toEqual(['MasterKey', 'SharedKey']);
  });

  test('a master key beside an API-keys table, or an admin token beside a per-client secret prefix, is not', async () => {
    const findings = await checkPath(path.join(cases, 'compliant.template.json'));
    expect(of(findings, 'NHI-SHARED-CALLER-KEY')).toEqual([]);
  });
});

describe('a database mount whose missing lease TTLs are what its roles\' missing TTLs fall through to', () => {
  test('is reported once, on the role, naming the mount', async () => {
    const findings = await checkPath(path.join(RULES, 'NHI-VAULT-LEASE-TTL', 'compliant.tf.json'));
    expect(locations(findings, 'NHI-VAULT-LEASE-TTL')).toEqual([]);
    const role = of(findings, 'NHI-VAULT-DB-ROLE-TTL');
    expect(role.map((f) => f.location)).toEqual(['vault_database_secret_backend_role.report_reader']);
    expect(role[0].message).toContain('its mount vault_mount.reports does not bound it either');
  });

  test('a mount whose roles are all read is judged through them: a bounded role needs nothing from its mount', async () => {
    const role = (name: string, ttl: string) => `resource "vault_database_secret_backend_role" "${name}" {
  backend             = vault_mount.db.path
  name                = "${name}"
  db_name             = "postgres"
  creation_statements = ["CREATE ROLE \\"{{name}}\\";"]
  ${ttl}
}
`;
    const findings = await checkFiles({
      'main.tf': `resource "vault_mount" "db" {
  path = "db"
  type = "database"
}
${role('reported', '')}${role('bounded', 'default_ttl = 900\n  max_ttl = 3600')}`,
    });
    expect(locations(findings, 'NHI-VAULT-LEASE-TTL')).toEqual([]);
    expect(locations(findings, 'NHI-VAULT-DB-ROLE-TTL')).toEqual(['vault_database_secret_backend_role.reported']);
  });
});
