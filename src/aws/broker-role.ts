import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayResourceProps } from './gateway-resource-props';
import { acknowledgeFinding } from './private/acknowledge';
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
 * target roles, the roles of the path reserved for them (so the policy is the same size for 1 and
 * 1,000 tenants; each target role's trust names the broker and its tenant's external id), and to tag those sessions when the spec's `sessionTags` is on (so
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
          resources: [naming.targetRoleArnPattern()],
        }),
      ],
    });
    this.role = parts.role;
    this.permissions = parts.permissions;
    const reason = `The path ${naming.targetRolePath} holds this gateway's target roles alone: each trusts only this broker, with its tenant's external id, `
      + 'and the organization guardrails let nobody but the deployment roles create or change a role in it. One pattern keeps the policy the same size for 1 and 1,000 tenants.';
    acknowledgeFinding(this.permissions, `AwsSolutions-IAM5[Resource::${naming.targetRoleArnPattern()}]`, reason);
  }
}
