import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GatewayBlueprint } from '../spec';
import { AuditLockMode } from './audit-options';
import { GatewayResourceProps } from './gateway-resource-props';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';

/** The shortest audit retention allowed. */
export const MIN_AUDIT_RETENTION_DAYS = 90;

/**
 * Properties of the audit buckets.
 */
export interface AuditBucketsProps extends GatewayResourceProps {
  /** The key the buckets are encrypted with. Its policy must let CloudTrail and the replication role use it. */
  readonly encryptionKey: kms.IKey;

  /**
   * How long every log object is locked against deletion and overwrite, in days. At least 90.
   *
   * @default 365
   */
  readonly retentionDays?: number;

  /**
   * The Object Lock mode.
   *
   * @default AuditLockMode.COMPLIANCE
   */
  readonly lockMode?: AuditLockMode;

  /**
   * The bucket that receives the S3 server access logs of the audit buckets: your account's
   * access-log bucket, in the same account and region (S3 requires that, and requires the target
   * to use SSE-S3 without Object Lock, so a log bucket cannot meet the audit buckets' own rules).
   *
   * @default - the gateway creates one; cfn-guard then reports its SSE-S3 encryption and missing Object Lock, which S3 requires
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

const AUDIT_BUCKETS_FIELDS = fieldsOf<AuditBucketsProps>({
  blueprint: true, permissionsBoundary: true, encryptionKey: true, retentionDays: true, lockMode: true, serverAccessLogsBucket: true,
});

/**
 * The S3 side of the audit sink: the bucket CloudTrail delivers to and a copy bucket it is
 * replicated to, both versioned, locked with S3 Object Lock, encrypted with a customer-managed
 * key, closed to the public, TLS-only, access-logged, and closed to deletion and overwrite by
 * anyone: only CloudTrail and the replication role write, and nobody deletes.
 */
export class AuditBuckets extends Construct {
  /** The bucket CloudTrail delivers to. */
  public readonly auditBucket: s3.Bucket;
  /** The bucket holding the replicated copy of the audit logs. */
  public readonly copyBucket: s3.Bucket;
  /** The bucket receiving the server access logs of both. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The role S3 replicates with. */
  public readonly replicationRole: iam.Role;

  private readonly blueprint: GatewayBlueprint;

  constructor(scope: Construct, id: string, props: AuditBucketsProps) {
    super(scope, id);
    refuseUnknownProps('AuditBuckets', props, AUDIT_BUCKETS_FIELDS);
    const { blueprint } = props;
    this.blueprint = blueprint;
    const naming = blueprint.naming;
    const retentionDays = props.retentionDays ?? 365;
    const lock = (props.lockMode ?? AuditLockMode.COMPLIANCE) === AuditLockMode.COMPLIANCE
      ? s3.ObjectLockRetention.compliance(Duration.days(retentionDays))
      : s3.ObjectLockRetention.governance(Duration.days(retentionDays));
    const auditArn = naming.bucketArn(naming.auditBucketName);
    const copyArn = naming.bucketArn(naming.auditReplicaBucketName);

    this.accessLogsBucket = props.serverAccessLogsBucket ?? this.createAccessLogsBucket(blueprint, retentionDays);

    const replication = createGatewayRole(this, {
      roleName: naming.auditReplicationRoleName,
      managedPolicyName: naming.managedPolicyName(naming.auditReplicationRoleName),
      description: `S3 replication of gateway ${blueprint.name}'s audit logs into their copy bucket.`,
      assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('s3.amazonaws.com'), {
        StringEquals: { 'aws:SourceAccount': blueprint.account },
        ArnEquals: { 'aws:SourceArn': auditArn },
      }),
      position: 'service',
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadReplicationConfiguration',
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [auditArn],
        }),
      ],
    }, 'ReplicationRole');
    this.replicationRole = replication.role;

    this.copyBucket = this.createLockedBucket('CopyBucket', naming.auditReplicaBucketName, props.encryptionKey, lock, 'audit-copy/');
    this.auditBucket = this.createLockedBucket('AuditBucket', naming.auditBucketName, props.encryptionKey, lock, 'audit/');
    const auditCfn = this.auditBucket.node.defaultChild as s3.CfnBucket;
    auditCfn.replicationConfiguration = {
      role: this.replicationRole.roleArn,
      rules: [{
        id: 'copy-audit-logs',
        status: 'Enabled',
        priority: 1,
        filter: { prefix: '' },
        deleteMarkerReplication: { status: 'Disabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: { bucket: copyArn, encryptionConfiguration: { replicaKmsKeyId: props.encryptionKey.keyArn } },
      }],
    };
    // S3 checks that a replication destination exists: the copy bucket first.
    auditCfn.addResourceDependency(this.copyBucket.node.defaultChild as s3.CfnBucket);

    // Object-level grants live on the buckets, which own them: replication reads every version
    // of the audit bucket and writes every object of the copy bucket, so "/*" is the narrowest form.
    this.auditBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ReplicationReadsAuditLogs',
      principals: [new iam.ArnPrincipal(this.replicationRole.roleArn)],
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
      resources: [`${auditArn}/*`],
    }));
    this.copyBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ReplicationWritesCopies',
      principals: [new iam.ArnPrincipal(this.replicationRole.roleArn)],
      actions: ['s3:ReplicateObject', 's3:ReplicateTags'],
      resources: [`${copyArn}/*`],
    }));
    Validations.of(this.copyBucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'The copy bucket is the replication destination of the audit bucket; replicating the copy back would need a second deployment (S3 checks that a destination exists) and adds no durability.',
    });
  }

  /**
   * Grants CloudTrail delivery into the audit bucket for one trail (scoped by its ARN).
   */
  public allowTrailDelivery(trailArn: string): void {
    const auditArn = this.auditBucket.bucketArn;
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.auditBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailChecksBucketAcl',
      principals: [principal],
      actions: ['s3:GetBucketAcl'],
      resources: [auditArn],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }));
    this.auditBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailDeliversLogs',
      principals: [principal],
      actions: ['s3:PutObject'],
      // CloudTrail writes under this fixed prefix only.
      resources: [`${auditArn}/AWSLogs/${this.blueprint.account}/*`],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    }));
  }

  private createLockedBucket(id: string, bucketName: string, key: kms.IKey, lock: s3.ObjectLockRetention, logPrefix: string): s3.Bucket {
    const bucket = new s3.Bucket(this, id, {
      bucketName,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: lock,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      // CloudTrail encrypts each log file with the trail key itself; no bucket key in between.
      bucketKeyEnabled: false,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    cfn.loggingConfiguration = { destinationBucketName: this.accessLogsBucket.bucketName, logFilePrefix: logPrefix };
    // Object-created events go to EventBridge, where alerting on unexpected writes can subscribe.
    cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'NobodyDeletesAuditLogs',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention', 's3:PutObjectRetention', 's3:PutObjectLegalHold'],
      resources: [bucket.arnForObjects('*')],
    }));
    return bucket;
  }

  private createAccessLogsBucket(blueprint: GatewayBlueprint, retentionDays: number): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      bucketName: blueprint.naming.accessLogBucketName,
      versioned: true,
      // S3 delivers server access logs only to SSE-S3 buckets without Object Lock.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(retentionDays), noncurrentVersionExpiration: Duration.days(1) }],
    });
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    // The log bucket logs its own access under a prefix of its own (granted by policy, not ACL).
    cfn.loggingConfiguration = { logFilePrefix: 'access-logs-bucket/' };
    cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    const naming = blueprint.naming;
    const sources = [naming.auditBucketName, naming.auditReplicaBucketName, naming.accessLogBucketName]
      .map((name) => naming.bucketArn(name));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3DeliversAccessLogs',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:SourceAccount': blueprint.account }, ArnEquals: { 'aws:SourceArn': sources } },
    }));
    const reason = 'S3 delivers server access logs only to a bucket in the same account and region that uses SSE-S3 and no Object Lock; pass serverAccessLogsBucket to use your account\'s access-log bucket instead.';
    Validations.of(bucket).acknowledge(
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: `${reason} Access logs are not audit records and are not replicated.` },
    );
    return bucket;
  }
}
