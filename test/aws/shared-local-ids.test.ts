import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewaySpec, LlmGateway, ProviderKeyRotation, TenantSpec, VaultConnection, VaultServerIdentity } from '../../src';
import { gatewayStackTemplates, mergedGatewayTemplate } from '../support/aws-example';

// Ids of keys, stores, tools and models are unique only within a tenant. Every id the gateway
// derives from them, for a construct or a physical name, must still be unique across it.

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

function tenant(id: string): TenantSpec {
  return {
    id,
    workloads: [{ id: `${id}-bot`, roleArn: `arn:aws:iam::${ACCOUNT}:role/${id}-bot` }],
    foundationModels: ['anthropic.claude-3-5-haiku-20241022-v1:0'],
    inferenceProfiles: [{ id: 'us.anthropic.claude-sonnet-4-20250514-v1:0', destinationRegions: ['us-east-1', 'us-east-2'] }],
    providerKeys: [{ id: 'openai', provider: 'openai' }, { id: 'backup', provider: 'openai' }],
    dataStores: [{ id: 'kb', host: 'kb.example.internal', database: 'kb', schema: id }],
    tools: ['search'],
  };
}

const spec: GatewaySpec = { ...exampleSpec, tenants: [tenant('alpha'), tenant('beta'), tenant('gamma')] };

function synthesize(): Template {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'shared-ids', { env: { account: ACCOUNT, region: REGION } });
  // One rotation function serves every tenant's `openai` key; `backup` keys are rotated by hand.
  const rotator = lambda.Function.fromFunctionAttributes(stack, 'Rotator', {
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:openai-rotation`,
    role: iam.Role.fromRoleArn(stack, 'RotatorRole', `arn:aws:iam::${ACCOUNT}:role/openai-rotation`, { mutable: false }),
    sameEnvironment: true,
  });
  const rotation = Object.fromEntries(spec.tenants.flatMap((t) => [
    [`${t.id}/openai`, ProviderKeyRotation.withFunction(rotator)],
    [`${t.id}/backup`, ProviderKeyRotation.manual()],
  ]));
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/vault`),
    providerKeyRotation: rotation,
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'],
  });
  new LlmGateway(stack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')) });
  // The tenants' cells are spread over cell stacks: every stack of the gateway, as one template.
  return Template.fromJSON(mergedGatewayTemplate(Object.values(gatewayStackTemplates(app, plane))));
}

const PHYSICAL_NAMES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
};

describe('three tenants that share every local id', () => {
  let template: Template;
  test('synthesize as one gateway', () => {
    template = synthesize();
  });

  test('get one key-age alarm per manually rotated key', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'KeyAgeDays' } })) as any[];
    const secrets = alarms.map((a) => a.Properties.Dimensions.find((d: { Name: string }) => d.Name === 'SecretName').Value).sort();
    expect(secrets).toEqual(['gateward/acme-llm/alpha/backup', 'gateward/acme-llm/beta/backup', 'gateward/acme-llm/gamma/backup']);
  });

  test('let Secrets Manager invoke the shared rotation function once for each key it rotates', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'secretsmanager.amazonaws.com' } })) as any[];
    expect(permissions).toHaveLength(3);
    expect(new Set(permissions.map((p) => JSON.stringify(p.Properties.SourceArn))).size).toBe(3);
  });

  test('get a distinct physical name for every named resource', () => {
    const names: string[] = [];
    for (const [type, property] of Object.entries(PHYSICAL_NAMES)) {
      for (const resource of Object.values(template.findResources(type)) as any[]) {
        const name = resource.Properties?.[property];
        if (name !== undefined) names.push(`${type} ${JSON.stringify(name)}`);
      }
    }
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});
