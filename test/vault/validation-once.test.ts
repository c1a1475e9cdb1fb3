import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewaySpecValidator, GatewayValidationError, GatewayVaultPlane, VaultProviderLogin } from '../../src';
import { synthesizeVaultPlane } from '../support/vault-example';

// Each input is validated once, at the entry point that received it: the Vault plane checks its
// spec and props together and builds its blueprint without checking the spec a second time; the
// building blocks it composes do not check what it checked.

afterEach(() => jest.restoreAllMocks());

const build = () => synthesizeVaultPlane(exampleSpec, (stack, spec) =>
  new GatewayVaultPlane(stack, 'Gateway', { spec, providerLogin: VaultProviderLogin.aws({ role: 'acme-platform-pipeline' }) }));

test('building the Vault plane walks the spec once', () => {
  const walk = jest.spyOn(GatewaySpecValidator, 'problems');
  const validate = jest.spyOn(GatewaySpecValidator, 'validate');
  build();
  expect(walk).toHaveBeenCalledTimes(1);
  expect(validate).not.toHaveBeenCalled();
});

test('a spec problem and a props problem come in one error from the plane', () => {
  let thrown: unknown;
  try {
    synthesizeVaultPlane({ ...exampleSpec, name: 'BadName' }, (stack, spec) =>
      new GatewayVaultPlane(stack, 'Gateway', { spec, providerLogin: VaultProviderLogin.aws({ role: 'ci' }), providerTokenTtlSeconds: 1 }));
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GatewayValidationError);
  const error = thrown as GatewayValidationError;
  expect(error.subject).toBe('GatewayVaultPlane "BadName"');
  expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['spec.name', 'props.providerTokenTtlSeconds']));
});
