import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayBlueprint, GatewayNaming } from '../spec';
import { GatewayResourceProps } from './gateway-resource-props';
import { acknowledgeFinding } from './private/acknowledge';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { cellTenants } from './private/router-cells';
import { VaultServerIdentity } from './vault-server-identity';

/**
 * Properties of the Vault auth verifier.
 */
export interface VaultAuthVerifierProps extends GatewayResourceProps {
  /** How the Vault server proves its identity: the only principal the verifier trusts. */
  readonly vaultServer: VaultServerIdentity;
}

const VAULT_AUTH_VERIFIER_FIELDS = fieldsOf<VaultAuthVerifierProps>({ blueprint: true, permissionsBoundary: true, vaultServer: true });

/**
 * The identity Vault's AWS auth method reads the router roles with. Each router cell's Vault role
 * binds its router role's exact ARN with `resolve_aws_unique_ids`, so when the role is written
 * Vault calls `iam:GetRole` for it and keeps its unique id: a role deleted and re-created under
 * the same name is then not trusted. That one read-only call is all the verifier may make, on the
 * gateway's router role names (`<gateway>-*-router`: one pattern, so the policy does not grow with
 * tenants) and only on roles tagged as the gateway's routers; it is a role of its own so that the broker, which assumes target roles, never holds it.
 *
 * The Vault plane points the auth method at it: with a Vault server role, as the auth method's
 * STS role for the gateway's account (`auth/<mount>/config/sts/<account>`); with workload
 * identity federation (Vault Enterprise 1.17+), as the client's `role_arn`.
 */
export class VaultAuthVerifier extends Construct {
  /**
   * The name of the verifier role of a gateway.
   */
  public static roleName(blueprint: GatewayBlueprint): string {
    return blueprint.naming.vaultAuthVerifierRoleName;
  }

  /**
   * The router role ARNs the Vault plane's auth roles bind, one per router cell, in tenant order:
   * the roles Vault reads.
   */
  public static boundRoleArns(blueprint: GatewayBlueprint): string[] {
    return cellTenants(blueprint).map((t) => t.router.roleArn);
  }

  /**
   * The ARN pattern the verifier may read (`arn:<partition>:iam::<account>:role/<gateway>-*-router`):
   * every bound router role matches it, and its size does not grow with tenants.
   */
  public static readableRoleArnPattern(blueprint: GatewayBlueprint): string {
    return blueprint.naming.roleArn(blueprint.naming.tenantRouterRoleNamePattern());
  }

  /** The IAM role. */
  public readonly role: iam.Role;
  /** The customer-managed policy that holds all of the role's permissions. */
  public readonly permissions: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: VaultAuthVerifierProps) {
    super(scope, id);
    refuseUnknownProps('VaultAuthVerifier', props, VAULT_AUTH_VERIFIER_FIELDS);
    const { blueprint } = props;
    const roleName = VaultAuthVerifier.roleName(blueprint);
    const readable = VaultAuthVerifier.readableRoleArnPattern(blueprint);
    const parts = createGatewayRole(this, {
      roleName,
      managedPolicyName: blueprint.naming.managedPolicyName(roleName),
      description: `Verifier of gateway ${blueprint.name}: Vault's AWS auth method reads the router roles' unique ids through it (iam:GetRole, for resolve_aws_unique_ids). Trusts ${props.vaultServer.description}.`.slice(0, 1000),
      assumedBy: props.vaultServer._principal(blueprint.spec, 'auth'),
      position: 'verifier',
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadRouterRoles',
          actions: ['iam:GetRole'],
          resources: [readable],
          // Only the roles tagged as this gateway's routers: not a target role whose key id happens to end in "-router".
          conditions: { StringEquals: { [`aws:ResourceTag/${GatewayNaming.ROLE_TAG}`]: 'router', [`aws:ResourceTag/${GatewayNaming.GATEWAY_TAG}`]: blueprint.name } },
        }),
      ],
    });
    this.role = parts.role;
    this.permissions = parts.permissions;
    acknowledgeFinding(this.permissions, `AwsSolutions-IAM5[Resource::${readable}]`,
      'Vault reads each router cell\'s role (iam:GetRole, read-only) to bind its unique id. One pattern over the gateway\'s router role names, held to roles tagged as its routers, keeps this policy the same size for any number of tenants; it grants no write and no other action.');
  }
}
