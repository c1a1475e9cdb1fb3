import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint } from '../../src';
import { synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld, Request } from '../support/iam-world';

// The example gateway's synthesized policies, evaluated by an offline IAM simulator: identity
// policies, trust policies, secret and key policies and bucket policies together.

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const names = blueprint.naming;
const { template } = synthesizeAwsPlane();
const world = new IamWorld(template.toJSON(), { account: ACCOUNT, region: REGION });

const ROUTERS = ['support', 'research'].map((t) => names.tenantRouterRoleName(t));
const BROKER = names.brokerRoleName;
const SUPPORT_MODELS = 'acme-llm-support-models';
const RESEARCH_MODELS = 'acme-llm-research-models';
const RESEARCH_KEY = 'acme-llm-research-key-openai';
const TARGETS = [SUPPORT_MODELS, RESEARCH_MODELS, RESEARCH_KEY];

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const SONNET = 'anthropic.claude-sonnet-4-20250514-v1:0';
const PROFILE = `us.${SONNET}`;
const fm = (model: string, region = REGION) => `arn:aws:bedrock:${region}::foundation-model/${model}`;
const PROFILE_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${PROFILE}`;
const SECRET_ARN = world.secretArn(names.providerKeySecretName('research', 'openai'));
const secretPolicy = () => world.policyOf('AWS::SecretsManager::ResourcePolicy', 'ResourcePolicy', () => true);
const STORE_ARN = `arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/PS${template.toJSON().Resources && Object.keys(template.findResources('AWS::VerifiedPermissions::PolicyStore'))[0]}`;
const DECISION_LOG = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${names.decisionLogGroupName}`;
// An account principal with every permission, the kind a breached admin pipeline would have.
const ADMIN = { principalArn: `arn:aws:iam::${ACCOUNT}:role/acme-admin`, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] }] };

const decide = (request: Request) => world.decide(request);
const assume = (role: string, target: string, context: Record<string, string | string[]>) => decide({
  role, action: 'sts:AssumeRole', resource: world.roleArn(target), resourcePolicy: world.role(target).trust, context,
});
/** The context the broker presents for a tenant: its external id and session tags. */
const brokerContext = (tenant: string) => ({
  'sts:ExternalId': names.externalId(tenant),
  'aws:RequestTag/gateward:gateway': 'acme-llm',
  'aws:RequestTag/gateward:tenant': tenant,
  'aws:TagKeys': ['gateward:gateway', 'gateward:tenant'],
});
const tenantOf = (target: string) => (target.includes('support') ? 'support' : 'research');

describe.each(ROUTERS)('router cell %s holds no standing privilege', (router) => {
  test('it may ask its own policy store, and no other', async () => {
    expect(await decide({ role: router, action: 'verifiedpermissions:IsAuthorized', resource: STORE_ARN })).toBe('Allowed');
    expect(await decide({ role: router, action: 'verifiedpermissions:IsAuthorized', resource: `arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/PSother` })).toBe('ImplicitlyDenied');
  });

  test('it may write its own streams of the decision log, and no other log', async () => {
    expect(await decide({ role: router, action: 'logs:PutLogEvents', resource: `${DECISION_LOG}:log-stream:2026/11/22/${router}[$LATEST]abc` })).toBe('Allowed');
    expect(await decide({ role: router, action: 'logs:PutLogEvents', resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/gateward/acme-llm/cloudtrail:log-stream:x` })).toBe('ImplicitlyDenied');
  });

  test.each([fm(HAIKU), PROFILE_ARN, fm(SONNET, 'us-east-2')])('it cannot invoke any model: %s', async (model) => {
    const context = { 'aws:RequestedRegion': REGION, 'bedrock:InferenceProfileArn': PROFILE_ARN };
    expect(await decide({ role: router, action: 'bedrock:InvokeModel', resource: model, context })).toBe('ImplicitlyDenied');
  });

  test('it cannot read any secret', async () => {
    expect(await decide({ role: router, action: 'secretsmanager:GetSecretValue', resource: SECRET_ARN, resourcePolicy: secretPolicy() })).not.toBe('Allowed');
  });

  test.each([BROKER, ...TARGETS, ...ROUTERS])('it cannot assume %s', async (target) => {
    expect(await assume(router, target, TARGETS.includes(target) ? brokerContext(tenantOf(target)) : {})).not.toBe('Allowed');
  });
});

describe('the broker can assume exactly the target roles', () => {
  const roles = world.roles.map((r) => r.roleName!);

  test.each(roles)('%s', async (role) => {
    const expected = TARGETS.includes(role) ? 'Allowed' : 'ImplicitlyDenied';
    expect(await assume(BROKER, role, TARGETS.includes(role) ? brokerContext(tenantOf(role)) : {})).toBe(expected);
  });

  test('its own policy reaches the path reserved for this gateway\'s target roles, and no role outside it', async () => {
    // Each target role is in that path.
    for (const target of TARGETS) expect(world.roleArn(target)).toBe(`arn:aws:iam::${ACCOUNT}:role/gateward/acme-llm/targets/${target}`);
    // A role that trusts the whole account leaves the decision to the broker's own policy.
    const trustsAccount = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    const reach = (roleArn: string) => decide({ role: BROKER, action: 'sts:AssumeRole', resource: roleArn, resourcePolicy: trustsAccount });
    expect(await reach(`arn:aws:iam::${ACCOUNT}:role/gateward/acme-llm/targets/acme-llm-support-models`)).toBe('Allowed');
    for (const outside of [
      `arn:aws:iam::${ACCOUNT}:role/acme-llm-support-models`,
      `arn:aws:iam::${ACCOUNT}:role/gateward/acme-llm/acme-llm-support-models`,
      `arn:aws:iam::${ACCOUNT}:role/gateward/acme-llm-b/targets/acme-llm-b-support-models`,
      'arn:aws:iam::444455556666:role/gateward/acme-llm/targets/acme-llm-support-models',
    ]) {
      expect([outside, await reach(outside)]).toEqual([outside, 'ImplicitlyDenied']);
    }
  });

  test('only with the tenant\'s own external id', async () => {
    expect(await assume(BROKER, RESEARCH_KEY, { ...brokerContext('research'), 'sts:ExternalId': names.externalId('support') })).toBe('ImplicitlyDenied');
    const { 'sts:ExternalId': _omitted, ...noExternalId } = brokerContext('research');
    expect(await assume(BROKER, RESEARCH_KEY, noExternalId)).toBe('ImplicitlyDenied');
  });

  test('only tagging the session with the target\'s own tenant', async () => {
    expect(await assume(BROKER, RESEARCH_MODELS, { ...brokerContext('research'), 'aws:RequestTag/gateward:tenant': 'support' })).toBe('ImplicitlyDenied');
    expect(await decide({
      role: BROKER,
      action: 'sts:TagSession',
      resource: world.roleArn(RESEARCH_MODELS),
      resourcePolicy: world.role(RESEARCH_MODELS).trust,
      context: { ...brokerContext('research'), 'aws:TagKeys': ['gateward:gateway', 'gateward:tenant', 'cost-center'] },
    })).toBe('ImplicitlyDenied');
  });

  test('another principal of the account with every permission cannot assume a target', async () => {
    expect(await decide({ ...ADMIN, action: 'sts:AssumeRole', resource: world.roleArn(SUPPORT_MODELS), resourcePolicy: world.role(SUPPORT_MODELS).trust, context: brokerContext('support') }))
      .toBe('ImplicitlyDenied');
  });

  test('it cannot invoke a model or read a key itself', async () => {
    expect(await decide({ role: BROKER, action: 'bedrock:InvokeModel', resource: fm(HAIKU), context: { 'aws:RequestedRegion': REGION } })).toBe('ImplicitlyDenied');
    expect(await decide({ role: BROKER, action: 'secretsmanager:GetSecretValue', resource: SECRET_ARN, resourcePolicy: secretPolicy() })).not.toBe('Allowed');
  });
});

describe('a tenant\'s model role invokes exactly the tenant\'s models, in the region', () => {
  const invoke = (role: string, model: string, context: Record<string, string>, action = 'bedrock:InvokeModel') =>
    decide({ role, action, resource: model, context });
  const home = { 'aws:RequestedRegion': REGION };

  test('tenant A invokes its foundation model, streaming or not', async () => {
    expect(await invoke(SUPPORT_MODELS, fm(HAIKU), home)).toBe('Allowed');
    expect(await invoke(SUPPORT_MODELS, fm(HAIKU), home, 'bedrock:InvokeModelWithResponseStream')).toBe('Allowed');
  });

  test('tenant A cannot invoke tenant B\'s inference profile or its models', async () => {
    expect(await invoke(SUPPORT_MODELS, PROFILE_ARN, home)).toBe('ImplicitlyDenied');
    expect(await invoke(SUPPORT_MODELS, fm(SONNET), { ...home, 'bedrock:InferenceProfileArn': PROFILE_ARN })).toBe('ImplicitlyDenied');
  });

  test('tenant A cannot invoke a model nobody listed', async () => {
    expect(await invoke(SUPPORT_MODELS, fm('anthropic.claude-3-opus-20240229-v1:0'), home)).toBe('ImplicitlyDenied');
  });

  test('tenant A cannot invoke its model outside the gateway region', async () => {
    expect(await invoke(SUPPORT_MODELS, fm(HAIKU, 'us-west-2'), { 'aws:RequestedRegion': 'us-west-2' })).toBe('ImplicitlyDenied');
    expect(await invoke(SUPPORT_MODELS, fm(HAIKU), { 'aws:RequestedRegion': 'eu-west-1' })).toBe('ImplicitlyDenied');
  });

  test('tenant B invokes its inference profile, and the model in each destination region only through it', async () => {
    expect(await invoke(RESEARCH_MODELS, PROFILE_ARN, home)).toBe('Allowed');
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      expect(await invoke(RESEARCH_MODELS, fm(SONNET, region), { 'aws:RequestedRegion': region, 'bedrock:InferenceProfileArn': PROFILE_ARN })).toBe('Allowed');
      expect(await invoke(RESEARCH_MODELS, fm(SONNET, region), { 'aws:RequestedRegion': region })).toBe('ImplicitlyDenied');
    }
    expect(await invoke(RESEARCH_MODELS, fm(SONNET, 'eu-west-1'), { 'aws:RequestedRegion': 'eu-west-1', 'bedrock:InferenceProfileArn': PROFILE_ARN })).toBe('ImplicitlyDenied');
  });

  test('tenant B cannot invoke tenant A\'s model', async () => {
    expect(await invoke(RESEARCH_MODELS, fm(HAIKU), home)).toBe('ImplicitlyDenied');
  });
});

describe('a tenant\'s model role applies exactly the tenant\'s guardrails', () => {
  const guardrail = (id: string, account = ACCOUNT, region = REGION) => `arn:aws:bedrock:${region}:${account}:guardrail/${id}`;
  const apply = (role: string, arn: string, region = REGION) =>
    decide({ role, action: 'bedrock:ApplyGuardrail', resource: arn, context: { 'aws:RequestedRegion': region } });

  test('each tenant\'s models role applies its own guardrail', async () => {
    expect(await apply(SUPPORT_MODELS, guardrail('gr0support1'))).toBe('Allowed');
    expect(await apply(RESEARCH_MODELS, guardrail('gr0research1'))).toBe('Allowed');
  });

  test('not another tenant\'s guardrail', async () => {
    expect(await apply(SUPPORT_MODELS, guardrail('gr0research1'))).toBe('ImplicitlyDenied');
    expect(await apply(RESEARCH_MODELS, guardrail('gr0support1'))).toBe('ImplicitlyDenied');
  });

  test('not a guardrail nobody listed, nor its own in another account or region', async () => {
    expect(await apply(SUPPORT_MODELS, guardrail('gr0other1'))).toBe('ImplicitlyDenied');
    expect(await apply(SUPPORT_MODELS, guardrail('gr0support1', '444455556666'))).toBe('ImplicitlyDenied');
    expect(await apply(SUPPORT_MODELS, guardrail('gr0support1', ACCOUNT, 'us-west-2'), 'us-west-2')).toBe('ImplicitlyDenied');
  });

  test('no other gateway role applies a guardrail', async () => {
    for (const role of [...ROUTERS, BROKER, RESEARCH_KEY]) {
      expect(await apply(role, guardrail('gr0support1'))).toBe('ImplicitlyDenied');
    }
  });
});

describe('a provider key is readable by its target role only', () => {
  const read = (request: Omit<Request, 'action' | 'resource' | 'resourcePolicy'>) =>
    decide({ ...request, action: 'secretsmanager:GetSecretValue', resource: SECRET_ARN, resourcePolicy: secretPolicy() });
  const OWNER = exampleSpec.owners.credentialLifecycle.roleArn!;

  test('the key\'s target role reads it', async () => {
    expect(await read({ role: RESEARCH_KEY })).toBe('Allowed');
  });

  test('no other gateway role reads it', async () => {
    for (const role of [...ROUTERS, BROKER, SUPPORT_MODELS, RESEARCH_MODELS]) {
      expect(await read({ role })).toBe('ExplicitlyDenied');
    }
  });

  test('a role of the account with every identity permission is denied by the secret policy', async () => {
    expect(await read(ADMIN)).toBe('ExplicitlyDenied');
  });

  test('the credential-lifecycle owner writes the key but cannot read it', async () => {
    expect(await decide({ principalArn: OWNER, identityPolicies: [], action: 'secretsmanager:PutSecretValue', resource: SECRET_ARN, resourcePolicy: secretPolicy() })).toBe('Allowed');
    expect(await read({ principalArn: OWNER, identityPolicies: ADMIN.identityPolicies })).toBe('ExplicitlyDenied');
  });

  test('nobody but the owner and the rotation function writes the key', async () => {
    expect(await decide({ ...ADMIN, action: 'secretsmanager:PutSecretValue', resource: SECRET_ARN, resourcePolicy: secretPolicy() })).toBe('ExplicitlyDenied');
    expect(await decide({ role: RESEARCH_KEY, action: 'secretsmanager:PutSecretValue', resource: SECRET_ARN, resourcePolicy: secretPolicy() })).toBe('ExplicitlyDenied');
  });

  describe('the key policy matches', () => {
    const alias = names.providerKeyAlias('research', 'openai');
    const keyArn = world.keyArnOfAlias(alias);
    const keyPolicy = world.keyPolicyOfAlias(alias);
    const throughSecretsManager = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': SECRET_ARN };
    const decrypt = (request: Omit<Request, 'action' | 'resource' | 'resourcePolicy'>) =>
      world.decideKeepingContext({ ...request, action: 'kms:Decrypt', resource: keyArn, resourcePolicy: keyPolicy });

    test('the target role decrypts the key through Secrets Manager, for this secret only', () => {
      expect(decrypt({ role: RESEARCH_KEY, context: throughSecretsManager })).toBe('Allowed');
      expect(decrypt({ role: RESEARCH_KEY, context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
      expect(decrypt({ role: RESEARCH_KEY, context: { ...throughSecretsManager, 'kms:EncryptionContext:SecretARN': world.secretArn('other') } })).toBe('ImplicitlyDenied');
    });

    test('an account role with kms:* cannot decrypt it, nor can the owner', () => {
      expect(decrypt({ ...ADMIN, context: throughSecretsManager })).toBe('ImplicitlyDenied');
      expect(decrypt({ principalArn: OWNER, identityPolicies: ADMIN.identityPolicies, context: throughSecretsManager })).toBe('ImplicitlyDenied');
    });

    test('the owner encrypts new values', () => {
      expect(world.decideKeepingContext({ principalArn: OWNER, identityPolicies: [], action: 'kms:GenerateDataKey', resource: keyArn, resourcePolicy: keyPolicy, context: throughSecretsManager }))
        .toBe('Allowed');
    });
  });
});

describe('no role can pass a role', () => {
  const roles = world.roles.map((r) => r.roleName!);
  test.each(roles)('%s cannot iam:PassRole any role of the gateway', async (role) => {
    for (const target of roles) {
      expect(await decide({ role, action: 'iam:PassRole', resource: world.roleArn(target), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } }))
        .toBe('ImplicitlyDenied');
    }
  });
});

describe('no gateway role can delete or overwrite audit data', () => {
  const auditObject = `arn:aws:s3:::${names.auditBucketName}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/22/log.json.gz`;
  const bucketPolicy = () => world.policyOf('AWS::S3::BucketPolicy', 'PolicyDocument', (p) => p.Bucket === names.auditBucketName);
  const gatewayRoles = [...ROUTERS, BROKER, ...TARGETS];

  test.each(gatewayRoles)('%s', async (role) => {
    for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject', 's3:PutObjectRetention', 's3:BypassGovernanceRetention']) {
      expect(await decide({ role, action, resource: auditObject, resourcePolicy: bucketPolicy() })).not.toBe('Allowed');
    }
    expect(await decide({ role, action: 'logs:DeleteLogGroup', resource: DECISION_LOG })).toBe('ImplicitlyDenied');
    expect(await decide({ role, action: 'cloudtrail:StopLogging', resource: names.trailArn() })).toBe('ImplicitlyDenied');
  });

  test('not even a principal with every permission deletes a log', async () => {
    expect(await decide({ ...ADMIN, action: 's3:DeleteObjectVersion', resource: auditObject, resourcePolicy: bucketPolicy() })).toBe('ExplicitlyDenied');
  });
});
