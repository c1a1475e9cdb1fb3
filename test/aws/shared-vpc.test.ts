import * as http from 'http';
import { AddressInfo } from 'net';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { IsAuthorizedCommand, VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint } from '../../src';
import { routerDeployment, synthesizeAwsPlane } from '../support/aws-example';

// The example composes the gateway into a VPC it does not own. Its interface endpoints must not
// change how any other workload of that VPC reaches AWS: private DNS stays off, and the router
// cells alone are pointed at the endpoints by their own DNS names.

const synthesized = synthesizeAwsPlane();
const template: Template = synthesized.template;
// The research cell calls all three services (models and a provider key).
const env = routerDeployment(synthesized, 'research').properties.Environment.Variables;
const endpoints = template.findResources('AWS::EC2::VPCEndpoint');
const logicalIdOf = (service: string) => Object.entries(endpoints).find(([, e]) => (e as any).Properties.ServiceName === `com.amazonaws.us-east-1.${service}`)![0];

test('no endpoint the gateway creates has private DNS', () => {
  const all = Object.values(endpoints) as any[];
  expect(all).toHaveLength(3);
  for (const endpoint of all) expect(endpoint.Properties).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: false });
});

test.each([
  ['AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS', 'verifiedpermissions'],
  ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'bedrock-runtime'],
  ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'secretsmanager'],
])('the router reaches %s at its endpoint\'s own DNS name', (variable, service) => {
  expect(env[variable]).toEqual({
    'Fn::Join': ['', ['https://', { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [logicalIdOf(service), 'DnsEntries'] }] }] }] }]],
  });
});

test('the endpoints admit the router cells only, one shared set for all of them', () => {
  const groups = new Set((Object.values(endpoints) as any[]).map((e) => JSON.stringify(e.Properties.SecurityGroupIds)));
  expect(groups.size).toBe(1);
  const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')) as any[];
  const cellGroups = ['support', 'research'].map((t) => routerDeployment(synthesized, t).properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0]);
  expect(new Set(cellGroups).size).toBe(2);
  expect(ingress.map((i) => i.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort()).toEqual([...cellGroups].sort());
  for (const rule of ingress) expect(rule.Properties).toMatchObject({ FromPort: 443, ToPort: 443 });
});

test('a cell reaches only the endpoints of the services it calls', () => {
  const support = routerDeployment(synthesized, 'support').properties.Environment.Variables;
  expect(Object.keys(support).filter((k) => k.startsWith('AWS_ENDPOINT_URL_')).sort()).toEqual(['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS']);
});

describe('the AWS SDK clients the router bundles take these variables', () => {
  // A loopback server stands in for the endpoint; the clients are the real SDK packages.
  let server: http.Server;
  const hits: string[] = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(String(req.headers['x-amz-target'] ?? req.url));
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{"__type":"ValidationException","message":"test"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const name of ['AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS', 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL_SECRETS_MANAGER']) {
      expect(Object.keys(env)).toContain(name);
      process.env[name] = url;
    }
  });
  afterAll(() => {
    process.env = saved;
    server.close();
  });
  const credentials = { accessKeyId: 'LOOPBACKTESTACCESSKEY', secretAccessKey: 'test-only-not-a-secret' };

  test('each client, built as the router builds it (no endpoint of its own), calls the configured URL', async () => {
    const region = GatewayBlueprint.fromSpec(exampleSpec).region;
    await expect(new VerifiedPermissionsClient({ region, credentials, endpoint: undefined }).send(new IsAuthorizedCommand({ policyStoreId: 'ps' }))).rejects.toThrow();
    await expect(new SecretsManagerClient({ region, credentials, endpoint: undefined }).send(new GetSecretValueCommand({ SecretId: 's' }))).rejects.toThrow();
    // The router's Bedrock client speaks HTTP/1.1 (see src/runtime/model-clients.ts).
    const bedrock = new BedrockRuntimeClient({ region, credentials, endpoint: undefined, requestHandler: new NodeHttpHandler() });
    await expect(bedrock.send(new ConverseCommand({ modelId: 'm', messages: [] }))).rejects.toThrow();
    expect(hits).toEqual(['VerifiedPermissions.IsAuthorized', 'secretsmanager.GetSecretValue', '/model/m/converse']);
  });
});
