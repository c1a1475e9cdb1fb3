import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../../spec';

/**
 * Key administration for the account, without any use of the key: who may encrypt or decrypt is
 * granted statement by statement, so an identity policy with `kms:*` does not read a gateway
 * secret. The account keeps `PutKeyPolicy`, so the key can never become unmanageable.
 */
function administerKeyStatement(blueprint: GatewayBlueprint): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AccountAdministersKeyButCannotUseIt',
    principals: [new iam.ArnPrincipal(blueprint.naming.accountRootArn())],
    actions: [
      'kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:DescribeKey', 'kms:DisableKey',
      'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:EnableKeyRotation', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus',
      'kms:ListAliases', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListResourceTags', 'kms:PutKeyPolicy',
      'kms:RevokeGrant', 'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateAlias',
      'kms:UpdateKeyDescription', 'kms:RotateKeyOnDemand',
    ],
    // In a key policy, "*" means this key.
    resources: ['*'],
  });
}

/**
 * Grants may only be created for AWS resources acting on a principal's behalf (the Control Tower
 * proactive control CT.KMS.PR.3): no principal can hand out standing use of the key.
 */
function denyGrantsStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  });
}

/**
 * CloudWatch Logs of the gateway's region may use the key for the named log groups only: the
 * encryption context names the group, so no other group of the account can be encrypted with it.
 */
export function logsEncryptStatement(blueprint: GatewayBlueprint, sid: string, logGroupNames: string[]): iam.PolicyStatement {
  const arns = logGroupNames.map((name) => blueprint.naming.logGroupArn(name));
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(`logs.${blueprint.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    // In a key policy, "*" means this key.
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arns.length === 1 ? arns[0] : arns } },
  });
}

export interface GatewayKeyOptions {
  readonly blueprint: GatewayBlueprint;
  readonly alias: string;
  readonly description: string;
  /** Who may use the key, and how. */
  readonly statements: iam.PolicyStatement[];
}

/**
 * A customer-managed key with yearly rotation, a policy made of the given statements plus
 * administration and the grant guard, kept when the stack is deleted (losing the key loses the
 * data), and a 30-day deletion window.
 */
export function createGatewayKey(scope: Construct, id: string, options: GatewayKeyOptions): kms.Key {
  return new kms.Key(scope, id, {
    alias: options.alias,
    description: options.description,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy: RemovalPolicy.RETAIN,
    policy: new iam.PolicyDocument({
      statements: [administerKeyStatement(options.blueprint), ...options.statements, denyGrantsStatement()],
    }),
  });
}
