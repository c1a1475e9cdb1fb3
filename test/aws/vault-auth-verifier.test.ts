import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayAwsPlane, GatewayBlueprint, ProviderKeyRotation, VaultEdition, VaultServerIdentity } from '../../src';
import { VaultAuthVerifier } from '../../src/aws/vault-auth-verifier';
import { synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';
import { synthesizeVaultPlane } from '../support/vault-example';

// Vault's AWS auth method binds the router role with resolve_aws_unique_ids, so when the Vault
// role is written Vault calls iam:GetRole on each bound role ARN (RoleName = the ARN's name) with
// its own AWS identity. The verifier is that identity: exactly iam:GetRole, on exactly those ARNs.

const ACCOUNT = '111122223333';
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const names = blueprint.naming;
const { template } = synthesizeAwsPlane();
const world = new IamWorld(template.toJSON(), { account: ACCOUNT, region: 'us-east-1' });
const VERIFIER = VaultAuthVerifier.roleName(blueprint);
const VAULT_SERVER = `arn:aws:iam::${ACCOUNT}:role/acme-vault-server`;
const ROUTER_ARN = world.roleArn(names.routerRoleName);

test('reads exactly the roles the Vault plane\'s AWS auth roles bind, as synthesized', () => {
  const roles = Object.values(synthesizeVaultPlane().resources('vault_aws_auth_backend_role')) as any[];
  const bound = roles.filter((r) => r.resolve_aws_unique_ids !== false).flatMap((r) => r.bound_iam_principal_arns).sort();
  expect(bound).toEqual([ROUTER_ARN]);
  expect(VaultAuthVerifier.boundRoleArns(blueprint)).toEqual(bound);
  const grant = world.role(VERIFIER).policies.flatMap((p) => [p.document.Statement].flat());
  expect(grant).toEqual([{ Sid: 'ReadBoundRouterRoles', Effect: 'Allow', Action: 'iam:GetRole', Resource: ROUTER_ARN }]);
});

describe('the verifier', () => {
  test('reads the bound router role', async () => {
    expect(await world.decide({ role: VERIFIER, action: 'iam:GetRole', resource: ROUTER_ARN })).toBe('Allowed');
  });

  test.each([names.brokerRoleName, 'acme-llm-support-models', 'acme-vault-server'])('reads no other role: %s', async (role) => {
    expect(await world.decide({ role: VERIFIER, action: 'iam:GetRole', resource: world.roleArn(role) })).toBe('ImplicitlyDenied');
  });

  test.each([
    ['iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/admin`],
    ['iam:GetInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/${names.routerRoleName}`],
    ['iam:DeleteRole', ROUTER_ARN],
    ['iam:UpdateAssumeRolePolicy', ROUTER_ARN],
    ['sts:AssumeRole', ROUTER_ARN],
  ])('may do nothing else: %s', async (action, resource) => {
    expect(await world.decide({ role: VERIFIER, action, resource })).toBe('ImplicitlyDenied');
  });
});

describe('who may act as the verifier', () => {
  const assume = (principalArn: string) => world.decide({
    principalArn, identityPolicies: [], action: 'sts:AssumeRole', resource: world.roleArn(VERIFIER), resourcePolicy: world.role(VERIFIER).trust,
  });

  test('the Vault server role', async () => {
    expect(await assume(VAULT_SERVER)).toBe('Allowed');
  });

  test.each([ROUTER_ARN, world.roleArn(names.brokerRoleName), `arn:aws:iam::${ACCOUNT}:role/acme-admin`])('no one else: %s', async (principal) => {
    expect(await assume(principal)).toBe('ImplicitlyDenied');
  });

  test('the broker itself cannot read the router role', async () => {
    expect(await world.decide({ role: names.brokerRoleName, action: 'iam:GetRole', resource: ROUTER_ARN })).toBe('ImplicitlyDenied');
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
