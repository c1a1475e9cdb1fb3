import * as fs from 'fs';
import * as path from 'path';
import { NhiRules, NhiSeverity } from '../../src';
import { checkAws, open, resource, roleWith } from '../support/check-fixtures';

const ROLE = 'Stack/App/Role';
const allow = (Action: unknown, Resource: unknown = 'arn:aws:s3:::bucket/*', extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const only = (id: string) => (findings: ReturnType<typeof checkAws>) => findings.filter((f) => f.ruleId === id);

test('the rule list is pinned', () => {
  expect(NhiRules.all().map((r) => r.id)).toEqual([
    'NHI-IAM-WILDCARD-ACTION', 'NHI-IAM-WILDCARD-RESOURCE', 'NHI-IAM-NOT-ACTION', 'NHI-IAM-PASSROLE', 'NHI-IAM-PRIVILEGE-ESCALATION',
    'NHI-IAM-ADMIN-POLICY', 'NHI-IAM-LONG-SESSION', 'NHI-TRUST-ROOT-OR-ANYONE', 'NHI-TRUST-CROSS-ACCOUNT-NO-EXTERNAL-ID',
    'NHI-TRUST-SERVICE-NO-SOURCE', 'NHI-HUMAN-CAN-ASSUME', 'NHI-ROLE-REUSE', 'NHI-LONG-LIVED-IAM-CREDENTIALS', 'NHI-SECRET-NO-ROTATION',
    'NHI-SECRET-SLOW-ROTATION', 'NHI-SECRET-NO-CMK', 'NHI-STATIC-CALLER-KEY', 'NHI-MISSING-OWNER-TAGS', 'NHI-LOG-NO-RETENTION',
    'NHI-LOG-NO-KMS', 'NHI-TRAIL-NO-VALIDATION', 'NHI-NO-AUDIT-TRAIL', 'NHI-VAULT-IAM-USER', 'NHI-VAULT-STS-TTL', 'NHI-VAULT-LEASE-TTL',
    'NHI-VAULT-TOKEN-TTL', 'NHI-VAULT-DB-ROLE-TTL', 'NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB', 'NHI-VAULT-JWT-NO-AUDIENCE',
    'NHI-VAULT-APPROLE-SECRET-ID', 'NHI-VAULT-SECRET-LITERAL', 'NHI-VAULT-AUDIT-DEVICES', 'NHI-VAULT-AUDIT-LOG-RAW', 'NHI-STALE-ACKNOWLEDGEMENT',
  ]);
  for (const rule of NhiRules.all()) {
    expect(rule.nhi).toMatch(/^NHI\d+:2025 /);
    expect(rule.nist.length).toBeGreaterThan(0);
  }
});

test('a least-privilege role fires nothing', () => {
  expect(open(checkAws(roleWith([allow(['s3:GetObject', 's3:PutObject'])])))).toEqual([]);
});

describe('each rule fires on its violation, at the right place, and not on the compliant form', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, string]> = [
    ['NHI-IAM-WILDCARD-ACTION', roleWith([allow('s3:*')]), roleWith([allow('s3:GetObject')]), ROLE],
    ['NHI-IAM-WILDCARD-RESOURCE', roleWith([allow('s3:GetObject', '*')]), roleWith([allow('ec2:DescribeInstances', '*')]), ROLE],
    ['NHI-IAM-NOT-ACTION', roleWith([{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::bucket/*' }]), roleWith([allow('s3:GetObject')]), ROLE],
    ['NHI-IAM-PASSROLE', roleWith([allow('iam:PassRole', '*')]),
      roleWith([allow('iam:PassRole', 'arn:aws:iam::111122223333:role/job', { Condition: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } } })]), ROLE],
    ['NHI-IAM-PRIVILEGE-ESCALATION', roleWith([allow('iam:AttachRolePolicy', 'arn:aws:iam::111122223333:role/x')]), roleWith([allow('iam:GetRole', 'arn:aws:iam::111122223333:role/x')]), ROLE],
    ['NHI-IAM-ADMIN-POLICY', roleWith([allow('s3:GetObject')], {}, { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] }),
      roleWith([allow('s3:GetObject')], {}, { ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] }), ROLE],
    ['NHI-IAM-LONG-SESSION', roleWith([allow('s3:GetObject')], {}, { MaxSessionDuration: 43200 }), roleWith([allow('s3:GetObject')], {}, { MaxSessionDuration: 3600 }), ROLE],
    ['NHI-TRUST-ROOT-OR-ANYONE', roleWith([allow('s3:GetObject')], { Principal: { AWS: 'arn:aws:iam::111122223333:root' } }), roleWith([allow('s3:GetObject')]), ROLE],
    ['NHI-TRUST-CROSS-ACCOUNT-NO-EXTERNAL-ID', roleWith([allow('s3:GetObject')], { Principal: { AWS: 'arn:aws:iam::444455556666:role/partner' } }),
      roleWith([allow('s3:GetObject')], { Principal: { AWS: 'arn:aws:iam::444455556666:role/partner' }, Condition: { StringEquals: { 'sts:ExternalId': 'x' } } }), ROLE],
    ['NHI-TRUST-SERVICE-NO-SOURCE', roleWith([allow('s3:GetObject')], { Principal: { Service: 's3.amazonaws.com' } }),
      roleWith([allow('s3:GetObject')], { Principal: { Service: 's3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }), ROLE],
    ['NHI-HUMAN-CAN-ASSUME', roleWith([allow('s3:GetObject')], { Principal: { AWS: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123' } }),
      roleWith([allow('s3:GetObject')]), ROLE],
    ['NHI-ROLE-REUSE', roleWith([allow('s3:GetObject')], { Principal: { AWS: ['arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'] } }),
      roleWith([allow('s3:GetObject')]), ROLE],
    ['NHI-LONG-LIVED-IAM-CREDENTIALS', { ...roleWith([allow('s3:GetObject')]), User: resource('AWS::IAM::User', {}, { Metadata: { 'aws:cdk:path': 'Stack/Ci/User' } }) },
      roleWith([allow('s3:GetObject')]), 'Stack/Ci/User'],
    ['NHI-SECRET-NO-ROTATION', { ...roleWith([]), S: resource('AWS::SecretsManager::Secret', { KmsKeyId: 'k' }, { Metadata: { 'aws:cdk:path': 'Stack/Key' } }) },
      { ...roleWith([]), S: resource('AWS::SecretsManager::Secret', { KmsKeyId: 'k' }), R: resource('AWS::SecretsManager::RotationSchedule', { SecretId: { Ref: 'S' }, RotationLambdaARN: 'arn:aws:lambda:us-east-1:111122223333:function:r', RotationRules: { AutomaticallyAfterDays: 30 } }) },
      'Stack/Key'],
    ['NHI-SECRET-SLOW-ROTATION', { ...roleWith([]), S: resource('AWS::SecretsManager::Secret', { KmsKeyId: 'k' }), R: resource('AWS::SecretsManager::RotationSchedule', { SecretId: { Ref: 'S' }, RotationLambdaARN: 'arn:r', RotationRules: { ScheduleExpression: 'rate(180 days)' } }) },
      { ...roleWith([]), S: resource('AWS::SecretsManager::Secret', { KmsKeyId: 'k' }), R: resource('AWS::SecretsManager::RotationSchedule', { SecretId: { Ref: 'S' }, RotationLambdaARN: 'arn:r', RotationRules: { ScheduleExpression: 'rate(30 days)' } }) },
      'S'],
    ['NHI-SECRET-NO-CMK', { ...roleWith([]), S: resource('AWS::SecretsManager::Secret', {}), R: resource('AWS::SecretsManager::RotationSchedule', { SecretId: { Ref: 'S' }, RotationLambdaARN: 'arn:r', RotationRules: { AutomaticallyAfterDays: 30 } }) },
      { ...roleWith([]), S: resource('AWS::SecretsManager::Secret', { KmsKeyId: 'k' }), R: resource('AWS::SecretsManager::RotationSchedule', { SecretId: { Ref: 'S' }, RotationLambdaARN: 'arn:r', RotationRules: { AutomaticallyAfterDays: 30 } }) },
      'S'],
    ['NHI-STATIC-CALLER-KEY', { ...roleWith([]), F: resource('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Environment: { Variables: { API_KEY: 'bedrock' } } }) },
      { ...roleWith([]), F: resource('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Environment: { Variables: { API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:k' } } }) },
      'F'],
    ['NHI-MISSING-OWNER-TAGS', { ...roleWith([]), B: { Type: 'AWS::S3::Bucket', Properties: {} } }, { ...roleWith([]), B: resource('AWS::S3::Bucket', {}) }, 'B'],
    ['NHI-LOG-NO-RETENTION', { ...roleWith([]), L: resource('AWS::Logs::LogGroup', { KmsKeyId: 'k', RetentionInDays: 30 }) }, { ...roleWith([]), L: resource('AWS::Logs::LogGroup', { KmsKeyId: 'k', RetentionInDays: 365 }) }, 'L'],
    ['NHI-LOG-NO-KMS', { ...roleWith([]), L: resource('AWS::Logs::LogGroup', { RetentionInDays: 365 }) }, { ...roleWith([]), L: resource('AWS::Logs::LogGroup', { KmsKeyId: 'k', RetentionInDays: 365 }) }, 'L'],
    ['NHI-TRAIL-NO-VALIDATION', { ...roleWith([]), Trail: resource('AWS::CloudTrail::Trail', { IsLogging: true }) }, roleWith([]), 'Trail'],
  ];

  test.each(cases)('%s', (ruleId, violating, compliant, location) => {
    expect(only(ruleId)(checkAws(violating)).map((f) => f.location)).toEqual([location]);
    expect(only(ruleId)(checkAws(compliant))).toEqual([]);
  });

  test('NHI-NO-AUDIT-TRAIL: an app with identities and no trail in any stack', () => {
    const { Trail: _trail, ...withoutTrail } = roleWith([allow('s3:GetObject')]);
    expect(only('NHI-NO-AUDIT-TRAIL')(checkAws(withoutTrail)).map((f) => f.location)).toEqual(['Stack']);
    // A trail in another stack of the app covers it.
    expect(only('NHI-NO-AUDIT-TRAIL')(checkAws(withoutTrail, { Trail: resource('AWS::CloudTrail::Trail', { EnableLogFileValidation: true }) }))).toEqual([]);
  });

  test('NHI-ROLE-REUSE: one role as the identity of two functions', () => {
    const fn = () => resource('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } });
    expect(only('NHI-ROLE-REUSE')(checkAws({ ...roleWith([]), F1: fn(), F2: fn() })).map((f) => f.message)).toEqual(['is the identity of 2 workloads: F1, F2']);
    expect(only('NHI-ROLE-REUSE')(checkAws({ ...roleWith([]), F1: fn() }))).toEqual([]);
  });

  test('NHI-IAM-PRIVILEGE-ESCALATION: iam:PassRole with a service that runs code', () => {
    const passAndCreate = [allow('iam:PassRole', 'arn:aws:iam::111122223333:role/x', { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }),
      allow('lambda:CreateFunction', 'arn:aws:lambda:us-east-1:111122223333:function:f')];
    expect(only('NHI-IAM-PRIVILEGE-ESCALATION')(checkAws(roleWith(passAndCreate))).map((f) => f.message))
      .toEqual(['can escalate through iam:PassRole with lambda:CreateFunction']);
  });
});

describe('wildcards are graded by the access level they cover', () => {
  const severityOf = (action: string) => only('NHI-IAM-WILDCARD-ACTION')(checkAws(roleWith([allow(action)])))[0]?.severity;
  test.each<[string, NhiSeverity]>([
    ['*', NhiSeverity.CRITICAL],
    ['iam:*', NhiSeverity.CRITICAL],
    ['s3:Put*', NhiSeverity.CRITICAL], // covers s3:PutBucketPolicy, which is permissions management
    ['sqs:SendMessage*', NhiSeverity.HIGH],
    ['s3:Get*', NhiSeverity.LOW],
    ['s3:List*', NhiSeverity.LOW],
  ])('%s is %s', (action, severity) => {
    expect(severityOf(action)).toBe(severity);
  });

  test('"*" on an action with no resource-level form is not a wildcard-resource finding', () => {
    expect(only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow(['sts:GetCallerIdentity', 'ec2:DescribeInstances'], '*')])))).toEqual([]);
  });

  test('a wildcard pinned by a condition on the resource (its VPC) is scoped; an unpinned one is not', () => {
    const eni = 'arn:aws:ec2:us-east-1:111122223333:network-interface/*';
    const vpc = { StringEquals: { 'ec2:Vpc': 'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0a1b' } };
    const fires = (statement: Record<string, unknown>) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([statement]))).length > 0;
    expect(fires(allow('ec2:DeleteNetworkInterface', eni, { Condition: vpc }))).toBe(false);
    expect(fires(allow('ec2:DeleteNetworkInterface', eni))).toBe(true);
    // A request tag describes what is sent, not which resource is touched.
    expect(fires(allow('ec2:DeleteNetworkInterface', eni, { Condition: { StringEquals: { 'aws:RequestTag/team': 'a' } } }))).toBe(true);
    expect(fires(allow('ec2:DeleteNetworkInterface', eni, { Condition: { StringLike: { 'ec2:Vpc': 'arn:aws:ec2:*' } } }))).toBe(true);
  });

  test('creating a resource whose id cannot be known is scoped when every other required resource is named', () => {
    const eni = 'arn:aws:ec2:us-east-1:111122223333:network-interface/*';
    const subnet = 'arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0a1b';
    const fires = (resources: string[]) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow('ec2:CreateNetworkInterface', resources)]))).length > 0;
    expect(fires([eni, subnet])).toBe(false);
    expect(fires([eni])).toBe(true);
    expect(fires(['*'])).toBe(true);
    expect(fires([eni, 'arn:aws:ec2:us-east-1:111122223333:subnet/*'])).toBe(true);
  });

  test('every resource of a type is broad; objects under one bucket or streams of one log group are not', () => {
    const broad = (arn: string) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow('bedrock:InvokeModel', arn)]))).length > 0;
    expect(broad('arn:aws:bedrock:*::foundation-model/*')).toBe(true);
    expect(broad('arn:aws:bedrock:us-east-1::foundation-model/*')).toBe(true);
    expect(broad('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2')).toBe(false);
    const logs = (arn: string) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow('logs:PutLogEvents', arn)]))).length > 0;
    expect(logs('arn:aws:logs:us-east-1:111122223333:log-group:/app:log-stream:*')).toBe(false);
    expect(logs('arn:aws:logs:us-east-1:111122223333:log-group:*')).toBe(true);
    const objects = (arn: string) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow('s3:GetObject', arn)]))).length > 0;
    expect(objects('arn:aws:s3:::audit-logs/*')).toBe(false);
    expect(objects('arn:aws:s3:::*')).toBe(true);
    expect(objects('arn:aws:s3:::*/AWSLogs/*')).toBe(true);
  });
});

test('the README\'s rule table lists every rule, as the catalogue states it', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const rows = readme.split('\n').filter((line) => line.startsWith('| `NHI-'));
  expect(rows).toEqual(NhiRules.all().map((r) => `| \`${r.id}\` | ${r.nhi.split(':')[0]} | ${r.severity} | ${r.title} |`));
});
