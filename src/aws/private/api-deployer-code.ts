/**
 * Source of the API deployer, deployed inline (it is small and uses only the AWS SDK the Lambda
 * runtime ships). It backs the `Custom::GatewayApiDeployment` resource of each gateway API: on
 * create and on every update (its `Revision` property changes whenever anything the API serves
 * changes) it creates a new deployment of the API, whose id the API's stage then points to; on
 * delete it removes the deployment it created, once no stage uses it. The resource's logical id
 * never changes, so adding a tenant changes no existing resource's logical id, while the stage
 * still serves a deployment taken after the change (what CDK's own deployment resource does by
 * renaming itself).
 *
 * API Gateway accepts one CreateDeployment every five seconds per account (a quota that cannot be
 * raised), so a throttled call is retried every five seconds while the function has time left.
 *
 * The physical id is `<rest api id>/deployments/<deployment id>`; a delete of any other physical id
 * (a create that failed before a deployment existed) does nothing.
 */
export const API_DEPLOYER_CODE = `
const http = require('http');
const https = require('https');
const { APIGatewayClient, CreateDeploymentCommand, DeleteDeploymentCommand } = require('@aws-sdk/client-api-gateway');
const client = new APIGatewayClient({});
const PHYSICAL_ID = /^([A-Za-z0-9]+)\\/deployments\\/([A-Za-z0-9]+)$/;

function send(event, response) {
  const body = JSON.stringify({
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, ...response,
  });
  const url = new URL(event.ResponseURL);
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    request.on('error', reject);
    request.end(body);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function createDeployment(input, context) {
  for (;;) {
    try {
      return await client.send(new CreateDeploymentCommand(input));
    } catch (error) {
      if (error.name !== 'TooManyRequestsException' || context.getRemainingTimeInMillis() < 20000) throw error;
      await sleep(5000 + Math.floor(Math.random() * 1000));
    }
  }
}

async function deploy(event, context) {
  const { RestApiId, Description } = event.ResourceProperties;
  if (event.RequestType === 'Delete') {
    const match = PHYSICAL_ID.exec(event.PhysicalResourceId || '');
    if (!match) return { PhysicalResourceId: event.PhysicalResourceId };
    try {
      await client.send(new DeleteDeploymentCommand({ restApiId: match[1], deploymentId: match[2] }));
    } catch (error) {
      // Gone already (the API was deleted first), or a stage still serves it (a rollback moved the
      // stage back): either way nothing is left to do, and failing would block the stack.
      if (error.name !== 'NotFoundException' && error.name !== 'BadRequestException') throw error;
      console.log(JSON.stringify({ kept: event.PhysicalResourceId, reason: error.name }));
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const created = await createDeployment({ restApiId: RestApiId, description: Description }, context);
  console.log(JSON.stringify({ deployed: RestApiId, deploymentId: created.id, revision: event.ResourceProperties.Revision }));
  return { PhysicalResourceId: RestApiId + '/deployments/' + created.id, Data: { DeploymentId: created.id } };
}

exports.handler = async (event, context) => {
  let response;
  try {
    response = { Status: 'SUCCESS', ...(await deploy(event, context)) };
  } catch (error) {
    console.log(JSON.stringify({ failed: event.RequestType, error: error.name, message: error.message }));
    response = {
      Status: 'FAILED',
      Reason: (error.name + ': ' + error.message).slice(0, 1000),
      PhysicalResourceId: event.PhysicalResourceId || event.LogicalResourceId,
    };
  }
  await send(event, response);
  return response;
};
`;
