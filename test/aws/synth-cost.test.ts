import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GatewayAwsPlane, GatewayBlueprint, GatewaySpec, LlmGateway, VaultConnection, VaultServerIdentity } from '../../src';
import { scaleRotations, scaleSpec } from '../support/scale-spec';

// What synthesis of many tenants does once instead of once per tenant or per reference, with the
// output it had before: cell stacks derive each logical id once, the blueprint's lookups are
// computed once, and roles and watch parameters are tagged and written without a tree walk each.

function build(spec: GatewaySpec): { app: cdk.App; plane: GatewayAwsPlane } {
  const app = new cdk.App({ analyticsReporting: false });
  const stack = new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } });
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${spec.aws.account}:role/acme-vault-server`),
    providerKeyRotation: scaleRotations(spec),
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    availabilityZones: [`${spec.aws.region}a`, `${spec.aws.region}b`],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  });
  new LlmGateway(stack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16'), 8200) });
  return { app, plane };
}

describe('cell stacks', () => {
  // Stack.allocateLogicalId is protected; the test counts calls to CDK's own derivation.
  const stackPrototype = cdk.Stack.prototype as unknown as { allocateLogicalId: (element: cdk.CfnElement) => string };

  test('derive each element\'s logical id once, however often synthesis resolves a reference to it', () => {
    const { app, plane } = build(scaleSpec(3));
    const cellStacks = new Set<cdk.Stack>(plane.cellStacks);
    const spy = jest.spyOn(stackPrototype, 'allocateLogicalId');
    const derived = new Map<cdk.CfnElement, number>();
    try {
      app.synth();
      spy.mock.calls.forEach(([element], i) => {
        if (cellStacks.has(spy.mock.contexts[i] as unknown as cdk.Stack)) derived.set(element, (derived.get(element) ?? 0) + 1);
      });
    } finally {
      spy.mockRestore();
    }
    expect(derived.size).toBeGreaterThan(20);
    const again = [...derived].filter(([, count]) => count > 1).map(([element]) => element.node.path);
    expect(again).toEqual([]);
  });

  test('keep CDK\'s logical ids and apply renames made after the elements exist', () => {
    const { app, plane } = build(scaleSpec(1));
    const cell = plane.cellStacks[0];
    const role = plane.routerRoles[0].role.node.defaultChild as cdk.CfnElement;
    const derived = cell.getLogicalId(role);
    expect(derived).toMatch(/^PlaneTenantt0001Router[0-9A-F]{8}$/);

    cell.renameLogicalId(derived, 'TheRouterRole');
    const template = Template.fromJSON(app.synth().getStackByName(cell.stackName).template);
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toContain('TheRouterRole');
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).not.toContain(derived);
  });
});

describe('the blueprint', () => {
  const blueprint = GatewayBlueprint.fromSpec(scaleSpec(3));

  test('gives every workload and target in spec order, as a new array each time', () => {
    const workloads = blueprint.workloads;
    expect(workloads.map((w) => w.id)).toEqual(blueprint.tenants.flatMap((t) => t.workloads.map((w) => w.id)));
    workloads.pop();
    expect(blueprint.workloads).toHaveLength(6);
    const targets = blueprint.targets;
    targets.length = 0;
    expect(blueprint.targets.map((t) => `${t.tenantId}/${t.id}`)).toEqual(blueprint.tenants.flatMap((t) => t.targets.map((x) => `${t.id}/${x.id}`)));
  });

  test('finds a tenant by id, and refuses an id it does not know', () => {
    expect(blueprint.tenant('t0002').id).toBe('t0002');
    expect(blueprint._findTenant('t0009')).toBeUndefined();
    expect(() => blueprint.tenant('t0009')).toThrow(/tenantId: names no tenant of the gateway \(got "t0009"\)/);
  });
});

describe('tags and watch parameters written directly', () => {
  const { app, plane } = build(scaleSpec(1));
  const cell = Template.fromJSON(app.synth().getStackByName(plane.cellStacks[0].stackName).template);

  test('every role of the chain carries its position and tenant, besides the ownership tags', () => {
    const roles = Object.values(cell.findResources('AWS::IAM::Role'));
    expect(roles.length).toBe(3);
    for (const role of roles) {
      const tags = Object.fromEntries((role.Properties.Tags as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
      expect(tags['gateward:tenant']).toBe('t0001');
      expect(['router', 'target']).toContain(tags['gateward:role']);
      expect(tags['gateward:gateway']).toBe('acme-llm');
    }
  });

  test('the key-age watch parameter holds the secret\'s name and ARN as JSON', () => {
    const [id] = Object.keys(cell.findResources('AWS::SecretsManager::Secret'));
    cell.hasResourceProperties('AWS::SSM::Parameter', {
      Type: 'String',
      Name: '/gateward/acme-llm/key-age/t0001/openai',
      Value: { 'Fn::Join': ['', ['{"name":"gateward/acme-llm/t0001/openai","arn":"', { Ref: id }, '"}']] },
    });
  });
});
