import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * How S3 Object Lock protects the audit logs.
 */
export enum AuditLockMode {
  /** Nobody, including the account root user, can delete or shorten the retention of a log. */
  COMPLIANCE = 'COMPLIANCE',
  /** Principals with `s3:BypassGovernanceRetention` can delete logs early; the gateway roles never have it. */
  GOVERNANCE = 'GOVERNANCE',
}

/**
 * How the gateway keeps its audit records: shared by the AWS plane and the audit sinks.
 */
export interface AuditOptions {
  /**
   * How long audit log objects are locked against deletion, in days. At least 90.
   *
   * @default 365
   */
  readonly auditRetentionDays?: number;

  /**
   * The Object Lock mode of the audit buckets.
   *
   * @default AuditLockMode.COMPLIANCE
   */
  readonly auditLockMode?: AuditLockMode;

  /**
   * How long the decision log keeps records. At least 90 days, and finite.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly decisionLogRetention?: logs.RetentionDays;

  /**
   * Your account's S3 server access log bucket, in the gateway's account and region.
   *
   * @default - the gateway creates one, which S3 requires to use SSE-S3 and no Object Lock
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}
