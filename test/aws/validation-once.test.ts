import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewaySpecValidator, GatewayValidationError, RouterFunction, VaultConnection } from '../../src';
import * as propsValidation from '../../src/aws/private/gateway-props-validation';
import * as knownFields from '../../src/aws/private/known-fields';
import { synthesizeAwsPlane } from '../support/aws-example';

// Each input is validated once, at the entry point that received it: the AWS plane checks its
// spec and props together and builds its blueprint without checking the spec a second time.

afterEach(() => jest.restoreAllMocks());

describe('the AWS plane validates its spec once', () => {
  test('building the example plane walks the spec once', () => {
    const walk = jest.spyOn(GatewaySpecValidator, 'problems');
    synthesizeAwsPlane();
    expect(walk).toHaveBeenCalledTimes(1);
  });

  test('GatewayBlueprint.fromSpec still validates for callers who use it directly', () => {
    const walk = jest.spyOn(GatewaySpecValidator, 'problems');
    GatewayBlueprint.fromSpec(exampleSpec);
    expect(walk).toHaveBeenCalledTimes(1);
    expect(() => GatewayBlueprint.fromSpec({ ...exampleSpec, name: 'BadName' })).toThrow(GatewayValidationError);
  });
});

describe('an invalid plane throws the one validation error', () => {
  test('it carries the subject and every problem, each with path, value, message and fix', () => {
    let thrown: unknown;
    try {
      synthesizeAwsPlane({ ...exampleSpec, name: 'BadName' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayValidationError);
    const error = thrown as GatewayValidationError;
    expect(error.name).toBe('GatewayValidationError');
    expect(error.subject).toBe('GatewayAwsPlane "BadName"');
    const problem = error.problems.find((p) => p.path === 'spec.name');
    expect(problem).toEqual(expect.objectContaining({ value: '"BadName"', message: expect.any(String), fix: expect.any(String) }));
    expect(error.message).toMatch(new RegExp(`^GatewayAwsPlane "BadName" is invalid \\(${error.problems.length} problems?\\):\\n  - spec\\.name: `));
  });
});

describe('LlmGateway validates the router\'s and the API\'s props once', () => {
  test('building the example gateway checks each set of props once, in LlmGateway', () => {
    const router = jest.spyOn(propsValidation, 'routerProblems');
    const api = jest.spyOn(propsValidation, 'apiProblems');
    const unknown = jest.spyOn(knownFields, 'refuseUnknownProps');
    synthesizeAwsPlane();
    expect(router).toHaveBeenCalledTimes(1);
    expect(api).toHaveBeenCalledTimes(1);
    expect(unknown.mock.calls.map(([subject]) => subject)).not.toEqual(expect.arrayContaining(['RouterFunction']));
    expect(unknown.mock.calls.map(([subject]) => subject)).not.toEqual(expect.arrayContaining(['GatewayApi']));
  });

  test('RouterFunction built directly still validates its props', () => {
    const router = jest.spyOn(propsValidation, 'routerProblems');
    const { plane } = synthesizeAwsPlane();
    router.mockClear();
    expect(() => new RouterFunction(plane.node.scope as Construct, 'Direct', {
      blueprint: plane.blueprint,
      tenantId: 'support',
      routerRole: plane.routerRoles[0],
      decisionLog: plane.decisionLog,
      policyStoreId: plane.policyStoreId,
      vpc: ec2.Vpc.fromLookup(plane.node.scope as Construct, 'NoVpc', { isDefault: true }),
      vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.0.0.0/16')),
      memorySize: 1,
    })).toThrow(GatewayValidationError);
    expect(router).toHaveBeenCalledTimes(1);
  });
});
