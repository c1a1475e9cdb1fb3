import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { AwsNhiChecker, NhiChecks } from '../../src';
import { main } from '../../src/review/cli';
import { gatewayStackTemplates, mergedGatewayTemplate } from '../support/aws-example';
import { buildReadmeAwsPlane, checkAws, open, README_SPEC } from '../support/check-fixtures';

let outdir: string;
beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-rotation-')); });
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** The README's Usage example (a manually rotated key), synthesized with the NHI plugin. */
function readmeApp(): cdk.App {
  const app = new cdk.App({ outdir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  cdk.Validations.of(app).addPlugins(new NhiChecks());
  buildReadmeAwsPlane(app, README_SPEC);
  return app;
}

describe('a key rotated by people, watched by the library\'s age alarm', () => {
  test('the README\'s Usage example passes the plugin and the CLI with no finding at all', async () => {
    const assembly = readmeApp().synth();
    const findings = new AwsNhiChecker().checkCloudAssembly(assembly.directory);
    expect(findings).toEqual([]);
    const out: string[] = [];
    expect(await main(['check', '--cdk', assembly.directory], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(0);
    expect(out.join('\n')).toContain('No open NHI findings (0 acknowledged).');
  });

  describe('is recognized from the synthesized templates only when every link is there', () => {
    // The check runs once for the gateway, in the plane's stack; each key's watch entry (an SSM
    // parameter under the check's path) and its alarm are in the key's cell stack. The stacks are
    // judged merged into one template, cross-stack references inlined, so each mutation below
    // breaks exactly one link.
    let template: { Resources: Record<string, any> };
    beforeAll(() => {
      const app = new cdk.App({ analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
      const plane = buildReadmeAwsPlane(app, README_SPEC);
      const stacks = gatewayStackTemplates(app, plane);
      expect(Object.keys(stacks)).toEqual(['acme-llm-aws', 'acme-llm-aws-cells-232']);
      template = mergedGatewayTemplate(Object.values(stacks));
    });

    const SECRET = 'acme-llm-aws-cells-232/Plane/Tenant-support/Key-openai';
    const ofType = (resources: Record<string, any>, type: string) => Object.values(resources).filter((r) => r.Type === type);
    const alarmOf = (resources: Record<string, any>) => ofType(resources, 'AWS::CloudWatch::Alarm')
      .find((r) => r.Properties.MetricName === 'KeyAgeDays')!;
    const watchOf = (resources: Record<string, any>) => ofType(resources, 'AWS::SSM::Parameter')
      .find((r) => r.Properties.Name === '/gateward/acme-llm/key-age/support/openai')!;
    const checkPolicyOf = (resources: Record<string, any>) => ofType(resources, 'AWS::IAM::ManagedPolicy')
      .find((r) => r.Properties.PolicyDocument.Statement.some((s: any) => s.Sid === 'ReadTheListOfWatchedKeys'))!;
    const withoutStatement = (sid: string) => (r: Record<string, any>) => {
      const document = checkPolicyOf(r).Properties.PolicyDocument;
      document.Statement = document.Statement.filter((s: any) => s.Sid !== sid);
    };
    const rotationFindings = (mutate: (resources: Record<string, any>) => void) => {
      const resources = JSON.parse(JSON.stringify(template.Resources));
      mutate(resources);
      return open(checkAws(resources)).filter(([rule]) => rule.startsWith('NHI-SECRET-'));
    };

    test('the templates as synthesized: watched, no finding', () => {
      // Each link the mutations break is there to break.
      expect(alarmOf(template.Resources)).toBeDefined();
      expect(watchOf(template.Resources)).toBeDefined();
      expect(checkPolicyOf(template.Resources).Properties.PolicyDocument.Statement.map((s: any) => s.Sid))
        .toEqual(expect.arrayContaining(['ReadKeyVersionDatesOnly', 'ReadTheListOfWatchedKeys']));
      expect(rotationFindings(() => undefined)).toEqual([]);
    });

    test.each<[string, (resources: Record<string, any>) => void]>([
      ['no alarm', (r) => { for (const [id, res] of Object.entries(r)) if (res.Type === 'AWS::CloudWatch::Alarm') delete r[id]; }],
      ['the alarm watches another key', (r) => { alarmOf(r).Properties.Dimensions.find((d: any) => d.Name === 'SecretName').Value = 'gateward/acme-llm/support/other'; }],
      ['the alarm is on another namespace than the check reports to', (r) => { alarmOf(r).Properties.Namespace = 'Other/Keys'; }],
      ['the alarm takes a stopped check for a fresh key', (r) => { alarmOf(r).Properties.TreatMissingData = 'notBreaching'; }],
      ['the alarm notifies no one', (r) => { delete alarmOf(r).Properties.AlarmActions; }],
      ['the alarm\'s actions are disabled', (r) => { alarmOf(r).Properties.ActionsEnabled = false; }],
      ['no watch entry lists the key', (r) => { for (const [id, res] of Object.entries(r)) if (res.Type === 'AWS::SSM::Parameter') delete r[id]; }],
      ['the watch entry names another secret', (r) => {
        watchOf(r).Properties.Value = '{"name":"gateward/acme-llm/support/openai","arn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:other"}';
      }],
      ['the watch entry is outside the path the check reads', (r) => { watchOf(r).Properties.Name = '/gateward/acme-llm/elsewhere/support/openai'; }],
      ['the check never runs', (r) => { for (const res of ofType(r, 'AWS::Events::Rule')) res.Properties.State = 'DISABLED'; }],
      ['the check may not read the key\'s version dates', withoutStatement('ReadKeyVersionDatesOnly')],
      ['the check may read the version dates of other keys only', (r) => {
        checkPolicyOf(r).Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'ReadKeyVersionDatesOnly').Resource =
          'arn:aws:secretsmanager:us-east-1:111122223333:secret:gateward/other-gateway/*/*';
      }],
      ['the check may not read its list of keys', withoutStatement('ReadTheListOfWatchedKeys')],
    ])('%s: an open NHI-SECRET-NO-ROTATION', (_name, mutate) => {
      expect(rotationFindings(mutate)).toEqual([['NHI-SECRET-NO-ROTATION', SECRET]]);
    });

    test('an alarm that waits longer than 90 days is slow rotation', () => {
      expect(rotationFindings((r) => { alarmOf(r).Properties.Threshold = 180; })).toEqual([['NHI-SECRET-SLOW-ROTATION', SECRET]]);
    });
  });
});
