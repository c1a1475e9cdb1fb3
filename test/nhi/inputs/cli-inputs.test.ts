import * as path from 'path';
import { main } from '../../../src/review/cli';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'inputs');
const at = (name: string) => path.join(FIXTURES, name);

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('gateward check reads every input kind', () => {
  test.each([
    ['a YAML template with short-form intrinsics', ['cfn-yaml/gateway.yaml'], 'CloudFormation template): 1 stack, 2 resources', /NHI-IAM-WILDCARD-ACTION +ProxyRole/],
    ['a JSON template: a user with AdministratorAccess', ['cfn-json/gateway.template.json'], 'CloudFormation template): 1 stack, 1 resource', /NHI-LONG-LIVED-IAM-CREDENTIALS +Operator/],
    ['a nested Stage assembly', ['assembly-nested'], 'cloud assembly): 1 stack (Prod/Gateway), 1 resource', /NHI-LONG-LIVED-IAM-CREDENTIALS +Key/],
    ['a directory of .tf files', ['tf-hcl'], 'Terraform): 1 Terraform file (main.tf), 5 resources (3 read by the AWS rules)', /NHI-IAM-WILDCARD-ACTION +aws_iam_role\.proxy/],
    ['a .tf.json file', ['tf-json/vault.tf.json'], 'Terraform): 1 Terraform JSON file, 1 resource', /NHI-VAULT-IAM-USER +vault_aws_secret_backend_role\.legacy/],
    ['terraform show -json of a plan', ['tf-plan/plan.json'], 'terraform show -json): a Terraform plan or state, 1 resource', /NHI-VAULT-IAM-USER +module\.vault\.vault_aws_secret_backend_role\.legacy/],
  ])('%s', async (_name, paths, checked, finding) => {
    const result = await run('check', ...paths.map(at));
    expect(result.err).toBe('');
    expect(result.code).toBe(1);
    expect(result.out).toContain(checked);
    expect(result.out).toMatch(finding);
  });

  test('Terraform values: jsonencode and file() policies are read, a variable without a default is unresolved', async () => {
    const result = await run('check', at('tf-hcl'), '--json', '-');
    const report = JSON.parse(result.out);
    const messages = report.findings.map((f: any) => `${f.ruleId} ${f.location} ${f.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/NHI-IAM-WILDCARD-ACTION aws_iam_role\.proxy allows iam:\*/));
    // One finding per rule and resource: the s3:* wildcard is listed in the same finding as iam:*.
    expect(messages).toContainEqual(expect.stringMatching(/NHI-IAM-WILDCARD-ACTION aws_iam_role\.proxy allows iam:\*.*; allows s3:\*/));
    const ttl = report.findings.find((f: any) => f.ruleId === 'NHI-VAULT-DB-ROLE-TTL');
    expect(ttl.message).toContain('${var.postgres_ttl}');
    expect(ttl.message).not.toMatch(/max_ttl/);
    expect(ttl.file).toBe(path.join(at('tf-hcl'), 'main.tf'));
    expect(result.err).toContain('Checked');
  });
});

describe('gateward check fails closed', () => {
  test.each([
    [['assembly-empty'], 'assembly-empty/manifest.json: lists no CloudFormation stack'],
    [['assembly-misspelt'], 'assembly-misspelt/manifest.json: artifact "Gateway" has type "aws:cloudformation:stak", which is not a cloud assembly artifact type'],
    [['tf-variables-only'], 'tf-variables-only: 1 Terraform file (variables.tf), but it declares no resource to check'],
    [['tf-remote-modules-only'], 'tf-remote-modules-only: 1 Terraform file (main.tf), but it declares no resource to check: what it deploys is in modules the path does not hold (module.oidc "example-org/github-oidc/vault": not a local path; registry and git modules are not fetched)'],
    [['tf-broken'], 'tf-broken/main.tf: is not valid HCL'],
    [['unknown/notes.txt'], 'unknown/notes.txt: is not a file type gateward reads'],
    [['unknown/other.json'], 'unknown/other.json: is JSON, but neither a CloudFormation template'],
    [['unknown/broken.json'], 'unknown/broken.json: is not valid JSON'],
    [['unknown'], 'unknown: is a directory with no manifest.json and no .tf or .tf.json files'],
    [['does-not-exist'], 'does-not-exist: does not exist'],
    [['--cdk', 'tf-hcl'], 'tf-hcl: is Terraform, not what --cdk reads'],
    [['--vault', 'assembly-nested'], 'assembly-nested: is a cloud assembly, not what --vault reads'],
  ])('exits 2 for %j', async (args, message) => {
    const result = await run('check', ...args.map((a) => (a.startsWith('--') ? a : at(a))));
    expect(result.code).toBe(2);
    expect(result.err).toContain(`gateward: ${FIXTURES}${path.sep}${message}`);
    expect(result.out).toBe('');
  });

  test('every unreadable path is named, not only the first', async () => {
    const result = await run('check', at('assembly-empty'), at('unknown/notes.txt'));
    expect(result.code).toBe(2);
    expect(result.err.split('\n').filter((l) => l.startsWith('gateward: '))).toHaveLength(2);
  });

  test('--help and --version write to standard output', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: gateward check PATH...');
    expect(help.err).toBe('');
    const version = await run('--version');
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^\d+\.\d+\.\d+/);
  });
});
