import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewaySpec, GatewayVaultPlane, VaultEdition, VaultProviderLogin } from '../../src';
import { VaultAuthVerifier } from '../../src/aws/vault-auth-verifier';
import { synthesizeVaultPlane } from '../support/vault-example';

// resolve_aws_unique_ids makes Vault call iam:GetRole for the bound router role when the auth role
// is written. The AWS plane grants that call to the verifier role only; these tests hold the Vault
// plane to using it.
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const verifierArn = blueprint.naming.roleArn(VaultAuthVerifier.roleName(blueprint));
const planeFor = (spec: GatewaySpec) => synthesizeVaultPlane(spec, (stack, s) =>
  new GatewayVaultPlane(stack, 'Gateway', { spec: s, providerLogin: VaultProviderLogin.aws({ role: 'acme-platform-pipeline' }) }));

test('with a Vault server role, the auth method reads the gateway account through the verifier role the AWS plane creates', () => {
  const plane = synthesizeVaultPlane();
  const stsRoles = Object.values(plane.resources('vault_aws_auth_backend_sts_role'));
  expect(stsRoles).toEqual([expect.objectContaining({ account_id: exampleSpec.aws.account, sts_role: verifierArn })]);
  const roles = Object.values(plane.resources('vault_aws_auth_backend_role'));
  expect(roles).toHaveLength(blueprint.tenants.filter((t) => t.router).length);
  for (const role of roles) {
    expect(role.resolve_aws_unique_ids).toBe(true);
    // The STS role is configured before each role whose write makes Vault call iam:GetRole.
    expect(role.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^vault_aws_auth_backend_sts_role\./)]));
  }
  const [client] = Object.values(plane.resources('vault_aws_auth_backend_client'));
  expect(client.role_arn).toBeUndefined();
});

test('with workload identity federation, the auth client itself acts as the verifier, through a plugin identity token', () => {
  const plane = planeFor({ ...exampleSpec, vault: { ...exampleSpec.vault!, edition: VaultEdition.ENTERPRISE, version: '1.17.0', workloadIdentityAudience: 'gateward:acme-llm-aws' } });
  expect(plane.resources('vault_aws_auth_backend_sts_role')).toEqual({});
  const [client] = Object.values(plane.resources('vault_aws_auth_backend_client'));
  expect(client).toMatchObject({ identity_token_audience: 'gateward:acme-llm-aws', role_arn: verifierArn });
});

test('federation on a Vault that cannot federate its AWS auth method is refused, naming the spec field', () => {
  expect(() => planeFor({ ...exampleSpec, vault: { ...exampleSpec.vault!, edition: VaultEdition.ENTERPRISE, version: '1.16.2', workloadIdentityAudience: 'gateward:acme-llm-aws' } }))
    .toThrow(/vault\.workloadIdentityAudience.*1\.17 or later/);
});
