import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AuditBuckets } from './audit-buckets';
import { GatewayResourceProps } from './gateway-resource-props';
import { createGatewayRole } from './private/gateway-role';
import { fieldsOf, refuseUnknownProps } from './private/known-fields';

/**
 * Properties of the audit trail.
 */
export interface AuditTrailProps extends GatewayResourceProps {
  /** The buckets the trail delivers to. */
  readonly buckets: AuditBuckets;

  /** The key that encrypts the trail's log files and its log group. */
  readonly encryptionKey: kms.IKey;

  /** ARN of the gateway's policy store, whose authorization decisions are logged as data events. */
  readonly policyStoreArn: string;

  /**
   * How long the trail's log group keeps events.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

const AUDIT_TRAIL_FIELDS = fieldsOf<AuditTrailProps>({
  blueprint: true, permissionsBoundary: true, buckets: true, encryptionKey: true, policyStoreArn: true, logRetention: true,
});

/**
 * A CloudTrail trail for the gateway's account and region, with log-file validation and a
 * customer-managed key, delivering to the Object-Locked audit bucket and to a CloudWatch log
 * group. Besides all management events (which include every `AssumeRole` with its session tags,
 * every `GetSecretValue` and every Bedrock `InvokeModel`), it records as data events every
 * authorization decision of the gateway's policy store and every object read or write in the
 * audit buckets.
 */
export class AuditTrail extends Construct {
  /** The trail. */
  public readonly resource: cloudtrail.CfnTrail;
  /** The log group the trail delivers to. */
  public readonly logGroup: logs.LogGroup;
  /** The role CloudTrail delivers to the log group with. */
  public readonly deliveryRole: iam.Role;
  /** The trail's ARN, built from its name. */
  public readonly trailArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    refuseUnknownProps('AuditTrail', props, AUDIT_TRAIL_FIELDS);
    const { blueprint, buckets } = props;
    const naming = blueprint.naming;
    this.trailArn = naming.trailArn();

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: naming.trailLogGroupName,
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudTrail names the stream of a single-account, single-region trail <account>_CloudTrail_<region>.
    const streamArn = naming.logStreamArn(naming.trailLogGroupName, `${blueprint.account}_CloudTrail_${blueprint.region}`);
    const delivery = createGatewayRole(this, {
      roleName: naming.trailDeliveryRoleName,
      managedPolicyName: naming.managedPolicyName(naming.trailDeliveryRoleName),
      description: `CloudTrail delivery of gateway ${blueprint.name}'s trail into its CloudWatch log group.`,
      // Only this trail, in this account: without the conditions a trail of any account could
      // deliver through the role (the confused deputy).
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceArn': this.trailArn, 'aws:SourceAccount': blueprint.account } },
      }),
      position: 'service',
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        new iam.PolicyStatement({
          sid: 'DeliverTrailEvents',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [streamArn],
        }),
      ],
    }, 'DeliveryRole');
    this.deliveryRole = delivery.role;

    buckets.allowTrailDelivery(this.trailArn);
    const objectArn = (bucket: string) => `${naming.bucketArn(bucket)}/`;
    this.resource = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: naming.trailName,
      isLogging: true,
      s3BucketName: buckets.auditBucket.bucketName,
      kmsKeyId: props.encryptionKey.keyArn,
      enableLogFileValidation: true,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: false,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: this.deliveryRole.roleArn,
      advancedEventSelectors: [
        {
          name: 'All management events',
          fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
        },
        {
          name: 'Authorization decisions of the gateway policy store',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::VerifiedPermissions::PolicyStore'] },
            { field: 'resources.ARN', equalTo: [props.policyStoreArn] },
          ],
        },
        {
          name: 'Every object access to the audit buckets',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
            { field: 'resources.ARN', startsWith: [objectArn(naming.auditBucketName), objectArn(naming.auditReplicaBucketName)] },
          ],
        },
      ],
    });
    // Delivery starts at creation: the bucket policy and the role's permissions must exist first.
    const bucketPolicy = buckets.auditBucket.policy?.node.defaultChild as CfnResource | undefined;
    if (bucketPolicy) this.resource.addResourceDependency(bucketPolicy);
    this.resource.addResourceDependency(delivery.permissions.node.defaultChild as iam.CfnManagedPolicy);
  }
}
