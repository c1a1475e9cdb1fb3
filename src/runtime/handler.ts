import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { settingsFromEnvironment } from './config';
import { createRouter, Router } from './router';

let router: Router | undefined;

/**
 * The Lambda entry point: API Gateway's proxy event in, the router's answer out. The router is
 * built once per execution environment, so its Vault token and credential caches live across
 * requests.
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  router ??= createRouter(settingsFromEnvironment(process.env, __dirname));
  return router.handle(event);
}
