import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';

let engine: typeof CedarWasm | undefined;

/**
 * The Cedar engine, loaded on first use: an app without a policy store, and `gateward check`,
 * never pay for it.
 */
export function cedarEngine(): typeof CedarWasm {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('@cedar-policy/cedar-wasm/nodejs') as typeof CedarWasm;
  return engine;
}

/** An entity in a link's slot, as Cedar names it. */
export interface CedarSlotEntity {
  readonly type: string;
  readonly id: string;
}

/** A template-linked policy: its id, its template's id and the entities in the template's slots. */
export interface CedarLink {
  readonly id: string;
  readonly templateId: string;
  readonly principal?: CedarSlotEntity;
  readonly resource?: CedarSlotEntity;
}

/** A static policy or a template, by id. */
export interface CedarStatement {
  readonly id: string;
  readonly statement: string;
}

/**
 * A policy store as one Cedar policy set: static policies, templates, and each link as Cedar's
 * link of its template, whose `?principal` and `?resource` slots Cedar fills with the link's
 * entities, which is how Verified Permissions evaluates a template-linked policy. The one place
 * the synth validation, the access review and the tests' policy store build it.
 */
export function cedarPolicySetOf(
  policies: readonly CedarStatement[], templates: readonly CedarStatement[], links: readonly CedarLink[],
): CedarWasm.PolicySet {
  return {
    staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.statement])),
    templates: Object.fromEntries(templates.map((t) => [t.id, t.statement])),
    templateLinks: links.map((link) => ({
      templateId: link.templateId,
      newId: link.id,
      values: {
        ...(link.principal ? { '?principal': link.principal } : {}),
        ...(link.resource ? { '?resource': link.resource } : {}),
      },
    })),
  };
}
