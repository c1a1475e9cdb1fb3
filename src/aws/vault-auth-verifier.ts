import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { GatewayResourceProps } from './gateway-resource-props';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
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
 * The identity Vault's AWS auth method reads the router role with. The router's Vault role binds
 * the router role's exact ARN with `resolve_aws_unique_ids`, so when the role is written Vault
 * calls `iam:GetRole` for it and keeps its unique id: a role deleted and re-created under the same
 * name is then not trusted. That one call is all the verifier may make, on exactly the bound role
 * ARNs; it is a role of its own so that the broker, which assumes target roles, never holds it.
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
   * The router role ARNs the Vault plane's auth role binds, and so the only roles Vault reads.
   */
  public static boundRoleArns(blueprint: GatewayBlueprint): string[] {
    const naming = blueprint.naming;
    return [naming.roleArn(naming.routerRoleName)];
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
    const parts = createGatewayRole(this, {
      roleName,
      managedPolicyName: blueprint.naming.managedPolicyName(roleName),
      description: `Verifier of gateway ${blueprint.name}: Vault's AWS auth method reads the router role's unique id through it (iam:GetRole, for resolve_aws_unique_ids). Trusts ${props.vaultServer.description}.`.slice(0, 1000),
      assumedBy: props.vaultServer._principal(blueprint.spec, 'auth'),
      position: 'verifier',
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadBoundRouterRoles',
          actions: ['iam:GetRole'],
          resources: VaultAuthVerifier.boundRoleArns(blueprint),
        }),
      ],
    });
    this.role = parts.role;
    this.permissions = parts.permissions;
  }
}
