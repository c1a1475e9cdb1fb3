import { randomUUID } from 'crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { settingsFromEnvironment } from './config';
import { errorName, ReasonCode, RouterError } from './errors';
import { IdentityChainRecord } from './identity-chain';
import { createRouter, respond, Router } from './router';

let router: Router | undefined;

/** The part of the Lambda context the entry point reads. */
export type HandlerContext = Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'invokedFunctionArn'>>;

/**
 * The Lambda entry point: API Gateway's proxy event in, the router's answer out. The router is
 * built once per execution environment, so its Vault token and credential caches live across
 * requests (and its routing table is parsed and indexed once). The context's remaining time sets
 * each request's deadline, and its function ARN names the gateway's account.
 */
export async function handler(event: APIGatewayProxyEvent, context?: HandlerContext): Promise<APIGatewayProxyResult> {
  if (!router) {
    try {
      router = createRouter(settingsFromEnvironment(process.env, __dirname, context?.invokedFunctionArn));
    } catch (error) {
      // Not kept: the next invocation tries again (a fixed configuration is a new deployment).
      return misconfigured(event, error);
    }
  }
  return router.handle(event, context);
}

/**
 * The answer and the identity-chain record when the router cannot be built: the record still
 * says who called and why the request failed. Configuration errors name variables and files,
 * never a secret (the configuration holds none).
 */
function misconfigured(event: APIGatewayProxyEvent, error: unknown): APIGatewayProxyResult {
  const requestId = event?.requestContext?.requestId || randomUUID();
  const failure = new RouterError(ReasonCode.ROUTER_ERROR, 'The router is misconfigured; the request id identifies the failure in the decision log.');
  const record: IdentityChainRecord = {
    type: 'gateward.identity-chain',
    version: 1,
    timestamp: new Date().toISOString(),
    gateway: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown',
    requestId,
    callerArn: event?.requestContext?.identity?.userArn ?? undefined,
    latencyMs: { total: 0 },
    outcome: { status: failure.status, reason: failure.reason, message: `${failure.message} ${error instanceof Error ? error.message : errorName(error)}` },
  };
  console.log(JSON.stringify(record));
  return respond(failure.status, { error: { code: failure.reason, message: failure.message, requestId } }, requestId);
}
