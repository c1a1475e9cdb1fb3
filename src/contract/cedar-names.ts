import { CedarAction, CedarEntityType } from './cedar-vocabulary';

/** The Cedar namespace of every entity type and action in the gateway's schema. */
export const CEDAR_NAMESPACE = 'Gateward';

/** Cedar's entity type of a namespace's actions: `Gateward::Action`. */
export function cedarActionType(namespace: string = CEDAR_NAMESPACE): string {
  return `${namespace}::Action`;
}

/** A qualified entity type: `Gateward::Tenant`. */
export function cedarEntityType(type: CedarEntityType, namespace: string = CEDAR_NAMESPACE): string {
  return `${namespace}::${type}`;
}

/** An entity uid in Cedar syntax: `Gateward::Tenant::"support"`. */
export function cedarEntityUid(type: CedarEntityType, id: string): string {
  return `${cedarEntityType(type)}::${JSON.stringify(id)}`;
}

/** An action uid in Cedar syntax: `Gateward::Action::"InvokeModel"`. */
export function cedarActionUid(action: CedarAction): string {
  return `${cedarActionType()}::${JSON.stringify(action)}`;
}
