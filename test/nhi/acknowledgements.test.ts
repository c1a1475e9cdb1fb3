import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdktf from 'cdktf';
import { AwsNhiChecker, NhiAcknowledgements, NhiChecks, NhiFinding, NhiRules, TerraformNhiAcknowledgements, VaultNhiChecker } from '../../src';
import { main } from '../../src/review/cli';
import { legacyVaultApp, open } from '../support/check-fixtures';

const REASON = 'the platform team reviewed this on 2026-11-01 (ticket SEC-42)';

let outdir: string;
beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-ack-')); });
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** A stack with one over-broad role and no trail, owner tags on everything so only that fires. */
function cdkApp(): { app: cdk.App; stack: cdk.Stack; role: iam.Role } {
  const app = new cdk.App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new cdk.Stack(app, 'Peer', { env: { account: '111122223333', region: 'us-east-1' } });
  const role = new iam.Role(stack, 'Router', { assumedBy: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/caller') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
  for (const key of ['gateward:owner:policy', 'gateward:owner:operations', 'gateward:owner:credential-lifecycle']) cdk.Tags.of(app).add(key, 'platform');
  return { app, stack, role };
}

const checkCdk = (app: cdk.App): NhiFinding[] => new AwsNhiChecker().checkCloudAssembly(app.synth().directory);

describe('CDK acknowledgements', () => {
  test('without acknowledgements the findings are open', () => {
    const { app } = cdkApp();
    expect(open(checkCdk(app))).toEqual([['NHI-IAM-WILDCARD-RESOURCE', 'Peer/Router'], ['NHI-NO-AUDIT-TRAIL', 'Peer']]);
  });

  test('an acknowledgement closes one rule on one resource, and the stack-level one the stack\'s finding', () => {
    const { app, stack, role } = cdkApp();
    NhiAcknowledgements.acknowledge(role, 'NHI-IAM-WILDCARD-RESOURCE', REASON);
    NhiAcknowledgements.acknowledge(stack, 'NHI-NO-AUDIT-TRAIL', 'the organization trail of the management account covers this account');
    const findings = checkCdk(app);
    expect(open(findings)).toEqual([]);
    const closed = findings.filter((f) => f.acknowledged);
    expect(closed.map((f) => [f.ruleId, f.location, f.acknowledgementReason])).toEqual([
      ['NHI-IAM-WILDCARD-RESOURCE', 'Peer/Router', REASON],
      ['NHI-NO-AUDIT-TRAIL', 'Peer', 'the organization trail of the management account covers this account'],
    ]);
  });

  test('an acknowledgement of another rule, or on another resource, closes nothing and is reported stale', () => {
    const { app, stack, role } = cdkApp();
    NhiAcknowledgements.acknowledge(role, 'NHI-SECRET-NO-ROTATION', REASON);
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/caller') });
    NhiAcknowledgements.acknowledge(other, 'NHI-IAM-WILDCARD-RESOURCE', REASON);
    expect(open(checkCdk(app))).toEqual([
      ['NHI-IAM-WILDCARD-RESOURCE', 'Peer/Router'],
      ['NHI-NO-AUDIT-TRAIL', 'Peer'],
      ['NHI-STALE-ACKNOWLEDGEMENT', 'Peer/Other'],
      ['NHI-STALE-ACKNOWLEDGEMENT', 'Peer/Router'],
    ]);
  });

  test('several acknowledgements on one resource add up', () => {
    const { app, role } = cdkApp();
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::bucket/*'] }));
    NhiAcknowledgements.acknowledge(role, 'NHI-IAM-WILDCARD-RESOURCE', REASON);
    NhiAcknowledgements.acknowledge(role, 'NHI-IAM-WILDCARD-ACTION', REASON);
    expect(open(checkCdk(app))).toEqual([['NHI-NO-AUDIT-TRAIL', 'Peer']]);
  });

  test('a reason too short to say why is refused when written, and reported when found in a template', () => {
    const { role } = cdkApp();
    expect(() => NhiAcknowledgements.acknowledge(role, 'NHI-IAM-WILDCARD-RESOURCE', 'ok'))
      .toThrow('Acknowledging NHI-IAM-WILDCARD-RESOURCE on Peer/Router needs a reason of at least 20 characters');
    expect(() => NhiAcknowledgements.acknowledge(role, 'NHI-NO-SUCH-RULE', REASON)).toThrow('Unknown NHI rule "NHI-NO-SUCH-RULE"');

    const { app, role: written } = cdkApp();
    (written.node.defaultChild as cdk.CfnResource).addMetadata('gateward:acknowledgements', [{ rule: 'NHI-IAM-WILDCARD-RESOURCE', reason: 'fine' }]);
    const findings = checkCdk(app);
    expect(open(findings)).toContainEqual(['NHI-IAM-WILDCARD-RESOURCE', 'Peer/Router']);
    expect(findings.find((f) => f.ruleId === 'NHI-STALE-ACKNOWLEDGEMENT')?.message).toContain('without a reason of at least 20 characters');
  });

  test('a construct with no CloudFormation resource of its own is refused', () => {
    const { stack } = cdkApp();
    const group = new cdk.NestedStack(stack, 'Nested');
    const plain = new (class extends cdk.Resource {})(group, 'Plain');
    expect(() => NhiAcknowledgements.acknowledge(plain, 'NHI-IAM-WILDCARD-RESOURCE', REASON))
      .toThrow('Peer/Nested/Plain is not a CloudFormation resource and has no main resource');
  });
});

describe('one acknowledgement mechanism, honoured by the plugin and the CLI alike', () => {
  const withPlugin = (): ReturnType<typeof cdkApp> => {
    const built = cdkApp();
    cdk.Validations.of(built.app).addPlugins(new NhiChecks());
    return built;
  };
  const pluginReport = () => JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8')).pluginReports
    .find((p: { pluginName: string }) => p.pluginName === 'gateward-nhi');
  const cli = async (): Promise<{ code: number; out: string }> => {
    const out: string[] = [];
    const code = await main(['check', '--cdk', outdir], { out: (t) => out.push(t), err: (t) => out.push(t) });
    return { code, out: out.join('\n') };
  };
  const pluginOpen = () => pluginReport().violations
    .flatMap((v: any) => v.violatingConstructs.map((c: any) => [v.ruleName, c.constructPath] as [string, string])).sort();

  test('acknowledging as the plugin says closes the finding in the plugin and in the CLI', async () => {
    const first = withPlugin();
    let message = '';
    try { first.app.synth(); } catch (error) { message = (error as Error).message; }
    // CDK's own suggestion would be an app-wide acknowledgement the CLI cannot honour.
    expect(message).toContain('(gateward-nhi)');
    expect(message).not.toContain("Acknowledge with 'gateward-nhi::");
    const suggested = pluginReport().violations.map((v: any) => {
      const call = /NhiAcknowledgements\.acknowledge\(<the construct at ([^>]+)>, '([A-Z-]+)'/.exec(v.suggestedFix);
      expect(call).not.toBeNull();
      return { constructPath: call![1], ruleId: call![2] };
    });
    // The missing trail is a note, not a violation: the plugin suggests nothing for it.
    expect(suggested.map((s: any) => [s.ruleId, s.constructPath]).sort()).toEqual([['NHI-IAM-WILDCARD-RESOURCE', 'Peer/Router']]);

    fs.rmSync(outdir, { recursive: true, force: true });
    const second = withPlugin();
    for (const { constructPath, ruleId } of suggested) {
      NhiAcknowledgements.acknowledge(second.app.node.findAll().find((c) => c.node.path === constructPath)!, ruleId, REASON);
    }
    // An acknowledgement of the note matches it, in the plugin and in the CLI: it is not stale.
    NhiAcknowledgements.acknowledge(second.stack, 'NHI-NO-AUDIT-TRAIL', 'the organization trail of the management account covers this account');
    expect(() => second.app.synth()).not.toThrow();
    expect(pluginReport()).toBeUndefined();
    const result = await cli();
    expect(result.code).toBe(0);
    expect(result.out).toContain('No open NHI findings (2 acknowledged).');
  });

  test('CDK\'s Validations acknowledgement, which matches a rule on every resource, is honoured by neither and reported by both', async () => {
    const { app, role } = withPlugin();
    cdk.Validations.of(role).acknowledge({ id: 'gateward-nhi::NHI-IAM-WILDCARD-RESOURCE', reason: REASON });
    expect(() => app.synth()).toThrow(/NHI-STALE-ACKNOWLEDGEMENT|acknowledges NHI-IAM-WILDCARD-RESOURCE with Validations/);
    const expected = [['NHI-IAM-WILDCARD-RESOURCE', 'Peer/Router'], ['NHI-STALE-ACKNOWLEDGEMENT', 'Peer/Router']];
    expect(pluginOpen()).toEqual(expected);
    // The checker returns the note as well; the plugin lists it beside the violations.
    expect(open(new AwsNhiChecker().checkCloudAssembly(outdir))).toEqual([...expected, ['NHI-NO-AUDIT-TRAIL', 'Peer']].sort());
    expect(pluginReport().metadata.notes).toMatch(/^NHI-NO-AUDIT-TRAIL Peer: /);
    expect((await cli()).code).toBe(1);
  });

  test('each violation carries the gateward severity and the acknowledgement call in its metadata', () => {
    const { app, stack } = withPlugin();
    NhiAcknowledgements.acknowledge(stack, 'NHI-NO-AUDIT-TRAIL', 'the organization trail of the management account covers this account');
    expect(() => app.synth()).toThrow(/Peer\/Router/);
    expect(pluginOpen()).toEqual([['NHI-IAM-WILDCARD-RESOURCE', 'Peer/Router']]);
    expect(pluginReport().violations[0].ruleMetadata).toMatchObject({ severity: 'medium', acknowledge: expect.stringContaining("'NHI-IAM-WILDCARD-RESOURCE'") });
  });
});

describe('CDKTF acknowledgements', () => {
  // An auth method and a mount make it a configuration of a whole Vault, whose audit devices are judged.
  const vaultStack = () => {
    const built = legacyVaultApp(outdir, 1);
    new AuthBackend(built.stack, 'approle', { type: 'approle' });
    new Mount(built.stack, 'kv', { path: 'kv', type: 'kv-v2' });
    return built;
  };
  const checkTf = (app: cdktf.App): NhiFinding[] => {
    app.synth();
    return new VaultNhiChecker().checkCdktfOutput(outdir);
  };

  test('resource and stack acknowledgements are written into the Terraform JSON and honoured', () => {
    const { app } = vaultStack();
    expect(open(checkTf(app))).toEqual([['NHI-VAULT-AUDIT-DEVICES', 'vault'], ['NHI-VAULT-IAM-USER', 'vault_aws_secret_backend_role.legacy']]);

    const acknowledged = vaultStack();
    TerraformNhiAcknowledgements.acknowledge(acknowledged.role, 'NHI-VAULT-IAM-USER', REASON);
    TerraformNhiAcknowledgements.acknowledge(acknowledged.stack, 'NHI-VAULT-AUDIT-DEVICES', 'the second device is enabled by the Vault operators outside Terraform');
    const findings = checkTf(acknowledged.app);
    expect(open(findings)).toEqual([]);
    expect(findings.filter((f) => f.acknowledged).map((f) => f.ruleId).sort()).toEqual(['NHI-VAULT-AUDIT-DEVICES', 'NHI-VAULT-IAM-USER']);
  });

  test('several acknowledgements on one resource add up, and a stale one is reported', () => {
    const { app, role } = vaultStack();
    TerraformNhiAcknowledgements.acknowledge(role, 'NHI-VAULT-IAM-USER', REASON);
    TerraformNhiAcknowledgements.acknowledge(role, 'NHI-VAULT-STS-TTL', REASON);
    expect(open(checkTf(app))).toEqual([['NHI-STALE-ACKNOWLEDGEMENT', 'vault_aws_secret_backend_role.legacy'], ['NHI-VAULT-AUDIT-DEVICES', 'vault']]);
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'vault', 'cdk.tf.json'), 'utf-8'));
    expect(written.resource.vault_aws_secret_backend_role.legacy['//']['gateward:acknowledgements'].map((r: { rule: string }) => r.rule))
      .toEqual(['NHI-VAULT-IAM-USER', 'NHI-VAULT-STS-TTL']);
  });

  test('both writers store under the rule pack\'s one key, which the package exports', () => {
    expect(NhiRules.ACKNOWLEDGEMENTS_KEY).toBe('gateward:acknowledgements');
    const { app, role } = vaultStack();
    TerraformNhiAcknowledgements.acknowledge(role, 'NHI-VAULT-IAM-USER', REASON);
    app.synth();
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'vault', 'cdk.tf.json'), 'utf-8'));
    expect(written.resource.vault_aws_secret_backend_role.legacy['//'][NhiRules.ACKNOWLEDGEMENTS_KEY]).toEqual([{ rule: 'NHI-VAULT-IAM-USER', reason: REASON }]);
    const peer = cdkApp();
    NhiAcknowledgements.acknowledge(peer.role, 'NHI-IAM-WILDCARD-RESOURCE', REASON);
    NhiAcknowledgements.acknowledge(peer.stack, 'NHI-NO-AUDIT-TRAIL', REASON);
    const template = peer.app.synth().getStackByName('Peer').template;
    expect(Object.keys(template.Metadata)).toContain(NhiRules.ACKNOWLEDGEMENTS_KEY);
    const resources = Object.values(template.Resources as Record<string, { Metadata?: Record<string, unknown> }>);
    expect(resources.filter((r) => r.Metadata?.[NhiRules.ACKNOWLEDGEMENTS_KEY] !== undefined)).toHaveLength(1);
  });

  test('a short reason or an unknown rule is refused', () => {
    const { role } = vaultStack();
    expect(() => TerraformNhiAcknowledgements.acknowledge(role, 'NHI-VAULT-IAM-USER', 'legacy'))
      .toThrow('Acknowledging NHI-VAULT-IAM-USER on vault/legacy needs a reason of at least 20 characters');
    expect(() => TerraformNhiAcknowledgements.acknowledge(role, 'NHI-VAULT-NOPE', REASON)).toThrow('Unknown NHI rule "NHI-VAULT-NOPE"');
  });
});
