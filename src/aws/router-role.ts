import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayResourceProps } from './gateway-resource-props';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { logStreamsOf } from './private/log-streams';

/**
 * Properties of the router role.
 */
export interface RouterRoleProps extends GatewayResourceProps {
  /** ARN of the gateway's Verified Permissions policy store: the only store it may ask. */
  readonly policyStoreArn: string;

  /** ARN of the log group the router writes its decision log to. */
  readonly decisionLogGroupArn: string;

  /**
   * Who runs as the router: the gateway compute.
   *
   * @default - the Lambda service (`lambda.amazonaws.com`)
   */
  readonly assumedBy?: iam.IPrincipal;
}

const ROUTER_ROLE_FIELDS = fieldsOf<RouterRoleProps>({
  blueprint: true, permissionsBoundary: true, policyStoreArn: true, decisionLogGroupArn: true, assumedBy: true,
});

/**
 * The role the gateway compute runs as. It may ask its one policy store whether a request is
 * allowed and write its decision log; nothing else. It holds no right to any model, key or role:
 * those are minted per request by Vault through the broker and the tenant's target roles.
 *
 * (Logging in to Vault with the AWS IAM auth method signs `sts:GetCallerIdentity`, which needs no
 * permission.)
 */
export class RouterRole extends Construct {
  /** The IAM role. */
  public readonly role: iam.Role;
  /** The customer-managed policy that holds all of the role's permissions. */
  public readonly permissions: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RouterRoleProps) {
    super(scope, id);
    refuseUnknownProps('RouterRole', props, ROUTER_ROLE_FIELDS);
    const naming = props.blueprint.naming;
    const parts = createGatewayRole(this, {
      roleName: naming.routerRoleName,
      managedPolicyName: naming.managedPolicyName(naming.routerRoleName),
      description: `Router of gateway ${props.blueprint.name}: authorizes each request with its policy store and writes the decision log. Holds no model, key or role access.`,
      assumedBy: props.assumedBy ?? new iam.ServicePrincipal('lambda.amazonaws.com'),
      position: 'router',
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'AuthorizeWithPolicyStore',
          actions: ['verifiedpermissions:IsAuthorized'],
          resources: [props.policyStoreArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteDecisionLog',
          // Both calls name the stream (`log-group:NAME:log-stream:STREAM`). The compute names its
          // streams at run time, so the streams of this one group are the narrowest resource AWS offers.
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logStreamsOf(props.decisionLogGroupArn)],
        }),
      ],
    });
    this.role = parts.role;
    this.permissions = parts.permissions;
    Validations.of(this.permissions).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${logStreamsOf(props.decisionLogGroupArn)}]`,
      reason: 'The router\'s compute names its log streams at run time; the streams of its one decision log group are the narrowest resource CreateLogStream and PutLogEvents accept.',
    });
  }
}
