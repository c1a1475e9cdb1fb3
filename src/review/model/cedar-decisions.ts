import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { PolicyStoreFacts } from './aws-inventory';
import { cedarEngine, cedarPolicySetOf } from '../../spec/private/cedar-policy-set';

let parsed = 0;

/** Each store's policies and schema, parsed once by the engine and kept by id: a review asks thousands of questions. */
const prepared = new WeakMap<PolicyStoreFacts, { readonly policySet: string; readonly schema?: string } | { readonly error: string }>();

function prepare(store: PolicyStoreFacts): { readonly policySet: string; readonly schema?: string } | { readonly error: string } {
  let entry = prepared.get(store);
  if (!entry) {
    const id = `gateward-review-${++parsed}`;
    const policies = cedar().preparsePolicySet(id, policySetOf(store));
    let schema: string | undefined;
    let schemaError: string | undefined;
    if (store.schemaJson) {
      try {
        const answer = cedar().preparseSchema(id, JSON.parse(store.schemaJson) as CedarWasm.Schema);
        if (answer.type === 'success') schema = id;
        else schemaError = answer.errors.map((e) => e.message).join('; ');
      } catch (error) {
        schemaError = (error as Error).message;
      }
    }
    entry = policies.type !== 'success' ? { error: `the policies do not parse: ${policies.errors.map((e) => e.message).join('; ')}` }
      : schemaError ? { error: `the schema does not parse: ${schemaError}` } : { policySet: id, schema };
    prepared.set(store, entry);
  }
  return entry;
}

/**
 * A store's policies as Cedar evaluates them: static policies by their statements, and each
 * template-linked policy as a link of its template, whose slots Cedar fills with the link's
 * entities, as Verified Permissions does.
 */
function policySetOf(store: PolicyStoreFacts): CedarWasm.PolicySet {
  const links = store.policies.filter((p) => p.link);
  const used = new Set(links.map((p) => p.link!.template));
  return cedarPolicySetOf(
    store.policies.filter((p) => !p.link),
    store.templates.filter((t) => used.has(t.id)),
    links.map((p) => ({ id: p.id, templateId: p.link!.template, principal: p.link!.principal, resource: p.link!.resource })),
  );
}

/** `gateward check` never loads the engine: only the review asks Cedar. */
const cedar = cedarEngine;

/** A request the router would send to the policy store, in the entities the router passes. */
export interface CedarQuestion {
  readonly namespace: string;
  /** The workload's Cedar id, and its tenant's. */
  readonly workload: string;
  readonly workloadTenant: string;
  readonly action: string;
  /** The resource's entity type without namespace (`Model`, `ProviderKey`, `Tool`, `Dataset`) and id. */
  readonly resourceType: string;
  readonly resourceId: string;
  /** The owning tenant's Cedar id, for tenant-owned resources (keys, datasets). */
  readonly resourceTenant?: string;
  readonly resourceProvider?: string;
  /** Other string attributes of the resource entity (a dataset's `access`). */
  readonly resourceStrings?: Record<string, string>;
  /** The tenant the request is made for: the workload's own, as the router requires. */
  readonly contextTenant: string;
  readonly model?: string;
}

/** What the policy store decides, and which policies decided. */
export interface CedarAnswer {
  readonly allowed: boolean;
  /**
   * The determining policies: the permits that allowed, or the forbids that denied, each by its
   * grant (a template-linked policy by the tenant's grant it is one resource of).
   */
  readonly policies: string[];
  /** Errors Cedar reported (a policy that failed to evaluate, a request the schema refuses). */
  readonly errors: string[];
}

/**
 * Asks Cedar, with the policies and schema a Verified Permissions store holds, the question the
 * router asks it: the workload as a member of its tenant, the resource with its owning tenant.
 */
export function decideCedar(store: PolicyStoreFacts, question: CedarQuestion): CedarAnswer {
  const ns = question.namespace;
  const uid = (type: string, id: string) => ({ type: `${ns}::${type}`, id });
  const tenant = uid('Tenant', question.workloadTenant);
  const resourceAttrs: Record<string, unknown> = {};
  if (question.resourceTenant !== undefined) resourceAttrs.tenant = { __entity: uid('Tenant', question.resourceTenant) };
  if (question.resourceProvider !== undefined) resourceAttrs.provider = question.resourceProvider;
  Object.assign(resourceAttrs, question.resourceStrings ?? {});
  const entities = [
    { uid: uid('Workload', question.workload), attrs: { tenant: { __entity: tenant } }, parents: [tenant] },
    { uid: tenant, attrs: {}, parents: [] },
    ...(question.contextTenant !== question.workloadTenant ? [{ uid: uid('Tenant', question.contextTenant), attrs: {}, parents: [] }] : []),
    { uid: uid(question.resourceType, question.resourceId), attrs: resourceAttrs, parents: [] },
  ];
  const ready = prepare(store);
  if ('error' in ready) return { allowed: false, policies: [], errors: [ready.error] };
  const answer = cedar().statefulIsAuthorized({
    principal: uid('Workload', question.workload),
    action: { type: `${ns}::Action`, id: question.action },
    resource: uid(question.resourceType, question.resourceId),
    context: {
      tenant: { __entity: uid('Tenant', question.contextTenant) },
      requestId: 'access-review',
      ...(question.model !== undefined ? { model: question.model } : {}),
    },
    ...(ready.schema ? { preparsedSchemaName: ready.schema, validateRequest: true } : { validateRequest: false }),
    preparsedPolicySetId: ready.policySet,
    entities: entities as CedarWasm.EntityJson[],
  });
  if (answer.type !== 'success') return { allowed: false, policies: [], errors: answer.errors.map((e) => e.message) };
  const grantOf = new Map(store.policies.map((p) => [p.id, p.grant]));
  return {
    allowed: answer.response.decision === 'allow',
    policies: [...new Set(answer.response.diagnostics.reason.map((id) => grantOf.get(id) ?? id))].sort(),
    errors: answer.response.diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
  };
}

/** Cedar uids of a type that a store's policies name (`Gateward::Dataset::"support/kb-vectors"`), with the tenant whose permit names them. */
export function entitiesNamed(store: PolicyStoreFacts, namespace: string, type: string): Array<{ id: string; tenant?: string }> {
  const found = new Map<string, string | undefined>();
  const pattern = new RegExp(`${namespace}::${type}::"((?:[^"\\\\]|\\\\.)*)"`, 'g');
  for (const policy of store.policies) {
    const tenant = new RegExp(`^\\s*permit\\s*\\(\\s*principal\\s+in\\s+${namespace}::Tenant::"((?:[^"\\\\]|\\\\.)*)"`).exec(policy.statement)?.[1];
    for (const match of policy.statement.matchAll(pattern)) {
      const id = JSON.parse(`"${match[1]}"`) as string;
      if (!found.has(id) || (found.get(id) === undefined && tenant)) found.set(id, tenant ? JSON.parse(`"${tenant}"`) as string : undefined);
    }
  }
  return [...found].map(([id, tenant]) => ({ id, tenant }));
}

/**
 * Principals a store forbids everything, unconditionally (`forbid (principal == W, action,
 * resource);` or `principal in T`): how suspension shows in the policy store.
 */
export function unconditionalForbids(store: PolicyStoreFacts, namespace: string): Array<{ type: string; id: string; policy: string }> {
  const pattern = new RegExp(`^\\s*forbid\\s*\\(\\s*principal\\s*(==|in)\\s*${namespace}::(\\w+)::"((?:[^"\\\\]|\\\\.)*)"\\s*,\\s*action\\s*,\\s*resource\\s*\\)\\s*;?\\s*$`);
  return store.policies.flatMap((p) => {
    const match = pattern.exec(p.statement);
    return match ? [{ type: match[2], id: JSON.parse(`"${match[3]}"`) as string, policy: p.id }] : [];
  });
}
