import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, ProviderKeyRotation, VaultServerIdentity } from '../../src';
import { gatewayStackTemplates, mergedGatewayTemplate } from '../support/aws-example';

// A provider key's rotation is a class with one factory per way of rotating, like
// VaultServerIdentity: what the plane builds follows from the value, not from a mode flag.

const ACCOUNT = exampleSpec.aws.account;
const REGION = exampleSpec.aws.region;

/** The plane's stacks as one template, and the template of the cell stack holding research's key. */
function planeTemplate(rotation: (stack: cdk.Stack) => ProviderKeyRotation): Template & { keyCell: Template } {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'p', { env: { account: ACCOUNT, region: REGION } });
  const plane = new GatewayAwsPlane(stack, 'Gateway', {
    spec: exampleSpec,
    vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/acme-vault-server`),
    providerKeyRotation: { 'research/openai': rotation(stack) },
  });
  const templates = gatewayStackTemplates(app, plane);
  return Object.assign(Template.fromJSON(mergedGatewayTemplate(Object.values(templates))), {
    keyCell: Template.fromJSON(templates[plane.cellStackOf('research').stackName]),
  });
}

test('each way of rotating says what it is', () => {
  const fn = lambda.Function.fromFunctionAttributes(new cdk.Stack(), 'F', { functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:rotate`, sameEnvironment: true });
  expect(ProviderKeyRotation.manual().description).toBe('manual');
  expect(ProviderKeyRotation.withFunction(fn, { executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/rotator` }).description).toBe('by function');
  expect(Object.keys(ProviderKeyRotation.manual())).not.toContain('mode');
});

test('a function rotation schedules the function and a manual one watches the key\'s age', () => {
  const withFunction = planeTemplate((stack) => ProviderKeyRotation.withFunction(
    lambda.Function.fromFunctionAttributes(stack, 'Rotator', { functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:rotate`, sameEnvironment: true }),
    { executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/rotator` }));
  withFunction.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
  // The schedule sits with its secret, in the key's cell stack.
  withFunction.keyCell.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
  withFunction.resourceCountIs('AWS::CloudWatch::Alarm', 0);

  const manual = planeTemplate(() => ProviderKeyRotation.manual());
  manual.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  expect(Object.keys(manual.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThan(0);
  // The key's age alarm and its place on the check's list are in its cell stack, next to the key.
  manual.keyCell.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'KeyAgeDays',
    Dimensions: Match.arrayWith([{ Name: 'SecretName', Value: 'gateward/acme-llm/research/openai' }]),
  });
  manual.keyCell.hasResourceProperties('AWS::SSM::Parameter', { Name: Match.stringLikeRegexp('^/gateward/acme-llm/key-age/') });
});
