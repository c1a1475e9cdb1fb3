import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { CedarAction, CedarEntityType, DataAccess, GatewayBlueprint, GatewayCedarModel, GatewayNaming } from '../../src';
import { routerRoutes } from '../../src/aws/private/router-routes-builder';
import { CedarHarness, CedarRequest } from '../support/cedar';

// Table-driven decisions with the real Cedar engine and the exact policies the store receives.

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SONNET_PROFILE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

// The example gateway, plus one read-write store to tell reading from writing.
const blueprint = GatewayBlueprint.fromSpec({
  ...exampleSpec,
  tenants: [
    exampleSpec.tenants[0],
    { ...exampleSpec.tenants[1], dataStores: [{ id: 'notes', host: 'db.internal', database: 'research', schema: 'notes', access: DataAccess.READ_WRITE }] },
  ],
});
const cedar = new CedarHarness(blueprint);

type Row = [string, CedarRequest, 'allow' | 'deny', string[]];

const model = (workload: string, id: string, tenant?: string): CedarRequest =>
  ({ workload, action: CedarAction.INVOKE_MODEL, resourceType: CedarEntityType.MODEL, resource: id, tenant });

const table: Row[] = [
  // allowed use
  ['a workload invokes its tenant\'s foundation model', model('support-bot', HAIKU), 'allow', ['permit-support-invoke-model']],
  ['an EKS workload invokes its tenant\'s model', model('ticket-summarizer', HAIKU), 'allow', ['permit-support-invoke-model']],
  ['a workload invokes its tenant\'s inference profile', model('research-agent', SONNET_PROFILE), 'allow', ['permit-research-invoke-model']],
  // cross-tenant denial
  ['a workload invokes another tenant\'s model', model('support-bot', SONNET_PROFILE), 'deny', []],
  ['a workload claims another tenant for a model it would not get', model('research-agent', HAIKU, 'support'), 'deny', ['forbid-tenant-mismatch']],
  ['a workload claims another tenant for its own grant', model('support-bot', HAIKU, 'research'), 'deny', ['forbid-tenant-mismatch']],
  ['a workload reads another tenant\'s dataset', { workload: 'research-agent', action: CedarAction.READ_DATASET, resourceType: CedarEntityType.DATASET, resource: 'support/kb-vectors' }, 'deny', ['forbid-cross-tenant-data']],
  ['a workload uses another tenant\'s provider key', { workload: 'support-bot', action: CedarAction.USE_PROVIDER_KEY, resourceType: CedarEntityType.PROVIDER_KEY, resource: 'research/openai' }, 'deny', ['forbid-cross-tenant-data']],
  // unknown model denial
  ['a workload invokes a model nobody granted', model('support-bot', 'anthropic.claude-3-opus-20240229-v1:0'), 'deny', []],
  ['a workload invokes the foundation model behind its profile directly', model('research-agent', 'anthropic.claude-sonnet-4-20250514-v1:0'), 'deny', []],
  // tools
  ['a workload calls its tenant\'s tool', { workload: 'support-bot', action: CedarAction.CALL_TOOL, resourceType: CedarEntityType.TOOL, resource: 'ticket-search' }, 'allow', ['permit-support-call-tool']],
  ['a workload calls another tenant\'s tool', { workload: 'support-bot', action: CedarAction.CALL_TOOL, resourceType: CedarEntityType.TOOL, resource: 'web-search' }, 'deny', []],
  // datasets
  ['a workload reads its tenant\'s dataset', { workload: 'ticket-summarizer', action: CedarAction.READ_DATASET, resourceType: CedarEntityType.DATASET, resource: 'support/kb-vectors' }, 'allow', ['permit-support-read-dataset']],
  ['a workload writes a read-only dataset', { workload: 'ticket-summarizer', action: CedarAction.WRITE_DATASET, resourceType: CedarEntityType.DATASET, resource: 'support/kb-vectors' }, 'deny', []],
  ['a workload writes a read-write dataset', { workload: 'research-agent', action: CedarAction.WRITE_DATASET, resourceType: CedarEntityType.DATASET, resource: 'research/notes' }, 'allow', ['permit-research-write-dataset']],
  // provider keys
  ['a workload uses its tenant\'s provider key', { workload: 'research-agent', action: CedarAction.USE_PROVIDER_KEY, resourceType: CedarEntityType.PROVIDER_KEY, resource: 'research/openai' }, 'allow', ['permit-research-use-provider-key']],
];

describe('decisions', () => {
  test.each(table)('%s', (_name, request, decision, reasons) => {
    expect(cedar.decide(request)).toEqual({ decision, reasons });
  });
});

describe('suspension is a data change', () => {
  const suspended = (suspension: { tenants?: string[]; workloads?: string[] }) =>
    new CedarHarness(GatewayBlueprint.fromSpec({ ...exampleSpec, suspended: suspension }));

  test('a suspended workload is denied what it was allowed', () => {
    expect(suspended({ workloads: ['support-bot'] }).decide(model('support-bot', HAIKU)))
      .toEqual({ decision: 'deny', reasons: ['forbid-suspended-workload-support-bot'] });
  });

  test('the other workloads of its tenant keep their access', () => {
    expect(suspended({ workloads: ['support-bot'] }).decide(model('ticket-summarizer', HAIKU)).decision).toBe('allow');
  });

  test('a suspended tenant denies all its workloads, and only them', () => {
    const harness = suspended({ tenants: ['support'] });
    expect(harness.decide(model('support-bot', HAIKU))).toEqual({ decision: 'deny', reasons: ['forbid-suspended-tenant-support'] });
    expect(harness.decide(model('ticket-summarizer', HAIKU)).decision).toBe('deny');
    expect(harness.decide(model('research-agent', SONNET_PROFILE)).decision).toBe('allow');
  });
});

describe('the policy set', () => {
  test('every policy validates in strict mode against the schema', () => {
    expect(cedar.validationErrors()).toEqual([]);
  });

  test('no policy is dead: each applies to some request the schema allows', () => {
    expect(cedar.deadPolicies()).toEqual([]);
  });

  test('a policy with an unknown action fails validation', () => {
    const broken = new CedarHarness(blueprint, [{ id: 'typo', description: 'x', statement: 'permit (principal, action == Gateward::Action::"InvokeModle", resource);' }]);
    expect(broken.validationErrors()).toEqual([expect.stringMatching(/^typo: .*InvokeModle/)]);
  });

  test('a policy can make tools depend on the model the request is for (context.model)', () => {
    const onlyWithSonnet = {
      id: 'web-search-with-sonnet-only',
      description: 'Web search only for the Sonnet profile.',
      statement: `forbid (principal, action == Gateward::Action::"CallTool", resource == Gateward::Tool::"web-search")\nunless { context has model && context.model == "${SONNET_PROFILE}" };`,
    };
    const harness = new CedarHarness(blueprint, [onlyWithSonnet]);
    expect(harness.validationErrors()).toEqual([]);
    const search = { workload: 'research-agent', action: CedarAction.CALL_TOOL, resourceType: CedarEntityType.TOOL, resource: 'web-search' };
    expect(harness.decide({ ...search, model: SONNET_PROFILE }).decision).toBe('allow');
    expect(harness.decide({ ...search, model: 'gpt-4o-mini' })).toEqual({ decision: 'deny', reasons: ['web-search-with-sonnet-only'] });
    expect(harness.decide(search).decision).toBe('deny');
  });

  test('ids are unique and descriptions fit Verified Permissions (150 characters)', () => {
    const policies = GatewayCedarModel.policies(blueprint);
    expect(new Set(policies.map((p) => p.id)).size).toBe(policies.length);
    for (const policy of policies) expect(policy.description.length).toBeLessThanOrEqual(150);
  });
});

describe('one vocabulary for the policy store and the router', () => {
  test('the schema declares exactly the entity types and actions the router asks with, in the namespace GatewayNaming publishes', () => {
    const schema = JSON.parse(GatewayCedarModel.schemaJson());
    expect(Object.keys(schema)).toEqual([GatewayNaming.CEDAR_NAMESPACE]);
    const declared = schema[GatewayNaming.CEDAR_NAMESPACE];
    expect(Object.keys(declared.entityTypes).sort()).toEqual(Object.values(CedarEntityType).sort());
    expect(Object.keys(declared.actions).sort()).toEqual(Object.values(CedarAction).sort());
  });

  test('the routing table gives the router the schema\'s namespace', () => {
    expect(routerRoutes(blueprint).cedarNamespace).toBe(GatewayNaming.CEDAR_NAMESPACE);
  });
});
