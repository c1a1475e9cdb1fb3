import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GatewayBlueprint, GatewayNaming, TargetBlueprint, TargetKind } from '../spec';
import { GatewayResourceProps } from './gateway-resource-props';
import { modelInvocationStatements } from './private/bedrock-arns';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';

/**
 * The secret and key a provider-key target reads.
 */
export interface ProviderKeyAccess {
  /** ARN of the Secrets Manager secret that holds the key. */
  readonly secretArn: string;
  /** ARN of the KMS key the secret is encrypted with. */
  readonly kmsKeyArn: string;
}

/**
 * Properties of a target role.
 */
export interface TargetRoleProps extends GatewayResourceProps {
  /** Which tenant target the role is. */
  readonly target: TargetBlueprint;

  /** ARN of the broker role: the only principal the target trusts. */
  readonly brokerRoleArn: string;

  /**
   * The secret and key of a provider-key target. Required for provider-key targets.
   *
   * @default - none; the target is a model target
   */
  readonly providerKey?: ProviderKeyAccess;
}

const TARGET_ROLE_FIELDS = fieldsOf<TargetRoleProps>({
  blueprint: true, permissionsBoundary: true, target: true, brokerRoleArn: true, providerKey: true,
});

/**
 * One tenant's target role for one purpose: invoking the tenant's exact Bedrock models, or
 * reading one provider key. Only the broker may assume it, presenting the tenant's external id;
 * nothing holds it standing.
 */
export class TargetRole extends Construct {
  /** The IAM role. */
  public readonly role: iam.Role;
  /** The customer-managed policy that holds all of the role's permissions. */
  public readonly permissions: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: TargetRoleProps) {
    super(scope, id);
    refuseUnknownProps('TargetRole', props, TARGET_ROLE_FIELDS);
    const { blueprint, target } = props;
    const naming = blueprint.naming;
    const tenant = blueprint.tenant(target.tenantId);
    // With the spec's session tags on, the trust requires exactly the gateway and tenant tags.
    const sessionTags = blueprint.sessionTags;

    let statements: iam.PolicyStatement[];
    let purpose: string;
    if (target.kind === TargetKind.BEDROCK_MODELS) {
      statements = modelInvocationStatements(blueprint, tenant);
      purpose = `invoke the Bedrock models of tenant ${tenant.id}`;
    } else {
      // The plane passes the secret of every provider-key target it builds.
      const key = target.providerKey!;
      statements = providerKeyStatements(blueprint, props.providerKey!);
      purpose = `read the ${key.provider} key "${key.id}" of tenant ${tenant.id}`;
    }

    let assumedBy: iam.IPrincipal = new iam.ArnPrincipal(props.brokerRoleArn);
    if (sessionTags) {
      // The broker must tag every session with this gateway and tenant, and nothing else.
      assumedBy = new iam.PrincipalWithConditions(new iam.SessionTagsPrincipal(assumedBy), {
        'StringEquals': {
          [`aws:RequestTag/${GatewayNaming.GATEWAY_TAG}`]: blueprint.name,
          [`aws:RequestTag/${GatewayNaming.TENANT_TAG}`]: tenant.id,
        },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [GatewayNaming.GATEWAY_TAG, GatewayNaming.TENANT_TAG] },
      });
    }

    const parts = createGatewayRole(this, {
      roleName: target.roleName,
      managedPolicyName: naming.managedPolicyName(target.roleName),
      description: `Target of gateway ${blueprint.name}: lets Vault, through the broker, ${purpose} for one request at a time.`,
      assumedBy,
      externalIds: [naming.externalId(tenant.id)],
      // The broker may assume the roles of this path only; the guardrails reserve it for deployment.
      path: naming.targetRolePath,
      position: 'target',
      tenantId: tenant.id,
      permissionsBoundary: props.permissionsBoundary,
      statements,
    });
    this.role = parts.role;
    this.permissions = parts.permissions;
  }
}

function providerKeyStatements(blueprint: GatewayBlueprint, access: ProviderKeyAccess): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadProviderKey',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [access.secretArn],
    }),
    new iam.PolicyStatement({
      sid: 'DecryptProviderKeyThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [access.kmsKeyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `secretsmanager.${blueprint.region}.amazonaws.com`,
          'kms:EncryptionContext:SecretARN': access.secretArn,
        },
      },
    }),
  ];
}
