import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewaySpec, LlmGateway, ProviderKeyRotation, VaultConnection, VaultServerIdentity } from '../../src';
import { gatewayStackTemplates, mergedGatewayTemplate, synthesizeAwsPlane } from '../support/aws-example';

// Every ARN and name is derived from the spec at synth. A stack without env synthesizes, and its
// template refuses at deploy time any account, region or partition but the spec's.

const RULE = 'GatewardacmellmEnvironment';
const gatewayRules = (template: Template) => Object.keys(template.toJSON().Rules ?? {}).filter((id) => id !== 'CheckBootstrapVersion');

/** The gateway's stacks (the plane's stack, without env, and its cell stacks), by stack name. */
function envAgnosticStacks(spec: GatewaySpec = exampleSpec): Record<string, any> {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'no-env');
  return gatewayStackTemplates(app, buildAwsPlane(stack, spec));
}

function envAgnostic(spec: GatewaySpec = exampleSpec): Template {
  return Template.fromJSON(mergedGatewayTemplate(Object.values(envAgnosticStacks(spec))));
}

test('a stack without env synthesizes the plane and the gateway with the spec\'s literal ARNs', () => {
  const stacks = envAgnosticStacks();
  // The cell stacks take the plane stack's (absent) env: they are agnostic too.
  expect(Object.keys(stacks)).toEqual(['no-env', 'no-env-cells-204', 'no-env-cells-232']);
  const template = Template.fromJSON(mergedGatewayTemplate(Object.values(stacks)));
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    ManagedPolicyName: 'acme-llm-support-router-permissions',
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: 'arn:aws:logs:us-east-1:111122223333:log-group:/gateward/acme-llm/decisions:log-stream:*/acme-llm-support-router[*' })]) },
  });
});

test('each of its templates, the plane\'s and every cell stack\'s, asserts the spec\'s account, region and partition', () => {
  for (const [name, json] of Object.entries(envAgnosticStacks())) {
    const template = Template.fromJSON(json);
    expect([name, gatewayRules(template)]).toEqual([name, [RULE]]);
    const rules = template.toJSON().Rules;
    expect(rules[RULE].Assertions.map((a: any) => a.Assert)).toEqual([
      { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '111122223333'] },
      { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws'] },
    ]);
    expect(rules[RULE].Assertions[0].AssertDescription).toBe(
      'This stack deploys only to account 111122223333, the one gateway acme-llm\'s spec (spec.aws) names: its ARNs are derived from it.');
  }
});

test('a stack with env carries the rule too, once; a gateway belongs in its plane\'s stack', () => {
  const { stackTemplates } = synthesizeAwsPlane();
  expect(Object.keys(stackTemplates)).toHaveLength(3);
  for (const [name, json] of Object.entries(stackTemplates)) {
    expect([name, gatewayRules(Template.fromJSON(json))]).toEqual([name, [RULE]]);
  }
  const app = new cdk.App();
  const env = { account: exampleSpec.aws.account, region: exampleSpec.aws.region };
  const planeStack = new cdk.Stack(app, 'plane', { env });
  const plane = new GatewayAwsPlane(planeStack, 'Gateway', {
    spec: exampleSpec,
    vaultServer: VaultServerIdentity.fromRoleArn('arn:aws:iam::111122223333:role/acme-vault-server'),
    providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
  });
  const gatewayStack = new cdk.Stack(app, 'gateway', { env });
  const vpc = ec2.Vpc.fromVpcAttributes(gatewayStack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'] });
  expect(() => new LlmGateway(gatewayStack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')) })).toThrow(
    'LlmGateway is invalid (1 problem):\n  - props.plane: is in stack plane, but the gateway grants its router cells\' network interfaces on the plane\'s router roles and encrypts its WAF log '
    + 'with the plane\'s key, which across stacks is a reference cycle (got "plane/Gateway"). Fix: create the LlmGateway in stack plane, next to its plane.');
  expect(gatewayRules(Template.fromStack(planeStack))).toEqual([RULE]);
});

test.each([
  ['account', { ...exampleSpec.aws, account: cdk.Aws.ACCOUNT_ID }],
  ['region', { ...exampleSpec.aws, region: cdk.Aws.REGION }],
])('a token for the spec\'s %s is refused, naming the field', (field, aws) => {
  expect(() => envAgnostic({ ...exampleSpec, aws })).toThrow(new RegExp(
    `spec\\.aws\\.${field}: is an unresolved token, but every ARN and name of the gateway is derived from the spec at synth, so it must be a literal`));
});
