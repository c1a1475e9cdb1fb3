import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsNhiChecker, NhiRules, NhiSeverity } from '../../src';
import { checkAws, open, resource, roleWith } from '../support/check-fixtures';

const ROLE = 'Stack/App/Role';
const allow = (Action: unknown, Resource: unknown = 'arn:aws:s3:::bucket/*', extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const only = (id: string) => (findings: ReturnType<typeof checkAws>) => findings.filter((f) => f.ruleId === id);

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
    ['NHI-STATIC-CALLER-KEY', { ...roleWith([]), K: resource('AWS::ApiGateway::ApiKey', { Enabled: true }) }, roleWith([]), 'K'],
    ['NHI-CFN-SECRET-LITERAL', { ...roleWith([]), F: resource('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Environment: { Variables: { OPENAI_API_KEY: 'sk-proj-0123456789' } } }) },
      { ...roleWith([]), F: resource('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Environment: { Variables: { OPENAI_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:k' } } }) },
      'F'],
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
  const severityOf = (action: string, on: unknown = '*') => only('NHI-IAM-WILDCARD-ACTION')(checkAws(roleWith([allow(action, on)])))[0]?.severity;
  test.each<[string, NhiSeverity]>([
    ['*', NhiSeverity.CRITICAL],
    ['iam:*', NhiSeverity.CRITICAL],
    ['s3:Put*', NhiSeverity.CRITICAL], // covers s3:PutBucketPolicy, which is permissions management
    ['sqs:SendMessage*', NhiSeverity.HIGH],
    ['s3:Get*', NhiSeverity.LOW],
    ['s3:List*', NhiSeverity.LOW],
  ])('%s on every resource is %s', (action, severity) => {
    expect(severityOf(action)).toBe(severity);
  });

  test('a CDK grant wildcard on one resource is graded by what it reaches there, not as a wildcard', () => {
    const objects = 'arn:aws:s3:::bucket/*';
    const key = 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-0000-0000-0000-000000000000';
    // grantRead and grantEncrypt: reads and data-key writes on one bucket or key are what a grant means.
    expect(severityOf('s3:GetObject*', objects)).toBeUndefined();
    expect(severityOf('s3:GetBucket*', 'arn:aws:s3:::bucket')).toBeUndefined();
    expect(severityOf('kms:GenerateDataKey*', key)).toBeUndefined();
    expect(severityOf('s3:DeleteObject*', objects)).toBeUndefined();
    // On objects, s3:Put* reaches s3:PutObjectAcl, permissions management, but never s3:PutBucketPolicy.
    expect(severityOf('s3:Put*', objects)).toBe(NhiSeverity.MEDIUM);
    expect(only('NHI-IAM-WILDCARD-ACTION')(checkAws(roleWith([allow('s3:Put*', objects)])))[0].message).toContain('Permissions management');
    // A whole service stays a wildcard action, on any resource.
    expect(severityOf('s3:*', objects)).toBe(NhiSeverity.CRITICAL);
    // A reference into the template could be any resource type: every action the pattern covers counts.
    expect(severityOf('s3:Put*', '${Stack/Bucket.Arn}')).toBe(NhiSeverity.MEDIUM);
  });

  test('the standard log-writing and network-interface actions on "*" are graded like the AWS-managed policies that grant them', () => {
    const wildcardResource = (statements: unknown[], roleProps: Record<string, unknown> = {}) =>
      only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith(statements, {}, roleProps)));
    const basic = allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], '*');
    const vpc = allow(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], '*');
    const managed = wildcardResource([allow('s3:GetObject')], {
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
    });
    expect(managed).toEqual([]);
    expect(wildcardResource([basic, vpc])).toEqual(managed);
    // Anything beyond the pattern on "*" is still judged. Log writing on a wildcard log-group ARN
    // is the same grant narrowed to log groups; reading every group's events there is not.
    expect(wildcardResource([allow(['logs:PutLogEvents', 'logs:DeleteLogGroup'], '*')])).toHaveLength(1);
    expect(wildcardResource([allow('logs:PutLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:*')])).toHaveLength(0);
    expect(wildcardResource([allow('logs:GetLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:*')])).toHaveLength(1);
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
    // On "*" it is the pattern AWSLambdaVPCAccessExecutionRole grants, graded as that policy is.
    expect(fires(['*'])).toBe(false);
    expect(fires([eni, 'arn:aws:ec2:us-east-1:111122223333:subnet/*'])).toBe(true);
  });

  test('every resource of a type is broad; objects under one bucket or streams of one log group are not', () => {
    const broad = (arn: string) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow('bedrock:InvokeModel', arn)]))).length > 0;
    expect(broad('arn:aws:bedrock:*::foundation-model/*')).toBe(true);
    expect(broad('arn:aws:bedrock:us-east-1::foundation-model/*')).toBe(true);
    expect(broad('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2')).toBe(false);
    // One model in every region, as cross-region inference needs, is scoped to that model; a family is not.
    expect(broad('arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(false);
    expect(broad('arn:aws:bedrock:*::foundation-model/anthropic.*')).toBe(true);
    expect(broad('arn:aws:bedrock:us-east-1:*:inference-profile/us.anthropic.*')).toBe(true);
    const logs = (arn: string) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow('logs:GetLogEvents', arn)]))).length > 0;
    expect(logs('arn:aws:logs:us-east-1:111122223333:log-group:/app:log-stream:*')).toBe(false);
    expect(logs('arn:aws:logs:us-east-1:111122223333:log-group:*')).toBe(true);
    const objects = (arn: string) => only('NHI-IAM-WILDCARD-RESOURCE')(checkAws(roleWith([allow('s3:GetObject', arn)]))).length > 0;
    expect(objects('arn:aws:s3:::audit-logs/*')).toBe(false);
    expect(objects('arn:aws:s3:::*')).toBe(true);
    expect(objects('arn:aws:s3:::*/AWSLogs/*')).toBe(true);
  });
});

test('the README\'s rule table is the catalogue, row for row', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const rows = readme.split('\n').filter((line) => line.startsWith('| `NHI-'));
  expect(rows).toEqual(NhiRules.all().map((r) => `| \`${r.id}\` | ${r.nhi.split(':')[0]} | ${r.severity} | ${r.title} |`));
});

test('owner tags are judged only for the keys the user configured, and only on identities and secrets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-owner-'));
  try {
    const file = path.join(dir, 'Stack.template.json');
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] }, Tags: [{ Key: 'team', Value: 'llm' }] } },
        Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Tags: [{ Key: 'owner', Value: 'a' }] } },
        Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      },
    }));
    const owners = (checker: AwsNhiChecker) => checker.checkTemplates([{ templateFile: file }])
      .filter((f) => f.ruleId === 'NHI-MISSING-OWNER-TAGS').map((f) => [f.location, f.message, f.severity]);
    expect(owners(new AwsNhiChecker())).toEqual([]);
    expect(owners(new AwsNhiChecker({ ownerTagKeys: ['owner'] }))).toEqual([['Role', 'has no owner tag', NhiSeverity.LOW]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('what one template of the app does for another, and principals that are not roles', () => {
  const checkTemplates = (...templates: Array<Record<string, unknown>>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-app-'));
    try {
      const inputs = templates.map((template, i) => {
        const file = path.join(dir, `Stack${i}.template.json`);
        fs.writeFileSync(file, JSON.stringify(template));
        return { templateFile: file, account: '111122223333', stackPath: `Stack${i}` };
      });
      return new AwsNhiChecker().checkTemplates(inputs);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const secrets = {
    Resources: { Key: resource('AWS::SecretsManager::Secret', { KmsKeyId: 'k' }) },
    Outputs: { KeyArn: { Value: { Ref: 'Key' }, Export: { Name: 'gateway-key-arn' } } },
  };
  const rotation = (secretId: unknown) => ({
    Resources: {
      Rotation: resource('AWS::SecretsManager::RotationSchedule', {
        SecretId: secretId, RotationLambdaARN: 'arn:aws:lambda:us-east-1:111122223333:function:rotate', RotationRules: { AutomaticallyAfterDays: 30 },
      }),
    },
  });

  test('a rotation schedule in another stack, reached through Fn::ImportValue, rotates the secret', () => {
    expect(only('NHI-SECRET-NO-ROTATION')(checkTemplates(secrets)).map((f) => f.location)).toEqual(['Key']);
    expect(only('NHI-SECRET-NO-ROTATION')(checkTemplates(secrets, rotation({ 'Fn::ImportValue': 'gateway-key-arn' })))).toEqual([]);
    // An import of another export rotates something else.
    expect(only('NHI-SECRET-NO-ROTATION')(checkTemplates(secrets, rotation({ 'Fn::ImportValue': 'other-key-arn' })))).toHaveLength(1);
  });

  test('an IAM user with AdministratorAccess is graded as an administrator', () => {
    const findings = checkAws({
      ...roleWith([]),
      Ci: resource('AWS::IAM::User', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] }, { Metadata: { 'aws:cdk:path': 'Stack/Ci/User' } }),
    });
    expect(only('NHI-IAM-ADMIN-POLICY')(findings).map((f) => [f.location, f.message])).toEqual([['Stack/Ci/User', 'has the AWS-managed policy AdministratorAccess']]);
  });
});

test('a value the template cannot tell is reported as unresolved, never as missing', () => {
  // The unresolved marker as a template written out as JSON carries it.
  const trail = resource('AWS::CloudTrail::Trail', { IsLogging: true, EnableLogFileValidation: { unresolved: 'Ref ValidateLogs' } });
  const [finding] = only('NHI-TRAIL-NO-VALIDATION')(checkAws({ ...roleWith([]), Trail: trail }));
  expect(finding.message).toBe('EnableLogFileValidation is unresolved (Ref ValidateLogs): the trail validates its files only if it resolves to true');
  expect(finding.severity).toBe(NhiSeverity.INFO);
  const logs = resource('AWS::Logs::LogGroup', { KmsKeyId: 'k', RetentionInDays: { unresolved: 'Ref RetentionDays' } });
  expect(only('NHI-LOG-NO-RETENTION')(checkAws({ ...roleWith([]), Logs: logs }))).toEqual([]);
});

describe('SAM templates, judged as written', () => {
  const fn = (props: Record<string, unknown>) => ({ Type: 'AWS::Serverless::Function', Properties: { Handler: 'index.handler', Runtime: 'python3.12', ...props } });

  test('the role SAM makes from a function\'s Policies is judged: inline statements and AWS-managed policies by name', () => {
    const findings = checkAws({
      ...roleWith([]),
      Proxy: fn({ Policies: ['AmazonBedrockFullAccess', { Version: '2012-10-17', Statement: [allow('bedrock:InvokeModel', '*')] }] }),
    });
    expect(only('NHI-IAM-ADMIN-POLICY')(findings).map((f) => [f.location, f.severity, f.message]))
      .toEqual([['Proxy', NhiSeverity.HIGH, 'has the AWS-managed policy AmazonBedrockFullAccess: every action of the service on every resource']]);
    expect(only('NHI-IAM-WILDCARD-RESOURCE')(findings).map((f) => f.location)).toEqual(['Proxy']);
    // A function with a role of its own is judged through that role.
    expect(only('NHI-IAM-ADMIN-POLICY')(checkAws({ ...roleWith([]), Proxy: fn({ Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Policies: ['AmazonBedrockFullAccess'] }) }))).toEqual([]);
  });

  test('an implicit ServerlessRestApi and an explicit API without access logs are entry points without a log', () => {
    const api = { Type: 'Api', Properties: { Path: '/{proxy+}', Method: 'any' } };
    expect(only('NHI-ENTRY-POINT-NO-ACCESS-LOG')(checkAws({ ...roleWith([]), Proxy: fn({ Events: { Root: api } }) })).map((f) => f.location)).toEqual(['ServerlessRestApi']);
    const logged = { Type: 'AWS::Serverless::Api', Properties: { StageName: 'v1', AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:111122223333:log-group:api' } } };
    expect(only('NHI-ENTRY-POINT-NO-ACCESS-LOG')(checkAws({
      ...roleWith([]), Api: logged, Proxy: fn({ Events: { Root: { ...api, Properties: { ...api.Properties, RestApiId: { Ref: 'Api' } } } } }),
    }))).toEqual([]);
  });
});
