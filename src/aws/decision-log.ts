import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';

/** The shortest retention a decision log may have. */
export const MIN_DECISION_LOG_RETENTION_DAYS = 90;

/**
 * Properties of the decision log.
 */
export interface DecisionLogProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;

  /** The key the log group is encrypted with. Its policy must let CloudWatch Logs use it for this group. */
  readonly encryptionKey: kms.IKey;

  /**
   * How long decisions are kept. At least 90 days.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
}

/**
 * Secrets that must never be readable in a log, masked by CloudWatch Logs on ingestion even if a
 * bug writes one: AWS secret keys and private keys (managed identifiers) and the bearer tokens
 * the gateway handles (custom identifiers).
 */
function secretMaskingPolicy(gatewayName: string): logs.DataProtectionPolicy {
  return new logs.DataProtectionPolicy({
    name: `${gatewayName}-mask-secrets`,
    description: 'Masks credentials and keys in the gateway decision log.',
    identifiers: [
      logs.DataIdentifier.AWSSECRETKEY,
      logs.DataIdentifier.OPENSSHPRIVATEKEY,
      logs.DataIdentifier.PGPPRIVATEKEY,
      logs.DataIdentifier.PKCSPRIVATEKEY,
      logs.DataIdentifier.PUTTYPRIVATEKEY,
      new logs.CustomDataIdentifier('AwsAccessKeyId', '(AKIA|ASIA)[A-Z0-9]{16}'),
      new logs.CustomDataIdentifier('VaultToken', 'hv[sbr]\\.[A-Za-z0-9_-]{20,}'),
      new logs.CustomDataIdentifier('ProviderApiKey', 'sk-[A-Za-z0-9_-]{20,}'),
      new logs.CustomDataIdentifier('BearerToken', '[Bb]earer [A-Za-z0-9._~+/=-]{20,}'),
    ],
  });
}

const DECISION_LOG_FIELDS = fieldsOf<DecisionLogProps>({ blueprint: true, encryptionKey: true, retention: true });

/**
 * The log group of the gateway's decision log: one identity-chain record per request (caller,
 * workload, tenant, decision and the policies that decided it, Vault token accessor, assumed-role
 * session, model, outcome). Encrypted with a customer-managed key, kept at least 90 days, and
 * masking any secret that reaches it.
 */
export class DecisionLog extends Construct {
  /** The log group. */
  public readonly logGroup: logs.LogGroup;
  /** ARN of the log group, built from its name (without the `:*` suffix CloudFormation returns). */
  public readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: DecisionLogProps) {
    super(scope, id);
    refuseUnknownProps('DecisionLog', props, DECISION_LOG_FIELDS);
    const { blueprint } = props;
    // The plane, the one entry point, has checked the retention with every other prop.
    const retention = props.retention ?? logs.RetentionDays.ONE_YEAR;
    this.logGroup = new logs.LogGroup(this, 'Resource', {
      logGroupName: blueprint.naming.decisionLogGroupName,
      encryptionKey: props.encryptionKey,
      retention,
      dataProtectionPolicy: secretMaskingPolicy(blueprint.name),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroupArn = blueprint.naming.decisionLogGroupArn();
  }
}
