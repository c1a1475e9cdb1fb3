import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PrincipalAssertions } from '../../src';
import { synthesizeAwsPlane } from '../support/aws-example';
import { buildPeerGateway } from '../support/peer-gateway';

const example = PrincipalAssertions.fromTemplateJson(JSON.stringify(synthesizeAwsPlane().template.toJSON()));

function stackWith(build: (stack: cdk.Stack) => void): PrincipalAssertions {
  const stack = new cdk.Stack(new cdk.App({ context: { 'aws:cdk:enable-path-metadata': true } }), 'BedrockProxy');
  build(stack);
  return PrincipalAssertions.fromTemplateJson(JSON.stringify(Template.fromStack(stack).toJSON()));
}

test('every role of the example gateway passes assertNoWildcards', () => {
  expect(example.principals).toContain('acme-llm-aws/Gateway/Broker');
  for (const principal of example.principals) expect(() => example.assertNoWildcards(principal)).not.toThrow();
});

test('allowedActions lists what a role\'s policies allow, and assertActionsWithin pins it', () => {
  expect(example.allowedActions('acme-llm-aws/Gateway/Broker')).toEqual(['sts:AssumeRole', 'sts:TagSession']);
  expect(() => example.assertActionsWithin('acme-llm-aws/Gateway/Broker', ['sts:AssumeRole', 'sts:TagSession'])).not.toThrow();
  expect(() => example.assertActionsWithin('acme-llm-aws/Gateway/Broker', ['sts:AssumeRole']))
    .toThrow('acme-llm-aws/Gateway/Broker:\n  - is allowed sts:TagSession, which is not among the permitted actions (sts:AssumeRole)');
});

test('assertNoWildcards names each wildcard of the peer gateway\'s role', () => {
  const peer = stackWith(buildPeerGateway);
  expect(() => peer.assertNoWildcards('BedrockProxy/ProxyApiHandler/ServiceRole')).toThrow(
    /BedrockProxy\/ProxyApiHandler\/ServiceRole:\n {2}- holds the managed policy .*\/AWSLambdaBasicExecutionRole, whose statements cannot be checked here\n {2}- a statement allows the wildcard action bedrock:\*\n {2}- a statement allows bedrock:\* on every resource \(\*\)/);
});

test('"*" is accepted only for actions with no resource-level form', () => {
  const roles = stackWith((stack) => {
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'Describe', actions: ['ec2:DescribeSubnets', 'sts:GetCallerIdentity'], resources: ['*'] }));
  });
  expect(() => roles.assertNoWildcards('BedrockProxy/Worker')).not.toThrow();
  const mixed = stackWith((stack) => {
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'Mixed', actions: ['ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface'], resources: ['*'] }));
  });
  expect(() => mixed.assertNoWildcards('BedrockProxy/Worker')).toThrow('statement Mixed allows ec2:DeleteNetworkInterface on every resource (*)');
});

test('assertNoWildcards refuses NotAction, NotResource and AWS-managed policies', () => {
  const roles = stackWith((stack) => {
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'AllButIam', notActions: ['iam:*'], resources: ['arn:aws:s3:::b'] }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'AllButOne', actions: ['s3:GetObject'], notResources: ['arn:aws:s3:::secret/*'] }));
  });
  expect(() => roles.assertNoWildcards('BedrockProxy/Worker')).toThrow(new RegExp([
    'holds the managed policy arn:.*ReadOnlyAccess',
    'statement AllButIam allows everything except iam:\\* \\(NotAction\\)',
    'statement AllButOne allows every resource except arn:aws:s3:::secret/\\* \\(NotResource\\)',
  ].join('[\\s\\S]*')));
  expect(roles.allowedActions('BedrockProxy/Worker')).toEqual(['NOT iam:*', 's3:GetObject']);
});

test('an unknown role is named with the roles there are', () => {
  expect(() => example.assertNoWildcards('acme-llm-aws/Nope')).toThrow(/No role at acme-llm-aws\/Nope; the template's roles are: .*acme-llm-aws\/Gateway\/Broker/);
});
