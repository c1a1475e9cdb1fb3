import { GatewayBlueprint, GatewaySpecValidator } from '../../src';
import { closest } from '../../src/contract/closest-field';
import { ProblemCollector } from '../../src/problems/problem-collector';
import { checkKnownKeys } from '../../src/spec/private/known-keys';
import { specWith } from '../fixtures/specs';

function problems(change: (s: any) => void) {
  return GatewaySpecValidator.problems(specWith(change)).map((p) => ({ path: p.path, message: p.message, fix: p.fix }));
}

describe('unknown keys are errors at every level of the spec', () => {
  // [where, change, expected path, suggestion or undefined]
  const levels: Array<[string, (s: any) => void, string, string | undefined]> = [
    ['top level', (s) => { s.suspend = { workloads: ['alpha-app'] }; }, 'suspend', 'suspended'],
    ['aws', (s) => { s.aws.regoin = 'us-east-1'; }, 'aws.regoin', 'region'],
    ['owners', (s) => { s.owners.security = { contact: 'sec' }; }, 'owners.security', undefined],
    ['an owner', (s) => { s.owners.policy.role = 'arn:aws:iam::123456789012:role/p'; }, 'owners.policy.role', 'roleArn'],
    ['a tenant', (s) => { s.tenants[1].workload = []; }, 'tenants[1].workload', 'workloads'],
    ['a tenant, singular of a list', (s) => { s.tenants[0].foundationModel = 'anthropic.claude-v2'; }, 'tenants[0].foundationModel', 'foundationModels'],
    ['a workload', (s) => { s.tenants[0].workloads[0].role_arn = 'x'; }, 'tenants[0].workloads[0].role_arn', 'roleArn'],
    ['an EKS service account', (s) => { s.tenants[0].workloads[1].eksServiceAccount.audiences = ['vault']; }, 'tenants[0].workloads[1].eksServiceAccount.audiences', 'audience'],
    ['an inference profile', (s) => { s.tenants[1].inferenceProfiles[0].regions = ['us-east-1']; }, 'tenants[1].inferenceProfiles[0].regions', undefined],
    ['a provider key', (s) => { s.tenants[1].providerKeys[0].rotationDays = 7; }, 'tenants[1].providerKeys[0].rotationDays', 'rotationPeriodDays'],
    ['a data store', (s) => { s.tenants[0].dataStores[0].Schema = 'alpha'; }, 'tenants[0].dataStores[0].Schema', 'schema'],
    ['ttls', (s) => { s.ttls = { vaultToken: { maxSeconds: 600 } }; }, 'ttls.vaultToken', 'vaultTokens'],
    ['TTL bounds', (s) => { s.ttls = { cloudCredentials: { max: 900 } }; }, 'ttls.cloudCredentials.max', 'maxSeconds'],
    ['suspended', (s) => { s.suspended = { workload: ['alpha-app'] }; }, 'suspended.workload', 'workloads'],
    ['vault', (s) => { s.vault = { address: 'https://vault.example.com', iamServerId: 'vault.example.com' }; }, 'vault.iamServerId', 'iamServerIdHeaderValue'],
  ];

  test.each(levels)('%s', (_where, change, path, suggestion) => {
    const found = problems(change);
    expect(found.map((p) => p.path)).toContain(path);
    const problem = found.find((p) => p.path === path)!;
    expect(problem.message).toMatch(/^is not a field of .+ \([A-Za-z]+\)$/);
    if (suggestion) {
      expect(problem.fix).toBe(`did you mean "${suggestion}"? Rename or remove it`);
    } else {
      expect(problem.fix).toMatch(/^remove it; the fields of .* are /);
    }
  });

  test('a misspelt kill switch is refused instead of leaving the workload active', () => {
    const spec = specWith((s) => { s.suspend = { workloads: ['alpha-app'] }; });
    expect(() => GatewayBlueprint.fromSpec(spec)).toThrow(/suspend: is not a field of the gateway spec \(GatewaySpec\) \(got "suspend"\)\. Fix: did you mean "suspended"\?/);
  });

  test('keys JSON can carry but TypeScript cannot name are unknown too', () => {
    const spec = JSON.parse('{"__proto__": {"x": 1}}');
    const found = GatewaySpecValidator.problems({ ...validSpecJson(), ...spec });
    expect(found.map((p) => p.path)).toContain('__proto__');
  });
});

function validSpecJson(): any {
  return JSON.parse(JSON.stringify(specWith(() => undefined)));
}

describe('checkKnownKeys, for construct props too', () => {
  test('reports every unknown key with the path and a did-you-mean', () => {
    const c = new ProblemCollector();
    checkKnownKeys(c, 'props', { vaultServer: 1, sesionTags: true, zzz: 1 }, ['vaultServer', 'sessionTags', 'permissionsBoundary'], 'GatewayAwsPlaneProps');
    expect(c.problems).toEqual([
      { path: 'props.sesionTags', value: '"sesionTags"', message: 'is not a field of GatewayAwsPlaneProps', fix: 'did you mean "sessionTags"? Rename or remove it' },
      { path: 'props.zzz', value: '"zzz"', message: 'is not a field of GatewayAwsPlaneProps', fix: 'remove it; the fields of GatewayAwsPlaneProps are vaultServer, sessionTags, permissionsBoundary' },
    ]);
  });

  test('ignores values that are not objects', () => {
    const c = new ProblemCollector();
    checkKnownKeys(c, 'x', null as any, ['a'], 'X');
    checkKnownKeys(c, 'x', 'text' as any, ['a'], 'X');
    expect(c.size).toBe(0);
  });

  test.each([
    ['suspend', 'suspended'], ['workload', 'workloads'], ['foundationModel', 'foundationModels'], ['RoleArn', 'roleArn'],
    ['role_arn', 'roleArn'], ['destination-regions', 'destinationRegions'], ['acount', 'account'],
  ])('suggests %s -> %s', (typo, expected) => {
    expect(closest(typo, ['suspended', 'workloads', 'foundationModels', 'roleArn', 'destinationRegions', 'account'])).toBe(expected);
  });

  test('suggests nothing for an unrelated key', () => {
    expect(closest('colour', ['suspended', 'workloads'])).toBeUndefined();
    expect(closest('', ['suspended'])).toBeUndefined();
  });
});
