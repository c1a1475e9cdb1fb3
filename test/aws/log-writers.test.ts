import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewayBlueprint, ProviderKeyRotation, VaultServerIdentity } from '../../src';
import { synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';

// Every role that writes a log, evaluated by the offline IAM simulator on the ARNs AWS puts in
// the request: CreateLogStream and PutLogEvents both name the stream
// (`log-group:NAME:log-stream:STREAM`), never the bare group.

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const names = GatewayBlueprint.fromSpec(exampleSpec).naming;
// Manual rotation, so the key-age check and its log exist.
const { template } = synthesizeAwsPlane(exampleSpec, (stack, spec) => new GatewayAwsPlane(stack, 'Gateway', {
  spec,
  vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/acme-vault-server`),
  providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
}));
const world = new IamWorld(template.toJSON(), { account: ACCOUNT, region: REGION });
const group = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
const stream = (name: string, streamName: string) => `${group(name)}:log-stream:${streamName}`;
// Lambda names a function's streams in a log group of its choosing `<date>/<function name>[<version>]<id>`;
// CloudTrail names its one stream per account and region.
const lambdaStream = (functionName: string) => `2026/11/22/${functionName}[$LATEST]0123456789abcdef0123456789abcdef`;
const TRAIL_STREAM = `${ACCOUNT}_CloudTrail_${REGION}`;
const SUPPORT_ROUTER = names.tenantRouterRoleName('support');
const RESEARCH_ROUTER = names.tenantRouterRoleName('research');

const writers: Array<[string, string, string, string]> = [
  ['the support router cell', SUPPORT_ROUTER, names.decisionLogGroupName, lambdaStream(names.tenantRouterFunctionName('support'))],
  ['the research router cell', RESEARCH_ROUTER, names.decisionLogGroupName, lambdaStream(names.tenantRouterFunctionName('research'))],
  ['the key-age check', names.keyAgeCheckRoleName, names.keyAgeCheckLogGroupName, '2026/11/22/[$LATEST]0123456789abcdef0123456789abcdef'],
];

describe.each(writers)('%s writes its own log', (_who, role, logGroup, ownStream) => {
  test.each(['logs:CreateLogStream', 'logs:PutLogEvents'])('%s on a stream of its group', async (action) => {
    expect(await world.decide({ role, action, resource: stream(logGroup, ownStream) })).toBe('Allowed');
  });

  test.each(['logs:CreateLogStream', 'logs:PutLogEvents'])('%s on no other group\'s stream', async (action) => {
    expect(await world.decide({ role, action, resource: stream(names.trailLogGroupName, ownStream) })).toBe('ImplicitlyDenied');
    expect(await world.decide({ role, action, resource: stream(`${logGroup}-other`, ownStream) })).toBe('ImplicitlyDenied');
  });

  test('and cannot delete it', async () => {
    expect(await world.decide({ role, action: 'logs:DeleteLogStream', resource: stream(logGroup, ownStream) })).toBe('ImplicitlyDenied');
  });
});

describe('a router cell writes only its own function\'s streams of the shared decision log', () => {
  test.each([
    [SUPPORT_ROUTER, 'research'],
    [RESEARCH_ROUTER, 'support'],
  ])('%s cannot write the streams of tenant %s\'s cell', async (role, other) => {
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      expect(await world.decide({ role, action, resource: stream(names.decisionLogGroupName, lambdaStream(names.tenantRouterFunctionName(other))) })).toBe('ImplicitlyDenied');
    }
  });

  test('nor a stream whose name merely ends in its function name', async () => {
    // A tenant "x-support" would have function acme-llm-x-support-router; the date's slash anchors the name.
    const lookalike = lambdaStream('acme-llm-x-support-router');
    expect(await world.decide({ role: names.tenantRouterRoleName('support'), action: 'logs:PutLogEvents', resource: stream(names.decisionLogGroupName, lookalike) })).toBe('ImplicitlyDenied');
  });
});

describe('CloudTrail\'s delivery role writes the trail\'s one stream', () => {
  const role = names.trailDeliveryRoleName;

  test.each(['logs:CreateLogStream', 'logs:PutLogEvents'])('%s on the trail stream', async (action) => {
    expect(await world.decide({ role, action, resource: stream(names.trailLogGroupName, TRAIL_STREAM) })).toBe('Allowed');
  });

  test.each(['logs:CreateLogStream', 'logs:PutLogEvents'])('%s on no other stream', async (action) => {
    expect(await world.decide({ role, action, resource: stream(names.trailLogGroupName, 'other') })).toBe('ImplicitlyDenied');
    expect(await world.decide({ role, action, resource: stream(names.decisionLogGroupName, TRAIL_STREAM) })).toBe('ImplicitlyDenied');
  });
});
