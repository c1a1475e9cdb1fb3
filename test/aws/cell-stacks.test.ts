import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewaySpec, LlmGateway, ProviderKeyRotation, VaultConnection, VaultServerIdentity } from '../../src';
import { cellStackIndex, DEFAULT_CELL_STACK_COUNT } from '../../src/aws/private/cell-stacks';
import { scaleRotations, scaleSpec } from '../support/scale-spec';

// The split by construction: each tenant's cell lives in a cell stack picked from its id alone,
// so a gateway grows inside CloudFormation's quotas, and adding or removing a tenant never moves
// another tenant's resources (which CloudFormation would replace).

interface Synthesized {
  readonly plane: GatewayAwsPlane;
  /** Every stack of the gateway (shared and cells), by name. */
  readonly templates: Record<string, any>;
}

/** The example's wiring, with every provider key rotated manually (watched by the key-age check). */
function build(stack: cdk.Stack, spec: GatewaySpec): GatewayAwsPlane {
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
  return plane;
}

function synthesize(spec: GatewaySpec): Synthesized {
  const app = new cdk.App({ analyticsReporting: false });
  const stack = new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } });
  const plane = build(stack, spec);
  const assembly = app.synth();
  const templates = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
  return { plane, templates };
}

/** Where each resource is: `<logical id>` -> stack name. */
function placement(templates: Record<string, any>): Map<string, string> {
  const where = new Map<string, string>();
  for (const [name, template] of Object.entries(templates)) {
    for (const id of Object.keys(template.Resources ?? {})) where.set(`${name}/${id}`, name);
  }
  return where;
}

const resourcesOf = (template: any, type: string) => Object.values((template.Resources ?? {}) as Record<string, any>).filter((r) => r.Type === type);
const compactLength = (value: unknown) => JSON.stringify(value).length;

// The example's own tenants, plus generated ones of the shape (two workloads, a model, an
// inference profile, a provider key, a data store and a tool each).
const withTenants = (count: number, offset = 0): GatewaySpec => {
  const generated = scaleSpec(count, { offset });
  return { ...exampleSpec, tenants: [...exampleSpec.tenants, ...generated.tenants] };
};

describe('tenants are placed by their id alone', () => {
  test('the placement is a fixed function of the id and the stack count (changing it would move every tenant)', () => {
    // Pinned: a different hash would re-home every existing tenant on upgrade.
    expect(cellStackIndex('support', 128)).toBe(104);
    expect(cellStackIndex('research', 128)).toBe(76);
    expect(cellStackIndex('t0001', 128)).toBe(cellStackIndex('t0001', 128));
    const spread = new Set(Array.from({ length: 1000 }, (_, i) => cellStackIndex(`tenant-${i}`, 128)));
    expect(spread.size).toBe(128);
  });

  test('the example\'s cells are in their own stacks, next to the shared one', () => {
    const { plane, templates } = synthesize(exampleSpec);
    expect(plane.cellStacks.map((s) => s.stackName)).toEqual(['acme-llm-aws-cells-204', 'acme-llm-aws-cells-232']);
    expect(plane.cellStackOf('support').stackName).toBe('acme-llm-aws-cells-232');
    const routerFunctions = (name: string) => resourcesOf(templates[name], 'AWS::Lambda::Function').map((f) => f.Properties.FunctionName).filter((n) => /-router$/.test(n));
    expect(routerFunctions('acme-llm-aws-cells-232')).toEqual(['acme-llm-support-router']);
    expect(routerFunctions('acme-llm-aws-cells-204')).toEqual(['acme-llm-research-router']);
    expect(routerFunctions('acme-llm-aws')).toEqual([]);
    // The shared stack never references a cell stack: there is no export from a cell stack.
    for (const name of plane.cellStacks.map((s) => s.stackName)) {
      expect(Object.values(templates[name].Outputs ?? {}).filter((o: any) => o.Export)).toEqual([]);
    }
    expect(() => plane.cellStackOf('nope')).toThrow('tenantId: names no tenant of gateway "acme-llm" (got "nope")');
  });
});

describe('adding or removing a tenant moves no other tenant\'s resource', () => {
  // Tenants t0017 to t0040: t0035 and t0040 share a cell stack under the default count.
  const spec = withTenants(24, 16);
  // The removed tenant shares its cell stack with another, so the stack (and its API) stays.
  const ids = spec.tenants.map((t) => t.id);
  const sharesAStack = (id: string) => ids.some((other) => other !== id
    && cellStackIndex(other, DEFAULT_CELL_STACK_COUNT) === cellStackIndex(id, DEFAULT_CELL_STACK_COUNT));
  const gone = ids.find(sharesAStack)!;
  const before = synthesize(spec);
  const added = synthesize(withTenants(25, 16));
  const removed = synthesize({ ...spec, tenants: spec.tenants.filter((t) => t.id !== gone) });

  // API Gateway serves an immutable deployment of a REST API's methods; the API's deployment
  // resource keeps its logical id and takes a new deployment when its revision changes.
  const revisions = (s: Synthesized) => Object.fromEntries(Object.entries(s.templates).flatMap(([name, t]) =>
    Object.values<any>(t.Resources ?? {}).filter((r) => r.Type === 'Custom::GatewayApiDeployment').map((r) => [name, r.Properties.Revision])));

  test('with one more tenant, every existing resource keeps its stack and logical id', () => {
    const after = placement(added.templates);
    const missing = [...placement(before.templates).keys()].filter((key) => !after.has(key));
    expect(missing).toEqual([]);
  });

  test('with one more tenant, only the API of its own cell stack is published again', () => {
    const newTenant = scaleSpec(1, { offset: 40 }).tenants[0].id;
    const home = added.plane.cellStackOf(newTenant).stackName;
    const old = revisions(before);
    const changed = Object.entries(revisions(added)).filter(([name, revision]) => old[name] !== revision).map(([name]) => name);
    expect(changed).toEqual([home]);
  });

  test('with one tenant fewer, every other resource keeps its stack and logical id', () => {
    expect(gone).toBeDefined();
    const after = placement(removed.templates);
    const moved = [...placement(before.templates).entries()]
      .filter(([key]) => !after.has(key))
      .map(([key]) => key)
      .filter((key) => !new RegExp(`(Tenant|tenants)${gone.replace(/[^A-Za-z0-9]/g, '')}`).test(key));
    // What disappears is the removed tenant's own; its stack's API is published again without it.
    expect(moved).toEqual([]);
    const home = before.plane.cellStackOf(gone).stackName;
    expect(revisions(removed)[home]).toMatch(/^[0-9a-f]{64}$/);
    expect(revisions(removed)[home]).not.toBe(revisions(before)[home]);
  });
});

describe('the quotas hold, and the policies do not grow with tenants', () => {
  // Generated tenants only: their workloads share one account, so the API policies admit the same accounts.
  const small = synthesize(scaleSpec(2));
  const large = synthesize(scaleSpec(30));

  test.each(Object.keys(large.templates))('%s: under 500 resources and 1 MB', (name) => {
    const template = large.templates[name];
    expect(Object.keys(template.Resources ?? {}).length).toBeLessThanOrEqual(500);
    expect(compactLength(template)).toBeLessThan(1_000_000);
  });

  const sizes = (s: Synthesized) => {
    const all = Object.values(s.templates);
    const managed = all.flatMap((t) => resourcesOf(t, 'AWS::IAM::ManagedPolicy'));
    const broker = managed.find((p) => p.Properties.ManagedPolicyName === 'acme-llm-broker-permissions')!;
    const apis = all.flatMap((t) => resourcesOf(t, 'AWS::ApiGateway::RestApi'));
    const keyAge = all.flatMap((t) => resourcesOf(t, 'AWS::Lambda::Function')).find((f) => /Reports the age of/.test(JSON.stringify(f.Properties.Description)))!;
    return {
      broker: compactLength(broker.Properties.PolicyDocument),
      apiPolicy: Math.max(...apis.map((a) => compactLength(a.Properties.Policy))),
      keyAgeEnvironment: compactLength(keyAge.Properties.Environment.Variables),
      maxManagedPolicy: Math.max(...managed.map((p) => compactLength(p.Properties.PolicyDocument))),
    };
  };

  test('the broker policy, each API resource policy and the key-age environment are the same size for 2 and 30 tenants', () => {
    const a = sizes(small);
    const b = sizes(large);
    expect(b.broker).toBe(a.broker);
    expect(b.apiPolicy).toBe(a.apiPolicy);
    expect(b.keyAgeEnvironment).toBe(a.keyAgeEnvironment);
    expect(b.apiPolicy).toBeLessThan(8192);
    expect(b.maxManagedPolicy).toBeLessThan(6144);
    expect(b.keyAgeEnvironment).toBeLessThan(4096);
  });

  test('the shared stack does not grow with tenants (a rotation function\'s permissions aside)', () => {
    // Manual rotation: nothing of a tenant is in the shared stack.
    const count = (s: Synthesized) => Object.keys(s.templates['acme-llm-aws'].Resources).length;
    expect(count(large)).toBe(count(small));
  });
});

test('cellStackCount is a whole number from 1 to 1000', () => {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'acme-llm-aws', { env: { account: exampleSpec.aws.account, region: exampleSpec.aws.region } });
  expect(() => new GatewayAwsPlane(stack, 'Plane', {
    spec: exampleSpec,
    vaultServer: VaultServerIdentity.fromRoleArn('arn:aws:iam::111122223333:role/acme-vault-server'),
    providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
    cellStackCount: 0,
  })).toThrow('props.cellStackCount: is the number of stacks the tenant cells are spread over: a whole number from 1 to 1000 (got 0)');
});

/** A plane alone, its tenants spread over `cellStackCount` stacks, and a function that synthesizes its app. */
function planeOver(spec: GatewaySpec, cellStackCount: number, context: Record<string, unknown> = {}) {
  const app = new cdk.App({ analyticsReporting: false, context });
  const stack = new cdk.Stack(app, `${spec.name}-aws`, { env: { account: spec.aws.account, region: spec.aws.region } });
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${spec.aws.account}:role/acme-vault-server`),
    providerKeyRotation: scaleRotations(spec),
    cellStackCount,
  });
  return { plane, synth: () => app.synth() };
}

test('a cell stack over CloudFormation\'s 500 resources fails synthesis naming the stack, each tenant\'s share and the fix, for every such stack at once', () => {
  const spec = withTenants(60);
  const { plane, synth } = planeOver(spec, 2);
  expect(plane.cellStacks).toHaveLength(2);
  let message = '';
  try {
    synth();
  } catch (e) {
    message = (e as Error).message;
  }
  for (const cell of plane.cellStacks) {
    const tenants = spec.tenants.filter((t) => plane.cellStackOf(t.id) === cell).map((t) => t.id);
    expect(message).toMatch(new RegExp(`Cell stack ${cell.stackName} would hold \\d+ resources; CloudFormation allows 500 in a stack\\. Its ${tenants.length} tenants: `));
    for (const tenant of tenants) expect(message).toMatch(new RegExp(`[:,] ${tenant} \\(\\d+\\)`));
  }
  expect(message).toContain('Fix: raise props.cellStackCount (now 2)');
  expect(message).not.toContain('Number of resources in stack');
});

test('the same layout under the limit synthesizes, and a stack resource limit set in context is the one checked', () => {
  const spec = withTenants(8);
  expect(planeOver(spec, 1).synth).not.toThrow();
  expect(planeOver(spec, 1, { '@aws-cdk/core:stackResourceLimit': 50 }).synth).toThrow(/Cell stack \S+-cells-000 would hold \d+ resources; CloudFormation allows 50 in a stack/);
  expect(planeOver(spec, 1, { '@aws-cdk/core:stackResourceLimit': 0 }).synth).not.toThrow();
});
