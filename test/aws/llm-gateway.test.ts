import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as signer from 'aws-cdk-lib/aws-signer';
import { buildAwsPlane } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  GatewayApi, GatewayAwsPlane, GatewayBlueprint, GatewaySpec, GatewayValidationError, LlmGateway, LlmGatewayProps, ProviderKeyRotation,
  RouterCodeSigning, RouterFunction, VaultConnection, VaultServerIdentity,
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
const TENANTS = ['support', 'research'];

const only = <T>(found: Record<string, T>): T => {
  const values = Object.values(found);
  if (values.length !== 1) throw new Error(`expected one, found ${values.length}`);
  return values[0];
};
const pathOf = (resource: any): string => resource.Metadata['aws:cdk:path'];
const cells = Object.fromEntries(TENANTS.map((t) => [t, routerDeployment(synthesized, t)]));
const methodOf = (t: Template, tenant: string) => only(t.findResources('AWS::ApiGateway::Method', {
  Metadata: { 'aws:cdk:path': Match.stringLikeRegexp(`/v1/tenants/${tenant}/chat/POST/Resource$`) },
})) as any;
const functionLogicalId = (t: Template, tenant: string) => only(Object.fromEntries(Object.entries(t.findResources('AWS::Lambda::Function', {
  Properties: { FunctionName: `acme-llm-${tenant}-router` },
})).map(([id]) => [id, id])));
const routerGroups = (t: Template) => t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Router cells of gateway') } });

/** A stack with the example plane and a gateway with `props` (a VPC of its own unless given). */
interface Built { readonly stack: cdk.Stack; readonly template: Template; readonly gateway: LlmGateway }
function gatewayWith(props: Partial<LlmGatewayProps> = {}, spec: GatewaySpec = exampleSpec): Built {
  const app = new cdk.App({ context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new cdk.Stack(app, 'gw', { env: { account: spec.aws.account, region: spec.aws.region } });
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${spec.aws.account}:role/vault`),
    providerKeyRotation: Object.fromEntries((spec.tenants ?? []).flatMap((t) => (t.providerKeys ?? []).map((k) => [`${t.id}/${k.id}`, ProviderKeyRotation.manual()]))),
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'], publicSubnetIds: ['subnet-0123456789abcdef9'],
  });
  const gateway = new LlmGateway(stack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')), ...props });
  return { stack, template: Template.fromStack(stack), gateway };
}

describe('the API: one method per tenant cell, IAM-signed calls from that tenant\'s workloads only', () => {
  const api = () => only(template.findResources('AWS::ApiGateway::RestApi')) as any;

  test('one POST method per tenant with a target, at its tenant path, each requiring AWS_IAM authorization', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as any[];
    expect(methods.map((m) => [pathOf(m).replace(/^.*\/Default/, ''), m.Properties.HttpMethod, m.Properties.AuthorizationType]).sort()).toEqual([
      ['/v1/tenants/research/chat/POST/Resource', 'POST', 'AWS_IAM'],
      ['/v1/tenants/support/chat/POST/Resource', 'POST', 'AWS_IAM'],
    ]);
  });

  test.each(TENANTS)('the %s method integrates with its own cell only, named by its derived ARN, after the function exists', (tenant) => {
    const method = methodOf(template, tenant);
    expect(method.Properties.Integration).toEqual({
      Type: 'AWS_PROXY',
      IntegrationHttpMethod: 'POST',
      Uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-${tenant}-router/invocations`,
    });
    expect(method.DependsOn).toEqual([functionLogicalId(template, tenant)]);
  });

  test('each cell may be invoked by its own method of the deployed stage only, named by account', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } })) as any[];
    expect(permissions).toHaveLength(2);
    const apiId = Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0];
    const stageId = Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0];
    for (const tenant of TENANTS) {
      const permission = permissions.find((p) => p.Properties.FunctionName === `arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-${tenant}-router`);
      expect(permission.Properties).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-${tenant}-router`,
        Principal: 'apigateway.amazonaws.com',
        SourceAccount: ACCOUNT,
        SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:execute-api:${REGION}:${ACCOUNT}:`, { Ref: apiId }, '/', { Ref: stageId }, `/POST/v1/tenants/${tenant}/chat`]] },
      });
      expect(permission.DependsOn).toEqual([functionLogicalId(template, tenant)]);
    }
  });

  test('the resource policy lets each tenant\'s active workloads call their own method, and denies everyone else per tenant and overall', () => {
    expect(api().Properties.Policy.Statement).toEqual([
      { Sid: 'TenantSupportWorkloadsMayChat', Effect: 'Allow', Action: 'execute-api:Invoke', Principal: { AWS: SUPPORT_BOT }, Resource: 'execute-api:/live/POST/v1/tenants/support/chat' },
      {
        Sid: 'OnlyTenantSupportWorkloadsOnItsPaths',
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Principal: { AWS: '*' },
        Resource: 'execute-api:/*/*/v1/tenants/support/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [SUPPORT_BOT] } },
      },
      { Sid: 'TenantResearchWorkloadsMayChat', Effect: 'Allow', Action: 'execute-api:Invoke', Principal: { AWS: RESEARCH_AGENT }, Resource: 'execute-api:/live/POST/v1/tenants/research/chat' },
      {
        Sid: 'OnlyTenantResearchWorkloadsOnItsPaths',
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Principal: { AWS: '*' },
        Resource: 'execute-api:/*/*/v1/tenants/research/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [RESEARCH_AGENT] } },
      },
      {
        Sid: 'NobodyElseMayInvoke',
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Principal: { AWS: '*' },
        Resource: 'execute-api:/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [SUPPORT_BOT, RESEARCH_AGENT] } },
      },
    ]);
  });

  describe('as the IAM simulator evaluates it', () => {
    const world = new IamWorld(json, { account: ACCOUNT, region: REGION });
    // API Gateway expands `execute-api:/` in its resource policy to the API's own ARN.
    const apiId = 'a1b2c3d4e5';
    const prefix = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/`;
    const expand = (policy: unknown) => JSON.parse(JSON.stringify(policy).split('execute-api:/').join(prefix));
    const resourcePolicy = expand(api().Properties.Policy);
    const chat = (tenant: string) => `${prefix}live/POST/v1/tenants/${tenant}/chat`;
    // Each caller's own identity policy allows invoking anything: only the resource policy stands between them.
    const mayInvoke = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] };
    const decide = (principalArn: string, resource: string, policy = resourcePolicy) => world.decide({
      principalArn, identityPolicies: [mayInvoke], action: 'execute-api:Invoke', resource, resourcePolicy: policy,
    });

    test.each([
      ['a workload of tenant support (another account), on its own method', SUPPORT_BOT, chat('support'), 'Allowed'],
      ['a workload of tenant research (the gateway account), on its own method', RESEARCH_AGENT, chat('research'), 'Allowed'],
      ['a workload of tenant support, on tenant research\'s method', SUPPORT_BOT, chat('research'), 'ExplicitlyDenied'],
      ['a workload of tenant research in the gateway account, on tenant support\'s method, despite its own Invoke on *', RESEARCH_AGENT, chat('support'), 'ExplicitlyDenied'],
      ['a workload of tenant research, on any method under tenant support\'s paths', RESEARCH_AGENT, `${prefix}live/GET/v1/tenants/support/chat`, 'ExplicitlyDenied'],
      ['an unlisted role of the gateway account, even with its own permission', `arn:aws:iam::${ACCOUNT}:role/acme-admin`, chat('research'), 'ExplicitlyDenied'],
      ['an unlisted role of a workload account', 'arn:aws:iam::444455556666:role/other-app', chat('support'), 'ExplicitlyDenied'],
      ['a listed workload on another method of its own path', SUPPORT_BOT, `${prefix}live/GET/v1/tenants/support/chat`, 'ImplicitlyDenied'],
    ])('%s', async (_what, principal, resource, decision) => {
      expect(await decide(principal, resource)).toBe(decision);
    });

    test('a suspended workload is no longer let in, and its tenant\'s path is denied to everyone', async () => {
      const suspended = gatewayWith({}, { ...exampleSpec, suspended: { workloads: ['support-bot'] } }).template;
      const policy = (only(suspended.findResources('AWS::ApiGateway::RestApi')) as any).Properties.Policy;
      expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['OnlyTenantSupportWorkloadsOnItsPaths', 'TenantResearchWorkloadsMayChat', 'OnlyTenantResearchWorkloadsOnItsPaths', 'NobodyElseMayInvoke']);
      expect(policy.Statement[0].Condition).toBeUndefined();
      expect(await decide(SUPPORT_BOT, chat('support'), expand(policy))).toBe('ExplicitlyDenied');
      expect(await decide(RESEARCH_AGENT, chat('research'), expand(policy))).toBe('Allowed');
    });
  });

  test('bodies are validated against the chat request schema before the router runs', () => {
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ $schema: 'http://json-schema.org/draft-04/schema#', required: ['modelId', 'messages'] }),
    });
    for (const tenant of TENANTS) {
      expect(methodOf(template, tenant).Properties).toMatchObject({ RequestValidatorId: { Ref: expect.any(String) }, RequestModels: { 'application/json': { Ref: expect.any(String) } } });
    }
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

  test('each tenant\'s URL is its own method\'s, and asking for a tenant without a cell names the ones with one', () => {
    const { gateway, stack } = gatewayWith();
    expect(Object.keys(gateway.chatUrls)).toEqual(TENANTS);
    for (const tenant of TENANTS) {
      expect(gateway.chatUrlOf(tenant)).toBe(gateway.chatUrls[tenant]);
      expect(JSON.stringify(stack.resolve(gateway.chatUrlOf(tenant)))).toContain(`/v1/tenants/${tenant}/chat`);
    }
    expect(() => gateway.chatUrlOf('nope')).toThrow(GatewayValidationError);
    expect(() => gateway.chatUrlOf('nope')).toThrow('tenantId: names no tenant of gateway "acme-llm" (got "nope"). Fix: use one of "support", "research".');
  });
});

describe('each router cell', () => {
  test.each(TENANTS)('%s runs as its own tenant\'s router role, on the latest Node.js runtime, in private subnets, with reserved concurrency', (tenant) => {
    const fn = cells[tenant].properties;
    expect(fn.FunctionName).toBe(`acme-llm-${tenant}-router`);
    expect(fn.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^GatewayTenant${tenant}Router`)), 'Arn'] });
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.VpcConfig.SubnetIds).toEqual(['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002']);
    expect(fn.ReservedConcurrentExecutions).toBe(10);
    expect(fn.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/^GatewayAuditDecisionLog/) } });
  });

  test('its role may manage network interfaces in its own VPC and security group only, and still holds no model, key or role access', async () => {
    const world = new IamWorld(json, { account: ACCOUNT, region: REGION });
    const eni = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;
    const inVpc = (vpc: string) => ({ 'ec2:Vpc': `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${vpc}` });
    const group = (tenant: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${cells[tenant].properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0]}.GroupId`;
    for (const tenant of TENANTS) {
      const router = `acme-llm-${tenant}-router`;
      const other = TENANTS.find((t) => t !== tenant)!;
      expect(await world.decide({ role: router, action: 'ec2:DeleteNetworkInterface', resource: eni, context: inVpc('vpc-0a1b2c3d4e5f60718') })).toBe('Allowed');
      expect(await world.decide({ role: router, action: 'ec2:DeleteNetworkInterface', resource: eni, context: inVpc('vpc-0ther') })).toBe('ImplicitlyDenied');
      expect(await world.decide({ role: router, action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0a1b2c3d4e5f60001` })).toBe('Allowed');
      expect(await world.decide({ role: router, action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0ther` })).toBe('ImplicitlyDenied');
      expect(await world.decide({ role: router, action: 'ec2:CreateNetworkInterface', resource: group(tenant) })).toBe('Allowed');
      expect(await world.decide({ role: router, action: 'ec2:CreateNetworkInterface', resource: group(other) })).toBe('ImplicitlyDenied');
      for (const [action, resource] of [
        ['bedrock:InvokeModel', `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0`],
        ['secretsmanager:GetSecretValue', world.secretArn('gateward/acme-llm/research/openai')],
        ['sts:AssumeRole', world.roleArn(`acme-llm-${tenant}-models`)],
        ['lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${router}`],
      ]) {
        expect(await world.decide({ role: router, action, resource })).toBe('ImplicitlyDenied');
      }
    }
  });

  test.each([
    ['support', ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS']],
    ['research', ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS']],
  ])('%s receives names and addresses only: its tenant, its Vault role, the API it serves, and the endpoints it calls', (tenant, endpoints) => {
    const env = cells[tenant].properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual([
      // The gateway's own interface endpoints, by their DNS names (private DNS is off): only those of the services the cell calls.
      ...endpoints,
      'GATEWARD_API_ID', 'GATEWARD_API_STAGE', 'GATEWARD_POLICY_STORE_ID', 'GATEWARD_TENANT',
      'GATEWARD_VAULT_ADDR', 'GATEWARD_VAULT_AUTH_MOUNT', 'GATEWARD_VAULT_AUTH_ROLE', 'GATEWARD_VAULT_SERVER_ID',
    ].sort());
    expect(env).toMatchObject({
      GATEWARD_TENANT: tenant,
      GATEWARD_API_ID: { Ref: Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0] },
      GATEWARD_API_STAGE: 'live',
      GATEWARD_VAULT_ADDR: 'https://vault.acme.example:8200',
      GATEWARD_VAULT_AUTH_MOUNT: 'acme-llm/aws',
      GATEWARD_VAULT_AUTH_ROLE: `router-${tenant}`,
      GATEWARD_VAULT_SERVER_ID: 'vault.acme.example',
      GATEWARD_POLICY_STORE_ID: { 'Fn::GetAtt': [expect.stringMatching(/^GatewayPolicyStore/), 'PolicyStoreId'] },
    });
  });

  test('every cell ships the same code asset: the bundle and the whole routing table derived from the spec, with nothing secret in it', () => {
    expect(cells.support.properties.Code).toEqual(cells.research.properties.Code);
    const dir = cells.support.codeDirectory;
    expect(fs.readdirSync(dir).sort()).toEqual([ROUTES_FILE, 'index.js']);
    const routes = JSON.parse(fs.readFileSync(path.join(dir, ROUTES_FILE), 'utf-8'));
    expect(routes).toEqual(routerRoutes(GatewayBlueprint.fromSpec(exampleSpec)));
    // Each tenant's guardrails, with the version it is held to when the spec gives one.
    expect(routes.tenants.map((t: any) => [t.id, t.guardrails])).toEqual([
      ['support', [{ id: 'gr0support1', arn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/gr0support1`, version: '1' }]],
      ['research', [{ id: 'gr0research1', arn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/gr0research1` }]],
    ]);
    expect(fs.readFileSync(path.join(dir, 'index.js'))).toEqual(fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'runtime', 'handler', 'index.js')));
    // Staged once for the gateway, not once per cell.
    const assembly = synthesized.app.synth().directory;
    expect(fs.readdirSync(assembly).filter((name) => name.startsWith('asset.') && fs.existsSync(path.join(assembly, name, ROUTES_FILE)))).toEqual([path.basename(dir)]);
  });
});

describe('the cells\' network', () => {
  const groupIdOf = (tenant: string): string => cells[tenant].properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0];
  const groupOf = (tenant: string) => json.Resources[groupIdOf(tenant)];

  test('a cell without provider keys reaches Vault and the AWS endpoints only; a cell with keys also the providers on 443', () => {
    expect(Object.keys(routerGroups(template))).toHaveLength(2);
    expect(groupOf('support').Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '10.50.0.0/16', Description: 'Vault API', FromPort: 8200, IpProtocol: 'tcp', ToPort: 8200 },
    ]);
    expect(groupOf('research').Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '10.50.0.0/16', Description: 'Vault API', FromPort: 8200, IpProtocol: 'tcp', ToPort: 8200 },
      { CidrIp: '0.0.0.0/0', Description: 'Model providers', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]);
    const endpointEgress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')) as any[];
    // And each cell's group to the endpoints' group, on 443.
    expect(endpointEgress.map((e) => [e.Properties.FromPort, e.Properties.ToPort, e.Properties.GroupId['Fn::GetAtt'][0]]).sort()).toEqual(
      TENANTS.map((t) => [443, 443, groupIdOf(t)]).sort());
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties.ServiceName).sort();
    expect(endpoints).toEqual(['com.amazonaws.us-east-1.bedrock-runtime', 'com.amazonaws.us-east-1.secretsmanager', 'com.amazonaws.us-east-1.verifiedpermissions']);
  });

  test('provider egress left open to any host is a warning with a stable id, naming the cells and how to narrow it', () => {
    const warnings = Annotations.fromStack(synthesized.stack).findWarning('*', Match.stringLikeRegexp(RouterFunction.PROVIDER_EGRESS_ANY_HOST));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/acme-llm-aws/LlmGateway/Network/ProviderRouterSecurityGroup');
    expect(warnings[0].entry.data).toMatch(/^The router cells of tenant "research" reach any IPv4 address on port 443 .*bound to its endpoint's host at run time.*the network admits any host.*ec2\.Peer\.prefixList.*Network Firewall domain list/);
  });

  test('given a narrower egress (or any host explicitly), there is no warning, and the rule names it', () => {
    const { stack, template: narrowed } = gatewayWith({ providerEgress: ec2.Peer.prefixList('pl-0a1b2c3d4e5f60718') });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(RouterFunction.PROVIDER_EGRESS_ANY_HOST))).toEqual([]);
    const keyed = Object.keys(narrowed.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('with provider keys') } }));
    expect(keyed).toHaveLength(1);
    narrowed.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [keyed[0], 'GroupId'] }, DestinationPrefixListId: 'pl-0a1b2c3d4e5f60718', Description: 'Model providers', FromPort: 443, ToPort: 443,
    });
    const explicit = gatewayWith({ providerEgress: ec2.Peer.anyIpv4() });
    expect(Annotations.fromStack(explicit.stack).findWarning('*', Match.stringLikeRegexp(RouterFunction.PROVIDER_EGRESS_ANY_HOST))).toEqual([]);
  });

  test('without provider keys there is one security group, no provider egress, no Secrets Manager endpoint and no warning', () => {
    const spec: GatewaySpec = { ...exampleSpec, tenants: exampleSpec.tenants.map((t) => ({ ...t, providerKeys: undefined })) };
    const { stack, template: t } = gatewayWith({}, spec);
    const router = only(routerGroups(t)) as any;
    expect(router.Properties.SecurityGroupEgress.map((r: any) => r.Description)).toEqual(['Vault API']);
    expect(Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties.ServiceName)).not.toContain('com.amazonaws.us-east-1.secretsmanager');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(RouterFunction.PROVIDER_EGRESS_ANY_HOST))).toEqual([]);
  });

  test('with the VPC\'s own endpoints, every cell reaches them on the VPC\'s range', () => {
    const { template: t } = gatewayWith({ createInterfaceEndpoints: false });
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    // The VPC's endpoints answer on the services' own names: no endpoint URL is set.
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function')) as any[]) {
      expect(Object.keys(fn.Properties.Environment.Variables).filter((k) => k.startsWith('AWS_ENDPOINT_URL_'))).toEqual([]);
    }
    for (const group of Object.values(routerGroups(t)) as any[]) {
      expect(group.Properties.SecurityGroupEgress).toContainEqual({ CidrIp: '10.0.0.0/16', Description: 'AWS service endpoints of the VPC', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 });
    }
  });
});

describe('code signing', () => {
  const profile = (stack: cdk.Stack) => signer.SigningProfile.fromSigningProfileAttributes(stack, 'Profile', {
    signingProfileName: 'acme_router', signingProfileVersion: 'a1b2c3d4e5',
  });

  test('is off by default', () => {
    template.resourceCountIs('AWS::Lambda::CodeSigningConfig', 0);
    for (const tenant of TENANTS) expect(cells[tenant].properties.CodeSigningConfigArn).toBeUndefined();
  });

  test.each([
    ['enforce', (p: signer.ISigningProfile) => RouterCodeSigning.enforce([p]), 'Enforce'],
    ['warn', (p: signer.ISigningProfile) => RouterCodeSigning.warn([p]), 'Warn'],
  ])('%s: one code signing config for the given profile, attached to every cell', (_mode, make, policy) => {
    const stack = new cdk.Stack(new cdk.App(), 'gw', { env: { account: ACCOUNT, region: REGION } });
    const { template: signed } = gatewayWithSigning(stack, make(profile(stack)));
    const config = only(signed.findResources('AWS::Lambda::CodeSigningConfig')) as any;
    expect(config.Properties.CodeSigningPolicies).toEqual({ UntrustedArtifactOnDeployment: policy });
    expect(config.Properties.AllowedPublishers.SigningProfileVersionArns).toHaveLength(1);
    expect(JSON.stringify(config.Properties.AllowedPublishers)).toContain('/signing-profiles/acme_router/a1b2c3d4e5');
    const configId = Object.keys(signed.findResources('AWS::Lambda::CodeSigningConfig'))[0];
    const functions = Object.values(signed.findResources('AWS::Lambda::Function', { Properties: { FunctionName: Match.stringLikeRegexp('-router$') } })) as any[];
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect(fn.Properties.CodeSigningConfigArn).toEqual({ 'Fn::GetAtt': [configId, 'CodeSigningConfigArn'] });
  });

  test('needs 1 to 20 profiles', () => {
    const stack = new cdk.Stack(new cdk.App(), 'gw', { env: { account: ACCOUNT, region: REGION } });
    expect(() => gatewayWithSigning(stack, RouterCodeSigning.enforce([]))).toThrow(
      '  - props.codeSigning.signingProfiles: Lambda trusts 1 to 20 signing profiles per code signing config (got [0 items]).');
  });

  function gatewayWithSigning(stack: cdk.Stack, codeSigning: RouterCodeSigning): { template: Template } {
    const plane = new GatewayAwsPlane(stack, 'Gateway', {
      spec: exampleSpec,
      vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/vault`),
      providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
    });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'] });
    new LlmGateway(stack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')), codeSigning });
    return { template: Template.fromStack(stack) };
  }
});

test('cells that together reserve more concurrency than an account has by default are a warning with a stable id', () => {
  const { stack } = gatewayWith({ reservedConcurrency: 500 });
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(LlmGateway.RESERVED_CONCURRENCY_OVER_DEFAULT_QUOTA));
  expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(/^2 router cells reserve 500 concurrent executions each, 1000 in all; /)]);
  expect(Annotations.fromStack(synthesized.stack).findWarning('*', Match.stringLikeRegexp(LlmGateway.RESERVED_CONCURRENCY_OVER_DEFAULT_QUOTA))).toEqual([]);
});

test('a resource policy larger than API Gateway accepts is a warning with a stable id, and is not widened', () => {
  const workloads = (tenant: string, n: number) => Array.from({ length: n }, (_, i) => ({
    id: `${tenant}-app-${i}`, roleArn: `arn:aws:iam::${ACCOUNT}:role/${tenant}-app-${i}`,
  }));
  const many: GatewaySpec = {
    ...exampleSpec,
    tenants: exampleSpec.tenants.map((t) => ({ ...t, workloads: [...t.workloads, ...workloads(t.id, 40)] })),
  };
  const { stack, template: t } = gatewayWith({}, many);
  const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GatewayApi.RESOURCE_POLICY_OVER_LIMIT));
  expect(found.map((w) => w.entry.data)).toEqual([expect.stringMatching(/^The API's resource policy is \d+ bytes for 2 tenant cells and 82 workloads; API Gateway accepts at most 8192/)]);
  const policy = (only(t.findResources('AWS::ApiGateway::RestApi')) as any).Properties.Policy;
  expect(JSON.stringify(policy).length).toBeGreaterThan(8192);
  expect(policy.Statement.map((s: any) => s.Resource)).not.toContain('*');
  expect(Annotations.fromStack(synthesized.stack).findWarning('*', Match.stringLikeRegexp(GatewayApi.RESOURCE_POLICY_OVER_LIMIT))).toEqual([]);
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

test('a gateway whose tenants have no target has no cell to serve, and says so', () => {
  const spec: GatewaySpec = {
    ...exampleSpec,
    tenants: exampleSpec.tenants.map((t) => ({
      ...t, foundationModels: undefined, inferenceProfiles: undefined, providerKeys: undefined, guardrails: undefined,
    })),
  };
  expect(() => gatewayWith({}, spec)).toThrow(
    '  - plane.spec.tenants: no tenant has a target (models or provider keys), so there is no router cell and nothing for the gateway to serve (got "2 tenants"). '
    + 'Fix: give at least one tenant foundationModels, inferenceProfiles or providerKeys.');
});

describe('a RouterFunction built on its own', () => {
  const vpc = (stack: cdk.Stack) => ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef1'] });
  const standalone = () => {
    const app = new cdk.App();
    const stack = new cdk.Stack(app, 'gw', { env: { account: ACCOUNT, region: REGION } });
    const plane = new GatewayAwsPlane(stack, 'Gateway', {
      spec: exampleSpec,
      vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/vault`),
      providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
    });
    const common = { blueprint: plane.blueprint, decisionLog: plane.decisionLog, policyStoreId: plane.policyStoreId, vpc: vpc(stack), vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')) };
    return { stack, plane, common };
  };

  test('creates its own network parts, and with a GatewayApi serves that API', () => {
    const { stack, plane, common } = standalone();
    const routers = plane.routerRoles.map((role) => new RouterFunction(stack, `Router-${role.tenantId}`, { ...common, tenantId: role.tenantId, routerRole: role }));
    new GatewayApi(stack, 'Api', { blueprint: plane.blueprint, routers, accessLog: plane.decisionLog, logKey: plane._audit.key });
    const t = Template.fromStack(stack);
    const functions = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: Match.stringLikeRegexp('-router$') } })) as any[];
    expect(functions.map((f) => f.Properties.FunctionName)).toEqual(['acme-llm-support-router', 'acme-llm-research-router']);
    // Each cell brings its own endpoint group and the security group of its kind.
    t.resourceCountIs('AWS::EC2::SecurityGroup', 4);
    t.resourceCountIs('AWS::ApiGateway::Method', 2);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({ GATEWARD_API_ID: { Ref: Object.keys(t.findResources('AWS::ApiGateway::RestApi'))[0] }, GATEWARD_API_STAGE: 'live' });
    }
  });

  test('that serves no API fails synthesis, naming its tenant', () => {
    const { stack, plane, common } = standalone();
    new RouterFunction(stack, 'Router', { ...common, tenantId: 'support', routerRole: plane.routerRoles[0] });
    expect(() => Template.fromStack(stack)).toThrow(/The router cell of tenant "support" serves no API, and would refuse every request: give it to a GatewayApi/);
  });

  test('refuses a tenant without a cell, and another tenant\'s role', () => {
    const { stack, plane, common } = standalone();
    expect(() => new RouterFunction(stack, 'Router', { ...common, tenantId: 'research', routerRole: plane.routerRoles[0] })).toThrow(
      '  - props.routerRole: is the router role of tenant "support", but the cell serves tenant "research"; a cell runs as its own tenant\'s role, which Vault binds to that tenant\'s credentials alone '
      + '(got "gw/Gateway/Tenant-support/Router"). Fix: pass the RouterRole of tenant "research" from plane.routerRoles.');
    expect(() => new RouterFunction(stack, 'Other', { ...common, tenantId: 'nope', routerRole: plane.routerRoles[0] })).toThrow(
      '  - props.tenantId: names no tenant of gateway "acme-llm" (got "nope"). Fix: use one of "support", "research".');
  });

  test('a cell serves one API', () => {
    const { stack, plane, common } = standalone();
    const routers = plane.routerRoles.map((role) => new RouterFunction(stack, `Router-${role.tenantId}`, { ...common, tenantId: role.tenantId, routerRole: role }));
    new GatewayApi(stack, 'Api', { blueprint: plane.blueprint, routers, accessLog: plane.decisionLog, logKey: plane._audit.key });
    expect(() => new GatewayApi(stack, 'Again', { blueprint: plane.blueprint, routers, accessLog: plane.decisionLog, logKey: plane._audit.key })).toThrow(
      '  - props.routers[0]: already serves another GatewayApi; a cell serves the events of one API only (got "gw/Router-support"). Fix: build one GatewayApi for the cells, or new cells for this one.');
  });

  test('a GatewayApi needs exactly one cell per tenant with a target', () => {
    const { stack, plane, common } = standalone();
    const support = new RouterFunction(stack, 'Router', { ...common, tenantId: 'support', routerRole: plane.routerRoles[0] });
    expect(() => new GatewayApi(stack, 'Api', { blueprint: plane.blueprint, routers: [support, support], accessLog: plane.decisionLog, logKey: plane._audit.key })).toThrow([
      'GatewayApi is invalid (2 problems):',
      '  - props.routers[1]: is a second cell of tenant "support"; each tenant\'s method integrates with one cell (got "gw/Router"). Fix: pass one RouterFunction per tenant.',
      '  - props.routers: has no cell of tenant "research", which has targets; its workloads would have no method to call (got "2 cells"). Fix: add the RouterFunction of tenant "research" (tenantId: "research").',
    ].join('\n'));
  });
});

test('a VPC without the default private subnets is named, not a stack trace from the selection', () => {
  const stack = new cdk.Stack(new cdk.App(), 'gw', { env: { account: ACCOUNT, region: REGION } });
  const plane = buildAwsPlane(new cdk.Stack(new cdk.App(), 'p', { env: { account: ACCOUNT, region: REGION } }), exampleSpec);
  const isolated = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef1'] });
  expect(() => new RouterFunction(stack, 'Router', {
    blueprint: plane.blueprint,
    tenantId: 'support',
    routerRole: plane.routerRoles[0],
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
