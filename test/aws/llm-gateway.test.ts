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
import { gatewayStackTemplates, mergedGatewayTemplate, routerDeployment, synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const SUPPORT_BOT = 'arn:aws:iam::444455556666:role/support-bot-prod';
const RESEARCH_AGENT = 'arn:aws:iam::111122223333:role/research-agent';
const synthesized = synthesizeAwsPlane();
const template = synthesized.template;
const json = template.toJSON();
const TENANTS = ['support', 'research'];
// Each tenant's cell, with the API that serves it, lives in its cell stack.
const CELL_STACKS: Record<string, string> = { support: 'acme-llm-aws-cells-232', research: 'acme-llm-aws-cells-204' };
const WORKLOAD_ACCOUNTS: Record<string, string> = { support: '444455556666', research: ACCOUNT };
const TENANT_TAG = 'aws:PrincipalTag/gateward:tenant';
const cellTemplate = (tenant: string) => Template.fromJSON(synthesized.stackTemplates[CELL_STACKS[tenant]]);

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
// In the merged template, each tenant's API by the logical id its method refers to.
const apiIdOf = (tenant: string): string => methodOf(template, tenant).Properties.RestApiId.Ref;
const routerGroups = (t: Template) => t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Router cells of gateway') } });

/**
 * A stack with the example plane and a gateway with `props` (a VPC of its own unless given);
 * `template` is the plane's stack and its cell stacks as one.
 */
interface Built { readonly stack: cdk.Stack; readonly template: Template; readonly gateway: LlmGateway; readonly plane: GatewayAwsPlane }
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
  return { stack, template: Template.fromJSON(mergedGatewayTemplate(Object.values(gatewayStackTemplates(app, plane)))), gateway, plane };
}

describe('the API: one per cell stack, one method per tenant cell, IAM-signed calls from that tenant\'s tagged workloads only', () => {
  const api = (tenant: string) => only(cellTemplate(tenant).findResources('AWS::ApiGateway::RestApi')) as any;
  const stageIdOf = (tenant: string): string => only(Object.fromEntries(Object.entries(template.findResources('AWS::ApiGateway::Stage'))
    .filter(([, stage]) => stage.Properties.RestApiId.Ref === apiIdOf(tenant)).map(([id]) => [id, id])));

  test('each tenant\'s cell and API are in the cell stack its id picks', () => {
    for (const tenant of TENANTS) expect(synthesized.plane.cellStackOf(tenant).stackName).toBe(CELL_STACKS[tenant]);
    expect(Object.keys(synthesized.stackTemplates)).toEqual(['acme-llm-aws', 'acme-llm-aws-cells-204', 'acme-llm-aws-cells-232']);
    const gateway = synthesized.stack.node.findChild('LlmGateway') as LlmGateway;
    expect(gateway.apis).toHaveLength(2);
    for (const tenant of TENANTS) {
      expect(cdk.Stack.of(gateway.apiOf(tenant)).stackName).toBe(CELL_STACKS[tenant]);
      expect(gateway.apiOf(tenant).node.path).toBe(`${CELL_STACKS[tenant]}/Gateway/Api`);
      // Each API serves the one tenant of its stack, under its own name.
      expect(Object.keys(gateway.apiOf(tenant).methods)).toEqual([tenant]);
      expect(api(tenant).Properties.Name).toBe(`acme-llm-api-${CELL_STACKS[tenant].replace(/^acme-llm-aws-/, '')}`);
    }
    expect(new Set(TENANTS.map(apiIdOf)).size).toBe(2);
  });

  test('one POST method per tenant with a target, at its tenant path, each requiring AWS_IAM authorization', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as any[];
    expect(methods.map((m) => [pathOf(m).replace(/^.*\/Default/, ''), m.Properties.HttpMethod, m.Properties.AuthorizationType]).sort()).toEqual([
      ['/v1/tenants/research/chat/POST/Resource', 'POST', 'AWS_IAM'],
      ['/v1/tenants/support/chat/POST/Resource', 'POST', 'AWS_IAM'],
    ]);
    for (const tenant of TENANTS) expect(pathOf(methodOf(template, tenant))).toBe(`${CELL_STACKS[tenant]}/Gateway/Api/Resource/Default/v1/tenants/${tenant}/chat/POST/Resource`);
  });

  test.each(TENANTS)('the %s method integrates with its own cell only, named by its derived ARN, after the function exists', (tenant) => {
    const method = methodOf(template, tenant);
    expect(method.Properties.Integration).toEqual({
      Type: 'AWS_PROXY',
      IntegrationHttpMethod: 'POST',
      Uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-${tenant}-router/invocations`,
    });
    expect(method.DependsOn).toEqual([functionLogicalId(template, tenant)]);
    // The method and the function it waits for are in one stack.
    expect(Object.keys(cellTemplate(tenant).findResources('AWS::Lambda::Function', { Properties: { FunctionName: `acme-llm-${tenant}-router` } }))).toHaveLength(1);
  });

  test('each cell may be invoked by its own method of its API\'s deployed stage only, named by account', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } })) as any[];
    expect(permissions).toHaveLength(2);
    for (const tenant of TENANTS) {
      const permission = permissions.find((p) => p.Properties.FunctionName === `arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-${tenant}-router`);
      expect(permission.Properties).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:acme-llm-${tenant}-router`,
        Principal: 'apigateway.amazonaws.com',
        SourceAccount: ACCOUNT,
        SourceArn: { 'Fn::Join': ['', [`arn:aws:execute-api:${REGION}:${ACCOUNT}:`, { Ref: apiIdOf(tenant) }, `/live/POST/v1/tenants/${tenant}/chat`]] },
      });
      expect(permission.DependsOn).toEqual([functionLogicalId(template, tenant)]);
    }
  });

  test('each API\'s resource policy admits the tagged principals of its workloads\' accounts on their own tenant\'s method, lists no workload, and denies everyone else', () => {
    const ownPath = 'execute-api:/live/POST/v1/tenants/${aws:PrincipalTag/gateward:tenant}/chat';
    for (const tenant of TENANTS) {
      expect(api(tenant).Properties.Policy).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TaggedWorkloadsMayChatOnTheirTenantsPath',
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Principal: { AWS: `arn:aws:iam::${WORKLOAD_ACCOUNTS[tenant]}:root` },
            Resource: ownPath,
          },
          {
            Sid: 'NobodyWithoutATenantTag',
            Effect: 'Deny',
            Action: 'execute-api:Invoke',
            Principal: { AWS: '*' },
            Resource: 'execute-api:/*',
            Condition: { Null: { 'aws:PrincipalTag/gateward:tenant': 'true' } },
          },
          { Sid: 'NobodyOnAnotherTenantsPath', Effect: 'Deny', Action: 'execute-api:Invoke', Principal: { AWS: '*' }, NotResource: ownPath },
          {
            Sid: 'NobodyOutsideTheWorkloadAccounts',
            Effect: 'Deny',
            Action: 'execute-api:Invoke',
            Principal: { AWS: '*' },
            Resource: 'execute-api:/*',
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': [WORKLOAD_ACCOUNTS[tenant]] } },
          },
        ],
      });
      // The tag narrows; the cell's caller check (the spec's workload roles) still decides who is its caller.
      expect(JSON.stringify(api(tenant).Properties.Policy)).not.toMatch(/:role\//);
    }
  });

  describe('as the IAM simulator evaluates it', () => {
    const world = new IamWorld(json, { account: ACCOUNT, region: REGION });
    // API Gateway expands `execute-api:/` in its resource policy to the API's own ARN.
    const API_IDS: Record<string, string> = { support: 'a1b2c3d4e5', research: 'f6a7b8c9d0' };
    const prefix = (tenant: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_IDS[tenant]}/`;
    const expand = (policy: unknown, tenant: string) => JSON.parse(JSON.stringify(policy).split('execute-api:/').join(prefix(tenant)));
    /** A chat call on the API of `apiOf`'s cell stack, at `tenant`'s path (that tenant's own by default). */
    const chat = (apiOf: string, tenant = apiOf, method = 'POST') => ({ apiOf, resource: `${prefix(apiOf)}live/${method}/v1/tenants/${tenant}/chat` });
    // Each caller's own identity policy allows invoking anything: only the resource policy stands between them.
    const mayInvoke = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: '*' }] };
    type Call = { apiOf: string; resource: string };
    const decide = (principalArn: string, tag: string | undefined, call: Call, policy = api(call.apiOf).Properties.Policy) => world.decide({
      principalArn,
      identityPolicies: [mayInvoke],
      action: 'execute-api:Invoke',
      resource: call.resource,
      resourcePolicy: expand(policy, call.apiOf),
      context: tag === undefined ? {} : { [TENANT_TAG]: tag },
    });

    test.each([
      ['a workload of tenant support (another account), tagged support, on its own method', SUPPORT_BOT, 'support', chat('support'), 'Allowed'],
      ['a workload of tenant research (the gateway account), tagged research, on its own method', RESEARCH_AGENT, 'research', chat('research'), 'Allowed'],
      ['a workload of tenant support, on tenant research\'s API', SUPPORT_BOT, 'support', chat('research'), 'ExplicitlyDenied'],
      ['a workload of tenant support, on tenant research\'s path of its own API', SUPPORT_BOT, 'support', chat('support', 'research'), 'ExplicitlyDenied'],
      ['a workload of tenant research in the gateway account, on tenant support\'s method, despite its own Invoke on *', RESEARCH_AGENT, 'research', chat('support'), 'ExplicitlyDenied'],
      ['a role of the gateway account tagged with tenant support, on tenant research\'s method', `arn:aws:iam::${ACCOUNT}:role/acme-app`, 'support', chat('research'), 'ExplicitlyDenied'],
      ['a workload of tenant research, on another method of its own path', RESEARCH_AGENT, 'research', chat('research', 'research', 'GET'), 'ExplicitlyDenied'],
      ['a listed workload without the tag', SUPPORT_BOT, undefined, chat('support'), 'ExplicitlyDenied'],
      ['an untagged role of the gateway account, even with its own permission', `arn:aws:iam::${ACCOUNT}:role/acme-admin`, undefined, chat('research'), 'ExplicitlyDenied'],
      ['a tagged role of an account with no workload of the API', 'arn:aws:iam::999988887777:role/other-app', 'support', chat('support'), 'ExplicitlyDenied'],
      // The API admits by tag and account; the support cell's caller check then refuses a role its tenant does not list (CALLER_UNKNOWN).
      ['a tagged unlisted role of a workload account (the cell refuses it next)', 'arn:aws:iam::444455556666:role/other-app', 'support', chat('support'), 'Allowed'],
    ])('%s', async (_what, principal, tag, call, decision) => {
      expect(await decide(principal, tag, call)).toBe(decision);
    });

    test('a suspended workload is no longer let in, whatever its tag; the other tenant is unaffected', async () => {
      const { template: suspended } = gatewayWith({}, { ...exampleSpec, suspended: { workloads: ['support-bot'] } });
      const policyOf = (tenant: string) => (only(suspended.findResources('AWS::ApiGateway::RestApi', { Properties: { Name: api(tenant).Properties.Name } })) as any).Properties.Policy;
      const supportPolicy = policyOf('support');
      expect(supportPolicy.Statement.map((s: any) => s.Sid)).toEqual([
        'TaggedWorkloadsMayChatOnTheirTenantsPath', 'NobodyWithoutATenantTag', 'NobodyOnAnotherTenantsPath', 'NobodyOutsideTheWorkloadAccounts', 'NoSuspendedWorkload',
      ]);
      expect(supportPolicy.Statement[4]).toEqual({
        Sid: 'NoSuspendedWorkload', Effect: 'Deny', Action: 'execute-api:Invoke', Principal: { AWS: '*' }, Resource: 'execute-api:/*', Condition: { ArnEquals: { 'aws:PrincipalArn': [SUPPORT_BOT] } },
      });
      expect(await decide(SUPPORT_BOT, 'support', chat('support'), supportPolicy)).toBe('ExplicitlyDenied');
      // Suspension names the workload, not the tenant or the account.
      expect(await decide('arn:aws:iam::444455556666:role/support-bot-canary', 'support', chat('support'), supportPolicy)).toBe('Allowed');
      expect(policyOf('research')).toEqual(api('research').Properties.Policy);
      expect(await decide(RESEARCH_AGENT, 'research', chat('research'), policyOf('research'))).toBe('Allowed');
    });
  });

  test('bodies are validated against the chat request schema before the router runs, by every API', () => {
    for (const tenant of TENANTS) {
      const cell = cellTemplate(tenant);
      cell.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
      cell.hasResourceProperties('AWS::ApiGateway::Model', {
        ContentType: 'application/json',
        Schema: Match.objectLike({ $schema: 'http://json-schema.org/draft-04/schema#', required: ['modelId', 'messages'] }),
      });
      expect(methodOf(template, tenant).Properties).toMatchObject({ RequestValidatorId: { Ref: expect.any(String) }, RequestModels: { 'application/json': { Ref: expect.any(String) } } });
    }
  });

  test('every stage is throttled, traced, access-logged to the decision log, and never logs bodies', () => {
    const stage = {
      StageName: 'live',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('GatewayAuditDecisionLog'), 'Arn'] } },
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false, LoggingLevel: 'ERROR', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    };
    expect(Object.keys(template.findResources('AWS::ApiGateway::Stage'))).toHaveLength(2);
    expect(Object.keys(template.findResources('AWS::ApiGateway::Stage', { Properties: stage }))).toHaveLength(2);
  });

  test('one WAF web ACL, in the shared stack, in front of every API\'s stage: it rate-limits each source, keeps no samples and logs without signatures or tokens', () => {
    const acl = only(template.findResources('AWS::WAFv2::WebACL')) as any;
    expect(pathOf(acl)).toBe('acme-llm-aws/LlmGateway/WebAcl/WebAcl');
    expect(acl.Properties.Rules[0].Statement.RateBasedStatement).toEqual({ Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
    const visibility = [acl.Properties.VisibilityConfig, ...acl.Properties.Rules.map((r: any) => r.VisibilityConfig)];
    expect(visibility.map((v: any) => v.SampledRequestsEnabled)).toEqual([false, false, false, false]);
    const aclId = Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0];
    const associations = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation')) as any[];
    expect(associations.map(pathOf).sort()).toEqual(TENANTS.map((t) => `${CELL_STACKS[t]}/Gateway/Api/WebAclAssociation`).sort());
    for (const tenant of TENANTS) {
      const association = associations.find((a) => pathOf(a).startsWith(`${CELL_STACKS[tenant]}/`));
      expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
      expect(JSON.stringify(association.Properties.ResourceArn)).toContain(JSON.stringify({ Ref: apiIdOf(tenant) }));
      expect(JSON.stringify(association.Properties.ResourceArn)).toContain(JSON.stringify({ Ref: stageIdOf(tenant) }));
    }
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:aws-waf-logs-acme-llm`],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-amz-security-token' } }],
    });
  });

  test('each tenant\'s URL is its own method\'s, and asking for a tenant without a cell names the ones with one', () => {
    const { gateway, stack } = gatewayWith();
    expect(Object.keys(gateway.chatUrls).sort()).toEqual([...TENANTS].sort());
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
    expect(fn.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^PlaneTenant${tenant}Router`)), 'Arn'] });
    // The role is in the function's own cell stack (a reference, not an import).
    const own = only(cellTemplate(tenant).findResources('AWS::Lambda::Function', { Properties: { FunctionName: `acme-llm-${tenant}-router` } })) as any;
    expect(cellTemplate(tenant).toJSON().Resources[own.Properties.Role['Fn::GetAtt'][0]].Properties.RoleName).toBe(`acme-llm-${tenant}-router`);
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
      // The API of its own cell stack.
      GATEWARD_API_ID: { Ref: apiIdOf(tenant) },
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
      expect(Object.keys(fn.Properties.Environment?.Variables ?? {}).filter((k) => k.startsWith('AWS_ENDPOINT_URL_'))).toEqual([]);
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
    // The config is shared (in the plane's stack); the functions are in the cell stacks.
    return { template: Template.fromJSON(mergedGatewayTemplate(Object.values(gatewayStackTemplates(cdk.App.of(stack) as cdk.App, plane)))) };
  }
});

test('cells that together reserve more concurrency than an account has by default are a warning with a stable id', () => {
  const { stack } = gatewayWith({ reservedConcurrency: 500 });
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(LlmGateway.RESERVED_CONCURRENCY_OVER_DEFAULT_QUOTA));
  expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(/^2 router cells reserve 500 concurrent executions each, 1000 in all; /)]);
  expect(Annotations.fromStack(synthesized.stack).findWarning('*', Match.stringLikeRegexp(LlmGateway.RESERVED_CONCURRENCY_OVER_DEFAULT_QUOTA))).toEqual([]);
});

test('a resource policy is the same size for any number of workloads of an account; larger than API Gateway accepts is a warning with a stable id, and is not widened', () => {
  const workloads = (tenant: string, n: number, account: (i: number) => string) => Array.from({ length: n }, (_, i) => ({
    id: `${tenant}-app-${i}`, roleArn: `arn:aws:iam::${account(i)}:role/${tenant}-app-${i}`,
  }));
  const policyOf = (t: Template, tenant: string) => (only(t.findResources('AWS::ApiGateway::RestApi', { Properties: { Name: `acme-llm-api-${CELL_STACKS[tenant].replace(/^acme-llm-aws-/, '')}` } })) as any).Properties.Policy;
  const overLimit = (built: Built, tenant: string) => Annotations.fromStack(built.plane.cellStackOf(tenant)).findWarning('*', Match.stringLikeRegexp(GatewayApi.RESOURCE_POLICY_OVER_LIMIT));

  // 80 more workloads in the accounts the tenants already use: not one byte more.
  const sameAccounts = gatewayWith({}, {
    ...exampleSpec,
    tenants: exampleSpec.tenants.map((t) => ({ ...t, workloads: [...t.workloads, ...workloads(t.id, 40, () => WORKLOAD_ACCOUNTS[t.id])] })),
  });
  for (const tenant of TENANTS) {
    expect(policyOf(sameAccounts.template, tenant)).toEqual(policyOf(template, tenant));
    expect(overLimit(sameAccounts, tenant)).toEqual([]);
  }

  // It grows with the workload accounts: 300 accounts for tenant support's API are over the limit.
  const accounts = (i: number) => String(500000000000 + i);
  const manyAccounts = gatewayWith({}, {
    ...exampleSpec,
    tenants: exampleSpec.tenants.map((t) => (t.id === 'support' ? { ...t, workloads: [...t.workloads, ...workloads(t.id, 300, accounts)] } : t)),
  });
  expect(overLimit(manyAccounts, 'support').map((w) => w.entry.data)).toEqual([
    expect.stringMatching(/^The API's resource policy is \d+ bytes for 1 tenant cells and 301 workloads; API Gateway accepts at most 8192, so deployment would fail/),
  ]);
  expect(overLimit(manyAccounts, 'research')).toEqual([]);
  const policy = policyOf(manyAccounts.template, 'support');
  expect(JSON.stringify(policy).length).toBeGreaterThan(8192);
  // Not widened: every account is still named, and no statement opens to any resource or any account.
  expect(policy.Statement[0].Principal.AWS).toHaveLength(301);
  expect(policy.Statement.map((s: any) => s.Resource)).not.toContain('*');
  expect(policy.Statement[0].Principal.AWS).not.toContain('*');
  expect(Annotations.fromStack(synthesized.stack).findWarning('*', Match.stringLikeRegexp(GatewayApi.RESOURCE_POLICY_OVER_LIMIT))).toEqual([]);
  for (const stack of synthesized.plane.cellStacks) expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GatewayApi.RESOURCE_POLICY_OVER_LIMIT))).toEqual([]);
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
  // A cell's role grants on the cell's security group, so a cell is built in its role's stack: with
  // one cell stack both tenants' roles are in gw-cells-000, and the cells built on their own go there.
  const standalone = () => {
    const app = new cdk.App();
    const planeStack = new cdk.Stack(app, 'gw', { env: { account: ACCOUNT, region: REGION } });
    const plane = new GatewayAwsPlane(planeStack, 'Gateway', {
      spec: exampleSpec,
      vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/vault`),
      providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
      cellStackCount: 1,
    });
    const stack = plane.cellStackOf('support');
    expect(stack.stackName).toBe('gw-cells-000');
    const common = { blueprint: plane.blueprint, decisionLog: plane.decisionLog, policyStoreId: plane.policyStoreId, vpc: vpc(stack), vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16')) };
    return { stack, planeStack, plane, common };
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

  test('built in the plane\'s stack, on which the cell stack of its role depends, is refused by name, not a dependency cycle from CDK', () => {
    const { planeStack, plane, common } = standalone();
    const planeVpc = vpc(planeStack);
    const role = plane.routerRoles[0];
    expect(() => new RouterFunction(planeStack, `Router-${role.tenantId}`, { ...common, vpc: planeVpc, tenantId: role.tenantId, routerRole: role })).toThrow(
      `  - props.routerRole: is in stack ${plane.cellStackOf(role.tenantId).stackName}, but this cell is built in ${planeStack.stackName}; `
      + 'the role\'s policy grants on the cell\'s network interfaces and the function waits for that policy, which across stacks is a reference cycle '
      + `(got "${role.node.path}"). Fix: build the RouterFunction in the role's cell stack: plane.cellStackOf("${role.tenantId}").`);
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
      + '(got "gw-cells-000/Plane/Tenant-support/Router"). Fix: pass the RouterRole of tenant "research" from plane.routerRoles.');
    expect(() => new RouterFunction(stack, 'Other', { ...common, tenantId: 'nope', routerRole: plane.routerRoles[0] })).toThrow(
      '  - props.tenantId: names no tenant of gateway "acme-llm" (got "nope"). Fix: use one of "support", "research".');
  });

  test('a cell serves one API', () => {
    const { stack, plane, common } = standalone();
    const routers = plane.routerRoles.map((role) => new RouterFunction(stack, `Router-${role.tenantId}`, { ...common, tenantId: role.tenantId, routerRole: role }));
    new GatewayApi(stack, 'Api', { blueprint: plane.blueprint, routers, accessLog: plane.decisionLog, logKey: plane._audit.key });
    expect(() => new GatewayApi(stack, 'Again', { blueprint: plane.blueprint, routers, accessLog: plane.decisionLog, logKey: plane._audit.key })).toThrow(
      '  - props.routers[0]: already serves another GatewayApi; a cell serves the events of one API only (got "gw-cells-000/Router-support"). Fix: build one GatewayApi for the cells, or new cells for this one.');
  });

  test('a GatewayApi serves one cell per tenant, and may serve some of the tenants only (as each cell stack\'s does)', () => {
    const { stack, plane, common } = standalone();
    const support = new RouterFunction(stack, 'Router', { ...common, tenantId: 'support', routerRole: plane.routerRoles[0] });
    expect(() => new GatewayApi(stack, 'Api', { blueprint: plane.blueprint, routers: [support, support], accessLog: plane.decisionLog, logKey: plane._audit.key })).toThrow([
      'GatewayApi is invalid (1 problem):',
      '  - props.routers[1]: is a second cell of tenant "support"; each tenant\'s method integrates with one cell (got "gw-cells-000/Router"). Fix: pass one RouterFunction per tenant.',
    ].join('\n'));
    const api = new GatewayApi(stack, 'SupportOnly', { blueprint: plane.blueprint, routers: [support], accessLog: plane.decisionLog, logKey: plane._audit.key });
    expect(Object.keys(api.methods)).toEqual(['support']);
    expect(() => api.chatUrlOf('research')).toThrow(GatewayValidationError);
  });
});

test('a VPC without the default private subnets is named, not a stack trace from the selection', () => {
  const plane = buildAwsPlane(new cdk.Stack(new cdk.App(), 'p', { env: { account: ACCOUNT, region: REGION } }), exampleSpec);
  // In the cell stack of the tenant's role, so the only problems are the two below.
  const stack = plane.cellStackOf('support');
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
