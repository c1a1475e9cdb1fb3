import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayResourceProps } from './gateway-resource-props';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { VaultServerIdentity } from './vault-server-identity';

/**
 * Properties of the broker role.
 */
export interface BrokerRoleProps extends GatewayResourceProps {
  /** How the Vault server proves its identity: the only principal the broker trusts. */
  readonly vaultServer: VaultServerIdentity;
}

const BROKER_ROLE_FIELDS = fieldsOf<BrokerRoleProps>({ blueprint: true, permissionsBoundary: true, vaultServer: true });

/**
 * The identity Vault's AWS secrets engine uses. Its one permission is to assume this gateway's
 * target roles, by exact ARN, and to tag those sessions when the spec's `sessionTags` is on (so
 * CloudTrail shows whose request a credential served); it cannot call a model or read a key
 * itself.
 */
export class BrokerRole extends Construct {
  /** The IAM role. */
  public readonly role: iam.Role;
  /** The customer-managed policy that holds all of the role's permissions. */
  public readonly permissions: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: BrokerRoleProps) {
    super(scope, id);
    refuseUnknownProps('BrokerRole', props, BROKER_ROLE_FIELDS);
    const { blueprint } = props;
    const naming = blueprint.naming;
    // The plane creates a broker only when the gateway has target roles.
    const targetArns = blueprint.targets.map((t) => t.roleArn);
    const sessionTags = blueprint.sessionTags;
    const parts = createGatewayRole(this, {
      roleName: naming.brokerRoleName,
      managedPolicyName: naming.managedPolicyName(naming.brokerRoleName),
      description: `Broker of gateway ${blueprint.name}: Vault's AWS secrets engine assumes the gateway's target roles through it. Trusts ${props.vaultServer.description}.`.slice(0, 1000),
      assumedBy: props.vaultServer._principal(blueprint.spec, 'secret'),
      position: 'broker',
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'AssumeTargetRoles',
          actions: sessionTags ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'],
          resources: targetArns,
        }),
      ],
    });
    this.role = parts.role;
    this.permissions = parts.permissions;
  }
}
