import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { GatewaySpec, GatewaySpecValidator } from '../../src';
import { KEY_AGE_CHECK_CODE } from '../../src/aws/private/key-age-check-code';
import { KEY_AGE_DIMENSIONS, KEY_AGE_METRIC, MAX_KEY_ROTATION_DAYS } from '../../src/spec/key-rotation';
import { gatewayStackTemplates, mergedGatewayTemplate } from '../support/aws-example';
import { buildReadmeAwsPlane, checkAws, open, README_SPEC } from '../support/check-fixtures';

/**
 * One rotation ceiling and one key-age metric: the spec refuses a longer period, the key-age check
 * reports the metric its alarms watch, and the rule pack accepts exactly what the spec allows.
 */

const withRotation = (days: number): GatewaySpec => ({
  ...README_SPEC,
  tenants: README_SPEC.tenants.map((t) => ({ ...t, providerKeys: (t.providerKeys ?? []).map((k) => ({ ...k, rotationPeriodDays: days })) })),
});

/** The resources of the gateway's stacks (the plane's and its cell stacks', where the keys and their alarms live), as one template. */
function synthesizedResources(spec: GatewaySpec): Record<string, any> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-rotation-limit-'));
  try {
    const app = new cdk.App({ outdir: dir, analyticsReporting: false });
    const plane = buildReadmeAwsPlane(app, spec);
    return mergedGatewayTemplate(Object.values(gatewayStackTemplates(app, plane))).Resources;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the rotation ceiling the spec allows', () => {
  test(`a manually rotated key at ${MAX_KEY_ROTATION_DAYS} days is valid and watched with no open finding`, () => {
    const spec = withRotation(MAX_KEY_ROTATION_DAYS);
    expect(GatewaySpecValidator.problems(spec)).toEqual([]);
    const resources = synthesizedResources(spec);
    const alarms = Object.values(resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === KEY_AGE_METRIC);
    expect(alarms.map((a: any) => a.Properties.Threshold)).toEqual([MAX_KEY_ROTATION_DAYS]);
    expect(open(checkAws(resources)).filter(([rule]) => rule.startsWith('NHI-SECRET-'))).toEqual([]);
  });

  test('one day more is refused by the spec, naming the ceiling', () => {
    const problems = GatewaySpecValidator.problems(withRotation(MAX_KEY_ROTATION_DAYS + 1));
    expect(problems.map((p) => [p.path, p.fix])).toEqual([
      ['tenants[0].providerKeys[0].rotationPeriodDays', `rotate the key at least every ${MAX_KEY_ROTATION_DAYS} days (the default is 30)`],
    ]);
  });
});

test('the key-age check reports the metric and dimensions its alarms watch', () => {
  expect(KEY_AGE_CHECK_CODE).toContain(`Dimensions: [[${KEY_AGE_DIMENSIONS.map((d) => `'${d}'`).join(', ')}]], Metrics: [{ Name: '${KEY_AGE_METRIC}'`);
  const alarm: any = Object.values(synthesizedResources(README_SPEC)).find((r: any) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === KEY_AGE_METRIC);
  expect(alarm.Properties.Dimensions.map((d: { Name: string }) => d.Name).sort()).toEqual([...KEY_AGE_DIMENSIONS].sort());
});
