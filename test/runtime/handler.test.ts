import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint } from '../../src';
import { routerRoutes } from '../../src/aws/private/router-routes-builder';
import { ROUTES_FILE } from '../../src/contract/router-routes';
import { ENV } from '../../src/runtime/config';
import { handler } from '../../src/runtime/handler';
import { supportCellEnvironment } from '../support/runtime/cell-environment';
import { LoopbackServer, Received } from '../support/runtime/loopback';

// The Lambda entry point, run as Lambda runs it: first from the sources with an environment that
// lacks the router's configuration (a deployment that went wrong), then as the bundle every cell
// deploys, next to the shared routing table.

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:acme-llm-support-router';
const context = { getRemainingTimeInMillis: () => 29000, invokedFunctionArn: FUNCTION_ARN };

/** Collects the lines written to standard output while `run` runs. */
async function logged<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  try {
    return { result: await run(), lines };
  } finally {
    log.mockRestore();
  }
}

test('a router that cannot be configured answers a 500 and still writes the record', async () => {
  for (const name of Object.values(ENV)) expect(process.env[name]).toBeUndefined();
  const event = {
    body: '{}',
    requestContext: { requestId: 'req-cfg', identity: { userArn: 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/s' } },
  } as unknown as APIGatewayProxyEvent;
  const { result, lines } = await logged(() => handler(event, { getRemainingTimeInMillis: () => 29000 }));
  expect(result.statusCode).toBe(500);
  expect(JSON.parse(result.body)).toEqual({
    error: { code: 'ROUTER_ERROR', message: 'The router is misconfigured; the request id identifies the failure in the decision log.', requestId: 'req-cfg' },
  });
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({
    type: 'gateward.identity-chain',
    requestId: 'req-cfg',
    callerArn: 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/s',
    outcome: { status: 500, reason: 'ROUTER_ERROR', message: expect.stringContaining(`missing its configuration: ${ENV.POLICY_STORE_ID}`) },
  });
});

describe('the bundle a cell deploys refuses, before it calls anything', () => {
  let dir: string;
  let bundled: (event: APIGatewayProxyEvent, ctx: typeof context) => Promise<APIGatewayProxyResult>;
  /** Stands for Vault and every AWS endpoint: nothing may reach it. */
  let services: LoopbackServer;
  const reached: Received[] = [];
  const saved = { ...process.env };
  const event = (tenantPath: string, userArn: string, apiId = 'a1b2c3d4e5'): APIGatewayProxyEvent => ({
    body: JSON.stringify({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    httpMethod: 'POST',
    resource: tenantPath,
    path: tenantPath,
    requestContext: { requestId: 'req-b', accountId: '111122223333', apiId, stage: 'live', httpMethod: 'POST', resourcePath: tenantPath, identity: { userArn } },
  }) as unknown as APIGatewayProxyEvent;

  beforeAll(async () => {
    services = await LoopbackServer.start((request) => {
      reached.push(request);
      return { status: 500, body: {} };
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-cell-'));
    fs.copyFileSync(path.join(__dirname, '../../assets/runtime/handler/index.js'), path.join(dir, 'index.js'));
    fs.writeFileSync(path.join(dir, ROUTES_FILE), JSON.stringify(routerRoutes(GatewayBlueprint.fromSpec(exampleSpec))));
    Object.assign(process.env, {
      ...supportCellEnvironment(services.url),
      AWS_ENDPOINT_URL: services.url,
      AWS_REGION: 'us-east-1',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    bundled = require(path.join(dir, 'index.js')).handler;
  });
  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    fs.rmSync(dir, { recursive: true, force: true });
    await services.stop();
  });

  test.each([
    ['an event of another API', event('/v1/tenants/support/chat', 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/s', 'zzzzzzzzzz'), 'FORGED_EVENT', undefined],
    ['a workload of another tenant', event('/v1/tenants/support/chat', 'arn:aws:sts::111122223333:assumed-role/research-agent/s'), 'TENANT_NOT_SERVED', 'research-agent'],
    ['an event for another tenant\'s path', event('/v1/tenants/research/chat', 'arn:aws:sts::111122223333:assumed-role/research-agent/s'), 'FORGED_EVENT', undefined],
  ])('%s', async (_, request, code, workload) => {
    const { result, lines } = await logged(() => bundled(request, context));
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body).error.code).toBe(code);
    const records = lines.map((l) => JSON.parse(l));
    expect(records).toEqual([expect.objectContaining({ cell: 'support', outcome: expect.objectContaining({ status: 403, reason: code }) })]);
    expect(records[0].workload).toBe(workload);
    expect(reached).toEqual([]);
  });
});
