import { TerraformStack, TerraformVariable } from 'cdktf';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayVaultPlane, VaultProviderLogin } from '../../src';
import { synthesizeVaultPlane } from '../support/vault-example';

// The login is a class with one factory per method; the plane asks it for its provider block and
// its problems instead of branching on a method string.
const providerWith = (login: (stack: TerraformStack) => VaultProviderLogin) =>
  synthesizeVaultPlane(exampleSpec, (stack, spec) => new GatewayVaultPlane(stack, 'Gateway', { spec, providerLogin: login(stack) })).config.provider.vault[0];

test('an AWS login signs with the gateway\'s server-id header unless it names its own', () => {
  expect(providerWith(() => VaultProviderLogin.aws({ role: 'ci' })).auth_login_aws)
    .toEqual([{ role: 'ci', mount: 'aws', header_value: 'vault.acme.example' }]);
  expect(providerWith(() => VaultProviderLogin.aws({ role: 'ci', mount: 'aws-ci', headerValue: 'vault.internal' })).auth_login_aws)
    .toEqual([{ role: 'ci', mount: 'aws-ci', header_value: 'vault.internal' }]);
});

test('a JWT login writes only the reference to its token, and no AWS login', () => {
  const provider = providerWith((stack) => VaultProviderLogin.jwt({
    role: 'ci', mount: 'jwt-ci', jwt: new TerraformVariable(stack, 'ci_jwt', { type: 'string', sensitive: true }).stringValue,
  }));
  expect(provider.auth_login_jwt).toEqual([{ role: 'ci', mount: 'jwt-ci', jwt: '${var.ci_jwt}' }]);
  expect(provider.auth_login_aws).toBeUndefined();
});

test('the login exposes its role and mount, and no method string to branch on', () => {
  const login = VaultProviderLogin.aws({ role: 'ci' });
  expect({ role: login.role, mount: login.mount }).toEqual({ role: 'ci', mount: 'aws' });
  expect(Object.keys(login)).not.toContain('method');
});
