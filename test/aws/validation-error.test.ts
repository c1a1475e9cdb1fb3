import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayApi, GatewayAwsPlane, GatewayBlueprint, GatewayValidationError, LlmGateway, RouterFunction } from '../../src';

// Every validation of the AWS side throws the one exported error type, whose problems carry the
// path, value, message and fix that its message lists.

type AnyConstruct = new (scope: Construct, id: string, props: any) => Construct;

function thrownBy(run: () => unknown): GatewayValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayValidationError);
    return error as GatewayValidationError;
  }
  throw new Error('expected a GatewayValidationError');
}

test.each([
  ['GatewayAwsPlane', GatewayAwsPlane],
  ['LlmGateway', LlmGateway],
  ['RouterFunction', RouterFunction],
  ['GatewayApi', GatewayApi],
] as Array<[string, AnyConstruct]>)('%s throws GatewayValidationError for an unknown prop', (name, type) => {
  const stack = new cdk.Stack(new cdk.App(), 's');
  const error = thrownBy(() => new type(stack, 'X', { misspelt: 1 }));
  expect(error.problems).toContainEqual(expect.objectContaining({ path: 'props.misspelt', value: '"misspelt"' }));
  expect(error.subject).toMatch(new RegExp(`^${name}`));
});

test('asking a blueprint for an unknown tenant throws GatewayValidationError naming the known ones', () => {
  const error = thrownBy(() => GatewayBlueprint.fromSpec(exampleSpec).tenant('nope'));
  expect(error.problems).toEqual([expect.objectContaining({ path: 'tenantId', value: '"nope"', fix: 'use one of "support", "research"' })]);
});

test('asking a plane for an unknown target role throws GatewayValidationError naming the known ones', () => {
  const plane = buildAwsPlane(new cdk.Stack(new cdk.App(), 'p', { env: { account: exampleSpec.aws.account, region: exampleSpec.aws.region } }), exampleSpec);
  const error = thrownBy(() => plane.targetRole('support', 'nope'));
  expect(error.subject).toBe(`GatewayAwsPlane "${exampleSpec.name}"`);
  expect(error.problems).toEqual([expect.objectContaining({ path: 'tenantId/targetId', value: '"support/nope"' })]);
  expect(error.problems[0].fix).toMatch(/^use one of "support\/models"/);
});
