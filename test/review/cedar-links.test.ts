import * as fs from 'fs';
import * as path from 'path';
import { editTemplates, scratch, SynthesizedOutput, synthesizeOutput, variant } from './support/review-fixtures';
import { readReviewInputs } from '../../src/review/inputs/review-inputs';
import { awsInventory, cedarPolicyLabel } from '../../src/review/model/aws-inventory';
import { decideCedar, unconditionalForbids } from '../../src/review/model/cedar-decisions';

// The access review reads the policy store as Verified Permissions holds it: static policies,
// policy templates and template-linked policies (each tenant's grants, in its cell stack), and
// asks Cedar with the templates linked.

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';

let dir: string;
let example: SynthesizedOutput;
beforeAll(() => {
  dir = scratch('review-cedar-links');
  example = synthesizeOutput(path.join(dir, 'example'));
}, 240_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const storeOf = (out: SynthesizedOutput) => {
  const inventory = awsInventory(readReviewInputs([out.aws]).aws);
  return { store: inventory.policyStores[0], unread: inventory.unread };
};
const invoke = (workload: string, tenant: string, model: string) => ({
  namespace: 'Gateward', workload, workloadTenant: tenant, contextTenant: tenant, action: 'InvokeModel', resourceType: 'Model', resourceId: model,
});

test('a policy is named from its Policy- part on, and a link by its grant', () => {
  expect(cedarPolicyLabel('acme-llm-aws/Gateway/PolicyStore/Policy-forbid-tenant-mismatch')).toEqual({ id: 'forbid-tenant-mismatch', grant: 'forbid-tenant-mismatch' });
  expect(cedarPolicyLabel(`cells-001/Plane/Tenant-support/Policy-permit-support-invoke-model/${HAIKU}`))
    .toEqual({ id: `permit-support-invoke-model/${HAIKU}`, grant: 'permit-support-invoke-model' });
});

test('the templates, and each link with its template, entities and the statement it stands for', () => {
  const { store, unread } = storeOf(example);
  expect(unread.filter((u) => /Cedar/.test(u))).toEqual([]);
  expect(store.templates).toHaveLength(7);
  const link = store.policies.find((p) => p.id === `permit-support-invoke-model/${HAIKU}`)!;
  expect(link).toMatchObject({
    grant: 'permit-support-invoke-model',
    link: { principal: { type: 'Gateward::Tenant', id: 'support' }, resource: { type: 'Gateward::Model', id: HAIKU } },
    statement: `permit (principal in Gateward::Tenant::"support", action == Gateward::Action::"InvokeModel", resource == Gateward::Model::"${HAIKU}");`,
  });
  expect(store.templates.map((t) => t.id)).toContain(link.link!.template);
  expect(link.location.file).toMatch(/cells-\d{3}\.template\.json$/);
});

test('Cedar decides with the templates linked, and reports the deciding grant', () => {
  const { store } = storeOf(example);
  expect(decideCedar(store, invoke('support-bot', 'support', HAIKU))).toEqual({ allowed: true, policies: ['permit-support-invoke-model'], errors: [] });
  expect(decideCedar(store, invoke('research-agent', 'research', HAIKU))).toEqual({ allowed: false, policies: [], errors: [] });
});

test('a link whose template is changed decides by the changed template, as Verified Permissions would', () => {
  const narrowed = path.join(dir, 'narrowed');
  fs.cpSync(example.root, narrowed, { recursive: true });
  // The invoke-model template now names another action: no link of it permits InvokeModel.
  const edited = editTemplates(path.join(narrowed, 'aws'), (_file, template) => {
    const found = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::VerifiedPermissions::PolicyTemplate'
      && String(r.Properties.Statement).includes('"InvokeModel"'));
    for (const r of found) r.Properties.Statement = String(r.Properties.Statement).replace('"InvokeModel"', '"CallTool"');
    return found.length > 0;
  });
  expect(edited).toBe(1);
  const { store } = storeOf({ ...example, root: narrowed, aws: path.join(narrowed, 'aws') });
  expect(decideCedar(store, invoke('support-bot', 'support', HAIKU)).allowed).toBe(false);
});

test('a suspension is a link too, and reads as an unconditional forbid', () => {
  const out = synthesizeOutput(path.join(dir, 'suspended'), variant((spec) => { spec.suspended = { workloads: ['support-bot'] }; }));
  const { store } = storeOf(out);
  expect(unconditionalForbids(store, 'Gateward')).toEqual([{ type: 'Workload', id: 'support-bot', policy: 'forbid-suspended-workload-support-bot' }]);
  expect(decideCedar(store, invoke('support-bot', 'support', HAIKU))).toEqual({ allowed: false, policies: ['forbid-suspended-workload-support-bot'], errors: [] });
}, 120_000);
