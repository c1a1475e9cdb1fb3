import { GatewayBlueprint, TargetKind, TenantBlueprint } from './blueprint';
import { DataAccess } from './gateway-spec';
import { CEDAR_NAMESPACE, cedarActionUid, cedarEntityType, cedarEntityUid } from '../contract/cedar-names';
import { CedarAction, CedarEntityType } from '../contract/cedar-vocabulary';

/**
 * One Cedar policy the gateway's policy store holds.
 */
export interface CedarPolicyDefinition {
  /** A stable id, unique in the store, e.g. `permit-support-invoke-model`. */
  readonly id: string;
  /** What the policy is for, for reviewers (at most 150 characters). */
  readonly description: string;
  /** The policy in Cedar syntax, without annotations. */
  readonly statement: string;
}

/**
 * The Cedar side of a gateway: the schema its policy store validates against, the policies
 * generated from the spec, and the entities a request is evaluated with. Both the policy store
 * (AWS plane) and the router (runtime) use these, so what is deployed is what is tested.
 *
 * Policies: each tenant's workloads may use exactly that tenant's grants (one permit per tenant
 * and action); a request's claimed tenant must be the workload's tenant; tenant-owned resources
 * (datasets, provider keys) are forbidden to other tenants; suspended tenants and workloads are
 * forbidden everything.
 */
export class GatewayCedarModel {
  /**
   * The Cedar schema in JSON form (what Verified Permissions calls `cedarJson`).
   */
  public static schemaJson(): string {
    return JSON.stringify(schema());
  }

  /**
   * Every policy generated from the blueprint, in a stable order.
   */
  public static policies(blueprint: GatewayBlueprint): CedarPolicyDefinition[] {
    return [...gatewayPolicies(), ...blueprint.tenants.flatMap((tenant) => tenantPolicies(blueprint, tenant.id))];
  }

  /**
   * The policies that hold for every tenant alike (a request is for the caller's own tenant; no
   * tenant's data or keys cross to another). Their number does not grow with tenants.
   */
  public static gatewayPolicies(): CedarPolicyDefinition[] {
    return gatewayPolicies();
  }

  /**
   * One tenant's policies: its grants, and the forbids of its suspension or of its suspended
   * workloads. The AWS plane creates them in the tenant's cell stack.
   */
  public static tenantPolicies(blueprint: GatewayBlueprint, tenantId: string): CedarPolicyDefinition[] {
    return tenantPolicies(blueprint, tenantId);
  }

  /**
   * The entities of the gateway in Cedar's JSON entity format: tenants, workloads (members of
   * their tenant), models, tools, datasets and provider keys.
   */
  public static entitiesJson(blueprint: GatewayBlueprint): string {
    return JSON.stringify(entities(blueprint));
  }

  /**
   * The Cedar entity uid of a workload, in Cedar syntax (`Gateward::Workload::"support-bot"`).
   */
  public static workloadUid(workloadId: string): string {
    return cedarEntityUid(CedarEntityType.WORKLOAD, workloadId);
  }

  private constructor() {}
}

function schema(): Record<string, unknown> {
  const entity = (name: CedarEntityType) => ({ type: 'Entity', name: cedarEntityType(name) });
  const tenantOwned = { type: 'Record', attributes: { tenant: entity(CedarEntityType.TENANT) } };
  const appliesTo = (resource: CedarEntityType) => ({
    principalTypes: [CedarEntityType.WORKLOAD],
    resourceTypes: [resource],
    context: { type: 'RequestContext' },
  });
  return {
    [CEDAR_NAMESPACE]: {
      commonTypes: {
        RequestContext: {
          type: 'Record',
          attributes: {
            tenant: entity(CedarEntityType.TENANT),
            requestId: { type: 'String' },
            // The model the request is for, so policies on tools can depend on it.
            model: { type: 'String', required: false },
          },
        },
      },
      entityTypes: {
        [CedarEntityType.TENANT]: {},
        [CedarEntityType.WORKLOAD]: { memberOfTypes: [CedarEntityType.TENANT], shape: tenantOwned },
        [CedarEntityType.MODEL]: {},
        [CedarEntityType.TOOL]: {},
        [CedarEntityType.DATASET]: {
          shape: { type: 'Record', attributes: { tenant: entity(CedarEntityType.TENANT), access: { type: 'String' } } },
        },
        [CedarEntityType.PROVIDER_KEY]: {
          shape: { type: 'Record', attributes: { tenant: entity(CedarEntityType.TENANT), provider: { type: 'String' } } },
        },
      },
      actions: {
        [CedarAction.INVOKE_MODEL]: { appliesTo: appliesTo(CedarEntityType.MODEL) },
        [CedarAction.CALL_TOOL]: { appliesTo: appliesTo(CedarEntityType.TOOL) },
        [CedarAction.READ_DATASET]: { appliesTo: appliesTo(CedarEntityType.DATASET) },
        [CedarAction.WRITE_DATASET]: { appliesTo: appliesTo(CedarEntityType.DATASET) },
        [CedarAction.USE_PROVIDER_KEY]: { appliesTo: appliesTo(CedarEntityType.PROVIDER_KEY) },
      },
    },
  };
}

function entities(blueprint: GatewayBlueprint): Array<Record<string, unknown>> {
  const ref = (type: CedarEntityType, id: string) => ({ type: cedarEntityType(type), id });
  const list: Array<Record<string, unknown>> = [];
  const models = new Set<string>();
  const tools = new Set<string>();
  for (const tenant of blueprint.tenants) {
    const tenantRef = ref(CedarEntityType.TENANT, tenant.cedarId);
    list.push({ uid: tenantRef, attrs: {}, parents: [] });
    for (const workload of tenant.workloads) {
      list.push({ uid: ref(CedarEntityType.WORKLOAD, workload.cedarId), attrs: { tenant: tenantRef }, parents: [tenantRef] });
    }
    for (const store of tenant.dataStores) {
      list.push({ uid: ref(CedarEntityType.DATASET, store.cedarDatasetId), attrs: { tenant: tenantRef, access: store.access }, parents: [] });
    }
    for (const target of tenant.targets) {
      if (target.kind !== TargetKind.PROVIDER_KEY || !target.providerKey) continue;
      const keyId = blueprint.naming.cedarProviderKeyId(tenant.id, target.providerKey.id);
      const attrs = { tenant: tenantRef, provider: target.providerKey.provider };
      list.push({ uid: ref(CedarEntityType.PROVIDER_KEY, keyId), attrs, parents: [] });
    }
    modelIds(tenant).forEach((id) => models.add(id));
    tenant.tools.forEach((id) => tools.add(id));
  }
  for (const id of [...models].sort()) list.push({ uid: ref(CedarEntityType.MODEL, blueprint.naming.cedarModelId(id)), attrs: {}, parents: [] });
  for (const id of [...tools].sort()) list.push({ uid: ref(CedarEntityType.TOOL, blueprint.naming.cedarToolId(id)), attrs: {}, parents: [] });
  return list;
}

function modelIds(tenant: TenantBlueprint): string[] {
  return [...tenant.foundationModels, ...tenant.inferenceProfiles.map((p) => p.id)];
}

/**
 * One permit per tenant and action, listing exactly the tenant's grants.
 */
/** The policies that hold for every tenant alike: their number does not grow with tenants. */
function gatewayPolicies(): CedarPolicyDefinition[] {
  return [
    {
      id: 'forbid-tenant-mismatch',
      description: 'A request must be made for the tenant the calling workload belongs to.',
      statement: 'forbid (principal, action, resource)\nunless { principal in context.tenant };',
    },
    {
      id: 'forbid-cross-tenant-data',
      description: 'A tenant\'s datasets and provider keys are never used by another tenant\'s workloads.',
      statement:
        `forbid (\n  principal,\n  action in [${cedarActionUid(CedarAction.READ_DATASET)}, ${cedarActionUid(CedarAction.WRITE_DATASET)}, ${cedarActionUid(CedarAction.USE_PROVIDER_KEY)}],\n  resource\n)\n`
        + 'unless { principal in resource.tenant };',
    },
  ];
}

/**
 * One tenant's policies: its grants, and the forbids of its suspension or of its suspended
 * workloads. They live with the tenant's cell.
 */
function tenantPolicies(blueprint: GatewayBlueprint, tenantId: string): CedarPolicyDefinition[] {
  const tenant = blueprint.tenant(tenantId);
  const policies = tenantPermits(tenant);
  if (tenant.suspended) {
    policies.push({
      id: `forbid-suspended-tenant-${tenant.id}`,
      description: `Tenant ${tenant.id} is suspended.`,
      statement: `forbid (principal in ${cedarEntityUid(CedarEntityType.TENANT, tenant.cedarId)}, action, resource);`,
    });
  } else {
    for (const workload of blueprint.workloads.filter((w) => w.tenantId === tenant.id && w.suspended)) {
      policies.push({
        id: `forbid-suspended-workload-${workload.id}`,
        description: `Workload ${workload.id} is suspended.`,
        statement: `forbid (principal == ${cedarEntityUid(CedarEntityType.WORKLOAD, workload.cedarId)}, action, resource);`,
      });
    }
  }
  return policies;
}

function tenantPermits(tenant: TenantBlueprint): CedarPolicyDefinition[] {
  const principal = cedarEntityUid(CedarEntityType.TENANT, tenant.cedarId);
  const permit = (name: CedarAction, slug: string, type: CedarEntityType, ids: string[], what: string): CedarPolicyDefinition[] => {
    if (ids.length === 0) return [];
    const resources = ids.map((id) => `    ${cedarEntityUid(type, id)}`).join(',\n');
    return [{
      id: `permit-${tenant.id}-${slug}`,
      description: truncate(`Workloads of tenant ${tenant.id} may ${what}.`, 150),
      statement: `permit (principal in ${principal}, action == ${cedarActionUid(name)}, resource)\nwhen {\n  resource in [\n${resources}\n  ]\n};`,
    }];
  };
  const keys = tenant.targets.filter((t) => t.kind === TargetKind.PROVIDER_KEY && t.providerKey).map((t) => `${tenant.id}/${t.providerKey!.id}`);
  return [
    ...permit(CedarAction.INVOKE_MODEL, 'invoke-model', CedarEntityType.MODEL, modelIds(tenant), 'invoke the tenant\'s models'),
    ...permit(CedarAction.USE_PROVIDER_KEY, 'use-provider-key', CedarEntityType.PROVIDER_KEY, keys, 'use the tenant\'s provider keys'),
    ...permit(CedarAction.CALL_TOOL, 'call-tool', CedarEntityType.TOOL, tenant.tools, 'call the tenant\'s tools'),
    ...permit(CedarAction.READ_DATASET, 'read-dataset', CedarEntityType.DATASET, tenant.dataStores.map((s) => s.cedarDatasetId), 'read the tenant\'s datasets'),
    ...permit(CedarAction.WRITE_DATASET, 'write-dataset', CedarEntityType.DATASET,
      tenant.dataStores.filter((s) => s.access === DataAccess.READ_WRITE).map((s) => s.cedarDatasetId), 'write the tenant\'s read-write datasets'),
  ];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
