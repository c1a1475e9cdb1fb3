import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewaySpec } from '../../src';

export interface SynthesizedPlane {
  readonly app: cdk.App;
  readonly stack: cdk.Stack;
  readonly plane: GatewayAwsPlane;
  readonly template: Template;
}

/**
 * The example's AWS plane in a plain app (no rule packs, so it is fast). `build` replaces the
 * example's wiring when a test needs other props.
 */
export function synthesizeAwsPlane(
  spec: GatewaySpec = exampleSpec,
  build: (stack: cdk.Stack, spec: GatewaySpec) => GatewayAwsPlane = buildAwsPlane,
): SynthesizedPlane {
  const app = new cdk.App({ analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } });
  const plane = build(stack, spec);
  return { app, stack, plane, template: Template.fromStack(stack) };
}
