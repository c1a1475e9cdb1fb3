import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayNaming } from '../../spec';

/**
 * A role's place in the identity chain, carried in the `gateward:role` tag. `service` roles are
 * used by AWS services on the gateway's behalf (replication, trail delivery) and are not part of
 * the chain; the `verifier` is Vault's auth method reading the router role's unique id.
 */
export type ChainPosition = 'router' | 'broker' | 'target' | 'verifier' | 'service';

/** The priority `Tags.of(scope).add` gives a tag unless told otherwise. */
const TAG_PRIORITY = 100;

export interface GatewayRoleOptions {
  readonly roleName: string;
  readonly description: string;
  readonly assumedBy: iam.IPrincipal;
  readonly position: ChainPosition;
  readonly tenantId?: string;
  readonly statements: iam.PolicyStatement[];
  readonly managedPolicyName: string;
  readonly permissionsBoundary?: iam.IManagedPolicy;
  readonly externalIds?: string[];
  /** The role's IAM path (`/` when absent). */
  readonly path?: string;
}

export interface GatewayRoleParts {
  readonly role: iam.Role;
  readonly permissions: iam.ManagedPolicy;
}

/**
 * Every role of the identity chain is made here, so that the invariants hold in one place:
 * sessions of at most one hour, the permissions boundary when given, permissions only in one
 * customer-managed policy (no inline or AWS-managed policies), a description of what the role is
 * for, and the chain-position and tenant tags.
 *
 * The role gets the id `Resource` and its policy `Permissions` inside `scope`, unless an id is
 * given (for a construct that holds more than one role): then `<id>` and `<id>Permissions`.
 */
export function createGatewayRole(scope: Construct, options: GatewayRoleOptions, id?: string): GatewayRoleParts {
  const role = new iam.Role(scope, id ?? 'Resource', {
    roleName: options.roleName,
    description: options.description,
    assumedBy: options.assumedBy,
    externalIds: options.externalIds,
    path: options.path,
    maxSessionDuration: Duration.hours(1),
    permissionsBoundary: options.permissionsBoundary,
  });
  const permissions = new iam.ManagedPolicy(scope, id ? `${id}Permissions` : 'Permissions', {
    managedPolicyName: options.managedPolicyName,
    description: `Everything ${options.roleName} may do: ${options.description}`.slice(0, 1000),
    document: new iam.PolicyDocument({ statements: options.statements }),
    roles: [role],
  });
  // Set on the role's resource directly, as Tags.of(role).add would (same priority): an aspect per
  // role is a walk of the tree per role at synth.
  const tags = (role.node.defaultChild as iam.CfnRole).tags;
  tags.setTag(GatewayNaming.ROLE_TAG, options.position, TAG_PRIORITY);
  if (options.tenantId !== undefined) {
    tags.setTag(GatewayNaming.TENANT_TAG, options.tenantId, TAG_PRIORITY);
  }
  return { role, permissions };
}
