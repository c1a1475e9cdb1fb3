import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint } from '../../src';
import { synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';

// Roles that AWS services assume on the gateway's behalf trust only the gateway's own resource,
// so a resource of another account cannot make the service act through them.

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const names = GatewayBlueprint.fromSpec(exampleSpec).naming;
const world = new IamWorld(synthesizeAwsPlane().template.toJSON(), { account: ACCOUNT, region: REGION });

describe('the CloudTrail delivery role', () => {
  const role = names.trailDeliveryRoleName;
  const assume = (context: Record<string, string>) => world.decide({
    principalArn: 'cloudtrail.amazonaws.com',
    identityPolicies: [],
    action: 'sts:AssumeRole',
    resource: world.roleArn(role),
    resourcePolicy: world.role(role).trust,
    context,
  });

  test('is assumed by CloudTrail for the gateway\'s trail', async () => {
    expect(await assume({ 'aws:SourceArn': names.trailArn(), 'aws:SourceAccount': ACCOUNT })).toBe('Allowed');
  });

  test.each([
    ['a trail of another account', { 'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:444455556666:trail/acme-llm-audit`, 'aws:SourceAccount': '444455556666' }],
    ['another trail of the account', { 'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/other`, 'aws:SourceAccount': ACCOUNT }],
    ['a request that names no source', {}],
  ])('is not assumed for %s', async (_what, context) => {
    expect(await assume(context)).toBe('ImplicitlyDenied');
  });
});
