import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ENV } from '../../src/runtime/config';
import { handler } from '../../src/runtime/handler';

// The Lambda entry point, run as Lambda runs it, with an environment that lacks the router's
// configuration (a deployment that went wrong): the request is still answered in the gateway's
// error shape and still leaves an identity-chain record.

test('a router that cannot be configured answers a 500 and still writes the record', async () => {
  for (const name of Object.values(ENV)) expect(process.env[name]).toBeUndefined();
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  try {
    const event = {
      body: '{}',
      requestContext: { requestId: 'req-cfg', identity: { userArn: 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/s' } },
    } as unknown as APIGatewayProxyEvent;
    const result = await handler(event, { getRemainingTimeInMillis: () => 29000 });
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
  } finally {
    log.mockRestore();
  }
});
