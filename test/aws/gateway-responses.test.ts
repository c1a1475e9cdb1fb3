import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { ReasonCode } from '../../src/runtime/errors';
import { synthesizeAwsPlane } from '../support/aws-example';

// API Gateway's own refusals reach clients in the router's error shape, with the request id, and
// a schema failure names the failing field.

const { template, plane, stackTemplates } = synthesizeAwsPlane(exampleSpec);
const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')) as any[];
// Each cell stack has its own API (support's in cells-232, research's in cells-204), each with every response.
const CELL_STACKS = plane.cellStacks.map((s) => s.stackName);
const resourcesOf = (stackName: string, type: string) => Object.entries(stackTemplates[stackName].Resources as Record<string, any>)
  .filter(([, r]) => r.Type === type);
const byTypeIn = (stackName: string) => Object.fromEntries(resourcesOf(stackName, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [r.Properties.ResponseType, r.Properties]));
const byType = byTypeIn(CELL_STACKS[0]);
const REQUEST_ID = 'c0ffee00-1111-2222-3333-444455556666';

/** Renders a body template the way API Gateway does: simple substitution of context variables. */
function render(body: string, context: { message: string; validationError?: string }): unknown {
  const rendered = body
    .split('$context.requestId').join(REQUEST_ID)
    // Both string variables are rendered quoted and escaped.
    .split('$context.error.validationErrorString').join(JSON.stringify(context.validationError ?? ''))
    .split('$context.error.messageString').join(JSON.stringify(context.message));
  return JSON.parse(rendered);
}

// Codes API Gateway answers with that the router does not (the router cannot see these cases).
const GATEWAY_ONLY_CODES = [
  'REQUEST_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'NOT_SIGNED', 'SIGNATURE_INVALID', 'CREDENTIALS_EXPIRED', 'BLOCKED_BY_WAF', 'THROTTLED', 'NOT_FOUND',
  'ROUTER_TIMEOUT', 'REQUEST_REFUSED', 'GATEWAY_ERROR',
];

test.each([
  ['BAD_REQUEST_BODY', '400', 'BAD_REQUEST'],
  ['ACCESS_DENIED', '403', 'CALLER_UNKNOWN'],
  ['MISSING_AUTHENTICATION_TOKEN', '403', 'NOT_SIGNED'],
  ['INVALID_SIGNATURE', '403', 'SIGNATURE_INVALID'],
  ['EXPIRED_TOKEN', '403', 'CREDENTIALS_EXPIRED'],
  ['WAF_FILTERED', '403', 'BLOCKED_BY_WAF'],
  ['THROTTLED', '429', 'THROTTLED'],
  ['INTEGRATION_TIMEOUT', '504', 'ROUTER_TIMEOUT'],
  ['DEFAULT_4XX', '400', 'REQUEST_REFUSED'],
  ['DEFAULT_5XX', '500', 'GATEWAY_ERROR'],
])('%s answers %s with code %s in the error shape, on the API of every cell stack', (type, status, code) => {
  expect(CELL_STACKS).toEqual(['acme-llm-aws-cells-204', 'acme-llm-aws-cells-232']);
  for (const stackName of CELL_STACKS) {
    const apis = resourcesOf(stackName, 'AWS::ApiGateway::RestApi');
    expect(apis).toHaveLength(1);
    const response = byTypeIn(stackName)[type];
    expect(response).toBeDefined();
    expect(response.StatusCode).toBe(status);
    // The response belongs to its own stack's API.
    expect(response.RestApiId).toEqual({ Ref: apis[0][0] });
    expect(apis[0][0]).toMatch(/^GatewayApi/);
    const body = render(response.ResponseTemplates['application/json'], { message: 'Forbidden', validationError: 'x' }) as any;
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'requestId']);
    expect(body.error).toMatchObject({ code, requestId: REQUEST_ID });
    expect(typeof body.error.message).toBe('string');
    expect(body.error.message.length).toBeGreaterThan(0);
  }
});

test('a schema failure names the failing field, quotes and all', () => {
  const validationError = '[object has missing required properties (["modelId"])]';
  const body = render(byType.BAD_REQUEST_BODY.ResponseTemplates['application/json'], { message: 'Invalid request body', validationError }) as any;
  expect(body.error).toEqual({ code: 'BAD_REQUEST', message: validationError, requestId: REQUEST_ID });
});

test('every response\'s code is the router\'s, or one only API Gateway can see', () => {
  const codes = responses.map((r) => (render(r.Properties.ResponseTemplates['application/json'], { message: 'm', validationError: 'v' }) as any).error.code);
  expect(responses.length).toBeGreaterThanOrEqual(18 * CELL_STACKS.length);
  for (const stackName of CELL_STACKS) expect(resourcesOf(stackName, 'AWS::ApiGateway::GatewayResponse').length).toBe(responses.length / CELL_STACKS.length);
  for (const code of codes) {
    expect(Object.values(ReasonCode).includes(code) || GATEWAY_ONLY_CODES.includes(code)).toBe(true);
  }
  // The router's codes keep their meaning: a caller outside the resource policy is CALLER_UNKNOWN either way.
  expect(ReasonCode.CALLER_UNKNOWN).toBe('CALLER_UNKNOWN');
  expect(ReasonCode.BAD_REQUEST).toBe('BAD_REQUEST');
});
