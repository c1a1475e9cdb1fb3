import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** What a gateway function that runs on a schedule or for CloudFormation needs beside it. */
export interface FunctionSupport {
  /** Where failed invocations go (a queue that is itself a dead-letter queue). */
  readonly deadLetterQueue: sqs.Queue;
  /** The function's own log group, encrypted, kept a year and retained when the stack goes. */
  readonly logGroup: logs.LogGroup;
}

/**
 * The dead-letter queue and log group of one of the gateway's own functions (the key-age check,
 * the API deployer), built the same way for each: `DeadLetterQueue` and `LogGroup` in `scope`.
 */
export function createFunctionSupport(scope: Construct, logGroupName: string, logKey: kms.IKey): FunctionSupport {
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
  });
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    logGroupName,
    encryptionKey: logKey,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { deadLetterQueue, logGroup };
}
