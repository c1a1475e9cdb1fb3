import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { CedarPolicyDefinition, CedarPolicyTemplateDefinition, CedarTemplateLinkDefinition } from '../../spec';
import { cedarEngine, cedarPolicySetOf } from '../../spec/private/cedar-policy-set';

const cedar = cedarEngine;

/** What one policy store holds: static policies, policy templates and template-linked policies. */
export interface PolicyStoreContents {
  readonly policies: readonly CedarPolicyDefinition[];
  readonly templates?: readonly CedarPolicyTemplateDefinition[];
  readonly links?: readonly CedarTemplateLinkDefinition[];
}

/** Verified Permissions' limit on a policy's or template's description. */
const MAX_DESCRIPTION = 150;

/**
 * The store's policies, templates and links as one Cedar policy set. A link fills the template's
 * slots with its entities, which is how Verified Permissions evaluates a template-linked policy.
 */
export function cedarPolicySet(contents: PolicyStoreContents): CedarWasm.PolicySet {
  const uid = (e?: { entityType: string; entityId: string }) => (e ? { type: e.entityType, id: e.entityId } : undefined);
  const links = (contents.links ?? []).map((link) => ({
    id: link.id, templateId: link.templateId, principal: uid(link.principal), resource: uid(link.resource),
  }));
  return cedarPolicySetOf(contents.policies, contents.templates ?? [], links);
}

/**
 * Validates a policy store's policies, templates and links against its schema with the Cedar
 * engine in strict mode, the way Verified Permissions does for a STRICT store, and returns one
 * message per problem. The whole store is parsed and validated in one call each, with one link of
 * each kind (`linkKinds`); only when that parse fails is each part parsed on its own, to name
 * every one that does not parse.
 */
export function validatePolicyStore(schemaJson: string, contents: PolicyStoreContents): string[] {
  const problems: string[] = [];
  const templates = contents.templates ?? [];
  const links = contents.links ?? [];
  const seen = new Set<string>();
  const once = (kind: string, id: string) => {
    if (seen.has(id)) problems.push(`Cedar ${kind} "${id}" is defined twice; policy and template ids must be unique in a store.`);
    seen.add(id);
  };
  for (const policy of contents.policies) {
    once('policy', policy.id);
    if (policy.description.length > MAX_DESCRIPTION) {
      problems.push(`Cedar policy "${policy.id}" has a description of ${policy.description.length} characters; Verified Permissions allows ${MAX_DESCRIPTION}.`);
    }
  }
  for (const template of templates) {
    once('policy template', template.id);
    if (template.description.length > MAX_DESCRIPTION) {
      problems.push(`Cedar policy template "${template.id}" has a description of ${template.description.length} characters; Verified Permissions allows ${MAX_DESCRIPTION}.`);
    }
  }
  const templateIds = new Set(templates.map((t) => t.id));
  for (const link of links) {
    once('template-linked policy', link.id);
    if (!templateIds.has(link.templateId)) problems.push(`Cedar template-linked policy "${link.id}" links template "${link.templateId}", which the store does not hold.`);
  }
  if (problems.length > 0) return problems;

  const schema = JSON.parse(schemaJson);
  const kinds = linkKinds(links);
  const policySet = cedarPolicySet({ ...contents, links: [...kinds.keys()] });
  const parsed = cedar().checkParsePolicySet(policySet);
  if (parsed.type === 'failure') return parseProblems(contents, parsed.errors.map((e) => e.message));

  const answer = cedar().validate({ schema, policies: policySet, validationSettings: { mode: 'strict' } });
  if (answer.type === 'failure') {
    return answer.errors.map((e) => `The Cedar policies could not be validated: ${e.message}`);
  }
  const linksOf = new Map([...kinds].map(([link, members]) => [link.id, members.map((m) => m.id)]));
  const kindOf = (id: string) => (linksOf.has(id) ? 'template-linked policy' : templateIds.has(id) ? 'policy template' : 'policy');
  // A problem of a link is the problem of every link of its kind, each named.
  const each = (id: string) => linksOf.get(id) ?? [id];
  return [
    ...answer.validationErrors.flatMap((e) => each(e.policyId).map((id) =>
      `Cedar ${kindOf(e.policyId)} "${id}" is invalid against the gateway schema: ${e.error.message}${e.error.help ? ` (${e.error.help})` : ''}`)),
    // A link whose entities fit no action of its template (a tool in a model grant) can never
    // apply: Cedar only warns, but it is a mistake in what was linked.
    ...answer.validationWarnings.filter((w) => linksOf.has(w.policyId)).flatMap((w) => each(w.policyId).map((id) =>
      `Cedar template-linked policy "${id}" can never apply with the entities it links: ${w.error.message}`)),
  ];
}

/**
 * The store's links grouped by what Cedar's strict validation of a link depends on: its template
 * and the entity types in its slots, never the entities' ids (Cedar does not check a slot's id,
 * even against an entity type that lists its ids; test/aws/plane.test.ts holds the engine to
 * it). Each kind is validated once, with its first link: a gateway of 1,000 tenants has
 * thousands of links and a handful of kinds.
 */
function linkKinds(links: readonly CedarTemplateLinkDefinition[]): Map<CedarTemplateLinkDefinition, CedarTemplateLinkDefinition[]> {
  const kinds = new Map<string, CedarTemplateLinkDefinition[]>();
  for (const link of links) {
    const key = JSON.stringify([link.templateId, link.principal?.entityType, link.resource?.entityType]);
    const members = kinds.get(key);
    if (members) members.push(link);
    else kinds.set(key, [link]);
  }
  return new Map([...kinds.values()].map((members) => [members[0], members]));
}

/** Every part that does not parse, each on its own (the store's parse stops at the first). */
function parseProblems(contents: PolicyStoreContents, storeErrors: string[]): string[] {
  const problems: string[] = [];
  for (const policy of contents.policies) {
    const parsed = cedar().checkParsePolicySet({ staticPolicies: { [policy.id]: policy.statement } });
    if (parsed.type === 'failure') problems.push(`Cedar policy "${policy.id}" does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
  }
  const goodTemplates = (contents.templates ?? []).filter((template) => {
    const parsed = cedar().checkParsePolicySet({ templates: { [template.id]: template.statement } });
    if (parsed.type === 'failure') problems.push(`Cedar policy template "${template.id}" does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
    return parsed.type === 'success';
  });
  const good = new Set(goodTemplates.map((t) => t.id));
  for (const link of contents.links ?? []) {
    if (!good.has(link.templateId)) continue;
    const template = goodTemplates.find((t) => t.id === link.templateId)!;
    const parsed = cedar().checkParsePolicySet(cedarPolicySet({ policies: [], templates: [template], links: [link] }));
    if (parsed.type === 'failure') problems.push(`Cedar template-linked policy "${link.id}" cannot be linked: ${parsed.errors.map((e) => e.message).join('; ')}`);
  }
  return problems.length > 0 ? problems : storeErrors.map((message) => `The Cedar policies do not parse: ${message}`);
}
