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
// Lambda names a function's streams like this; CloudTrail names its one stream per account and region.
const LAMBDA_STREAM = '2026/11/22/[$LATEST]0123456789abcdef0123456789abcdef';
const TRAIL_STREAM = `${ACCOUNT}_CloudTrail_${REGION}`;

const writers: Array<[string, string, string]> = [
  ['the router', names.routerRoleName, names.decisionLogGroupName],
  ['the key-age check', names.keyAgeCheckRoleName, names.keyAgeCheckLogGroupName],
];

describe.each(writers)('%s writes its own log', (_who, role, logGroup) => {
  test.each(['logs:CreateLogStream', 'logs:PutLogEvents'])('%s on a stream of its group', async (action) => {
    expect(await world.decide({ role, action, resource: stream(logGroup, LAMBDA_STREAM) })).toBe('Allowed');
  });

  test.each(['logs:CreateLogStream', 'logs:PutLogEvents'])('%s on no other group\'s stream', async (action) => {
    expect(await world.decide({ role, action, resource: stream(names.trailLogGroupName, LAMBDA_STREAM) })).toBe('ImplicitlyDenied');
    expect(await world.decide({ role, action, resource: stream(`${logGroup}-other`, LAMBDA_STREAM) })).toBe('ImplicitlyDenied');
  });

  test('and cannot delete it', async () => {
    expect(await world.decide({ role, action: 'logs:DeleteLogStream', resource: stream(logGroup, LAMBDA_STREAM) })).toBe('ImplicitlyDenied');
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
