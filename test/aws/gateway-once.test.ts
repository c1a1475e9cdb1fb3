import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewaySpec, LlmGateway, LlmGatewayProps, ProviderKeyRotation, VaultConnection, VaultServerIdentity } from '../../src';

// What would only fail at deploy or on every call fails at synth instead: a provider key the
// router has no endpoint for, and one gateway built twice in one app (its names would collide).

const ENV = { account: exampleSpec.aws.account, region: exampleSpec.aws.region };
const VAULT = VaultServerIdentity.fromRoleArn('arn:aws:iam::111122223333:role/acme-vault-server');

function plane(stack: cdk.Stack, spec: GatewaySpec = exampleSpec, id = 'Gateway'): GatewayAwsPlane {
  const rotation = Object.fromEntries(spec.tenants.flatMap((t) => (t.providerKeys ?? []).map((k) => [`${t.id}/${k.id}`, ProviderKeyRotation.manual()])));
  return new GatewayAwsPlane(stack, id, { spec, vaultServer: VAULT, providerKeyRotation: rotation });
}

function gateway(stack: cdk.Stack, p: GatewayAwsPlane, props: Partial<LlmGatewayProps> & Record<string, unknown> = {}, id = 'LlmGateway'): LlmGateway {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.IVpc | undefined)
    ?? ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'] });
  return new LlmGateway(stack, id, { plane: p, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')), ...props } as LlmGatewayProps);
}

describe('a provider key needs an endpoint', () => {
  const anthropic: GatewaySpec = {
    ...exampleSpec,
    tenants: [exampleSpec.tenants[0], { ...exampleSpec.tenants[1], providerKeys: [{ id: 'openai', provider: 'openai' }, { id: 'claude', provider: 'anthropic' }] }],
  };

  test('a provider with no endpoint is a synth-time error naming the key', () => {
    const stack = new cdk.Stack(new cdk.App(), 's', { env: ENV });
    expect(() => gateway(stack, plane(stack, anthropic))).toThrow(
      '  - plane.spec.tenants[1].providerKeys[1].provider: the router has no endpoint for provider "anthropic" (it knows "openai"), so every call with key "claude" would fail (got "anthropic"). '
      + 'Fix: add providerEndpoints: { "anthropic": "https://<its OpenAI-compatible API base URL>" } to the gateway\'s props.');
  });

  test('with its endpoint configured the gateway builds', () => {
    const stack = new cdk.Stack(new cdk.App(), 's', { env: ENV });
    expect(() => gateway(stack, plane(stack, anthropic), { providerEndpoints: { anthropic: 'https://api.anthropic.example/v1' } })).not.toThrow();
  });
});

describe('one gateway, built once per app', () => {
  test('two planes from one spec in one stack', () => {
    const stack = new cdk.Stack(new cdk.App(), 's', { env: ENV });
    plane(stack);
    expect(() => plane(stack, exampleSpec, 'Again')).toThrow(
      'spec.name: gateway "acme-llm" already has an AWS plane in this app, at s/Gateway; a second would create every role, bucket and log group of the first again, under the same names');
  });

  test('one spec in two stacks', () => {
    const app = new cdk.App();
    buildAwsPlane(new cdk.Stack(app, 'first', { env: ENV }), exampleSpec);
    expect(() => buildAwsPlane(new cdk.Stack(app, 'second', { env: ENV }), exampleSpec)).toThrow(/spec\.name: gateway "acme-llm" already has an AWS plane in this app, at first\/Gateway/);
  });

  test('two gateways on one plane', () => {
    const stack = new cdk.Stack(new cdk.App(), 's', { env: ENV });
    const p = plane(stack);
    gateway(stack, p);
    expect(() => gateway(stack, p, {}, 'Again')).toThrow(
      'props.plane: gateway "acme-llm" already runs in this app, at s/LlmGateway; a second would create its router cells, API and web ACL again, under the same names (got "s/Gateway"). Fix: create one LlmGateway per plane.');
  });

  test('two gateways with different names share an app, each in its stack and its cell stacks', () => {
    const app = new cdk.App();
    const first = new cdk.Stack(app, 's', { env: ENV });
    const second = new cdk.Stack(app, 't', { env: ENV });
    const a = plane(first);
    gateway(first, a);
    let b: GatewayAwsPlane | undefined;
    expect(() => { b = plane(second, { ...exampleSpec, name: 'acme-llm-b' }, 'Other'); gateway(second, b, {}, 'OtherGateway'); }).not.toThrow();
    expect(a.cellStacks.map((c) => c.stackName)).toEqual(['s-cells-204', 's-cells-232']);
    expect(b!.cellStacks.map((c) => c.stackName)).toEqual(['t-cells-204', 't-cells-232']);
  });

  test('two gateways cannot share a stack: their cell stacks would have the same names', () => {
    const stack = new cdk.Stack(new cdk.App(), 's', { env: ENV });
    gateway(stack, plane(stack));
    expect(() => plane(stack, { ...exampleSpec, name: 'acme-llm-b' }, 'Other')).toThrow(
      '  - scope: already holds the AWS plane of gateway "acme-llm" (s/Gateway); each plane names its cell stacks after its own stack, '
      + 'so two planes in one stack would create the same cell stacks (got "s"). Fix: build each gateway\'s plane in a stack of its own.');
  });

  test('separate apps are separate', () => {
    for (let i = 0; i < 2; i++) plane(new cdk.Stack(new cdk.App(), 's', { env: ENV }));
  });
});

test('unknown gateway props are refused with a did-you-mean', () => {
  const stack = new cdk.Stack(new cdk.App(), 's', { env: ENV });
  expect(() => gateway(stack, plane(stack), { reservedConcurency: 5 })).toThrow(
    '  - props.reservedConcurency: is not a field of LlmGatewayProps (got "reservedConcurency"). Fix: did you mean "reservedConcurrency"? Rename or remove it.');
});
