import { GatewayBlueprint, TargetKind, TenantBlueprint } from './blueprint';
import { DataAccess } from './gateway-spec';
import { CEDAR_NAMESPACE, cedarActionUid, cedarEntityType, cedarEntityUid } from '../contract/cedar-names';
import { CedarAction, CedarEntityType } from '../contract/cedar-vocabulary';

/**
 * One Cedar policy the gateway's policy store holds.
 */
export interface CedarPolicyDefinition {
  /** A stable id, unique in the store, e.g. `forbid-tenant-mismatch`. */
  readonly id: string;
  /** What the policy is for, for reviewers (at most 150 characters). */
  readonly description: string;
  /** The policy in Cedar syntax, without annotations. */
  readonly statement: string;
}

/**
 * A Cedar policy template of the gateway's policy store: a statement with the `?principal`
 * and/or `?resource` slots, which template-linked policies fill.
 */
export interface CedarPolicyTemplateDefinition {
  /** A stable id, unique among the store's templates, e.g. `permit-invoke-model`. */
  readonly id: string;
  /** What the template is for, for reviewers (at most 150 characters). */
  readonly description: string;
  /** The template in Cedar syntax, without annotations. */
  readonly statement: string;
}

/**
 * An entity a template-linked policy puts in a slot, as Verified Permissions names it.
 */
export interface CedarEntityReference {
  /** The entity type with its namespace, e.g. `Gateward::Tenant`. */
  readonly entityType: string;
  /** The entity id, e.g. `support`. */
  readonly entityId: string;
}

/**
 * A template-linked policy: a template with its slots filled. Verified Permissions evaluates it
 * as the template's statement with `?principal` and `?resource` replaced by these entities.
 */
export interface CedarTemplateLinkDefinition {
  /**
   * A stable id, unique in the store: the grant, and below it the resource when the grant has
   * one link per resource (`permit-support-invoke-model/anthropic.claude-3-5-haiku-20241022-v1:0`).
   */
  readonly id: string;
  /**
   * What the link is part of, as reviewers know it: the tenant's permit for one action
   * (`permit-support-invoke-model`, one link per granted resource) or one suspension
   * (`forbid-suspended-workload-support-bot`).
   */
  readonly grant: string;
  /** The id of the template it links. */
  readonly templateId: string;
  /**
   * The entity in the template's `?principal` slot.
   *
   * @default - the template has no `?principal` slot
   */
  readonly principal?: CedarEntityReference;
  /**
   * The entity in the template's `?resource` slot.
   *
   * @default - the template has no `?resource` slot
   */
  readonly resource?: CedarEntityReference;
}

/**
 * The Cedar side of a gateway: the schema its policy store validates against, the policies and
 * policy templates generated from the spec, and the entities a request is evaluated with. Both
 * the policy store (AWS plane) and the router (runtime) use these, so what is deployed is what
 * is tested.
 *
 * Policies: each tenant's workloads may use exactly that tenant's grants; a request's claimed
 * tenant must be the workload's tenant; tenant-owned resources (datasets, provider keys) are
 * forbidden to other tenants; suspended tenants and workloads are forbidden everything.
 *
 * Why templates: Verified Permissions limits the total size of the policies that reference one
 * resource ("Policy size per resource", 200,000 bytes by default in the quota table; the user
 * guide now gives 1 MB per resource with a 200,000-byte limit per principal and resource that
 * cannot be raised), and policies whose scope names no resource share one total, the
 * "unspecified" resource. A template-linked policy counts only the length of its principal and
 * resource (plus a fixed overhead per policy), not its template's statement
 * (https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/policy-size-per-resource.html,
 * https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/quotas.html). One permit per
 * tenant and action listing its resources in a `when` clause put every tenant in the unspecified
 * total (760 KB at 1,000 tenants). Instead each grant is one link per tenant and resource of a
 * template scoped `resource == ?resource`: a tenant's datasets and keys each have a total of their
 * own, a model or tool shared by every tenant holds one principal and resource per tenant (about
 * 90 bytes each), and the unspecified total holds only the two gateway-wide forbids and the
 * suspensions (template-linked too, about 30 bytes each). Seven templates, whatever the number of
 * tenants (a store holds 40).
 */
export class GatewayCedarModel {
  /**
   * The Cedar schema in JSON form (what Verified Permissions calls `cedarJson`).
   */
  public static schemaJson(): string {
    return JSON.stringify(schema());
  }

  /**
   * Every policy the store evaluates, in a stable order: the gateway-wide policies, then each
   * tenant's template-linked policies as the statements they stand for (the store holds them as
   * links of `templates()`). For reading and review.
   */
  public static policies(blueprint: GatewayBlueprint): CedarPolicyDefinition[] {
    return [...gatewayPolicies(), ...blueprint.tenants.flatMap((tenant) => GatewayCedarModel.tenantPolicies(blueprint, tenant.id))];
  }

  /**
   * One tenant's template-linked policies as the statements they stand for, each with its
   * template's description. The store holds them as links (`tenantLinks`).
   */
  public static tenantPolicies(blueprint: GatewayBlueprint, tenantId: string): CedarPolicyDefinition[] {
    const byId = new Map(templates().map((t) => [t.id, t]));
    return tenantLinks(blueprint, tenantId).map((link) => {
      const template = byId.get(link.templateId)!;
      return { id: link.id, description: template.description, statement: GatewayCedarModel.linkedStatement(template.statement, link) };
    });
  }

  /**
   * The policies that hold for every tenant alike (a request is for the caller's own tenant; no
   * tenant's data or keys cross to another). Their number does not grow with tenants.
   */
  public static gatewayPolicies(): CedarPolicyDefinition[] {
    return gatewayPolicies();
  }

  /**
   * The policy templates every tenant's grants and suspensions link, in a stable order. Their
   * number does not grow with tenants.
   */
  public static templates(): CedarPolicyTemplateDefinition[] {
    return templates();
  }

  /**
   * One tenant's template-linked policies: one per granted resource and action, and the
   * suspension of the tenant or of its suspended workloads. The AWS plane creates them in the
   * tenant's cell stack.
   */
  public static tenantLinks(blueprint: GatewayBlueprint, tenantId: string): CedarTemplateLinkDefinition[] {
    return tenantLinks(blueprint, tenantId);
  }

  /**
   * Every template-linked policy of the gateway, tenant by tenant.
   */
  public static links(blueprint: GatewayBlueprint): CedarTemplateLinkDefinition[] {
    return blueprint.tenants.flatMap((tenant) => tenantLinks(blueprint, tenant.id));
  }

  /**
   * The statement a template-linked policy stands for: the template's statement with its slots
   * replaced by the linked entities, as Verified Permissions evaluates it. For reading and
   * review; evaluation links templates with the Cedar engine itself.
   */
  public static linkedStatement(templateStatement: string, link: CedarTemplateLinkDefinition): string {
    const uid = (entity: CedarEntityReference) => `${entity.entityType}::${JSON.stringify(entity.entityId)}`;
    let statement = templateStatement;
    if (link.principal) statement = statement.split('?principal').join(uid(link.principal));
    if (link.resource) statement = statement.split('?resource').join(uid(link.resource));
    return statement;
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

/** A grant's template: the tenant (`?principal`) may do one action on one resource (`?resource`). */
interface GrantKind {
  readonly action: CedarAction;
  /** The template id, and the grant's name with the tenant inserted (`permit-<tenant>-<slug>`). */
  readonly slug: string;
  readonly resourceType: CedarEntityType;
  readonly what: string;
}

const GRANTS: GrantKind[] = [
  { action: CedarAction.INVOKE_MODEL, slug: 'invoke-model', resourceType: CedarEntityType.MODEL, what: 'invoke the model' },
  { action: CedarAction.USE_PROVIDER_KEY, slug: 'use-provider-key', resourceType: CedarEntityType.PROVIDER_KEY, what: 'use the provider key' },
  { action: CedarAction.CALL_TOOL, slug: 'call-tool', resourceType: CedarEntityType.TOOL, what: 'call the tool' },
  { action: CedarAction.READ_DATASET, slug: 'read-dataset', resourceType: CedarEntityType.DATASET, what: 'read the dataset' },
  { action: CedarAction.WRITE_DATASET, slug: 'write-dataset', resourceType: CedarEntityType.DATASET, what: 'write the read-write dataset' },
];

const SUSPENDED_TENANT = 'forbid-suspended-tenant';
const SUSPENDED_WORKLOAD = 'forbid-suspended-workload';

/**
 * The templates. A grant's resource is matched with `==`, exactly as the former `resource in
 * [...]` list matched it (no model, tool, dataset or key has a parent in the schema), and never
 * with `in`, which a resource's parents could widen.
 */
function templates(): CedarPolicyTemplateDefinition[] {
  return [
    ...GRANTS.map((grant) => ({
      id: `permit-${grant.slug}`,
      description: `The workloads of the linked tenant may ${grant.what} linked.`,
      statement: `permit (principal in ?principal, action == ${cedarActionUid(grant.action)}, resource == ?resource);`,
    })),
    {
      id: SUSPENDED_TENANT,
      description: 'The linked tenant is suspended: its workloads are forbidden everything.',
      statement: 'forbid (principal in ?principal, action, resource);',
    },
    {
      id: SUSPENDED_WORKLOAD,
      description: 'The linked workload is suspended: it is forbidden everything.',
      statement: 'forbid (principal == ?principal, action, resource);',
    },
  ];
}

/**
 * One tenant's links: a grant per action, one link per resource (the grant keeps the name the
 * tenant's single permit had), and the forbids of its suspension or of its suspended workloads.
 * They live with the tenant's cell.
 */
function tenantLinks(blueprint: GatewayBlueprint, tenantId: string): CedarTemplateLinkDefinition[] {
  const tenant = blueprint.tenant(tenantId);
  const naming = blueprint.naming;
  const entity = (type: CedarEntityType, id: string): CedarEntityReference => ({ entityType: cedarEntityType(type), entityId: id });
  const principal = entity(CedarEntityType.TENANT, tenant.cedarId);
  const keys = tenant.targets.filter((t) => t.kind === TargetKind.PROVIDER_KEY && t.providerKey).map((t) => t.providerKey!.id);
  // Each granted resource by the id it has within the tenant (the link's name) and its Cedar id.
  const granted: Record<CedarAction, Array<[string, string]>> = {
    [CedarAction.INVOKE_MODEL]: modelIds(tenant).map((id) => [id, naming.cedarModelId(id)]),
    [CedarAction.USE_PROVIDER_KEY]: keys.map((id) => [id, naming.cedarProviderKeyId(tenant.id, id)]),
    [CedarAction.CALL_TOOL]: tenant.tools.map((id) => [id, naming.cedarToolId(id)]),
    [CedarAction.READ_DATASET]: tenant.dataStores.map((s) => [s.id, s.cedarDatasetId]),
    [CedarAction.WRITE_DATASET]: tenant.dataStores.filter((s) => s.access === DataAccess.READ_WRITE).map((s) => [s.id, s.cedarDatasetId]),
  };
  const links: CedarTemplateLinkDefinition[] = GRANTS.flatMap((kind) => {
    const grant = `permit-${tenant.id}-${kind.slug}`;
    return granted[kind.action].map(([name, cedarId]) => ({
      id: `${grant}/${name}`,
      grant,
      templateId: `permit-${kind.slug}`,
      principal,
      resource: entity(kind.resourceType, cedarId),
    }));
  });
  if (tenant.suspended) {
    const grant = `${SUSPENDED_TENANT}-${tenant.id}`;
    links.push({ id: grant, grant, templateId: SUSPENDED_TENANT, principal });
  } else {
    for (const workload of tenant.workloads.filter((w) => w.suspended)) {
      const grant = `${SUSPENDED_WORKLOAD}-${workload.id}`;
      links.push({ id: grant, grant, templateId: SUSPENDED_WORKLOAD, principal: entity(CedarEntityType.WORKLOAD, workload.cedarId) });
    }
  }
  return links;
}
