import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AuditBuckets } from './audit-buckets';
import { AuditOptions } from './audit-options';
import { AuditTrail } from './audit-trail';
import { DecisionLog } from './decision-log';
import { GatewayResourceProps } from './gateway-resource-props';
import { createGatewayKey, logsEncryptStatement } from './private/kms';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';
import { AUDIT_OPTION_FIELDS } from './private/option-fields';

/**
 * Properties of the audit sinks.
 */
export interface AuditSinksProps extends GatewayResourceProps, AuditOptions {
  /** ARN of the gateway's policy store, whose decisions the trail records. */
  readonly policyStoreArn: string;
}

const AUDIT_SINKS_FIELDS = fieldsOf<AuditSinksProps>({
  blueprint: true,
  permissionsBoundary: true,
  policyStoreArn: true,
  ...AUDIT_OPTION_FIELDS,
});

/**
 * Where everything the gateway does is recorded, out of reach of the gateway itself: a
 * CloudTrail trail into Object-Locked, replicated buckets and a log group, and the decision log,
 * all under one customer-managed key. No gateway role can delete or overwrite any of it.
 */
export class AuditSinks extends Construct {
  /** The customer-managed key of the trail, the logs and the buckets. */
  public readonly key: kms.Key;
  /** The audit buckets. */
  public readonly buckets: AuditBuckets;
  /** The trail. */
  public readonly trail: AuditTrail;
  /** The decision log. */
  public readonly decisionLog: DecisionLog;

  constructor(scope: Construct, id: string, props: AuditSinksProps) {
    super(scope, id);
    refuseUnknownProps('AuditSinks', props, AUDIT_SINKS_FIELDS);
    const { blueprint } = props;
    const naming = blueprint.naming;
    const trailArn = naming.trailArn();
    const auditArn = naming.bucketArn(naming.auditBucketName);
    const copyArn = naming.bucketArn(naming.auditReplicaBucketName);
    const replicationRoleArn = naming.roleArn(naming.auditReplicationRoleName);
    const viaS3 = `s3.${blueprint.region}.amazonaws.com`;

    this.key = createGatewayKey(this, 'Key', {
      blueprint,
      alias: naming.auditKeyAlias,
      description: `Encrypts the audit trail, logs and buckets of gateway ${blueprint.name}.`,
      statements: [
        new iam.PolicyStatement({
          sid: 'CloudTrailEncryptsThisTrail',
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceArn': trailArn },
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn },
          },
        }),
        new iam.PolicyStatement({
          sid: 'CloudTrailDescribesKey',
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['kms:DescribeKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
        }),
        logsEncryptStatement(blueprint, 'CloudWatchLogsEncryptsGatewayLogGroups', [naming.decisionLogGroupName, naming.trailLogGroupName]),
        new iam.PolicyStatement({
          sid: 'ReplicationDecryptsAuditLogs',
          principals: [new iam.ArnPrincipal(replicationRoleArn)],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'kms:ViaService': viaS3 },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [auditArn, `${auditArn}/*`] },
          },
        }),
        new iam.PolicyStatement({
          sid: 'ReplicationEncryptsCopies',
          principals: [new iam.ArnPrincipal(replicationRoleArn)],
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'kms:ViaService': viaS3 },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [copyArn, `${copyArn}/*`] },
          },
        }),
        new iam.PolicyStatement({
          // Auditors read the logs with their own IAM permissions; gateway roles have none.
          sid: 'AccountPrincipalsMayReadTrailLogsWithIamPermission',
          principals: [new iam.ArnPrincipal(naming.accountRootArn())],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } },
        }),
        new iam.PolicyStatement({
          sid: 'AccountPrincipalsMayReadLogCopiesWithIamPermission',
          principals: [new iam.ArnPrincipal(naming.accountRootArn())],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'kms:ViaService': viaS3 },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [copyArn, `${copyArn}/*`] },
          },
        }),
      ],
    });

    this.buckets = new AuditBuckets(this, 'Buckets', {
      blueprint,
      encryptionKey: this.key,
      retentionDays: props.auditRetentionDays,
      lockMode: props.auditLockMode,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      permissionsBoundary: props.permissionsBoundary,
    });
    this.trail = new AuditTrail(this, 'Trail', {
      blueprint,
      buckets: this.buckets,
      encryptionKey: this.key,
      policyStoreArn: props.policyStoreArn,
      permissionsBoundary: props.permissionsBoundary,
    });
    this.decisionLog = new DecisionLog(this, 'DecisionLog', {
      blueprint,
      encryptionKey: this.key,
      retention: props.decisionLogRetention,
    });
  }
}
