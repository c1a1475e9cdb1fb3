import * as path from 'path';
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

/** One router cell's function as synthesized: its properties, and the directory of its code asset. */
export interface RouterDeployment {
  readonly tenantId: string;
  readonly properties: any;
  readonly codeDirectory: string;
}

/**
 * The router function of one tenant's cell (by default the first tenant with one), with its code
 * asset in the app's cloud assembly.
 */
export function routerDeployment(synthesized: SynthesizedPlane, tenantId?: string): RouterDeployment {
  const tenant = synthesized.plane.blueprint.tenants.find((t) => t.router && (tenantId === undefined || t.id === tenantId));
  if (!tenant) throw new Error(`no router cell of tenant ${tenantId}`);
  const name = tenant.router!.functionName;
  const found = Object.values(synthesized.template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: name } })) as any[];
  if (found.length !== 1) throw new Error(`expected one function ${name}, found ${found.length}`);
  const properties = found[0].Properties;
  const assetKey = String(properties.Code.S3Key).replace(/\.zip$/, '');
  return { tenantId: tenant.id, properties, codeDirectory: path.join(synthesized.app.synth().directory, `asset.${assetKey}`) };
}
