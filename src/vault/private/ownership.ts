import { GatewayBlueprint } from '../../spec';

/**
 * A description naming the gateway and its three owners, for Vault objects that have no tags.
 */
export function ownedDescription(blueprint: GatewayBlueprint, what: string): string {
  const owners = blueprint.owners;
  return `gateward ${blueprint.name}: ${what}. Owners: policy ${owners.policy.contact}, `
    + `operations ${owners.operations.contact}, credential lifecycle ${owners.credentialLifecycle.contact}.`;
}
