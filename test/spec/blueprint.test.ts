import { DataAccess, DataStoreEngine, GatewayBlueprint, GatewayNaming, TargetKind, TtlLimits, VaultEdition } from '../../src';
import { specWith, validSpec } from '../fixtures/specs';

describe('defaults', () => {
  const blueprint = GatewayBlueprint.fromSpec(validSpec());

  test('credential lifetimes default to 15 minutes with a 1-hour maximum', () => {
    expect(blueprint.ttls).toEqual({
      cloudCredentials: { defaultSeconds: 900, maxSeconds: 3600 },
      vaultTokens: { defaultSeconds: 900, maxSeconds: 3600 },
      databaseCredentials: { defaultSeconds: 900, maxSeconds: 3600 },
    });
  });

  test('a lower maximum pulls the default down with it', () => {
    expect(TtlLimits.resolve({ vaultTokens: { maxSeconds: 600 } }).vaultTokens).toEqual({ defaultSeconds: 600, maxSeconds: 600 });
  });

  test('provider keys rotate every 30 days; data stores are read-only PostgreSQL on 5432', () => {
    expect(blueprint.tenant('beta').targets.find((t) => t.kind === TargetKind.PROVIDER_KEY)?.providerKey?.rotationPeriodDays).toBe(30);
    expect(blueprint.dataStores[0]).toMatchObject({ engine: DataStoreEngine.POSTGRESQL, port: 5432, access: DataAccess.READ_ONLY });
  });

  // The default was the generic "vault", which accepts tokens minted for any Vault of the organization.
  test('service-account tokens are bound to an audience that names the gateway', () => {
    expect(blueprint.workloads.find((w) => w.id === 'alpha-job')?.eksServiceAccount?.audience).toBe('gateward:test-gw');
    expect(blueprint.naming.workloadTokenAudience).toBe('gateward:test-gw');
    const other = GatewayBlueprint.fromSpec({ ...validSpec(), name: 'other-gw' });
    expect(other.workloads.find((w) => w.id === 'alpha-job')?.eksServiceAccount?.audience).toBe('gateward:other-gw');
  });

  test('an audience the spec names is kept', () => {
    const spec = specWith((s) => { s.tenants[0].workloads[1].eksServiceAccount.audience = 'https://vault.acme.example'; });
    expect(GatewayBlueprint.fromSpec(spec).workloads.find((w) => w.id === 'alpha-job')?.eksServiceAccount?.audience).toBe('https://vault.acme.example');
  });

  test('the partition defaults to aws', () => {
    expect(blueprint.partition).toBe('aws');
  });
});

describe('targets', () => {
  test('one target role per tenant and purpose', () => {
    const blueprint = GatewayBlueprint.fromSpec(validSpec());
    expect(blueprint.targets.map((t) => [t.tenantId, t.id, t.kind])).toEqual([
      ['alpha', 'models', TargetKind.BEDROCK_MODELS],
      ['beta', 'models', TargetKind.BEDROCK_MODELS],
      ['beta', 'key-openai', TargetKind.PROVIDER_KEY],
    ]);
  });

  test('a tenant without models has no model target', () => {
    const blueprint = GatewayBlueprint.fromSpec(specWith((s) => { s.tenants[1].inferenceProfiles = []; }));
    expect(blueprint.tenant('beta').targets.map((t) => t.id)).toEqual(['key-openai']);
  });

  test('inference profiles know their geography and model; global ones route to no listed region', () => {
    const blueprint = GatewayBlueprint.fromSpec(specWith((s) => {
      s.tenants[1].inferenceProfiles.push({ id: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' });
    }));
    expect(blueprint.tenant('beta').inferenceProfiles).toEqual([
      { id: 'us.anthropic.claude-sonnet-4-20250514-v1:0', geography: 'us', foundationModelId: 'anthropic.claude-sonnet-4-20250514-v1:0', destinationRegions: ['us-east-1', 'us-west-2'] },
      { id: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', geography: 'global', foundationModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', destinationRegions: [] },
    ]);
  });
});

describe('suspension', () => {
  test('a suspended tenant suspends its workloads; a suspended workload only itself', () => {
    const blueprint = GatewayBlueprint.fromSpec(specWith((s) => { s.suspended = { tenants: ['beta'], workloads: ['alpha-job'] }; }));
    expect(blueprint.workloads.map((w) => [w.id, w.suspended])).toEqual([
      ['alpha-app', false],
      ['alpha-job', true],
      ['beta-app', true],
    ]);
    expect(blueprint.tenants.map((t) => t.suspended)).toEqual([false, true]);
  });
});

describe('errors', () => {
  test('an invalid spec cannot become a blueprint', () => {
    expect(() => GatewayBlueprint.fromSpec(specWith((s) => { s.aws.account = 'abc'; }))).toThrow(/aws\.account: an AWS account id is exactly 12 digits/);
  });

  test('asking for an unknown tenant names the known ones', () => {
    expect(() => GatewayBlueprint.fromSpec(validSpec()).tenant('gamma')).toThrow(
      'GatewayBlueprint "test-gw" is invalid (1 problem):\n  - tenantId: names no tenant of the gateway (got "gamma"). Fix: use one of "alpha", "beta".');
  });
});

test('ownership tags name the gateway and its three owners', () => {
  expect(GatewayBlueprint.fromSpec(validSpec()).ownershipTags()).toEqual({
    [GatewayNaming.GATEWAY_TAG]: 'test-gw',
    [GatewayNaming.POLICY_OWNER_TAG]: 'policy-team@example.com',
    [GatewayNaming.OPERATIONS_OWNER_TAG]: 'platform-ops',
    [GatewayNaming.CREDENTIAL_OWNER_TAG]: 'secrets@example.com',
  });
});

describe('the Vault server', () => {
  const vaultOf = (vault: object) => GatewayBlueprint.fromSpec(specWith((s) => { s.vault = vault; })).vault;

  test('defaults: Community 1.15.0, the server-id header is the host name', () => {
    expect(vaultOf({ address: 'https://vault.acme.example:8200' })).toEqual({
      address: 'https://vault.acme.example:8200',
      iamServerIdHeaderValue: 'vault.acme.example',
      edition: VaultEdition.COMMUNITY,
      version: '1.15.0',
      pluginWorkloadIdentity: false,
      authWorkloadIdentity: false,
      automatedRootRotation: false,
    });
  });

  test.each([
    [VaultEdition.COMMUNITY, '1.20.0', false, false],
    [VaultEdition.ENTERPRISE, '1.15.9', false, false],
    [VaultEdition.ENTERPRISE, '1.16.0', true, false],
    [VaultEdition.ENTERPRISE, '1.19.0', true, true],
    [VaultEdition.ENTERPRISE, '2.0.1', true, true],
  ])('%s %s: workload identity %s, automated root rotation %s', (edition, version, wif, rotation) => {
    expect(vaultOf({ address: 'https://v.example', edition, version })).toMatchObject({ pluginWorkloadIdentity: wif, automatedRootRotation: rotation });
  });

  test('no vault section, no Vault server', () => {
    expect(GatewayBlueprint.fromSpec(validSpec()).vault).toBeUndefined();
  });
});
