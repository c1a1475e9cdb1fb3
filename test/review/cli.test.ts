import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { NhiAcknowledgements, NhiRules } from '../../src';
import { main } from '../../src/review/cli';
import { legacyVaultApp } from '../support/check-fixtures';
import { PEER_FINDINGS, peerGatewayApp } from '../support/peer-gateway';

let dir: string;
let peerOut: string;
let vaultOut: string;

/** Runs the command in-process and returns its exit code and what it wrote. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-cli-'));
  peerOut = path.join(dir, 'peer.out');
  peerGatewayApp(peerOut).synth();

  vaultOut = path.join(dir, 'vault.out');
  legacyVaultApp(vaultOut, 2).app.synth();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('gateward check', () => {
  test('exits 1 on open findings, prints them, and writes JSON and SARIF', async () => {
    const json = path.join(dir, 'findings.json');
    const sarif = path.join(dir, 'findings.sarif');
    const result = await run('check', '--cdk', peerOut, '--vault', vaultOut, '--json', json, '--sarif', sarif);
    expect(result.out).toMatch(/^Checked 2 inputs: .*\(cloud assembly\): 1 stack \(BedrockProxy\), \d+ resources; .*\(CDKTF output\): 1 stack, \d+ resources/);
    expect(result.code).toBe(1);
    // Two of the peer's findings are notes (no trail, the AWS-managed key), which never fail.
    expect(result.out).toContain(`${PEER_FINDINGS.length - 1} open NHI findings (0 acknowledged, 2 notes):`);
    expect(result.out).toMatch(/CRITICAL +NHI-IAM-WILDCARD-ACTION +BedrockProxy\/ProxyApiHandler\/ServiceRole/);
    expect(result.out).toMatch(/HIGH +NHI-VAULT-IAM-USER +vault_aws_secret_backend_role\.legacy/);

    const report = JSON.parse(fs.readFileSync(json, 'utf-8'));
    expect(report.open).toBe(PEER_FINDINGS.length - 1);
    expect(report.notes).toBe(2);
    expect(report.findings.map((f: any) => [f.ruleId, f.location]).sort()).toEqual(
      [...PEER_FINDINGS, ['NHI-VAULT-IAM-USER', 'vault_aws_secret_backend_role.legacy']].sort());
    const wildcard = report.findings.find((f: any) => f.ruleId === 'NHI-IAM-WILDCARD-ACTION');
    expect(wildcard).toMatchObject({ severity: 'critical', nhi: expect.stringMatching(/^NHI5/), nist: expect.arrayContaining(['AC-6']) });

    const log = JSON.parse(fs.readFileSync(sarif, 'utf-8'));
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules.map((r: any) => r.id)).toEqual(NhiRules.all().map((r) => r.id));
    expect(run0.results).toHaveLength(PEER_FINDINGS.length + 1);
    for (const result0 of run0.results) {
      expect(run0.tool.driver.rules[result0.ruleIndex].id).toBe(result0.ruleId);
      expect(['error', 'warning', 'note']).toContain(result0.level);
      expect(result0.suppressions).toBeUndefined();
    }
    const vaultResult = run0.results.find((r: any) => r.ruleId === 'NHI-VAULT-IAM-USER');
    expect(vaultResult.locations[0].physicalLocation.artifactLocation.uri).toBe(path.join(vaultOut, 'stacks', 'vault', 'cdk.tf.json'));
    expect(vaultResult.locations[0].logicalLocations[0].fullyQualifiedName).toBe('vault_aws_secret_backend_role.legacy');
  });

  test('exits 0 when every finding is acknowledged, and SARIF carries the reasons as suppressions', async () => {
    const acknowledgedOut = path.join(dir, 'acknowledged.out');
    const app = peerGatewayApp(acknowledgedOut);
    for (const [ruleId, location] of PEER_FINDINGS) {
      const target = location === 'BedrockProxy' ? app.node.findChild('BedrockProxy') : app.node.findAll().find((c) => c.node.path === location)!;
      NhiAcknowledgements.acknowledge(target, ruleId, `accepted for the CLI test: ${ruleId}`);
    }
    app.synth();
    const sarif = path.join(dir, 'acknowledged.sarif');
    const result = await run('check', '--cdk', acknowledgedOut, '--sarif', sarif);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`No open NHI findings (${PEER_FINDINGS.length} acknowledged).`);
    expect(result.out).toContain('accepted for the CLI test: NHI-SECRET-NO-ROTATION');
    const results = JSON.parse(fs.readFileSync(sarif, 'utf-8')).runs[0].results;
    expect(results.map((r: any) => r.suppressions[0])).toContainEqual({ kind: 'inSource', justification: 'accepted for the CLI test: NHI-NO-AUDIT-TRAIL' });
  });

  test('exits 0 when the only findings are notes, and 1 once a real finding joins them', async () => {
    const template = (resources: Record<string, unknown>) => {
      const file = path.join(dir, `notes-${Object.keys(resources).length}.template.json`);
      fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
      return file;
    };
    // A log group without retention or a customer-managed key: context, not an NHI problem.
    const logGroup = { Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} } };
    const notesOnly = await run('check', template(logGroup));
    expect(notesOnly.code).toBe(0);
    expect(notesOnly.out).toMatch(/NOTE +NHI-LOG-NO-RETENTION +Logs/);
    const withKey = await run('check', template({ ...logGroup, User: { Type: 'AWS::IAM::User', Properties: {} }, Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'User' } } } }));
    expect(withKey.code).toBe(1);
    expect(withKey.out).toContain('NHI-LONG-LIVED-IAM-CREDENTIALS');
  });

  test('--owner-tags replaces the tag keys every resource must carry', async () => {
    const taggedOut = path.join(dir, 'tagged.out');
    const app = peerGatewayApp(taggedOut);
    cdk.Tags.of(app).add('team', 'platform');
    app.synth();
    const result = await run('check', '--cdk', taggedOut, '--owner-tags', 'team');
    expect(result.code).toBe(1);
    expect(result.out).not.toContain('NHI-MISSING-OWNER-TAGS');
    expect((await run('check', '--cdk', taggedOut, '--owner-tags', 'team,cost-center')).out).toContain('has no cost-center tag');
  });

  test.each([
    [[], 'no command given'],
    [['scan'], 'unknown command "scan"'],
    [['check'], 'give at least one PATH to check'],
    [['check', 'x', '--json', '-', '--sarif', '-'], '--json - and --sarif - cannot both write to standard output'],
    [['check', '--cdk'], '--cdk needs a value'],
    [['check', '--cdk', '--json', 'x'], '--cdk needs a value'],
    [['check', '--fast'], 'unknown option "--fast"'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`gateward: ${message}`);
    expect(result.err).toContain('Usage: gateward check');
    expect(result.out).toBe('');
  });

  test('--help prints the usage to standard output and exits 0', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Exits 0 when no finding is open (informational notes never fail), 1 when one is, 2 when the');
  });

  test('--json - writes the report to standard output, and the text to standard error', async () => {
    const result = await run('check', vaultOut, '--json', '-');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out).findings.map((f: any) => f.ruleId)).toEqual(['NHI-VAULT-IAM-USER']);
    expect(result.err).toContain('1 open NHI finding');
  });

  test('exits 2 naming the file when a template cannot be read', async () => {
    const broken = path.join(dir, 'broken.out');
    fs.cpSync(peerOut, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'BedrockProxy.template.json'), '{ not json');
    const result = await run('check', '--cdk', broken);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`gateward: ${path.join(broken, 'BedrockProxy.template.json')}: is not valid JSON`);
  });
});
