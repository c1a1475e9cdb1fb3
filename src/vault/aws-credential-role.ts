import { AwsSecretBackendRole } from '@cdktf/provider-vault/lib/aws-secret-backend-role';
import { Construct } from 'constructs';
import { isRoleArn } from '../spec/identifiers';
import { throwIfProblems } from './private/prop-validation';

/**
 * The credential types of Vault's AWS secrets engine.
 */
export enum AwsCredentialType {
  /** STS credentials of one role, assumed per request. The only type the gateway issues. */
  ASSUMED_ROLE = 'assumed_role',
  /** A new IAM user with long-lived access keys per lease. Refused. */
  IAM_USER = 'iam_user',
  /** STS federation tokens, which need IAM-user keys in Vault. Refused. */
  FEDERATION_TOKEN = 'federation_token',
  /** STS session tokens of Vault's own IAM user. Refused. */
  SESSION_TOKEN = 'session_token',
}

const REFUSALS: Record<string, string> = {
  [AwsCredentialType.IAM_USER]: 'iam_user creates a real IAM user with long-lived access keys for every lease (slow, eventually consistent, and a standing identity until revoked)',
  [AwsCredentialType.FEDERATION_TOKEN]: 'federation_token needs static IAM-user access keys in Vault\'s configuration',
  [AwsCredentialType.SESSION_TOKEN]: 'session_token issues credentials of Vault\'s own IAM user, not of a scoped role',
};

/**
 * Properties of an AWS credential role.
 */
export interface AwsCredentialRoleProps {
  /** The AWS secrets mount. */
  readonly backend: string;
  /** The role name in the mount. */
  readonly name: string;
  /** The one role ARN Vault may assume for this role. */
  readonly roleArn: string;

  /**
   * The credential type.
   *
   * @default AwsCredentialType.ASSUMED_ROLE
   */
  readonly credentialType?: AwsCredentialType;

  /** STS session lifetime when the caller asks for none, in seconds. */
  readonly defaultStsTtlSeconds: number;
  /** Longest STS session a caller may ask for, in seconds (at most one hour). */
  readonly maxStsTtlSeconds: number;
  /** The external id the target role's trust policy requires. */
  readonly externalId: string;

  /**
   * Session tags Vault sets on every assumed session (they appear in CloudTrail).
   *
   * @default - none
   */
  readonly sessionTags?: Record<string, string>;
}

/**
 * A Vault AWS secrets role that assumes exactly one target role, for a short session, presenting
 * the target's external id and tagging the session. Any other credential type is refused.
 *
 * Built only by `TenantAwsSecrets`, from the validated spec (whose TTL ceilings apply). What it
 * still refuses is what would make the role unsafe whatever its caller: another credential type,
 * anything but one exact role ARN (the spec's own rule), no external id.
 */
export class AwsCredentialRole extends Construct {
  /** The role resource. */
  public readonly resource: AwsSecretBackendRole;

  constructor(scope: Construct, id: string, props: AwsCredentialRoleProps) {
    super(scope, id);
    const type = props.credentialType ?? AwsCredentialType.ASSUMED_ROLE;
    throwIfProblems(`AwsCredentialRole "${props.name}"`, (c) => {
      if (type !== AwsCredentialType.ASSUMED_ROLE) {
        c.add('props.credentialType', type, `is refused: ${REFUSALS[type] ?? 'it is not a known credential type'}`, 'use AwsCredentialType.ASSUMED_ROLE with a target role');
      }
      if (!isRoleArn(props.roleArn)) {
        c.add('props.roleArn', props.roleArn, 'must be one exact IAM role ARN', 'give the ARN of one role, e.g. arn:aws:iam::111122223333:role/app, without wildcards');
      }
      if (!props.externalId) {
        c.add('props.externalId', props.externalId, 'is empty, but the target role requires its tenant\'s external id', 'pass the tenant\'s external id (GatewayNaming.externalId)');
      }
    });

    this.resource = new AwsSecretBackendRole(this, 'Resource', {
      backend: props.backend,
      name: props.name,
      credentialType: type,
      roleArns: [props.roleArn],
      defaultStsTtl: props.defaultStsTtlSeconds,
      maxStsTtl: props.maxStsTtlSeconds,
      externalId: props.externalId,
      sessionTags: props.sessionTags,
    });
  }
}
