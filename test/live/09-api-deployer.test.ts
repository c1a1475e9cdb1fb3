import * as http from 'http';
import { AddressInfo } from 'net';
import { API_DEPLOYER_CODE } from '../../src/aws/private/api-deployer-code';
import { loadEngines, moto } from '../support/live/engines';

// The API deployer's deployed source, run with the AWS SDK the Lambda runtime ships against moto's
// API Gateway, answering CloudFormation's custom-resource protocol to a local response URL: a
// create and every update publish a new deployment of the API, a delete removes the deployment
// it is given, and a failure is reported to CloudFormation rather than left without an answer.
const engines = loadEngines();

interface Answer {
  Status: string;
  PhysicalResourceId: string;
  Reason?: string;
  Data?: { DeploymentId: string };
  RequestId: string;
  LogicalResourceId: string;
  StackId: string;
}
let answers: Answer[] = [];
let server: http.Server;
let responseUrl: string;
let handler: (event: unknown, context: unknown) => Promise<Answer>;
const context = { getRemainingTimeInMillis: () => 60_000 };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      expect(req.method).toBe('PUT');
      answers.push(JSON.parse(body));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cfn-response?signature=s`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_API_GATEWAY: engines.moto.endpoint,
    AWS_REGION: 'us-east-1',
    // moto accepts any credentials; these are not secrets.
    AWS_ACCESS_KEY_ID: 'moto-admin',
    AWS_SECRET_ACCESS_KEY: 'moto-admin',
  });
  const module = { exports: {} as { handler: typeof handler } };
  new Function('require', 'module', 'exports', API_DEPLOYER_CODE)(require, module, module.exports);
  handler = module.exports.handler;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  answers = [];
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const event = (type: 'Create' | 'Update' | 'Delete', restApiId: string, extra: Record<string, unknown> = {}) => ({
  RequestType: type,
  ResponseURL: responseUrl,
  StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/acme-llm-aws-cells-232/guid',
  RequestId: `request-${type}`,
  LogicalResourceId: 'GatewayApiDeploymentF5063BB6',
  ResourceType: 'Custom::GatewayApiDeployment',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:deployer', RestApiId: restApiId, Description: 'LLM gateway acme-llm', Revision: 'r1' },
  ...extra,
});
const deployments = (restApiId: string): string[] => moto(engines, { action: 'deployments', restApiId });

test('create and update each publish a new deployment; the delete CloudFormation sends for the old one removes it', async () => {
  const api = moto(engines, { action: 'create-rest-api', name: 'acme-llm-api-cells-232', tags: { 'gateward:gateway': 'acme-llm' } });
  expect(deployments(api.id)).toEqual([]);

  await handler(event('Create', api.id), context);
  const [created] = answers;
  expect(created).toMatchObject({ Status: 'SUCCESS', RequestId: 'request-Create', LogicalResourceId: 'GatewayApiDeploymentF5063BB6' });
  expect(created.PhysicalResourceId).toBe(`${api.id}/deployments/${created.Data!.DeploymentId}`);
  expect(deployments(api.id)).toEqual([created.Data!.DeploymentId]);
  moto(engines, { action: 'create-stage', restApiId: api.id, stageName: 'live', deploymentId: created.Data!.DeploymentId });

  // A new revision: a new deployment and a new physical id, which tells CloudFormation to delete the old one.
  await handler(event('Update', api.id, { PhysicalResourceId: created.PhysicalResourceId, OldResourceProperties: { RestApiId: api.id, Revision: 'r1' } }), context);
  const updated = answers[1];
  expect(updated.Status).toBe('SUCCESS');
  expect(updated.Data!.DeploymentId).not.toBe(created.Data!.DeploymentId);
  expect(updated.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
  expect(deployments(api.id)).toEqual([created.Data!.DeploymentId, updated.Data!.DeploymentId].sort());

  await handler(event('Delete', api.id, { PhysicalResourceId: created.PhysicalResourceId }), context);
  expect(answers[2]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });
  expect(deployments(api.id)).toEqual([updated.Data!.DeploymentId]);

  // Deleting what is already gone, or a physical id of a create that failed, succeeds and changes nothing.
  await handler(event('Delete', api.id, { PhysicalResourceId: created.PhysicalResourceId }), context);
  await handler(event('Delete', api.id, { PhysicalResourceId: 'GatewayApiDeploymentF5063BB6' }), context);
  expect(answers.slice(3).map((a) => a.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  expect(deployments(api.id)).toEqual([updated.Data!.DeploymentId]);
});

test('an API that does not exist fails the resource with API Gateway\'s reason, answered to CloudFormation', async () => {
  await handler(event('Create', 'nosuchapi1'), context);
  expect(answers).toHaveLength(1);
  expect(answers[0].Status).toBe('FAILED');
  expect(answers[0].Reason).toMatch(/NotFoundException/);
  // No deployment was made, so CloudFormation's later delete of this id does nothing.
  expect(answers[0].PhysicalResourceId).toBe('GatewayApiDeploymentF5063BB6');
});
