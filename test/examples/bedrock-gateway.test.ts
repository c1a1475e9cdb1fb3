import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatSummary, synthesizeGateway } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { AwsNhiChecker, VaultNhiChecker } from '../../src';
import { specWith } from '../fixtures/specs';

describe('the example synthesizes both planes offline', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-example-'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('into out/aws as a cloud assembly and out/vault in the cdktf layout', () => {
    const summary = synthesizeGateway(exampleSpec, outdir);
    // The plane's stack holds what the tenants share; each tenant's cell is in the cell stack its id
    // picks (support -> 104, research -> 076).
    expect(summary.stacks.map((s) => [s.plane, s.name])).toEqual([
      ['aws', 'acme-llm-aws'],
      ['aws', 'acme-llm-guardrails'],
      ['aws', 'acme-llm-aws-cells-204'],
      ['aws', 'acme-llm-aws-cells-232'],
      ['vault', 'acme-llm-vault'],
    ]);
    // The guardrails as plain JSON too, the same documents the guardrails stack deploys.
    expect(summary.guardrailFiles.length).toBeGreaterThanOrEqual(2);
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'aws', 'acme-llm-guardrails.template.json'), 'utf-8'));
    const deployed = Object.values(template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::Organizations::Policy').map((r) => JSON.stringify(r.Properties.Content)).sort();
    const written = summary.guardrailFiles.map((file) => JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf-8')))).sort();
    expect(written).toEqual(deployed);
    expect(fs.existsSync(path.join(outdir, 'aws', 'manifest.json'))).toBe(true);
    for (const name of ['acme-llm-aws', 'acme-llm-aws-cells-204', 'acme-llm-aws-cells-232']) {
      expect(fs.existsSync(path.join(outdir, 'aws', `${name}.template.json`))).toBe(true);
    }
    expect(fs.existsSync(path.join(outdir, 'vault', 'stacks', 'acme-llm-vault', 'cdk.tf.json'))).toBe(true);
    for (const stack of summary.stacks) {
      expect(fs.existsSync(stack.file)).toBe(true);
    }

    // The rule packs ran: nothing open (synthesis would have failed); the acknowledged findings
    // are listed with their reasons (test/aws/compliance.test.ts pins them).
    // Seven in the shared stack (the verifier's and the broker's one pattern each, the copy
    // bucket's replication, the API deployer's two tag-scoped deployment resources, its log
    // streams and no VPC); two for each cell stack's API stage (no cache, no client
    // certificate); six for each of the two router cells (log streams, network interfaces,
    // Describe calls, its security group imported from the shared stack, no dead-letter queue,
    // its method's SigV4 callers).
    expect(summary.acknowledgements).toHaveLength(7 + 2 * 2 + 6 * 2);
    const byStack = (stack: string) => summary.acknowledgements.filter((a) => a.constructPath.startsWith(`/${stack}/`)).length;
    expect([byStack('acme-llm-aws'), byStack('acme-llm-aws-cells-204'), byStack('acme-llm-aws-cells-232')]).toEqual([7, 8, 8]);
    const resources = (name: string) => summary.stacks.find((s) => s.name === name)?.resources;
    expect(resources('acme-llm-aws')).toBeGreaterThan(30);
    expect(resources('acme-llm-aws-cells-204')).toBeGreaterThan(30);
    expect(resources('acme-llm-aws-cells-232')).toBeGreaterThan(30);
    expect(summary.stacks.find((s) => s.plane === 'vault')?.resources).toBeGreaterThan(15);

    const text = formatSummary(summary, outdir);
    expect(text).toContain('no open finding, 23 acknowledged');
    expect(text).toContain('Organization guardrails (SCPs and RCPs for the management account) -> guardrails/');
    expect(text).toContain('aws/acme-llm-aws.template.json');
    expect(text).toContain('aws/acme-llm-aws-cells-204.template.json');
    expect(text).toContain('aws/acme-llm-aws-cells-232.template.json');
    expect(text).toContain('vault/stacks/acme-llm-vault/cdk.tf.json');
    expect(text).toContain('Rule pack (OWASP NHI for Vault): no open finding, 0 acknowledged');
  });

  test('has zero findings from both NHI checkers, none of them acknowledged away', () => {
    expect(new AwsNhiChecker().checkCloudAssembly(path.join(outdir, 'aws'))).toEqual([]);
    expect(new VaultNhiChecker().checkCdktfOutput(path.join(outdir, 'vault'))).toEqual([]);
  });

  test('a second run replaces the first run\'s output', () => {
    fs.mkdirSync(path.join(outdir, 'vault', 'stacks', 'stale'), { recursive: true });
    synthesizeGateway(exampleSpec, outdir);
    expect(fs.existsSync(path.join(outdir, 'vault', 'stacks', 'stale'))).toBe(false);
  });

  test('an invalid spec stops before anything is written', () => {
    const fresh = path.join(outdir, 'invalid');
    expect(() => synthesizeGateway(specWith((s) => { s.aws.account = '1'; }), fresh)).toThrow(/aws\.account/);
    expect(fs.existsSync(fresh)).toBe(false);
  });
});
