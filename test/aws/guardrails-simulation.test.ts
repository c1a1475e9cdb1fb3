import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as signer from 'aws-cdk-lib/aws-signer';
import { buildGuardrails, exampleGuardrailRoles, MANAGEMENT_ACCOUNT } from '../../examples/bedrock-gateway/guardrails';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  GatewayAwsPlane, GatewayBlueprint, GatewaySpec, GuardrailPolicyType, LlmGateway, RouterCodeSigning, TargetKind, VaultConnection,
  VaultServerIdentity,
} from '../../src';
import { PolicyDocumentJson } from '../../src/nhi/private/cfn-template';
import { synthesizeAwsPlane } from '../support/aws-example';
import { Decision, IamWorld, OrganizationPolicies } from '../support/iam-world';

// What an account administrator of the gateway's account can do to the gateway, without and with
// the organization guardrails, evaluated by the offline IAM simulator against the example
// gateway's synthesized template: its roles, secret, key and bucket policies, and the tags AWS
// would put in each request's context. Every probe is allowed without the guardrails (so each
// row proves something) and explicitly denied with them; the exact roles the guardrails exempt
// keep doing their work.

const ACCOUNT = exampleSpec.aws.account;
const REGION = exampleSpec.aws.region;
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const naming = blueprint.naming;
const roles = exampleGuardrailRoles(exampleSpec);
const synthesized = synthesizeAwsPlane();
const template = synthesized.template.toJSON();
const world = new IamWorld(template, { account: ACCOUNT, region: REGION });

const guardrails = buildGuardrails(new cdk.Stack(new cdk.App(), 'guardrails', { env: { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' } }), exampleSpec);
const documentsOf = (type: GuardrailPolicyType) => guardrails.documentsOf(type).map((d) => JSON.parse(d.content) as PolicyDocumentJson);
const WITH: OrganizationPolicies = {
  serviceControlPolicies: documentsOf(GuardrailPolicyType.SERVICE_CONTROL_POLICY),
  resourceControlPolicies: documentsOf(GuardrailPolicyType.RESOURCE_CONTROL_POLICY),
};
/** A member account with nothing but FullAWSAccess and RCPFullAWSAccess attached. */
const WITHOUT: OrganizationPolicies = {};

function managedPolicy(name: string): PolicyDocumentJson {
  const file = path.join(__dirname, '..', 'fixtures', 'aws-managed-policies', `${name}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf-8')).Document;
}
const ADMINISTRATOR_ACCESS = managedPolicy('AdministratorAccess');
const POWER_USER_ACCESS = managedPolicy('PowerUserAccess');

// ---- The example gateway's resources, found in its template -----------------------------------

const resources = template.Resources as Record<string, { Type: string; Properties: any }>;
function resourceOf(type: string, property: string, value: string): { Type: string; Properties: any } {
  const found = Object.values(resources).filter((r) => r.Type === type && r.Properties?.[property] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${property} ${value} in the example template, found ${found.length}`);
  return found[0];
}
/** The `aws:ResourceTag/<key>` context of a resource, from its tags in the template. */
function tagContext(tags: Array<{ Key: string; Value: string }> | Record<string, string> = []): Record<string, string> {
  const entries = Array.isArray(tags) ? tags.map((t) => [t.Key, t.Value]) : Object.entries(tags);
  return Object.fromEntries(entries.map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
}
function keyOfAlias(alias: string): { arn: string; policy: PolicyDocumentJson; context: Record<string, string | string[]> } {
  const aliasResource = resourceOf('AWS::KMS::Alias', 'AliasName', alias);
  const key = resources[aliasResource.Properties.TargetKeyId['Fn::GetAtt'][0]];
  return {
    arn: world.keyArnOfAlias(alias),
    policy: world.keyPolicyOfAlias(alias),
    context: { 'kms:ResourceAliases': [alias], ...tagContext(key.Properties.Tags) },
  };
}

const keyTarget = blueprint.targets.find((t) => t.kind === TargetKind.PROVIDER_KEY)!;
const secretName = keyTarget.providerKey!.secretName;
const secret = {
  arn: world.secretArn(secretName),
  context: tagContext(resourceOf('AWS::SecretsManager::Secret', 'Name', secretName).Properties.Tags),
};
const secretPolicy = world.policyOf('AWS::SecretsManager::ResourcePolicy', 'ResourcePolicy', (p) => p.SecretId === secret.arn);
const providerKey = keyOfAlias(naming.providerKeyAlias(keyTarget.tenantId, keyTarget.providerKey!.id));
const auditKey = keyOfAlias(naming.auditKeyAlias);

const cells = blueprint.tenants.filter((t) => t.router).map((t) => {
  const fn = resourceOf('AWS::Lambda::Function', 'FunctionName', t.router!.functionName);
  const role = world.role(t.router!.roleName);
  return {
    tenant: t.id,
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${t.router!.functionName}`,
    functionContext: tagContext(fn.Properties.Tags),
    roleArn: t.router!.roleArn,
    roleContext: tagContext(role.tags),
    policyArn: `arn:aws:iam::${ACCOUNT}:policy/${naming.managedPolicyName(t.router!.roleName)}`,
  };
});
const gatewayRole = (roleName: string) => ({ arn: world.roleArn(roleName), context: tagContext(world.role(roleName).tags) });
const bucketPolicy = (bucketName: string) => {
  resourceOf('AWS::S3::Bucket', 'BucketName', bucketName);
  return world.policyOf('AWS::S3::BucketPolicy', 'PolicyDocument', (p) => p.Bucket === bucketName);
};
const auditBucket = { arn: naming.bucketArn(naming.auditBucketName), policy: bucketPolicy(naming.auditBucketName) };
const copyBucket = { arn: naming.bucketArn(naming.auditReplicaBucketName), policy: bucketPolicy(naming.auditReplicaBucketName) };
const decisionLog = {
  arn: naming.decisionLogGroupArn(),
  context: tagContext(resourceOf('AWS::Logs::LogGroup', 'LogGroupName', naming.decisionLogGroupName).Properties.Tags),
};
resourceOf('AWS::CloudTrail::Trail', 'TrailName', naming.trailName);

/** The key policy an administrator would put on a key once PutKeyPolicy is open: AWS's default one. */
const DEFAULT_KEY_POLICY: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: naming.accountRootArn() }, Action: 'kms:*', Resource: '*' } as any],
};

/** The trust `cdk bootstrap` gives its deploy role: the account itself (and any trusted accounts). */
const CDK_DEPLOY_ROLE_TRUST: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: naming.accountRootArn() }, Action: 'sts:AssumeRole' } as any],
};

// ---- The probes: one row per thing the guardrails must stop ------------------------------------

interface Probe {
  readonly what: string;
  readonly action: string;
  readonly resource: string;
  /** The resource's own policy, as the template has it, or as the administrator could leave it. */
  readonly resourcePolicy?: PolicyDocumentJson;
  readonly context?: Record<string, string | string[]>;
}

const PROBES: Probe[] = [
  // Provider keys. Reads and writes are probed on the secret as an administrator leaves it after
  // DeleteResourcePolicy (a row below): its own policy would refuse them otherwise.
  { what: 'read a provider key', action: 'secretsmanager:GetSecretValue', resource: secret.arn, context: secret.context },
  { what: 'put a provider-key value (and so its endpoint)', action: 'secretsmanager:PutSecretValue', resource: secret.arn, context: secret.context },
  { what: 'update a provider key', action: 'secretsmanager:UpdateSecret', resource: secret.arn, context: secret.context },
  { what: 'move a provider key\'s version stages', action: 'secretsmanager:UpdateSecretVersionStage', resource: secret.arn, context: secret.context },
  { what: 'rewrite a provider key\'s resource policy', action: 'secretsmanager:PutResourcePolicy', resource: secret.arn, resourcePolicy: secretPolicy, context: secret.context },
  { what: 'delete a provider key\'s resource policy', action: 'secretsmanager:DeleteResourcePolicy', resource: secret.arn, resourcePolicy: secretPolicy, context: secret.context },
  { what: 'replicate a provider key to another region', action: 'secretsmanager:ReplicateSecretToRegions', resource: secret.arn, resourcePolicy: secretPolicy, context: secret.context },
  { what: 'rewrite a provider key\'s KMS key policy', action: 'kms:PutKeyPolicy', resource: providerKey.arn, resourcePolicy: providerKey.policy, context: providerKey.context },
  // The key policy refuses grants until it is rewritten (the row above).
  { what: 'grant a provider key\'s KMS key', action: 'kms:CreateGrant', resource: providerKey.arn, resourcePolicy: DEFAULT_KEY_POLICY, context: providerKey.context },
  {
    what: 'rewrite the policy of a provider key\'s KMS key that lost its alias (found by tag)',
    action: 'kms:PutKeyPolicy',
    resource: providerKey.arn,
    resourcePolicy: providerKey.policy,
    context: Object.fromEntries(Object.entries(providerKey.context).filter(([k]) => k !== 'kms:ResourceAliases')),
  },
  { what: 'delete a provider key\'s alias', action: 'kms:DeleteAlias', resource: `arn:aws:kms:${REGION}:${ACCOUNT}:${naming.providerKeyAlias(keyTarget.tenantId, keyTarget.providerKey!.id)}` },
  {
    what: 'remove a provider key\'s gateway tag',
    action: 'kms:UntagResource',
    resource: providerKey.arn,
    resourcePolicy: providerKey.policy,
    context: { ...providerKey.context, 'aws:TagKeys': ['gateward:gateway'] },
  },
  // Router cells: one row per action and cell.
  ...cells.flatMap((cell): Probe[] => [
    ...['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency',
      'lambda:PutFunctionCodeSigningConfig', 'lambda:DeleteFunctionCodeSigningConfig', 'lambda:AddPermission', 'lambda:RemovePermission',
      'lambda:CreateFunctionUrlConfig', 'lambda:UpdateFunctionUrlConfig', 'lambda:PutFunctionEventInvokeConfig', 'lambda:DeleteFunction',
      'lambda:InvokeFunction', 'lambda:InvokeFunctionUrl', 'lambda:InvokeAsync']
      .map((action) => ({ what: `${action.split(':')[1]} on the ${cell.tenant} router cell`, action, resource: cell.functionArn, context: cell.functionContext })),
    { what: `invoke version 1 of the ${cell.tenant} router cell`, action: 'lambda:InvokeFunction', resource: `${cell.functionArn}:1`, context: cell.functionContext },
    ...['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary',
      'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRole']
      .map((action) => ({ what: `${action.split(':')[1]} on the ${cell.tenant} router role`, action, resource: cell.roleArn, context: cell.roleContext })),
    {
      what: `pass the ${cell.tenant} router role to a function of one's own`,
      action: 'iam:PassRole',
      resource: cell.roleArn,
      context: { ...cell.roleContext, 'iam:PassedToService': 'lambda.amazonaws.com' },
    },
    { what: `rewrite the ${cell.tenant} router role's managed policy`, action: 'iam:CreatePolicyVersion', resource: cell.policyArn },
  ]),
  { what: 'create a function with a router cell\'s name', action: 'lambda:CreateFunction', resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${naming.tenantRouterFunctionName('intruder')}` },
  {
    what: 'weaken the router cells\' code signing config',
    action: 'lambda:UpdateCodeSigningConfig',
    resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:code-signing-config:csc-0123456789abcdef0`,
    context: { 'aws:ResourceTag/gateward:gateway': blueprint.name },
  },
  // The other gateway roles, and the exact roles the guardrails exempt or protect.
  ...[naming.brokerRoleName, naming.vaultAuthVerifierRoleName, keyTarget.roleName].flatMap((roleName): Probe[] => [
    { what: `change the trust of ${roleName}`, action: 'iam:UpdateAssumeRolePolicy', resource: gatewayRole(roleName).arn, context: gatewayRole(roleName).context },
    { what: `add a policy to ${roleName}`, action: 'iam:PutRolePolicy', resource: gatewayRole(roleName).arn, context: gatewayRole(roleName).context },
  ]),
  { what: 'create a role matching the key target pattern', action: 'iam:CreateRole', resource: naming.roleArn(naming.targetRoleName('intruder', naming.providerKeyTargetId('openai'))) },
  ...[exampleSpec.owners.credentialLifecycle.roleArn!, roles.rotationRoleArn, roles.deploymentRoleArn, roles.vaultServerRoleArn].map((arn): Probe => (
    { what: `change the trust of the exempted or protected role ${arn.split('/').pop()}`, action: 'iam:UpdateAssumeRolePolicy', resource: arn })),
  // The deployment roles themselves: CDK's bootstrap lets the account assume its deploy role.
  {
    what: 'assume the CDK deploy role (its bootstrap trust admits the whole account)',
    action: 'sts:AssumeRole',
    resource: roles.cdkDeployRoleArn,
    resourcePolicy: CDK_DEPLOY_ROLE_TRUST,
  },
  {
    what: 'pass CloudFormation\'s execution role to a stack of one\'s own',
    action: 'iam:PassRole',
    resource: roles.deploymentRoleArn,
    context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
  },
  // The trail.
  ...['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors']
    .map((action): Probe => ({ what: `${action.split(':')[1]} on the trail`, action, resource: naming.trailArn() })),
  // The audit buckets, with their own policies.
  ...['s3:PutBucketObjectLockConfiguration', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration',
    's3:PutReplicationConfiguration', 's3:PutBucketPublicAccessBlock', 's3:DeleteBucket']
    .map((action): Probe => ({ what: `${action.split(':')[1]} on the audit bucket`, action, resource: auditBucket.arn, resourcePolicy: auditBucket.policy })),
  ...['s3:PutBucketPolicy', 's3:PutLifecycleConfiguration'].map((action): Probe => (
    { what: `${action.split(':')[1]} on the audit copy bucket`, action, resource: copyBucket.arn, resourcePolicy: copyBucket.policy })),
  // The decision log.
  ...['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', 'logs:PutDataProtectionPolicy',
    'logs:DeleteDataProtectionPolicy', 'logs:Unmask']
    .map((action): Probe => ({ what: `${action.split(':')[1]} on the decision log`, action, resource: decisionLog.arn, context: decisionLog.context })),
  {
    what: 'delete a stream of the decision log',
    action: 'logs:DeleteLogStream',
    resource: naming.logStreamArn(naming.decisionLogGroupName, `2026/01/01/${cells[0].tenant}[$LATEST]0123456789abcdef`),
  },
  // The audit key, with its own policy.
  ...['kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation']
    .map((action): Probe => ({ what: `${action.split(':')[1]} on the audit key`, action, resource: auditKey.arn, resourcePolicy: auditKey.policy, context: auditKey.context })),
];

const ADMINISTRATORS = [
  { name: 'an AdministratorAccess role', arn: `arn:aws:iam::${ACCOUNT}:role/acme-administrator`, policy: ADMINISTRATOR_ACCESS },
  { name: 'a PowerUserAccess role', arn: `arn:aws:iam::${ACCOUNT}:role/acme-power-user`, policy: POWER_USER_ACCESS },
];

/** What the administrator's own managed policy allows: PowerUserAccess excludes `iam:*` (but for three IAM actions). */
function withoutGuardrails(administrator: typeof ADMINISTRATORS[number], probe: Probe): Decision {
  return administrator.policy === POWER_USER_ACCESS && probe.action.startsWith('iam:') ? 'ImplicitlyDenied' : 'Allowed';
}

async function decide(principalArn: string, identity: PolicyDocumentJson[], probe: Probe, organization: OrganizationPolicies): Promise<Decision> {
  return world.decide({
    principalArn,
    identityPolicies: identity,
    action: probe.action,
    resource: probe.resource,
    resourcePolicy: probe.resourcePolicy,
    context: probe.context,
    organization,
  });
}

describe.each(ADMINISTRATORS)('$name of the gateway account', (administrator) => {
  test.each(PROBES.map((probe) => [probe.what, probe]))('is denied: %s', async (_what, probe) => {
    expect(await decide(administrator.arn, [administrator.policy], probe, WITHOUT)).toBe(withoutGuardrails(administrator, probe));
    expect(await decide(administrator.arn, [administrator.policy], probe, WITH)).toBe('ExplicitlyDenied');
  });
});

describe('the probes', () => {
  test('cover every kind of resource the guardrails protect, and every router cell', () => {
    const services = new Set(PROBES.map((p) => p.action.split(':')[0]));
    expect([...services].sort()).toEqual(['cloudtrail', 'iam', 'kms', 'lambda', 'logs', 's3', 'secretsmanager', 'sts']);
    expect(cells.map((c) => c.tenant)).toEqual(blueprint.tenants.filter((t) => t.router).map((t) => t.id));
    expect(cells.length).toBeGreaterThanOrEqual(2);
  });

  test('are allowed to an AdministratorAccess role without the guardrails: each row proves something', async () => {
    const allowed = await Promise.all(PROBES.map((probe) => decide(ADMINISTRATORS[0].arn, [ADMINISTRATOR_ACCESS], probe, WITHOUT)));
    expect(allowed.every((d) => d === 'Allowed')).toBe(true);
  });
});

// The example signs no code; a gateway that does has one code signing config, found by its tag.
test('the code signing config of a gateway that signs its cells is found by its tag, and guarded', async () => {
  const signed = synthesizeAwsPlane(exampleSpec, (stack: cdk.Stack, spec: GatewaySpec) => {
    const plane = new GatewayAwsPlane(stack, 'Gateway', {
      spec: { ...spec, tenants: spec.tenants.map((t) => ({ ...t, providerKeys: undefined })) },
      vaultServer: VaultServerIdentity.fromRoleArn(roles.vaultServerRoleArn),
    });
    new LlmGateway(stack, 'LlmGateway', {
      plane,
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        vpcCidrBlock: '10.40.0.0/16',
        availabilityZones: [`${REGION}a`, `${REGION}b`],
        privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
        privateSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
      }),
      vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16'), 8200),
      codeSigning: RouterCodeSigning.enforce([signer.SigningProfile.fromSigningProfileAttributes(stack, 'Signer', {
        signingProfileName: 'acme_router', signingProfileVersion: 'a1b2c3d4e5',
      })]),
    });
    return plane;
  });
  const configs = Object.values(signed.template.findResources('AWS::Lambda::CodeSigningConfig')) as any[];
  expect(configs).toHaveLength(1);
  const probe: Probe = {
    what: 'weaken the code signing config',
    action: 'lambda:UpdateCodeSigningConfig',
    resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:code-signing-config:csc-0123456789abcdef0`,
    context: tagContext(configs[0].Properties.Tags),
  };
  expect(probe.context).toHaveProperty(['aws:ResourceTag/gateward:gateway'], blueprint.name);
  expect(await decide(`arn:aws:iam::${ACCOUNT}:role/acme-administrator`, [ADMINISTRATOR_ACCESS], probe, WITHOUT)).toBe('Allowed');
  expect(await decide(`arn:aws:iam::${ACCOUNT}:role/acme-administrator`, [ADMINISTRATOR_ACCESS], probe, WITH)).toBe('ExplicitlyDenied');
  expect(await decide(roles.deploymentRoleArn, [ADMINISTRATOR_ACCESS], probe, WITH)).toBe('Allowed');
});

// RCPs bind every caller of a resource in the target accounts, from any account; SCPs only the
// target accounts' own principals.
test('a principal of another account, let in by a rewritten secret policy, still cannot read the key', async () => {
  const outsider = 'arn:aws:iam::444455556666:role/outsider';
  const letIn: PolicyDocumentJson = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: outsider }, Action: 'secretsmanager:GetSecretValue', Resource: '*' } as any],
  };
  const probe: Probe = { what: 'read', action: 'secretsmanager:GetSecretValue', resource: secret.arn, resourcePolicy: letIn, context: secret.context };
  expect(await decide(outsider, [ADMINISTRATOR_ACCESS], probe, WITHOUT)).toBe('Allowed');
  expect(await decide(outsider, [ADMINISTRATOR_ACCESS], probe, WITH)).toBe('ExplicitlyDenied');
});

describe('with the guardrails, the exempted roles keep working', () => {
  const keyAccess = (actions: string[]): PolicyDocumentJson => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: secret.arn }],
  });
  const lifecycleOwner = exampleSpec.owners.credentialLifecycle.roleArn!;

  test('the key\'s target role reads its key', async () => {
    expect(await world.decide({
      role: keyTarget.roleName,
      action: 'secretsmanager:GetSecretValue',
      resource: secret.arn,
      resourcePolicy: secretPolicy,
      context: secret.context,
      organization: WITH,
    })).toBe('Allowed');
  });

  test.each(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'])('the rotation function\'s role may %s', async (action) => {
    const probe: Probe = { what: action, action, resource: secret.arn, resourcePolicy: secretPolicy, context: secret.context };
    expect(await decide(roles.rotationRoleArn, [keyAccess([action])], probe, WITH)).toBe('Allowed');
  });

  test.each([
    ['puts a value', { what: '', action: 'secretsmanager:PutSecretValue', resource: secret.arn, resourcePolicy: secretPolicy, context: secret.context }],
    ['changes the key\'s resource policy', { what: '', action: 'secretsmanager:PutResourcePolicy', resource: secret.arn, resourcePolicy: secretPolicy, context: secret.context }],
    ['changes the KMS key\'s policy', { what: '', action: 'kms:PutKeyPolicy', resource: providerKey.arn, resourcePolicy: providerKey.policy, context: providerKey.context }],
  ])('the credential-lifecycle owner %s', async (_what, probe) => {
    const identity: PolicyDocumentJson = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: probe.action, Resource: probe.resource }] };
    expect(await decide(lifecycleOwner, [identity], probe, WITH)).toBe('Allowed');
  });

  test('the credential-lifecycle owner still cannot read the key', async () => {
    const probe: Probe = { what: '', action: 'secretsmanager:GetSecretValue', resource: secret.arn, context: secret.context };
    expect(await decide(lifecycleOwner, [ADMINISTRATOR_ACCESS], probe, WITH)).toBe('ExplicitlyDenied');
  });

  // CDK's bootstrap gives CloudFormation's execution role AdministratorAccess.
  test.each([
    ['updates router code', { action: 'lambda:UpdateFunctionCode', resource: cells[0].functionArn, context: cells[0].functionContext }],
    ['passes a router role to Lambda', { action: 'iam:PassRole', resource: cells[0].roleArn, context: { ...cells[0].roleContext, 'iam:PassedToService': 'lambda.amazonaws.com' } }],
    ['changes a router role\'s trust', { action: 'iam:UpdateAssumeRolePolicy', resource: cells[1].roleArn, context: cells[1].roleContext }],
    ['updates the trail', { action: 'cloudtrail:UpdateTrail', resource: naming.trailArn() }],
    ['changes the audit bucket\'s policy', { action: 's3:PutBucketPolicy', resource: auditBucket.arn, resourcePolicy: auditBucket.policy }],
    ['changes the audit key\'s policy', { action: 'kms:PutKeyPolicy', resource: auditKey.arn, resourcePolicy: auditKey.policy, context: auditKey.context }],
    ['creates a provider-key secret', { action: 'secretsmanager:CreateSecret', resource: secret.arn, context: secret.context }],
  ])('the deployment role %s', async (_what, probe) => {
    expect(await decide(roles.deploymentRoleArn, [ADMINISTRATOR_ACCESS], { what: '', ...probe } as Probe, WITH)).toBe('Allowed');
  });

  test('CDK\'s deploy role passes CloudFormation\'s execution role', async () => {
    const probe: Probe = {
      what: '', action: 'iam:PassRole', resource: roles.deploymentRoleArn, context: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    };
    const passRole: PolicyDocumentJson = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: roles.deploymentRoleArn }] };
    expect(await decide(roles.cdkDeployRoleArn, [passRole], probe, WITH)).toBe('Allowed');
  });

  test.each([
    ['stop the trail', { action: 'cloudtrail:StopLogging', resource: naming.trailArn() }],
    ['invoke a router cell', { action: 'lambda:InvokeFunction', resource: cells[0].functionArn, context: cells[0].functionContext }],
    ['disable the audit key', { action: 'kms:DisableKey', resource: auditKey.arn, resourcePolicy: auditKey.policy, context: auditKey.context }],
    ['unmask the decision log', { action: 'logs:Unmask', resource: decisionLog.arn, context: decisionLog.context }],
    ['read a provider key', { action: 'secretsmanager:GetSecretValue', resource: secret.arn, context: secret.context }],
    ['rewrite a provider key\'s resource policy', { action: 'secretsmanager:PutResourcePolicy', resource: secret.arn, resourcePolicy: secretPolicy, context: secret.context }],
  ])('the deployment role cannot %s', async (_what, probe) => {
    expect(await decide(roles.deploymentRoleArn, [ADMINISTRATOR_ACCESS], { what: '', ...probe } as Probe, WITH)).toBe('ExplicitlyDenied');
  });

  // SCPs bind the IAM principals of member accounts, not AWS service principals, so the world
  // applies none to API Gateway; what this checks is that no RCP or resource policy stops it.
  test.each(cells.map((cell) => [cell.tenant, cell]))('API Gateway invokes the %s router cell through its permission', async (_tenant, cell) => {
    const permission = resourceOf('AWS::Lambda::Permission', 'FunctionName', cell.functionArn).Properties;
    expect(permission.Principal).toBe('apigateway.amazonaws.com');
    const sourceArn = String(world.model.resolve(permission.SourceArn));
    const functionPolicy: PolicyDocumentJson = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'apigateway.amazonaws.com' },
        Action: permission.Action,
        Resource: cell.functionArn,
        Condition: { ArnLike: { 'aws:SourceArn': sourceArn } },
      } as any],
    };
    expect(await world.decide({
      principalArn: 'apigateway.amazonaws.com',
      identityPolicies: [],
      action: 'lambda:InvokeFunction',
      resource: cell.functionArn,
      resourcePolicy: functionPolicy,
      context: { 'aws:SourceArn': sourceArn.replace(/\*/g, 'x') },
      organization: WITH,
    })).toBe('Allowed');
  });
});
