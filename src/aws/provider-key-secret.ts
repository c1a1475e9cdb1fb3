import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { GatewayBlueprint, ProviderKeyBlueprint, TargetBlueprint } from '../spec';
import { createGatewayKey } from './private/kms';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { ProviderKeyRotation } from './provider-key-rotation';
import { PROVIDER_KEY_SECRET_FIELDS as SECRET_VALUE_FIELDS } from '../contract/router-routes';

/**
 * Properties of a provider-key secret.
 */
export interface ProviderKeySecretProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /** The provider-key target whose role alone may read the key. */
  readonly target: TargetBlueprint;

  /** How the key is rotated. */
  readonly rotation: ProviderKeyRotation;
}

const PROVIDER_KEY_SECRET_FIELDS = fieldsOf<ProviderKeySecretProps>({ blueprint: true, target: true, rotation: true });

/**
 * One third-party provider key in Secrets Manager, under its own customer-managed KMS key:
 *
 * - only the key's target role can read it (a resource-policy deny for every other principal,
 *   and a key policy that lets no one else decrypt);
 * - the credential-lifecycle owner can write and rotate it but never read it;
 * - it is rotated on the spec's period by your function, or, in manual mode, an alarm fires when
 *   it is older than the period (see `KeyAgeMonitor`);
 * - it is kept when the stack is deleted (CloudFormation would delete it without a recovery
 *   window); delete it with `aws secretsmanager delete-secret --recovery-window-in-days 30`.
 *
 * The template never holds the key: the secret is created with a random placeholder that the
 * credential-lifecycle owner replaces with `PutSecretValue`. The value is JSON,
 * `{"apiKey": "<key>", "endpoint": "https://<provider API base URL>"}`: the endpoint binds the key
 * to its host, and the router refuses a value of any other shape (and sends nothing).
 */
export class ProviderKeySecret extends Construct {
  /** The secret. */
  public readonly resource: secretsmanager.CfnSecret;
  /** The customer-managed key the secret is encrypted with. */
  public readonly key: kms.Key;
  /** The secret's ARN. */
  public readonly secretArn: string;
  /** The secret's name. */
  public readonly secretName: string;
  /** The provider key this secret holds. */
  public readonly providerKey: ProviderKeyBlueprint;
  /** The tenant whose key this is. */
  public readonly tenantId: string;

  constructor(scope: Construct, id: string, props: ProviderKeySecretProps) {
    super(scope, id);
    refuseUnknownProps('ProviderKeySecret', props, PROVIDER_KEY_SECRET_FIELDS);
    const { blueprint, target, rotation } = props;
    // The plane builds one secret per provider-key target, and has checked that the spec names
    // the credential-lifecycle owner's role, the only principal that may write the key.
    const providerKey = target.providerKey!;
    const ownerRoleArn = blueprint.owners.credentialLifecycle.roleArn!;
    this.providerKey = providerKey;
    this.tenantId = target.tenantId;
    this.secretName = providerKey.secretName;
    const naming = blueprint.naming;
    const region = blueprint.region;
    const viaSecretsManager = { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` };
    // The key policy cannot reference the secret (the secret references the key), so it names the
    // secret's ARN by its fixed name and the six-character suffix Secrets Manager appends.
    const secretArnPattern = `arn:${blueprint.partition}:secretsmanager:${region}:${blueprint.account}:secret:${this.secretName}-??????`;
    const thisSecret = { 'kms:EncryptionContext:SecretARN': secretArnPattern };
    const rotator = rotation._rotatorRoleArn;
    const readers = [target.roleArn, ...(rotator ? [rotator] : [])];
    const writers = [ownerRoleArn, ...(rotator ? [rotator] : [])];
    const account = new iam.ArnPrincipal(naming.accountRootArn());

    this.key = createGatewayKey(this, 'Key', {
      blueprint,
      alias: naming.providerKeyAlias(target.tenantId, providerKey.id),
      description: `Encrypts the ${providerKey.provider} key "${providerKey.id}" of tenant ${target.tenantId} in gateway ${blueprint.name}.`,
      statements: [
        new iam.PolicyStatement({
          sid: 'OnlyTheTargetRoleDecryptsTheKey',
          principals: readers.map((arn) => new iam.ArnPrincipal(arn)),
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: viaSecretsManager, StringLike: thisSecret },
        }),
        new iam.PolicyStatement({
          sid: 'WritersEncryptNewValues',
          principals: writers.map((arn) => new iam.ArnPrincipal(arn)),
          actions: ['kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: viaSecretsManager, StringLike: thisSecret },
        }),
        new iam.PolicyStatement({
          // Creating the secret (the deployment) encrypts its placeholder; encrypting reveals nothing.
          sid: 'AccountEncryptsThroughSecretsManager',
          principals: [account],
          actions: ['kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: viaSecretsManager, StringLike: thisSecret },
        }),
        new iam.PolicyStatement({
          // Secrets Manager proves access to a new key with a throw-away version; no key value is in it.
          sid: 'AccountValidatesKeyAccessOnly',
          principals: [account],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { ...viaSecretsManager, 'kms:EncryptionContext:SecretVersionId': 'RequestToValidateKeyAccess' } },
        }),
      ],
    });

    this.resource = new secretsmanager.CfnSecret(this, 'Resource', {
      name: this.secretName,
      description: `${providerKey.provider} API key "${providerKey.id}" of tenant ${target.tenantId} (gateway ${blueprint.name}). `
        + `Readable only by ${target.roleName}. Rotation: ${rotation.description}, every ${providerKey.rotationPeriodDays} days. `
        + `Value: JSON {"${SECRET_VALUE_FIELDS.API_KEY}": "<key>", "${SECRET_VALUE_FIELDS.ENDPOINT}": "https://<provider API base URL>"}; the router sends the key to that endpoint only.`,
      kmsKeyId: this.key.keyArn,
      // A random placeholder: the real key is written by the credential-lifecycle owner, never by the template.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    this.resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.secretArn = this.resource.ref;

    new secretsmanager.CfnResourcePolicy(this, 'Policy', {
      secretId: this.secretArn,
      blockPublicPolicy: true,
      resourcePolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'NobodyButTheTargetRoleReadsTheKey',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['secretsmanager:GetSecretValue'],
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': readers } },
          }),
          new iam.PolicyStatement({
            sid: 'NobodyButTheOwnerWritesTheKey',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': writers } },
          }),
          new iam.PolicyStatement({
            sid: 'CredentialLifecycleOwnerWritesAndRotates',
            principals: [new iam.ArnPrincipal(ownerRoleArn)],
            actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage', 'secretsmanager:DescribeSecret',
              'secretsmanager:ListSecretVersionIds', ...(rotation._rotationFunction ? ['secretsmanager:RotateSecret'] : [])],
            resources: ['*'],
          }),
          ...(rotator ? [new iam.PolicyStatement({
            sid: 'RotationFunctionRotatesTheKey',
            principals: [new iam.ArnPrincipal(rotator)],
            actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:UpdateSecretVersionStage'],
            resources: ['*'],
          })] : []),
        ],
      }).toJSON(),
    });

    const rotationFunction = rotation._rotationFunction;
    if (rotationFunction) {
      // One rotation function may serve keys of several tenants and gateways: the permission's id
      // names all three ('.' appears in no id). It names the secret by its derived name, not a
      // reference: the function lives in the shared stack, the secret in its tenant's cell stack.
      rotationFunction.addPermission(`Gateward-${blueprint.name}.${target.tenantId}.${providerKey.id}-RotationInvoke`, {
        principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceArn: secretArnPattern,
        sourceAccount: Stack.of(this).account,
      });
      new secretsmanager.CfnRotationSchedule(this, 'Rotation', {
        secretId: this.secretArn,
        rotationLambdaArn: rotationFunction.functionArn,
        rotationRules: { automaticallyAfterDays: providerKey.rotationPeriodDays },
        // The first value is a placeholder; rotating it would only fail at the provider.
        rotateImmediatelyOnUpdate: false,
      });
    } else {
      const reason = `Manual rotation: the ${providerKey.provider} key has no rotation API. `
        + `A daily check alarms when the key is older than ${providerKey.rotationPeriodDays} days (KeyAgeMonitor).`;
      Validations.of(this).acknowledge(
        { id: 'AwsSolutions-SMG4', reason },
        { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason },
      );
    }
  }
}
