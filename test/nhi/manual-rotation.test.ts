import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { AwsNhiChecker, NhiChecks } from '../../src';
import { main } from '../../src/review/cli';
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

  describe('is recognized from the synthesized template only when every link is there', () => {
    let template: { Resources: Record<string, any> };
    beforeAll(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-rotation-template-'));
      const app = new cdk.App({ outdir: dir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
      buildReadmeAwsPlane(app, README_SPEC);
      template = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'acme-llm-aws.template.json'), 'utf-8'));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const SECRET = 'acme-llm-aws/Gateway/Tenant-support/Key-openai';
    const ofType = (resources: Record<string, any>, type: string) => Object.values(resources).filter((r) => r.Type === type);
    const alarmOf = (resources: Record<string, any>) => ofType(resources, 'AWS::CloudWatch::Alarm')
      .find((r) => r.Properties.MetricName === 'KeyAgeDays')!;
    const checkFunctionOf = (resources: Record<string, any>) => ofType(resources, 'AWS::Lambda::Function')
      .find((r) => r.Properties.Environment?.Variables?.SECRETS)!;
    const rotationFindings = (mutate: (resources: Record<string, any>) => void) => {
      const resources = JSON.parse(JSON.stringify(template.Resources));
      mutate(resources);
      return open(checkAws(resources)).filter(([rule]) => rule.startsWith('NHI-SECRET-'));
    };

    test('the template as synthesized: watched, no finding', () => {
      expect(rotationFindings(() => undefined)).toEqual([]);
    });

    test.each<[string, (resources: Record<string, any>) => void]>([
      ['no alarm', (r) => { for (const [id, res] of Object.entries(r)) if (res.Type === 'AWS::CloudWatch::Alarm') delete r[id]; }],
      ['the alarm watches another key', (r) => { alarmOf(r).Properties.Dimensions.find((d: any) => d.Name === 'SecretName').Value = 'gateward/acme-llm/support/other'; }],
      ['the alarm is on another namespace than the check reports to', (r) => { alarmOf(r).Properties.Namespace = 'Other/Keys'; }],
      ['the alarm takes a stopped check for a fresh key', (r) => { alarmOf(r).Properties.TreatMissingData = 'notBreaching'; }],
      ['the alarm notifies no one', (r) => { delete alarmOf(r).Properties.AlarmActions; }],
      ['the alarm\'s actions are disabled', (r) => { alarmOf(r).Properties.ActionsEnabled = false; }],
      ['the check does not list the key', (r) => {
        checkFunctionOf(r).Properties.Environment.Variables.SECRETS = '[{"name":"gateward/acme-llm/support/openai","arn":"arn:aws:secretsmanager:us-east-1:111122223333:secret:other"}]';
      }],
      ['the check never runs', (r) => { for (const res of ofType(r, 'AWS::Events::Rule')) res.Properties.State = 'DISABLED'; }],
      ['the check may not read the key\'s version dates', (r) => {
        for (const policy of ofType(r, 'AWS::IAM::ManagedPolicy')) {
          policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Action !== 'secretsmanager:ListSecretVersionIds');
        }
      }],
    ])('%s: an open NHI-SECRET-NO-ROTATION', (_name, mutate) => {
      expect(rotationFindings(mutate)).toEqual([['NHI-SECRET-NO-ROTATION', SECRET]]);
    });

    test('an alarm that waits longer than 90 days is slow rotation', () => {
      expect(rotationFindings((r) => { alarmOf(r).Properties.Threshold = 180; })).toEqual([['NHI-SECRET-SLOW-ROTATION', SECRET]]);
    });
  });
});
