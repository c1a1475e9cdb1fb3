import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { CedarAction, CedarEntityType, CedarPolicyDefinition, CedarTemplateLinkDefinition, GatewayBlueprint, GatewayCedarModel } from '../../src';
import { cedarPolicySet } from '../../src/aws/private/cedar-validation';
import { cedarActionType, cedarEntityType } from '../../src/contract/cedar-names';

let prepared = 0;

export interface CedarRequest {
  readonly workload: string;
  readonly action: CedarAction;
  readonly resourceType: CedarEntityType;
  readonly resource: string;
  /** The tenant the request claims; defaults to the workload's own tenant. */
  readonly tenant?: string;
  /** The model the request is for, as the router passes it. */
  readonly model?: string;
}

export interface CedarDecision {
  readonly decision: 'allow' | 'deny';
  readonly reasons: string[];
}

/**
 * Evaluates requests with the real Cedar engine against the policies, templates and
 * template-linked policies the policy store receives. Cedar links each template itself, filling
 * `?principal` and `?resource` with the link's entities, as Verified Permissions does.
 */
export class CedarHarness {
  /**
   * A harness over a policy set of the caller's (for comparing the generated policies with
   * another form of them), with the blueprint's schema and entities.
   */
  public static ofPolicySet(blueprint: GatewayBlueprint, policies: cedar.PolicySet): CedarHarness {
    return new CedarHarness(blueprint, [], policies);
  }

  private readonly schema = JSON.parse(GatewayCedarModel.schemaJson());
  /** The gateway's entities, by `type::id`. */
  private readonly entities: Map<string, cedar.EntityJson>;
  private readonly policies: cedar.PolicySet;
  private readonly links: CedarTemplateLinkDefinition[];
  /** The policy set and schema, parsed once by the engine: a test at scale asks thousands of questions. */
  private readonly prepared = `cedar-harness-${++prepared}`;

  constructor(private readonly blueprint: GatewayBlueprint, extra: CedarPolicyDefinition[] = [], policies?: cedar.PolicySet) {
    const all = JSON.parse(GatewayCedarModel.entitiesJson(blueprint)) as Array<{ uid: { type: string; id: string } }>;
    this.entities = new Map(all.map((e) => [`${e.uid.type}::${e.uid.id}`, e as unknown as cedar.EntityJson]));
    this.links = policies ? [] : GatewayCedarModel.links(blueprint);
    const generated = [...GatewayCedarModel.gatewayPolicies(), ...extra];
    this.policies = policies ?? cedarPolicySet({ policies: generated, templates: GatewayCedarModel.templates(), links: this.links });
    const parsed = cedar.preparsePolicySet(this.prepared, this.policies);
    if (parsed.type !== 'success') throw new Error(`Cedar could not parse the policies: ${JSON.stringify(parsed.errors)}`);
    const schema = cedar.preparseSchema(this.prepared, this.schema);
    if (schema.type !== 'success') throw new Error(`Cedar could not parse the schema: ${JSON.stringify(schema.errors)}`);
  }

  public decide(request: CedarRequest): CedarDecision {
    const tenant = request.tenant ?? this.blueprint.workloads.find((w) => w.id === request.workload)?.tenantId ?? 'unknown';
    // The entities the request can reach, as the router passes them: the workload and its tenant,
    // the claimed tenant and the resource.
    const reachable = [
      `${cedarEntityType(CedarEntityType.WORKLOAD)}::${request.workload}`,
      `${cedarEntityType(CedarEntityType.TENANT)}::${this.blueprint.workloads.find((w) => w.id === request.workload)?.tenantId}`,
      `${cedarEntityType(CedarEntityType.TENANT)}::${tenant}`,
      `${cedarEntityType(request.resourceType)}::${request.resource}`,
    ];
    const entities = [...new Set(reachable)].flatMap((key) => (this.entities.has(key) ? [this.entities.get(key)!] : []));
    const answer = cedar.statefulIsAuthorized({
      principal: { type: cedarEntityType(CedarEntityType.WORKLOAD), id: request.workload },
      action: { type: cedarActionType(), id: request.action },
      resource: { type: cedarEntityType(request.resourceType), id: request.resource },
      context: { tenant: { __entity: { type: cedarEntityType(CedarEntityType.TENANT), id: tenant } }, requestId: 'test-request', ...(request.model ? { model: request.model } : {}) },
      preparsedSchemaName: this.prepared,
      validateRequest: true,
      preparsedPolicySetId: this.prepared,
      entities,
    });
    if (answer.type !== 'success') {
      throw new Error(`Cedar could not evaluate the request: ${JSON.stringify(answer.errors)}`);
    }
    if (answer.response.diagnostics.errors.length > 0) {
      throw new Error(`Cedar policy errors: ${JSON.stringify(answer.response.diagnostics.errors)}`);
    }
    return { decision: answer.response.decision, reasons: [...answer.response.diagnostics.reason].sort() };
  }

  /** Strict validation of every policy, template and link against the schema; returns the errors. */
  public validationErrors(): string[] {
    const answer = cedar.validate({ schema: this.schema, policies: this.policies, validationSettings: { mode: 'strict' } });
    if (answer.type !== 'success') return answer.errors.map((e) => e.message);
    return answer.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`);
  }

  /** Policies and templates that can never apply to any request the schema allows, and links whose entities fit none. */
  public deadPolicies(): string[] {
    const dead = (envs: cedar.GetValidRequestEnvsResult) => envs.type !== 'success' || envs.actions.length === 0;
    const templates = this.policies.templates ?? {};
    return [
      ...Object.entries((this.policies.staticPolicies ?? {}) as Record<string, string>)
        .filter(([, statement]) => dead(cedar.getValidRequestEnvsPolicy(statement, this.schema))).map(([id]) => id),
      ...Object.entries(templates).filter(([, statement]) => dead(cedar.getValidRequestEnvsTemplate(statement, this.schema))).map(([id]) => id),
      ...this.links.filter((link) => {
        const statement = GatewayCedarModel.linkedStatement(templates[link.templateId] as string, link);
        return dead(cedar.getValidRequestEnvsPolicy(statement, this.schema));
      }).map((l) => l.id),
    ];
  }
}
