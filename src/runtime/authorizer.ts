import { EntityIdentifier, EntityItem, IsAuthorizedCommand, VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';
import { Deadline } from './deadline';
import { errorName, ReasonCode, RouterError } from './errors';
import { cedarActionType, cedarEntityType } from '../contract/cedar-names';
import { CedarAction, CedarEntityType } from '../contract/cedar-vocabulary';
import { RoutedWorkload, RouterRoutes } from '../contract/router-routes';

/** What a request asks to do, in the gateway's Cedar model. */
export interface AuthorizationRequest {
  readonly workload: RoutedWorkload;
  /** The tenant the request is made for (the caller's own unless it claims another). */
  readonly tenant: string;
  /** The Cedar action, e.g. `InvokeModel`. */
  readonly action: CedarAction;
  /** The resource's entity type (without namespace), e.g. `Model`. */
  readonly resourceType: CedarEntityType;
  readonly resourceId: string;
  /** Attributes of the resource entity, for tenant-owned resources. */
  readonly resourceTenant?: string;
  readonly resourceProvider?: string;
  readonly requestId: string;
  /** The model the request is for (a Bedrock model id, or the provider's model name). */
  readonly model?: string;
}

/** The policy store's answer. */
export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** The ids of the policies that decided: static or template-linked, the store's own ids either way. */
  readonly determiningPolicies: string[];
}

/** Asks whether a request is allowed. */
export interface IAuthorizer {
  authorize(request: AuthorizationRequest, deadline: Deadline): Promise<AuthorizationDecision>;
}

/**
 * Asks the gateway's Verified Permissions policy store, passing the entities the decision needs:
 * the workload as a member of its tenant, and the resource with its owning tenant. Every failure
 * to get an answer is `POLICY_STORE_UNAVAILABLE`: the router never decides on its own.
 */
export class PolicyStoreAuthorizer implements IAuthorizer {
  /** Each tenant's Cedar id, by tenant id, built once. */
  private readonly tenantCedarIds: Map<string, string>;

  constructor(
    private readonly client: VerifiedPermissionsClient,
    private readonly policyStoreId: string,
    private readonly routes: RouterRoutes,
  ) {
    this.tenantCedarIds = new Map(routes.tenants.map((t) => [t.id, t.cedarId]));
  }

  public async authorize(request: AuthorizationRequest, deadline: Deadline): Promise<AuthorizationDecision> {
    const ns = this.routes.cedarNamespace;
    const entity = (type: CedarEntityType, id: string): EntityIdentifier => ({ entityType: cedarEntityType(type, ns), entityId: id });
    const tenantOf = (id: string): EntityIdentifier => entity(CedarEntityType.TENANT, this.tenantCedarIds.get(id) ?? id);
    const workloadTenant = tenantOf(request.workload.tenant);
    const principal = entity(CedarEntityType.WORKLOAD, request.workload.cedarId);
    const resource = entity(request.resourceType, request.resourceId);

    const resourceAttributes: EntityItem['attributes'] = {};
    if (request.resourceTenant !== undefined) resourceAttributes.tenant = { entityIdentifier: tenantOf(request.resourceTenant) };
    if (request.resourceProvider !== undefined) resourceAttributes.provider = { string: request.resourceProvider };
    const entityList: EntityItem[] = [
      { identifier: principal, attributes: { tenant: { entityIdentifier: workloadTenant } }, parents: [workloadTenant] },
      { identifier: workloadTenant },
      { identifier: resource, attributes: resourceAttributes },
    ];
    try {
      const answer = await this.client.send(new IsAuthorizedCommand({
        policyStoreId: this.policyStoreId,
        principal,
        action: { actionType: cedarActionType(ns), actionId: request.action },
        resource,
        context: {
          contextMap: {
            tenant: { entityIdentifier: tenantOf(request.tenant) },
            requestId: { string: request.requestId },
            ...(request.model !== undefined ? { model: { string: request.model } } : {}),
          },
        },
        entities: { entityList },
      }), { abortSignal: deadline.signal });
      return {
        allowed: answer.decision === 'ALLOW',
        determiningPolicies: (answer.determiningPolicies ?? []).map((p) => p.policyId ?? '').filter(Boolean).sort(),
      };
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.timeout('The policy store');
      // A validation error means the router and the store disagree on the schema: fail closed.
      throw new RouterError(ReasonCode.POLICY_STORE_UNAVAILABLE, `The policy store did not answer (${errorName(error)}).`);
    }
  }
}
