import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { AwsNhiChecker, NhiAcknowledgements, NhiChecks, NhiSeverity } from '../../src';
import { open } from '../support/check-fixtures';
import { peerGatewayApp } from '../support/peer-gateway';

/**
 * What the peer gateway must get: its bearer key is in a secret and, as a literal fallback, in the
 * function's environment, and nothing else authenticates callers; `bedrock:*` on `*` is one finding,
 * the wildcard action, graded by all it covers. Owner tags are not judged
 * (none configured); the missing trail and the AWS-managed key of the secret are informational notes.
 */
const PEER_FINDINGS: Array<[string, string]> = [
  ['NHI-CFN-SECRET-LITERAL', 'BedrockProxy/ProxyApiHandler'],
  ['NHI-IAM-WILDCARD-ACTION', 'BedrockProxy/ProxyApiHandler/ServiceRole'],
  ['NHI-NO-AUDIT-TRAIL', 'BedrockProxy'],
  ['NHI-SECRET-NO-CMK', 'BedrockProxy/ApiKeySecret'],
  ['NHI-SECRET-NO-ROTATION', 'BedrockProxy/ApiKeySecret'],
  ['NHI-SHARED-CALLER-KEY', 'BedrockProxy/ProxyApiHandler'],
];

/** The peer gateway's findings that are notes: they never fail synthesis. */
const INFO_RULES = ['NHI-NO-AUDIT-TRAIL', 'NHI-SECRET-NO-CMK'];

let outdir: string;
beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-peer-')); });
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('a gateway shaped like the public Bedrock proxies gets the expected findings', () => {
  const findings = new AwsNhiChecker().checkCloudAssembly(peerGatewayApp(outdir).synth().directory);
  expect(open(findings)).toEqual(PEER_FINDINGS);
  // bedrock:* includes resource-policy writes, so the wildcard is graded as permissions management.
  const wildcard = findings.find((f) => f.ruleId === 'NHI-IAM-WILDCARD-ACTION')!;
  expect(wildcard.severity).toBe(NhiSeverity.CRITICAL);
  expect(wildcard.message).toContain('Permissions management');
  expect(findings.find((f) => f.ruleId === 'NHI-CFN-SECRET-LITERAL')!.message).toMatch(/^API_KEY holds a literal value, written into its environment/);
  expect(findings.find((f) => f.ruleId === 'NHI-SHARED-CALLER-KEY')!.message)
    .toBe('checks callers against one static key (API_KEY_SECRET_ARN, API_KEY), and nothing in the template authenticates callers by identity; its function URL (AuthType NONE) takes requests from anyone');
  // Context, not NHI problems: the trail is an account control, and the AWS-managed key widens no one's access.
  expect(findings.filter((f) => f.severity === NhiSeverity.INFO).map((f) => f.ruleId).sort()).toEqual(['NHI-NO-AUDIT-TRAIL', 'NHI-SECRET-NO-CMK']);
  for (const finding of findings) {
    expect(finding.file).toBe(path.join(outdir, 'BedrockProxy.template.json'));
    expect(finding.nhi).toMatch(/^NHI(10|[1-9]):2025 /);
    expect(finding.nist.length).toBeGreaterThan(0);
  }
});

describe('NhiChecks, the CDK validation plugin', () => {
  const plugin = () => new NhiChecks();
  const report = () => JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));

  test('fails synthesis of the peer gateway, with every finding in the validation report and the notes beside them', () => {
    const app = peerGatewayApp(outdir, (a) => cdk.Validations.of(a).addPlugins(plugin()));
    expect(() => app.synth()).toThrow(/BedrockProxy\/ProxyApiHandler\/ServiceRole allows bedrock:\*.*\(gateward-nhi\)/);
    const nhi = report().pluginReports.find((p: { pluginName: string }) => p.pluginName === 'gateward-nhi');
    const violations = nhi.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => [v.ruleName, c.constructPath]));
    expect(violations.sort()).toEqual(PEER_FINDINGS.filter(([id]) => !INFO_RULES.includes(id)));
    // Informational findings are no violations, but the report still lists them.
    expect(nhi.metadata.notes.split('\n').map((line: string) => line.split(':')[0]).sort()).toEqual(['NHI-NO-AUDIT-TRAIL BedrockProxy', 'NHI-SECRET-NO-CMK BedrockProxy/ApiKeySecret']);
    expect(nhi.violations.find((v: any) => v.ruleName === 'NHI-SECRET-NO-ROTATION').suggestedFix).toContain('rotation schedule');
  });

  test('passes when only notes are open', () => {
    const app = peerGatewayApp(outdir, (a) => cdk.Validations.of(a).addPlugins(plugin()));
    for (const [ruleId, location] of PEER_FINDINGS.filter(([id]) => !INFO_RULES.includes(id))) {
      NhiAcknowledgements.acknowledge(app.node.findAll().find((c) => c.node.path === location)!, ruleId, 'accepted for this test of the acknowledgement path');
    }
    expect(() => app.synth()).not.toThrow();
    // CDK leaves a successful report without violations out of validation-report.json, notes and all.
    expect(report().pluginReports.find((p: { pluginName: string }) => p.pluginName === 'gateward-nhi')).toBeUndefined();
  });

  test('passes once every finding is acknowledged on its resource', () => {
    const app = peerGatewayApp(outdir, (a) => cdk.Validations.of(a).addPlugins(plugin()));
    const stack = app.node.findChild('BedrockProxy') as cdk.Stack;
    for (const [ruleId, location] of PEER_FINDINGS) {
      const target = location === 'BedrockProxy' ? stack : app.node.findAll().find((c) => c.node.path === location)!;
      NhiAcknowledgements.acknowledge(target, ruleId, 'accepted for this test of the acknowledgement path');
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('names the rules it runs: every AWS rule and the plane-less ones, none of Vault\'s', () => {
    const ids = plugin().ruleIds ?? [];
    expect(ids).toContain('NHI-IAM-WILDCARD-ACTION');
    expect(ids).toContain('NHI-STALE-ACKNOWLEDGEMENT');
    expect(ids.filter((id) => id.startsWith('NHI-VAULT-'))).toEqual([]);
  });
});
