import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { CedarAction, CedarEntityType, CedarPolicyDefinition, GatewayBlueprint, GatewayCedarModel } from '../../src';
import { cedarActionType, cedarEntityType } from '../../src/contract/cedar-names';

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
 * Evaluates requests with the real Cedar engine against the policies the policy store receives.
 */
export class CedarHarness {
  private readonly schema = JSON.parse(GatewayCedarModel.schemaJson());
  private readonly entities: unknown[];
  private readonly policies: Record<string, string>;

  constructor(private readonly blueprint: GatewayBlueprint, extra: CedarPolicyDefinition[] = []) {
    this.entities = JSON.parse(GatewayCedarModel.entitiesJson(blueprint));
    this.policies = Object.fromEntries([...GatewayCedarModel.policies(blueprint), ...extra].map((p) => [p.id, p.statement]));
  }

  public decide(request: CedarRequest): CedarDecision {
    const tenant = request.tenant ?? this.blueprint.workloads.find((w) => w.id === request.workload)?.tenantId ?? 'unknown';
    const answer = cedar.isAuthorized({
      principal: { type: cedarEntityType(CedarEntityType.WORKLOAD), id: request.workload },
      action: { type: cedarActionType(), id: request.action },
      resource: { type: cedarEntityType(request.resourceType), id: request.resource },
      context: { tenant: { __entity: { type: cedarEntityType(CedarEntityType.TENANT), id: tenant } }, requestId: 'test-request', ...(request.model ? { model: request.model } : {}) },
      schema: this.schema,
      validateRequest: true,
      policies: { staticPolicies: this.policies },
      entities: this.entities as cedar.EntityJson[],
    });
    if (answer.type !== 'success') {
      throw new Error(`Cedar could not evaluate the request: ${JSON.stringify(answer.errors)}`);
    }
    if (answer.response.diagnostics.errors.length > 0) {
      throw new Error(`Cedar policy errors: ${JSON.stringify(answer.response.diagnostics.errors)}`);
    }
    return { decision: answer.response.decision, reasons: [...answer.response.diagnostics.reason].sort() };
  }

  /** Strict validation of every policy against the schema; returns the errors. */
  public validationErrors(): string[] {
    const answer = cedar.validate({ schema: this.schema, policies: { staticPolicies: this.policies }, validationSettings: { mode: 'strict' } });
    if (answer.type !== 'success') return answer.errors.map((e) => e.message);
    return answer.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`);
  }

  /** Policies that can never apply to any request the schema allows. */
  public deadPolicies(): string[] {
    return Object.entries(this.policies).filter(([, statement]) => {
      const envs = cedar.getValidRequestEnvsPolicy(statement, this.schema);
      return envs.type !== 'success' || envs.actions.length === 0;
    }).map(([id]) => id);
  }
}
