import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewayBlueprint, ProviderKeyRotation, VaultEdition, VaultServerIdentity } from '../../src';
import { VaultAuthVerifier } from '../../src/aws/vault-auth-verifier';
import { synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';
import { synthesizeVaultPlane } from '../support/vault-example';

// Vault's AWS auth method binds each router cell's role with resolve_aws_unique_ids, so when a
// Vault role is written Vault calls iam:GetRole on its bound role ARN (RoleName = the ARN's name)
// with its own AWS identity. The verifier is that identity: exactly iam:GetRole, on the gateway's
// router roles only (one pattern over their names, held to roles tagged as its routers).

const ACCOUNT = '111122223333';
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const names = blueprint.naming;
const { template } = synthesizeAwsPlane();
const json = template.toJSON();
const world = new IamWorld(json, { account: ACCOUNT, region: 'us-east-1' });
const VERIFIER = VaultAuthVerifier.roleName(blueprint);
const VAULT_SERVER = `arn:aws:iam::${ACCOUNT}:role/acme-vault-server`;
const ROUTER_ARNS = ['support', 'research'].map((t) => world.roleArn(names.tenantRouterRoleName(t)));
const ROUTER_ARN = ROUTER_ARNS[0];

/** The tags a role of the template carries, as the request context IAM evaluates them in. */
function resourceTagsOf(roleName: string): Record<string, string> {
  const role = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  return Object.fromEntries(role.Properties.Tags.map((t: { Key: string; Value: string }) => [`aws:ResourceTag/${t.Key}`, t.Value]));
}
const getRole = (roleName: string, tags: Record<string, string> = resourceTagsOf(roleName)) =>
  world.decide({ role: VERIFIER, action: 'iam:GetRole', resource: world.roleArn(roleName), context: tags });

test('reads the roles the Vault plane\'s AWS auth roles bind, as synthesized, with one statement whatever the number of cells', () => {
  const roles = Object.values(synthesizeVaultPlane().resources('vault_aws_auth_backend_role')) as any[];
  const bound = roles.filter((r) => r.resolve_aws_unique_ids !== false).flatMap((r) => r.bound_iam_principal_arns).sort();
  expect(bound).toEqual([...ROUTER_ARNS].sort());
  expect([...VaultAuthVerifier.boundRoleArns(blueprint)].sort()).toEqual(bound);
  const grant = world.role(VERIFIER).policies.flatMap((p) => [p.document.Statement].flat());
  expect(grant).toEqual([{
    Sid: 'ReadRouterRoles',
    Effect: 'Allow',
    Action: 'iam:GetRole',
    Resource: `arn:aws:iam::${ACCOUNT}:role/acme-llm-*-router`,
    Condition: { StringEquals: { 'aws:ResourceTag/gateward:role': 'router', 'aws:ResourceTag/gateward:gateway': 'acme-llm' } },
  }]);
  expect(VaultAuthVerifier.readableRoleArnPattern(blueprint)).toBe(grant[0].Resource);
});

describe('the verifier', () => {
  test.each(['support', 'research'])('reads the bound router role of tenant %s', async (tenant) => {
    expect(await getRole(names.tenantRouterRoleName(tenant))).toBe('Allowed');
  });

  test.each([names.brokerRoleName, 'acme-llm-support-models', 'acme-llm-research-key-openai', names.vaultAuthVerifierRoleName])('reads no other role of the gateway: %s', async (role) => {
    expect(await getRole(role)).toBe('ImplicitlyDenied');
  });

  test('reads no role outside the gateway, nor one that only looks like a router by name', async () => {
    expect(await getRole('acme-vault-server', {})).toBe('ImplicitlyDenied');
    // A target role whose key id ends in "-router" matches the name pattern, but is tagged a target.
    const lookalike = { ...resourceTagsOf('acme-llm-research-key-openai') };
    expect(await getRole('acme-llm-research-key-x-router', lookalike)).toBe('ImplicitlyDenied');
    // Another gateway's router role is tagged with that gateway.
    expect(await getRole('acme-llm-b-research-router', { ...resourceTagsOf(names.tenantRouterRoleName('research')), 'aws:ResourceTag/gateward:gateway': 'acme-llm-b' })).toBe('ImplicitlyDenied');
  });

  test.each([
    ['iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/admin`],
    ['iam:GetInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/${names.tenantRouterRoleName('support')}`],
    ['iam:DeleteRole', ROUTER_ARN],
    ['iam:UpdateAssumeRolePolicy', ROUTER_ARN],
    ['iam:TagRole', ROUTER_ARN],
    ['sts:AssumeRole', ROUTER_ARN],
  ])('may do nothing else: %s', async (action, resource) => {
    expect(await world.decide({ role: VERIFIER, action, resource, context: resourceTagsOf(names.tenantRouterRoleName('support')) })).toBe('ImplicitlyDenied');
  });
});

describe('who may act as the verifier', () => {
  const assume = (principalArn: string) => world.decide({
    principalArn, identityPolicies: [], action: 'sts:AssumeRole', resource: world.roleArn(VERIFIER), resourcePolicy: world.role(VERIFIER).trust,
  });

  test('the Vault server role', async () => {
    expect(await assume(VAULT_SERVER)).toBe('Allowed');
  });

  test.each([...ROUTER_ARNS, world.roleArn(names.brokerRoleName), `arn:aws:iam::${ACCOUNT}:role/acme-admin`])('no one else: %s', async (principal) => {
    expect(await assume(principal)).toBe('ImplicitlyDenied');
  });

  test('the broker itself cannot read a router role', async () => {
    expect(await world.decide({ role: names.brokerRoleName, action: 'iam:GetRole', resource: ROUTER_ARN, context: resourceTagsOf(names.tenantRouterRoleName('support')) })).toBe('ImplicitlyDenied');
  });
});

test('with workload identity federation, the verifier trusts the auth method\'s plugin tokens for the spec\'s audience', () => {
  const oidc = `arn:aws:iam::${ACCOUNT}:oidc-provider/vault.acme.example/v1/identity/oidc/plugins`;
  const spec = { ...exampleSpec, vault: { ...exampleSpec.vault!, edition: VaultEdition.ENTERPRISE, version: '1.17.0', workloadIdentityAudience: 'gateward-acme-llm' } };
  const federated = synthesizeAwsPlane(spec, (stack, s) => new GatewayAwsPlane(stack, 'Gateway', {
    spec: s,
    vaultServer: VaultServerIdentity.fromWorkloadIdentityFederation({ oidcProviderArn: oidc, subjects: ['plugin-identity:root:secret:aws_1a2b3c4d'] }),
    providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
  })).template;
  federated.hasResourceProperties('AWS::IAM::Role', {
    RoleName: VERIFIER,
    AssumeRolePolicyDocument: {
      Statement: [{
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: oidc },
        Condition: {
          StringEquals: { 'vault.acme.example/v1/identity/oidc/plugins:aud': 'gateward-acme-llm' },
          StringLike: { 'vault.acme.example/v1/identity/oidc/plugins:sub': ['plugin-identity:*:auth:*'] },
        },
      }],
    },
  });
});
