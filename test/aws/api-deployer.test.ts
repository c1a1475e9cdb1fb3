import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayApiDeployer, GatewayBlueprint, GatewayNaming } from '../../src';
import { synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';

// The function behind every API's deployment resource: what its role reaches, proven with the
// offline IAM simulator on the example's template, and how each API's stage is wired to it.

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const synthesized = synthesizeAwsPlane();
const world = new IamWorld(synthesized.template.toJSON(), { account: ACCOUNT, region: REGION });
const role = blueprint.naming.apiDeployerRoleName;
const restApi = (id: string) => `arn:aws:apigateway:${REGION}::/restapis/${id}`;
const taggedWith = (gateway?: string) => (gateway === undefined ? {} : { [`aws:ResourceTag/${GatewayNaming.GATEWAY_TAG}`]: gateway });

describe('the deployer may create and delete deployments of the gateway\'s own APIs, and do nothing else', () => {
  test.each([
    ['apigateway:POST', restApi('a1b2c3d4e5') + '/deployments', 'acme-llm', 'Allowed'],
    ['apigateway:DELETE', restApi('a1b2c3d4e5') + '/deployments/dep123', 'acme-llm', 'Allowed'],
    // Another gateway's API, or an API without the tag.
    ['apigateway:POST', restApi('a1b2c3d4e5') + '/deployments', 'other-gateway', 'ImplicitlyDenied'],
    ['apigateway:POST', restApi('a1b2c3d4e5') + '/deployments', undefined, 'ImplicitlyDenied'],
    ['apigateway:DELETE', restApi('a1b2c3d4e5') + '/deployments/dep123', undefined, 'ImplicitlyDenied'],
    // What an API serves and who may call it stay CloudFormation's.
    ['apigateway:PATCH', restApi('a1b2c3d4e5') + '/stages/live', 'acme-llm', 'ImplicitlyDenied'],
    ['apigateway:PUT', restApi('a1b2c3d4e5') + '/resources/r1/methods/POST', 'acme-llm', 'ImplicitlyDenied'],
    ['apigateway:PATCH', restApi('a1b2c3d4e5'), 'acme-llm', 'ImplicitlyDenied'],
    ['apigateway:DELETE', restApi('a1b2c3d4e5'), 'acme-llm', 'ImplicitlyDenied'],
    ['apigateway:POST', restApi('a1b2c3d4e5') + '/resources/r1', 'acme-llm', 'ImplicitlyDenied'],
    ['lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-support-router`, undefined, 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:gateward/acme-llm/research/openai-AbCdEf`, undefined, 'ImplicitlyDenied'],
  ])('%s on %s (tag %s): %s', (action, resource, gateway, decision) => {
    // The engine that keeps every context key: the validating one does not know API Gateway's `Deployments` type.
    expect(world.decideKeepingContext({ role, action, resource, context: taggedWith(gateway) as any })).toBe(decision);
  });
});

describe('each API is published by a deployment resource whose logical id never changes', () => {
  test.each(Object.keys(synthesized.stackTemplates).filter((name) => /-cells-\d{3}$/.test(name)))('%s', (name) => {
    const template = synthesized.stackTemplates[name];
    const deployments = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'Custom::GatewayApiDeployment');
    expect(deployments.map(([id]) => id)).toEqual(['GatewayApiDeploymentF5063BB6']);
    const [deploymentId, deployment] = deployments[0];
    expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Deployment')).toEqual([]);
    // The shared function, by its export; this stack's API; a digest of what the API serves.
    expect(deployment.Properties.ServiceToken).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^acme-llm-aws:ExportsOutputFnGetAttLlmGatewayApiDeployerFunction/) });
    expect(deployment.Properties.RestApiId).toEqual({ Ref: 'GatewayApiB65FC7E3' });
    expect(deployment.Properties.Revision).toMatch(/^[0-9a-f]{64}$/);
    // Taken after every method, model, validator and gateway response of the API exists.
    const parts = Object.entries<any>(template.Resources)
      .filter(([, r]) => ['AWS::ApiGateway::Method', 'AWS::ApiGateway::Resource', 'AWS::ApiGateway::Model', 'AWS::ApiGateway::RequestValidator', 'AWS::ApiGateway::GatewayResponse'].includes(r.Type))
      .map(([id]) => id);
    expect(parts.length).toBeGreaterThan(20);
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(parts));
    // The stage serves the deployment the resource last created.
    const stage = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ApiGateway::Stage');
    expect(stage.Properties.DeploymentId).toEqual({ 'Fn::GetAtt': [deploymentId, 'DeploymentId'] });
  });

  test('the revision follows what the API serves: a changed resource policy or method is a new revision', () => {
    const revision = (spec: typeof exampleSpec) => {
      const { stackTemplates } = synthesizeAwsPlane(spec);
      return Object.values<any>(stackTemplates['acme-llm-aws-cells-232'].Resources).find((r) => r.Type === 'Custom::GatewayApiDeployment').Properties.Revision;
    };
    const base = revision(exampleSpec);
    expect(revision(exampleSpec)).toBe(base);
    // Suspending a workload of the stack's tenant adds a deny to its API's resource policy.
    const workload = exampleSpec.tenants.find((t) => t.id === 'support')!.workloads[0].id;
    const suspended = { ...exampleSpec, suspended: { workloads: [workload] } };
    expect(revision(suspended)).not.toBe(base);
  });
});

test('an API built on its own gets a deployer of its own when none is given, and a wrong one is refused by name', () => {
  const stack = new cdk.Stack(new cdk.App(), 's', { env: { account: ACCOUNT, region: REGION } });
  const logKey = new kms.Key(stack, 'Key');
  const deployer = new GatewayApiDeployer(stack, 'Deployer', { blueprint, logKey });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::Lambda::Function', 1);
  template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1, Timeout: 600 });
  template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/gateward/acme-llm/api-deployer' });
  expect(deployer.function.node.path).toBe('s/Deployer/Function');
  expect(() => new GatewayApiDeployer(stack, 'Again', { blueprint, logKey, extra: true } as any)).toThrow(/extra/);
});
