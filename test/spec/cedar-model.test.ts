import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { CedarAction, CedarEntityType, DataAccess, GatewayBlueprint, GatewayCedarModel, GatewayNaming, TargetKind } from '../../src';
import { routerRoutes } from '../../src/aws/private/router-routes-builder';
import { cedarActionUid, cedarEntityUid } from '../../src/contract/cedar-names';
import { CedarHarness, CedarRequest } from '../support/cedar';
import { scaleSpec, scaleTenantId } from '../support/scale-spec';

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
  ['a workload invokes its tenant\'s foundation model', model('support-bot', HAIKU), 'allow', [`permit-support-invoke-model/${HAIKU}`]],
  ['an EKS workload invokes its tenant\'s model', model('ticket-summarizer', HAIKU), 'allow', [`permit-support-invoke-model/${HAIKU}`]],
  ['a workload invokes its tenant\'s inference profile', model('research-agent', SONNET_PROFILE), 'allow', [`permit-research-invoke-model/${SONNET_PROFILE}`]],
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
  ['a workload calls its tenant\'s tool', { workload: 'support-bot', action: CedarAction.CALL_TOOL, resourceType: CedarEntityType.TOOL, resource: 'ticket-search' }, 'allow', ['permit-support-call-tool/ticket-search']],
  ['a workload calls another tenant\'s tool', { workload: 'support-bot', action: CedarAction.CALL_TOOL, resourceType: CedarEntityType.TOOL, resource: 'web-search' }, 'deny', []],
  // datasets
  ['a workload reads its tenant\'s dataset', { workload: 'ticket-summarizer', action: CedarAction.READ_DATASET, resourceType: CedarEntityType.DATASET, resource: 'support/kb-vectors' }, 'allow', ['permit-support-read-dataset/kb-vectors']],
  ['a workload writes a read-only dataset', { workload: 'ticket-summarizer', action: CedarAction.WRITE_DATASET, resourceType: CedarEntityType.DATASET, resource: 'support/kb-vectors' }, 'deny', []],
  ['a workload writes a read-write dataset', { workload: 'research-agent', action: CedarAction.WRITE_DATASET, resourceType: CedarEntityType.DATASET, resource: 'research/notes' }, 'allow', ['permit-research-write-dataset/notes']],
  // provider keys
  ['a workload uses its tenant\'s provider key', { workload: 'research-agent', action: CedarAction.USE_PROVIDER_KEY, resourceType: CedarEntityType.PROVIDER_KEY, resource: 'research/openai' }, 'allow', ['permit-research-use-provider-key/openai']],
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
    const ids = [...GatewayCedarModel.gatewayPolicies(), ...GatewayCedarModel.templates(), ...GatewayCedarModel.links(blueprint)].map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const policy of [...GatewayCedarModel.gatewayPolicies(), ...GatewayCedarModel.templates()]) {
      expect(policy.description.length).toBeLessThanOrEqual(150);
    }
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

/**
 * The policies in the form the store held before templates: one static permit per tenant and
 * action whose unscoped resource is matched against the tenant's list in a `when` clause, and one
 * static forbid per suspension. The oracle the template-linked policies must agree with.
 */
function formerPolicies(bp: GatewayBlueprint): Record<string, string> {
  const policies: Record<string, string> = Object.fromEntries(GatewayCedarModel.gatewayPolicies().map((p) => [p.id, p.statement]));
  for (const tenant of bp.tenants) {
    const principal = cedarEntityUid(CedarEntityType.TENANT, tenant.cedarId);
    const permit = (action: CedarAction, slug: string, type: CedarEntityType, ids: string[]) => {
      if (ids.length === 0) return;
      policies[`permit-${tenant.id}-${slug}`] = `permit (principal in ${principal}, action == ${cedarActionUid(action)}, resource)\n`
        + `when { resource in [${ids.map((id) => cedarEntityUid(type, id)).join(', ')}] };`;
    };
    const keys = tenant.targets.filter((t) => t.kind === TargetKind.PROVIDER_KEY && t.providerKey).map((t) => `${tenant.id}/${t.providerKey!.id}`);
    permit(CedarAction.INVOKE_MODEL, 'invoke-model', CedarEntityType.MODEL, [...tenant.foundationModels, ...tenant.inferenceProfiles.map((p) => p.id)]);
    permit(CedarAction.USE_PROVIDER_KEY, 'use-provider-key', CedarEntityType.PROVIDER_KEY, keys);
    permit(CedarAction.CALL_TOOL, 'call-tool', CedarEntityType.TOOL, tenant.tools);
    permit(CedarAction.READ_DATASET, 'read-dataset', CedarEntityType.DATASET, tenant.dataStores.map((d) => d.cedarDatasetId));
    permit(CedarAction.WRITE_DATASET, 'write-dataset', CedarEntityType.DATASET, tenant.dataStores.filter((d) => d.access === DataAccess.READ_WRITE).map((d) => d.cedarDatasetId));
    if (tenant.suspended) {
      policies[`forbid-suspended-tenant-${tenant.id}`] = `forbid (principal in ${principal}, action, resource);`;
    } else {
      for (const workload of bp.workloads.filter((w) => w.tenantId === tenant.id && w.suspended)) {
        policies[`forbid-suspended-workload-${workload.id}`] = `forbid (principal == ${cedarEntityUid(CedarEntityType.WORKLOAD, workload.cedarId)}, action, resource);`;
      }
    }
  }
  return policies;
}

/** Every request the router could make of a blueprint: each workload, for its own tenant and another, each action on every resource of its type. */
function everyRequest(bp: GatewayBlueprint): CedarRequest[] {
  const entities = JSON.parse(GatewayCedarModel.entitiesJson(bp)) as Array<{ uid: { type: string; id: string } }>;
  // Models and tools nobody was granted too; a dataset or key always comes with its owning tenant.
  const ungranted = (type: CedarEntityType) => (type === CedarEntityType.MODEL || type === CedarEntityType.TOOL ? ['nobody-granted-this'] : []);
  const ofType = (type: CedarEntityType) => [...entities.filter((e) => e.uid.type.endsWith(`::${type}`)).map((e) => e.uid.id), ...ungranted(type)];
  const actions: Array<[CedarAction, CedarEntityType]> = [
    [CedarAction.INVOKE_MODEL, CedarEntityType.MODEL],
    [CedarAction.CALL_TOOL, CedarEntityType.TOOL],
    [CedarAction.READ_DATASET, CedarEntityType.DATASET],
    [CedarAction.WRITE_DATASET, CedarEntityType.DATASET],
    [CedarAction.USE_PROVIDER_KEY, CedarEntityType.PROVIDER_KEY],
  ];
  const requests: CedarRequest[] = [];
  for (const workload of bp.workloads) {
    const other = bp.tenants.find((t) => t.id !== workload.tenantId)!.id;
    for (const tenant of [undefined, other]) {
      for (const [action, resourceType] of actions) {
        for (const resource of ofType(resourceType)) requests.push({ workload: workload.id, action, resourceType, resource, tenant });
      }
    }
  }
  return requests;
}

describe('template-linked grants', () => {
  test('seven templates whatever the number of tenants, each grant scoped to one resource', () => {
    const templates = GatewayCedarModel.templates();
    expect(templates.map((t) => t.id)).toEqual([
      'permit-invoke-model', 'permit-use-provider-key', 'permit-call-tool', 'permit-read-dataset', 'permit-write-dataset',
      'forbid-suspended-tenant', 'forbid-suspended-workload',
    ]);
    for (const t of templates.filter((x) => x.id.startsWith('permit-'))) expect(t.statement).toMatch(/^permit \(principal in \?principal, action == [^,]+, resource == \?resource\);$/);
    // The research tenant of the table: one link per granted resource, named by its grant.
    expect(GatewayCedarModel.tenantLinks(blueprint, 'research').map((l) => [l.id, l.grant, l.templateId, l.principal?.entityId, l.resource?.entityId])).toEqual([
      [`permit-research-invoke-model/${SONNET_PROFILE}`, 'permit-research-invoke-model', 'permit-invoke-model', 'research', SONNET_PROFILE],
      ['permit-research-use-provider-key/openai', 'permit-research-use-provider-key', 'permit-use-provider-key', 'research', 'research/openai'],
      ['permit-research-call-tool/web-search', 'permit-research-call-tool', 'permit-call-tool', 'research', 'web-search'],
      ['permit-research-read-dataset/notes', 'permit-research-read-dataset', 'permit-read-dataset', 'research', 'research/notes'],
      ['permit-research-write-dataset/notes', 'permit-research-write-dataset', 'permit-write-dataset', 'research', 'research/notes'],
    ]);
  });

  test('a link stands for its template with the entities in the slots', () => {
    const [link] = GatewayCedarModel.tenantLinks(blueprint, 'support');
    const template = GatewayCedarModel.templates().find((t) => t.id === link.templateId)!;
    expect(GatewayCedarModel.linkedStatement(template.statement, link))
      .toBe(`permit (principal in Gateward::Tenant::"support", action == Gateward::Action::"InvokeModel", resource == Gateward::Model::"${HAIKU}");`);
  });

  const variants: Array<[string, GatewayBlueprint]> = [
    ['the table\'s gateway', blueprint],
    ['a suspended workload', GatewayBlueprint.fromSpec({ ...exampleSpec, suspended: { workloads: ['support-bot'] } })],
    ['a suspended tenant', GatewayBlueprint.fromSpec({ ...exampleSpec, suspended: { tenants: ['research'] } })],
    ['twelve tenants sharing their models and tool', GatewayBlueprint.fromSpec({ ...scaleSpec(12), suspended: { tenants: [scaleTenantId(3)], workloads: [`${scaleTenantId(7)}-chat`] } })],
  ];
  test.each(variants)('every request gets the decision the former per-tenant permits gave: %s', (_name, bp) => {
    const linked = new CedarHarness(bp);
    const former = CedarHarness.ofPolicySet(bp, { staticPolicies: formerPolicies(bp) });
    const requests = everyRequest(bp);
    const differ = requests.filter((r) => linked.decide(r).decision !== former.decide(r).decision);
    expect(differ).toEqual([]);
    // Both allow and deny occur, and a grant's link decides where the tenant's permit did.
    const allowed = requests.filter((r) => former.decide(r).decision === 'allow');
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.length).toBeLessThan(requests.length);
    for (const r of allowed) {
      expect(linked.decide(r).reasons.map((id) => id.split('/')[0])).toEqual(former.decide(r).reasons);
    }
    // The statements the links stand for, as static policies, decide exactly as the links do.
    const statements = Object.fromEntries(GatewayCedarModel.policies(bp).map((p) => [p.id, p.statement]));
    const spelled = CedarHarness.ofPolicySet(bp, { staticPolicies: statements });
    expect(requests.filter((r) => JSON.stringify(spelled.decide(r)) !== JSON.stringify(linked.decide(r)))).toEqual([]);
  });

  describe('at scale: 300 tenants sharing a model, a tool and a dataset host', () => {
    const scale = GatewayBlueprint.fromSpec(scaleSpec(300));
    const harness = new CedarHarness(scale);
    const SHARED = scale.tenants[0].foundationModels[0];

    test('every tenant\'s workloads invoke the shared model by their own tenant\'s link, and by no other', () => {
      for (const tenant of scale.tenants) {
        for (const workload of tenant.workloads) {
          expect(harness.decide(model(workload.id, SHARED))).toEqual({ decision: 'allow', reasons: [`permit-${tenant.id}-invoke-model/${SHARED}`] });
        }
      }
    });

    test('each tenant is allowed its own dataset, key and tool only', () => {
      for (const index of [0, 1, 149, 298, 299]) {
        const tenant = scale.tenants[index];
        const other = scale.tenants[(index + 150) % 300];
        const workload = tenant.workloads[0].id;
        const own = (action: CedarAction, resourceType: CedarEntityType, resource: string) =>
          harness.decide({ workload, action, resourceType, resource });
        expect(own(CedarAction.READ_DATASET, CedarEntityType.DATASET, `${tenant.id}/kb`)).toEqual({ decision: 'allow', reasons: [`permit-${tenant.id}-read-dataset/kb`] });
        expect(own(CedarAction.READ_DATASET, CedarEntityType.DATASET, `${other.id}/kb`)).toEqual({ decision: 'deny', reasons: ['forbid-cross-tenant-data'] });
        expect(own(CedarAction.WRITE_DATASET, CedarEntityType.DATASET, `${tenant.id}/kb`)).toEqual({ decision: 'deny', reasons: [] });
        expect(own(CedarAction.USE_PROVIDER_KEY, CedarEntityType.PROVIDER_KEY, `${tenant.id}/openai`)).toEqual({ decision: 'allow', reasons: [`permit-${tenant.id}-use-provider-key/openai`] });
        expect(own(CedarAction.USE_PROVIDER_KEY, CedarEntityType.PROVIDER_KEY, `${other.id}/openai`)).toEqual({ decision: 'deny', reasons: ['forbid-cross-tenant-data'] });
        expect(own(CedarAction.CALL_TOOL, CedarEntityType.TOOL, 'web-search')).toEqual({ decision: 'allow', reasons: [`permit-${tenant.id}-call-tool/web-search`] });
        // Claiming the other tenant, whose grant names the same model, gets nothing.
        expect(harness.decide(model(workload, SHARED, other.id))).toEqual({ decision: 'deny', reasons: ['forbid-tenant-mismatch'] });
      }
    });

    test('the policies and links validate, and none is dead', () => {
      expect(harness.validationErrors()).toEqual([]);
      expect(harness.deadPolicies()).toEqual([]);
    });
  });
});
