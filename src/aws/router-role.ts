import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayResourceProps } from './gateway-resource-props';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { logStreamsOf } from './private/log-streams';
import { cellTenantProblems } from './private/router-cells';
import { GatewayValidationError } from '../problems/gateway-validation-error';
import { ProblemCollector } from '../problems/problem-collector';

/**
 * Properties of a router role.
 */
export interface RouterRoleProps extends GatewayResourceProps {
  /** The tenant whose router cell runs as this role. It must have at least one target. */
  readonly tenantId: string;

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
  blueprint: true, permissionsBoundary: true, tenantId: true, policyStoreArn: true, decisionLogGroupArn: true, assumedBy: true,
});

/**
 * The role one tenant's router cell runs as (`<gateway>-<tenant>-router`). It may ask its one
 * policy store whether a request is allowed and write its own cell's streams of the decision log;
 * nothing else. It holds no right to any model, key or role: those are minted per request by
 * Vault through the broker and the tenant's target roles, and Vault's auth role for this role
 * reads the credential paths of this one tenant only.
 *
 * (Logging in to Vault with the AWS IAM auth method signs `sts:GetCallerIdentity`, which needs no
 * permission.)
 */
export class RouterRole extends Construct {
  /** The tenant whose cell runs as this role. */
  public readonly tenantId: string;
  /** The IAM role. */
  public readonly role: iam.Role;
  /** The customer-managed policy that holds all of the role's permissions. */
  public readonly permissions: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RouterRoleProps) {
    super(scope, id);
    refuseUnknownProps('RouterRole', props, ROUTER_ROLE_FIELDS);
    const { blueprint } = props;
    const problems = new ProblemCollector();
    const tenant = cellTenantProblems(problems, 'props.tenantId', blueprint, props.tenantId);
    if (!tenant) throw new GatewayValidationError('RouterRole', problems.problems);
    const naming = blueprint.naming;
    const roleName = tenant.router.roleName;
    // Lambda names a function's streams in a shared log group `YYYY/MM/DD/<function name>[<version>]<id>`.
    const ownStreams = `${logStreamsOf(props.decisionLogGroupArn)}/${tenant.router.functionName}[*`;
    this.tenantId = tenant.id;
    const parts = createGatewayRole(this, {
      roleName,
      managedPolicyName: naming.managedPolicyName(roleName),
      description: `Router of tenant ${tenant.id} of gateway ${blueprint.name}: authorizes each request with its policy store and writes its decision log streams. Holds no model, key or role access.`,
      assumedBy: props.assumedBy ?? new iam.ServicePrincipal('lambda.amazonaws.com'),
      position: 'router',
      tenantId: tenant.id,
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'AuthorizeWithPolicyStore',
          actions: ['verifiedpermissions:IsAuthorized'],
          resources: [props.policyStoreArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnDecisionLogStreams',
          // Both calls name the stream (`log-group:NAME:log-stream:STREAM`). Lambda names the
          // streams at run time, with the date first and this cell's function name after it.
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [ownStreams],
        }),
      ],
    });
    this.role = parts.role;
    this.permissions = parts.permissions;
    Validations.of(this.permissions).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${ownStreams}]`,
      reason: 'Lambda names the router cell\'s log streams at run time (date, then function name, version and a random id); the streams of this one function in its one decision log group are the narrowest resource CreateLogStream and PutLogEvents accept.',
    });
  }
}
