import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { RulePackOutcome, synthesizeUnderRulePacks } from '../support/rule-packs';

// The example's AWS plane against cdk-nag AwsSolutions, cdk-nag NIST 800-53 R5, the AWS Control
// Tower proactive controls (cfn-guard), gateward's NHI rule pack and CDK's CloudFormation
// validation, as `npm run example` runs them.

/** Synthesizes a stack of the example's account under every rule pack. */
function synthesizeWithRulePacks(build: (stack: cdk.Stack) => void): RulePackOutcome {
  return synthesizeUnderRulePacks((app) => build(new cdk.Stack(app, 'acme-llm-aws', { env: { account: exampleSpec.aws.account, region: exampleSpec.aws.region } })));
}

describe('every rule pack is active', () => {
  // A stack with textbook violations: if a pack were not wired, its findings would be missing.
  const control = synthesizeWithRulePacks((stack) => {
    new s3.Bucket(stack, 'PlainBucket');
    new iam.ManagedPolicy(stack, 'AdminPolicy', {
      document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] }),
    });
    new logs.CfnLogGroup(stack, 'OddRetention', { retentionInDays: 2 });
    // gateward's pack fails synthesis on NHI problems only (log retention is a note): a static key.
    new iam.AccessKey(stack, 'StaticKey', { user: new iam.User(stack, 'StaticUser') });
  });

  test.each(['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard', 'gateward-nhi', 'CloudFormation Validate'])('%s reports the planted violations', (plugin) => {
    expect(control.findings.filter((f) => f.plugin.startsWith(plugin)).length).toBeGreaterThan(0);
  });

  test('synthesis fails on them', () => {
    expect(control.threw).toContain('AwsSolutions-S1');
    expect(control.threw).toContain('gateward-nhi::NHI-LONG-LIVED-IAM-CREDENTIALS');
  });
});

describe('the example gateway', () => {
  const outcome = synthesizeWithRulePacks((stack) => { buildAwsPlane(stack, exampleSpec); });

  test('has no unacknowledged finding in any rule pack, and synthesizes', () => {
    expect(outcome.findings).toEqual([]);
    expect(outcome.threw).toBeUndefined();
  });

  // Each acknowledgement is a finding that does not apply, or a form AWS offers nothing narrower
  // than, with the reason on the one construct it is about. Everything else is fixed.
  test('acknowledges only findings that do not apply, each on one construct, for one rule, with a specific reason', () => {
    // Each tenant's cell lives in its cell stack (support in cells-232, research in cells-204).
    const CELL_STACKS: Record<string, string> = { support: 'acme-llm-aws-cells-232', research: 'acme-llm-aws-cells-204' };
    // Per router cell: its role's log streams and network interfaces, and its function and method. The
    // function's security group comes from the shared stack (an import cfn-guard cannot follow).
    const perCell = (tenant: string) => [
      [`/${CELL_STACKS[tenant]}/Plane/Tenant-${tenant}/Router/Permissions`, `AwsSolutions-IAM5[Resource::arn:aws:logs:us-east-1:111122223333:log-group:/gateward/acme-llm/decisions:log-stream:*/acme-llm-${tenant}-router[*]`],
      [`/${CELL_STACKS[tenant]}/Plane/Tenant-${tenant}/Router/Permissions`, 'AwsSolutions-IAM5[Resource::arn:aws:ec2:us-east-1:111122223333:network-interface/*]'],
      [`/${CELL_STACKS[tenant]}/Plane/Tenant-${tenant}/Router/Permissions`, 'AwsSolutions-IAM5[Resource::*]'],
      [`/${CELL_STACKS[tenant]}/Gateway/Tenant-${tenant}/Router/Resource`, 'Annotation::NIST.800.53.R5-LambdaDLQ'],
      [`/${CELL_STACKS[tenant]}/Gateway/Tenant-${tenant}/Router/Resource`, 'cdk-validator-cfnguard::lambda_inside_vpc_check'],
      [`/${CELL_STACKS[tenant]}/Gateway/Api/Resource/Default/v1/tenants/${tenant}/chat/POST`, 'Annotation::AwsSolutions-COG4'],
    ];
    // Per cell stack: the stage of its API.
    const perCellStack = (stackName: string) => [
      [`/${stackName}/Gateway/Api/Resource/DeploymentStage.live`, 'Annotation::NIST.800.53.R5-APIGWCacheEnabledAndEncrypted'],
      [`/${stackName}/Gateway/Api/Resource/DeploymentStage.live`, 'Annotation::NIST.800.53.R5-APIGWSSLEnabled'],
    ];
    expect(outcome.acknowledgements.map((a) => [a.path, a.rule]).sort()).toEqual([
      ...perCell('support'),
      ...perCell('research'),
      ...perCellStack(CELL_STACKS.support),
      ...perCellStack(CELL_STACKS.research),
      // One pattern over the router role names, for any number of cells.
      ['/acme-llm-aws/Gateway/VaultAuthVerifier/Permissions', 'AwsSolutions-IAM5[Resource::arn:aws:iam::111122223333:role/acme-llm-*-router]'],
      // One pattern over the path that holds the target roles alone, for any number of tenants.
      ['/acme-llm-aws/Gateway/Broker/Permissions', 'AwsSolutions-IAM5[Resource::arn:aws:iam::111122223333:role/gateward/acme-llm/targets/*]'],
      ['/acme-llm-aws/Gateway/Audit/Buckets/CopyBucket', 'Annotation::NIST.800.53.R5-S3BucketReplicationEnabled'],
      // The API deployer: deployments of the APIs carrying the gateway's tag (their ids are generated
      // after the deployer exists), its log streams, and no VPC (it only calls API Gateway's management API).
      ['/acme-llm-aws/LlmGateway/ApiDeployer/RolePermissions', 'AwsSolutions-IAM5[Resource::arn:aws:apigateway:us-east-1::/restapis/*/deployments]'],
      ['/acme-llm-aws/LlmGateway/ApiDeployer/RolePermissions', 'AwsSolutions-IAM5[Resource::arn:aws:apigateway:us-east-1::/restapis/*/deployments/*]'],
      ['/acme-llm-aws/LlmGateway/ApiDeployer/RolePermissions', 'AwsSolutions-IAM5[Resource::arn:aws:logs:us-east-1:111122223333:log-group:/gateward/acme-llm/api-deployer:log-stream:*]'],
      ['/acme-llm-aws/LlmGateway/ApiDeployer/Function', 'Annotation::NIST.800.53.R5-LambdaInsideVPC'],
    ].sort());
    for (const acknowledgement of outcome.acknowledgements) {
      expect(acknowledgement.path).not.toMatch(/^\/acme-llm-aws(-cells-\d{3})?$/);
      expect(acknowledgement.reason.length).toBeGreaterThan(80);
    }
  });
});
