import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ServedMethod } from './config';

/**
 * Why an event cannot have come from the cell's API method, one problem per field; empty when it
 * can. API Gateway fills these fields itself, so an event that differs was written by whoever
 * invoked the function directly. Values are not echoed: they are the sender's, and a record
 * needs only the fields that were wrong.
 *
 * These checks stop an event meant for another API, stage, account or tenant, and one that names
 * no signed caller. They cannot stop a principal allowed to invoke the function from writing an
 * event that passes them; such an event can only ever act as a workload of the cell's own tenant.
 */
export function forgedEventProblems(event: Partial<APIGatewayProxyEvent> | undefined, method: ServedMethod): string[] {
  const context = event?.requestContext as Partial<APIGatewayProxyEvent['requestContext']> | undefined;
  if (!context || typeof context !== 'object') return ['the event has no requestContext'];
  const problems: string[] = [];
  if (context.apiId !== method.apiId) problems.push('requestContext.apiId is not the API of this router cell');
  if (context.stage !== method.stage) problems.push('requestContext.stage is not the API\'s stage');
  if (context.accountId !== method.account) problems.push('requestContext.accountId is not the gateway\'s account');
  if (event?.httpMethod !== 'POST' || (context.httpMethod !== undefined && context.httpMethod !== 'POST')) {
    problems.push('httpMethod is not POST');
  }
  if (event?.resource !== method.resource || (context.resourcePath !== undefined && context.resourcePath !== method.resource)) {
    problems.push(`resource is not ${method.resource}, the chat method of the tenant this cell serves`);
  }
  const userArn = context.identity?.userArn;
  if (typeof userArn !== 'string' || userArn.length === 0) problems.push('requestContext.identity.userArn is missing: the request was not signed');
  return problems;
}
