import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewayVaultPlane, GatewayVaultPlaneProps, VaultProviderLogin } from '../../src';
import { RouterAuth } from '../../src/vault/router-auth';
import { TenantDatabaseSecrets } from '../../src/vault/tenant-database-secrets';

const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const stack = () => new TerraformStack(Testing.app(), 's');
const LOGIN = VaultProviderLogin.aws({ role: 'acme-platform-pipeline' });

describe('unknown keys in construct props are errors, with a did-you-mean', () => {
  test('the plane reports every one at once, each with its path, value and fix (the removed workloadIdentityAudience too)', () => {
    const props = { spec: exampleSpec, providerLogin: LOGIN, workloadIdentityAudience: 'gateward-acme-llm', manageAuditDevice: false, tokenNmae: 'ci-42' };
    expect(() => new GatewayVaultPlane(stack(), 'g', props as GatewayVaultPlaneProps)).toThrow(
      'GatewayVaultPlane "acme-llm" is invalid (3 problems):\n'
      + '  - props.workloadIdentityAudience: is not a field of GatewayVaultPlaneProps (got "workloadIdentityAudience"). Fix: remove it; the fields of GatewayVaultPlaneProps are '
      + 'spec, providerLogin, tokenName, providerTokenTtlSeconds, caCertFile, awsApiEndpoints, databaseTlsCa, manageAuditDevices, secondAuditDevice, auditFilePath, auditSocketPath.\n'
      + '  - props.manageAuditDevice: is not a field of GatewayVaultPlaneProps (got "manageAuditDevice"). Fix: did you mean "manageAuditDevices"? Rename or remove it.\n'
      + '  - props.tokenNmae: is not a field of GatewayVaultPlaneProps (got "tokenNmae"). Fix: did you mean "tokenName"? Rename or remove it.');
  });

  // Only what a user passes in is checked for unknown keys: the plane's props (above) and the
  // provider login's options. The building blocks are internal and built by the plane alone.
  test('the provider login refuses a misspelt option', () => {
    const password = new TerraformVariable(stack(), 'pw', { type: 'string', sensitive: true }).stringValue;
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['VaultProviderLogin.aws', () => VaultProviderLogin.aws({ role: 'ci', header: 'vault.example' } as any), /options\.header: .*did you mean "headerValue"/],
      ['VaultProviderLogin.jwt', () => VaultProviderLogin.jwt({ role: 'ci', mount: 'jwt', jwt: password, token: 'x' } as any), /options\.token: is not a field of VaultJwtLoginOptions/],
    ];
    for (const [, build, message] of cases) {
      expect(build).toThrow(message);
    }
  });

  test('the same props without the misspelt field are accepted', () => {
    const s = stack();
    expect(() => new RouterAuth(s, 'a', { blueprint, endpoints: {} })).not.toThrow();
    expect(() => new TenantDatabaseSecrets(s, 'd', { blueprint, tenant: blueprint.tenants[0], tlsCa: {} })).not.toThrow();
    expect(() => VaultProviderLogin.aws({ role: 'ci', headerValue: 'vault.example' })).not.toThrow();
  });
});
