import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * A Bedrock proxy shaped like the public gateways the rule pack is meant for: one Lambda whose
 * role may call `bedrock:*` on `*`, callers sharing one bearer key (kept in a secret without
 * rotation, and in the function's environment as the legacy fallback) that callers send to its
 * public function URL, and no trail.
 */
export function buildPeerGateway(stack: cdk.Stack): void {
  const callerKey = new secretsmanager.Secret(stack, 'ApiKeySecret', { description: 'The one bearer key every caller sends' });
  const handler = new lambda.Function(stack, 'ProxyApiHandler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    environment: { API_KEY_SECRET_ARN: callerKey.secretArn, API_KEY: 'bedrock' },
  });
  handler.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:*'], resources: ['*'] }));
  callerKey.grantRead(handler);
}

/** The `[ruleId, location]` pairs the peer gateway must get, sorted. */
export const PEER_FINDINGS: Array<[string, string]> = [
  ['NHI-CFN-SECRET-LITERAL', 'BedrockProxy/ProxyApiHandler'],
  ['NHI-IAM-WILDCARD-ACTION', 'BedrockProxy/ProxyApiHandler/ServiceRole'],
  ['NHI-NO-AUDIT-TRAIL', 'BedrockProxy'],
  ['NHI-SECRET-NO-CMK', 'BedrockProxy/ApiKeySecret'],
  ['NHI-SECRET-NO-ROTATION', 'BedrockProxy/ApiKeySecret'],
  ['NHI-SHARED-CALLER-KEY', 'BedrockProxy/ProxyApiHandler'],
];

/** A CDK app holding the peer gateway as stack `BedrockProxy`, with construct paths in the template. */
export function peerGatewayApp(outdir: string, configure: (app: cdk.App) => void = () => undefined): cdk.App {
  const app = new cdk.App({ outdir, analyticsReporting: false, context: { 'aws:cdk:enable-path-metadata': true } });
  configure(app);
  buildPeerGateway(new cdk.Stack(app, 'BedrockProxy', { env: { account: '111122223333', region: 'us-east-1' } }));
  return app;
}
