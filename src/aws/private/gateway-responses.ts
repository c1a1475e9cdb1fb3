import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/**
 * What the API answers when API Gateway itself refuses or fails a request (before or instead of
 * the router), in the router's error shape: `{"error":{"code","message","requestId"}}`. Codes the
 * router also answers with mean the same thing; the others name what API Gateway saw.
 */
export interface GatewayErrorResponse {
  readonly type: apigateway.ResponseType;
  readonly statusCode: string;
  readonly code: string;
  /** A literal message, or a `$context` variable that API Gateway renders as a quoted string. */
  readonly message: string;
}

/** API Gateway renders these as JSON strings, quotes included. */
const QUOTED_CONTEXT = ['$context.error.messageString', '$context.error.validationErrorString'];

const literal = (text: string) => JSON.stringify(text);

export const GATEWAY_ERROR_RESPONSES: GatewayErrorResponse[] = [
  // The schema's own words name the failing field, e.g. `object has missing required properties (["modelId"])`.
  { type: apigateway.ResponseType.BAD_REQUEST_BODY, statusCode: '400', code: 'BAD_REQUEST', message: '$context.error.validationErrorString' },
  { type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, statusCode: '400', code: 'BAD_REQUEST', message: '$context.error.validationErrorString' },
  { type: apigateway.ResponseType.REQUEST_TOO_LARGE, statusCode: '413', code: 'REQUEST_TOO_LARGE', message: literal('The request body is larger than API Gateway accepts (10 MB).') },
  { type: apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, statusCode: '415', code: 'UNSUPPORTED_MEDIA_TYPE', message: literal('Send the chat request as Content-Type: application/json.') },
  {
    type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '403',
    code: 'NOT_SIGNED',
    message: literal('The request is not SigV4-signed (service execute-api), or it is not POST /v1/chat.'),
  },
  { type: apigateway.ResponseType.INVALID_SIGNATURE, statusCode: '403', code: 'SIGNATURE_INVALID', message: literal('The SigV4 signature does not match the request; sign it for service execute-api in the gateway\'s region.') },
  { type: apigateway.ResponseType.UNAUTHORIZED, statusCode: '401', code: 'SIGNATURE_INVALID', message: literal('The request\'s credentials were not accepted; sign it with valid AWS credentials.') },
  { type: apigateway.ResponseType.EXPIRED_TOKEN, statusCode: '403', code: 'CREDENTIALS_EXPIRED', message: literal('The credentials that signed the request have expired; refresh them and sign again.') },
  // The resource policy admits only the spec's workload roles (the router's own reason code).
  { type: apigateway.ResponseType.ACCESS_DENIED, statusCode: '403', code: 'CALLER_UNKNOWN', message: literal('The signed caller is not a workload of this gateway.') },
  {
    type: apigateway.ResponseType.WAF_FILTERED,
    statusCode: '403',
    code: 'BLOCKED_BY_WAF',
    message: literal('The gateway\'s web ACL blocked the request: too many requests from this source in five minutes, or a known-bad input or source.'),
  },
  { type: apigateway.ResponseType.THROTTLED, statusCode: '429', code: 'THROTTLED', message: literal('The gateway\'s request rate is exceeded; retry with backoff.') },
  { type: apigateway.ResponseType.QUOTA_EXCEEDED, statusCode: '429', code: 'THROTTLED', message: literal('The gateway\'s request quota is exceeded; retry later.') },
  { type: apigateway.ResponseType.RESOURCE_NOT_FOUND, statusCode: '404', code: 'NOT_FOUND', message: literal('The gateway has one method: POST /v1/chat.') },
  { type: apigateway.ResponseType.INTEGRATION_TIMEOUT, statusCode: '504', code: 'ROUTER_TIMEOUT', message: literal('The router did not answer within 29 seconds; retry, or ask for a shorter completion.') },
  { type: apigateway.ResponseType.INTEGRATION_FAILURE, statusCode: '502', code: 'ROUTER_ERROR', message: literal('The router could not be invoked.') },
  { type: apigateway.ResponseType.API_CONFIGURATION_ERROR, statusCode: '500', code: 'GATEWAY_ERROR', message: literal('The gateway is misconfigured.') },
  { type: apigateway.ResponseType.DEFAULT_4XX, statusCode: '400', code: 'REQUEST_REFUSED', message: '$context.error.messageString' },
  { type: apigateway.ResponseType.DEFAULT_5XX, statusCode: '500', code: 'GATEWAY_ERROR', message: '$context.error.messageString' },
];

/** The response body template of one error: the router's error shape, with API Gateway's request id. */
export function errorTemplate(response: GatewayErrorResponse): string {
  if (!QUOTED_CONTEXT.includes(response.message) && !response.message.startsWith('"')) {
    throw new Error(`gateway response ${response.type.responseType}: the message must be a quoted literal or a quoted context variable`);
  }
  return `{"error":{"code":${JSON.stringify(response.code)},"message":${response.message},"requestId":"$context.requestId"}}`;
}
