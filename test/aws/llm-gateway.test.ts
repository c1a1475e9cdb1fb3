import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  GatewayAwsPlane, GatewayBlueprint, GatewaySpec, LlmGateway, LlmGatewayProps, ProviderKeyRotation, RouterFunction, VaultConnection,
  VaultServerIdentity,
} from '../../src';
import { routerRoutes } from '../../src/aws/private/router-routes-builder';
import { ROUTES_FILE } from '../../src/contract/router-routes';
import { routerDeployment, synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const RESEARCH_AGENT = 'arn:aws:iam::111122223333:role/research-agent';
const synthesized = synthesizeAwsPlane();
const template = synthesized.template;
const json = template.toJSON();

const only = <T>(found: Record<string, T>): T => {
  const values = Object.values(found);
  if (values.length !== 1) throw new Error(`expected one, found ${values.length}`);
  return values[0];
};
const deployed = routerDeployment(synthesized);

/** A stack with the example plane and a gateway with `props` (a VPC of its own unless given). */
function gatewayWith(props: Partial<LlmGatewayProps> = {}, spec: GatewaySpec = exampleSpec): Template {
  const stack = new cdk.Stack(new cdk.App(), 'gw', { env: { account: spec.aws.account, region: spec.aws.region } });
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${spec.aws.account}:role/vault`),
    providerKeyRotation: Object.fromEntries((spec.tenants ?? []).flatMap((t) => (t.providerKeys ?? []).map((k) => [`${t.id}/${k.id}`, ProviderKeyRotation.manual()]))),
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'], publicSubnetIds: ['subnet-0123456789abcdef9'],
  });
  new LlmGateway(stack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')), ...props });
  return Template.fromStack(stack);
}

describe('the API accepts only IAM-signed calls from the listed workload roles', () => {
  const api = () => only(template.findResources('AWS::ApiGateway::RestApi')) as any;

  test('every method requires AWS_IAM authorization', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as any[];
    expect(methods.map((m) => [m.Properties.HttpMethod, m.Properties.AuthorizationType])).toEqual([['POST', 'AWS_IAM']]);
  });

  test('the resource policy lets in exactly the active workload roles and denies everyone else', () => {
    const [allow, deny] = api().Properties.Policy.Statement;
    expect(allow).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke', Principal: { AWS: [SUPPORT_BOT, RESEARCH_AGENT] }, Resource: 'execute-api:/live/POST/v1/chat' });
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { ArnNotEquals: { 'aws:PrincipalArn': [SUPPORT_BOT, RESEARCH_AGENT] } } });
  });

  describe('as the IAM simulator evaluates it', () => {
    const world = new IamWorld(json, { account: ACCOUNT, region: REGION });
    // API Gateway expands `execute-api:/` in its resource policy to the API's own ARN.
    const apiId = 'a1b2c3d4e5';
    const prefix = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/`;
    const resourcePolicy = JSON.parse(JSON.stringify(api().Properties.Policy).split('execute-api:/').join(prefix));
    const chat = `${prefix}live/POST/v1/chat`;
    const mayInvoke = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] };
    const decide = (principalArn: string, resource = chat) => world.decide({
      principalArn, identityPolicies: [mayInvoke], action: 'execute-api:Invoke', resource, resourcePolicy,
    });

    test.each([
      ['a listed workload in another account', SUPPORT_BOT, chat, 'Allowed'],
      ['a listed workload in the gateway account', RESEARCH_AGENT, chat, 'Allowed'],
      ['an unlisted role of the gateway account, even with its own permission', `arn:aws:iam::${ACCOUNT}:role/acme-admin`, chat, 'ExplicitlyDenied'],
      ['an unlisted role of a workload account', 'arn:aws:iam::444455556666:role/other-app', chat, 'ExplicitlyDenied'],
      ['a listed workload on another method', SUPPORT_BOT, `${prefix}live/GET/v1/chat`, 'ImplicitlyDenied'],
    ])('%s: %s', async (_what, principal, resource, decision) => {
      expect(await decide(principal, resource)).toBe(decision);
    });

    test('a suspended workload is no longer let in', async () => {
      const suspended = gatewayWith({}, { ...exampleSpec, suspended: { workloads: ['support-bot'] } });
      const policy = (only(suspended.findResources('AWS::ApiGateway::RestApi')) as any).Properties.Policy;
      const expanded = JSON.parse(JSON.stringify(policy).split('execute-api:/').join(prefix));
      expect(policy.Statement[0].Principal.AWS).toEqual(RESEARCH_AGENT);
      expect(await world.decide({ principalArn: SUPPORT_BOT, identityPolicies: [mayInvoke], action: 'execute-api:Invoke', resource: chat, resourcePolicy: expanded }))
        .toBe('ExplicitlyDenied');
    });
  });

  test('bodies are validated against the chat request schema before the router runs', () => {
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ $schema: 'http://json-schema.org/draft-04/schema#', required: ['modelId', 'messages'] }),
    });
  });

  test('only the deployed stage may invoke the router, named by account and method', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } })) as any[];
    expect(permissions).toHaveLength(1);
    expect(permissions[0].Properties.SourceAccount).toBe(ACCOUNT);
    expect(JSON.stringify(permissions[0].Properties.SourceArn)).toContain('/POST/v1/chat');
  });

  test('the stage is throttled, traced, access-logged to the decision log, and never logs bodies', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'live',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('GatewayAuditDecisionLog'), 'Arn'] } },
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false, LoggingLevel: 'ERROR', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
  });

  test('a WAF web ACL rate-limits each source, keeps no samples and logs without signatures or tokens', () => {
    const acl = only(template.findResources('AWS::WAFv2::WebACL')) as any;
    expect(acl.Properties.Rules[0].Statement.RateBasedStatement).toEqual({ Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
    const visibility = [acl.Properties.VisibilityConfig, ...acl.Properties.Rules.map((r: any) => r.VisibilityConfig)];
    expect(visibility.map((v: any) => v.SampledRequestsEnabled)).toEqual([false, false, false, false]);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: Match.anyValue() });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:aws-waf-logs-acme-llm`],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-amz-security-token' } }],
    });
  });
});

describe('the router function', () => {
  test('runs as the plane\'s router role, on the latest Node.js runtime, in private subnets, with reserved concurrency', () => {
    const fn = deployed.properties;
    expect(fn.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GatewayRouter/), 'Arn'] });
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.VpcConfig.SubnetIds).toEqual(['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002']);
    expect(fn.ReservedConcurrentExecutions).toBe(20);
    expect(fn.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/^GatewayAuditDecisionLog/) } });
  });

  test('its role may manage network interfaces in its own VPC only, and still holds no model, key or role access', async () => {
    const world = new IamWorld(json, { account: ACCOUNT, region: REGION });
    const eni = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;
    const inVpc = (vpc: string) => ({ 'ec2:Vpc': `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${vpc}` });
    const router = 'acme-llm-router';
    expect(await world.decide({ role: router, action: 'ec2:DeleteNetworkInterface', resource: eni, context: inVpc('vpc-0a1b2c3d4e5f60718') })).toBe('Allowed');
    expect(await world.decide({ role: router, action: 'ec2:DeleteNetworkInterface', resource: eni, context: inVpc('vpc-0ther') })).toBe('ImplicitlyDenied');
    expect(await world.decide({ role: router, action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0a1b2c3d4e5f60001` }))
      .toBe('Allowed');
    expect(await world.decide({ role: router, action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0ther` }))
      .toBe('ImplicitlyDenied');
    for (const [action, resource] of [
      ['bedrock:InvokeModel', `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0`],
      ['secretsmanager:GetSecretValue', world.secretArn('gateward/acme-llm/research/openai')],
      ['sts:AssumeRole', world.roleArn('acme-llm-support-models')],
      ['lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-router`],
    ]) {
      expect(await world.decide({ role: router, action, resource })).toBe('ImplicitlyDenied');
    }
  });

  test('receives names and addresses only: no secret in its environment', () => {
    const env = deployed.properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual([
      // The gateway's own interface endpoints, by their DNS names (private DNS is off).
      'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS',
      'GATEWARD_POLICY_STORE_ID', 'GATEWARD_VAULT_ADDR', 'GATEWARD_VAULT_AUTH_MOUNT', 'GATEWARD_VAULT_AUTH_ROLE', 'GATEWARD_VAULT_SERVER_ID',
    ]);
    expect(env).toMatchObject({
      GATEWARD_VAULT_ADDR: 'https://vault.acme.example:8200',
      GATEWARD_VAULT_AUTH_MOUNT: 'acme-llm/aws',
      GATEWARD_VAULT_AUTH_ROLE: 'router',
      GATEWARD_VAULT_SERVER_ID: 'vault.acme.example',
      GATEWARD_POLICY_STORE_ID: { 'Fn::GetAtt': [expect.stringMatching(/^GatewayPolicyStore/), 'PolicyStoreId'] },
    });
  });

  test('ships the bundle and the routing table derived from the spec, with nothing secret in it', () => {
    const dir = deployed.codeDirectory;
    expect(fs.readdirSync(dir).sort()).toEqual([ROUTES_FILE, 'index.js']);
    const routes = JSON.parse(fs.readFileSync(path.join(dir, ROUTES_FILE), 'utf-8'));
    expect(routes).toEqual(routerRoutes(GatewayBlueprint.fromSpec(exampleSpec)));
    // Each tenant's guardrails, with the version it is held to when the spec gives one.
    expect(routes.tenants.map((t: any) => [t.id, t.guardrails])).toEqual([
      ['support', [{ id: 'gr0support1', arn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/gr0support1`, version: '1' }]],
      ['research', [{ id: 'gr0research1', arn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/gr0research1` }]],
    ]);
    expect(fs.readFileSync(path.join(dir, 'index.js'))).toEqual(fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'runtime', 'handler', 'index.js')));
  });

  test('reaches Vault, the AWS endpoints and the providers, and nothing else', () => {
    const groups = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Router of gateway') } });
    const router = only(groups) as any;
    expect(router.Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '10.50.0.0/16', Description: 'Vault API', FromPort: 8200, IpProtocol: 'tcp', ToPort: 8200 },
      { CidrIp: '0.0.0.0/0', Description: 'Model providers', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 443, ToPort: 443, DestinationSecurityGroupId: Match.anyValue() });
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties.ServiceName).sort();
    expect(endpoints).toEqual(['com.amazonaws.us-east-1.bedrock-runtime', 'com.amazonaws.us-east-1.secretsmanager', 'com.amazonaws.us-east-1.verifiedpermissions']);
  });

  test('without provider keys there is no provider egress and no Secrets Manager endpoint', () => {
    const spec: GatewaySpec = { ...exampleSpec, tenants: exampleSpec.tenants.map((t) => ({ ...t, providerKeys: undefined })) };
    const t = gatewayWith({}, spec);
    const router = only(t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Router of gateway') } })) as any;
    expect(router.Properties.SecurityGroupEgress.map((r: any) => r.Description)).toEqual(['Vault API']);
    expect(Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties.ServiceName)).not.toContain('com.amazonaws.us-east-1.secretsmanager');
  });

  test('with the VPC\'s own endpoints, reaches them on the VPC\'s range', () => {
    const t = gatewayWith({ createInterfaceEndpoints: false });
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    // The VPC's endpoints answer on the services' own names: no endpoint URL is set.
    const fn = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'acme-llm-router' } }))[0] as any;
    expect(Object.keys(fn.Properties.Environment.Variables).filter((k) => k.startsWith('AWS_ENDPOINT_URL_'))).toEqual([]);
    const router = only(t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Router of gateway') } })) as any;
    expect(router.Properties.SecurityGroupEgress).toContainEqual({ CidrIp: '10.0.0.0/16', Description: 'AWS service endpoints of the VPC', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 });
  });
});

test('invalid props fail synthesis with every problem at once', () => {
  const noVault: GatewaySpec = { ...exampleSpec, vault: undefined };
  expect(() => gatewayWith({
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    reservedConcurrency: 0,
    wafRateLimit: 5,
    providerEndpoints: { openai: 'http://api.openai.com/v1' },
  }, noVault)).toThrow([
    'LlmGateway is invalid (5 problems):',
    '  - plane.spec.vault: the router logs in to Vault, so the spec must name the Vault server (got (missing)). Fix: add spec.vault: { address: "https://vault.example.com:8200", ... }.',
    '  - props.vpcSubnets: the router must run in private subnets, and these are public (got [1 item]). Fix: select PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets.',
    '  - props.reservedConcurrency: reserved concurrency is a whole number from 1 to 1000 (got 0). Fix: set a whole number from 1 to 1000.',
    '  - props.providerEndpoints["openai"]: the router sends provider keys to this endpoint, so it must be HTTPS (got "http://api.openai.com/v1"). Fix: use an https:// base URL.',
    '  - props.wafRateLimit: the WAF rate limit is a whole number from 10 to 2000000000 (got 5). Fix: set a whole number from 10 to 2000000000.',
  ].join('\n'));
});

test('a VPC without the default private subnets is named, not a stack trace from the selection', () => {
  const stack = new cdk.Stack(new cdk.App(), 'gw', { env: { account: ACCOUNT, region: REGION } });
  const plane = buildAwsPlane(new cdk.Stack(new cdk.App(), 'p', { env: { account: ACCOUNT, region: REGION } }), exampleSpec);
  const isolated = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef1'] });
  expect(() => new RouterFunction(stack, 'Router', {
    blueprint: plane.blueprint,
    routerRole: plane.routerRole,
    decisionLog: plane.decisionLog,
    policyStoreId: 'PS1',
    vpc: isolated,
    vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')),
    providerEndpoints: { openai: 'http://insecure.example' },
  })).toThrow([
    'RouterFunction is invalid (2 problems):',
    '  - props.vpcSubnets: the VPC has no subnets of this selection for the router (got "Private"). Fix: pass vpcSubnets that select the VPC\'s private subnets, e.g. { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }.',
    '  - props.providerEndpoints["openai"]: the router sends provider keys to this endpoint, so it must be HTTPS (got "http://insecure.example"). Fix: use an https:// base URL.',
  ].join('\n'));
});

test('the example builds the gateway with its plane', () => {
  const stack = new cdk.Stack(new cdk.App(), 's', { env: { account: ACCOUNT, region: REGION } });
  buildAwsPlane(stack, exampleSpec);
  expect(stack.node.tryFindChild('LlmGateway')).toBeInstanceOf(LlmGateway);
});
