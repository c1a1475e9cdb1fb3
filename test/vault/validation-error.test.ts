import { TerraformStack, Testing } from 'cdktf';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayValidationError, GatewayVaultPlane, SpecProblem, VaultCapability, VaultPolicyDocument, VaultProviderLogin } from '../../src';
import { AwsCredentialRole, AwsCredentialType } from '../../src/vault/aws-credential-role';

// One error type and one message format for the Vault plane, its building blocks and the ACL
// model, the same as the spec's: "<subject> is invalid (N problems):" then one line per problem.
function thrownBy(run: () => unknown): GatewayValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayValidationError);
    return error as GatewayValidationError;
  }
  throw new Error('expected a GatewayValidationError');
}

const line = (p: SpecProblem) => `  - ${p.path}: ${p.message} (got ${p.value}). Fix: ${p.fix}.`;

test('the plane throws one GatewayValidationError whose problems are the lines of its message', () => {
  const error = thrownBy(() => new GatewayVaultPlane(new TerraformStack(Testing.app(), 's'), 'g', {
    spec: exampleSpec, providerLogin: VaultProviderLogin.aws({ role: 'ci' }), providerTokenTtlSeconds: 5, auditFilePath: 'relative.log',
  }));
  expect(error.subject).toBe('GatewayVaultPlane "acme-llm"');
  expect(error.problems.map((p) => [p.path, p.value])).toEqual([['props.auditFilePath', '"relative.log"'], ['props.providerTokenTtlSeconds', '5']]);
  expect(error.message).toBe(`GatewayVaultPlane "acme-llm" is invalid (2 problems):\n${error.problems.map(line).join('\n')}`);
});

test('a refused workload policy names each rule by its index, with its path as the value and a fix', () => {
  const error = thrownBy(() => VaultPolicyDocument.forWorkload('app', [
    { path: 'sys/mounts', capabilities: [VaultCapability.READ] },
    { path: 'gw/t/aws/creds/models', capabilities: [] },
  ]));
  expect(error.subject).toBe('Vault policy "app"');
  expect(error.problems.map((p) => [p.path, p.value])).toEqual([['rules[0]', '"sys/mounts"'], ['rules[1]', '"gw/t/aws/creds/models"']]);
  for (const problem of error.problems) expect(problem.fix).not.toBe('');
  expect(error.message).toBe(`Vault policy "app" is invalid (2 problems):\n${error.problems.map(line).join('\n')}`);
});

test('the provider login and a building block use the same error and format', () => {
  const login = thrownBy(() => VaultProviderLogin.aws({ role: 'ci', mout: 'aws' } as any));
  expect(login.message).toBe(`VaultProviderLogin.aws is invalid (1 problem):\n${login.problems.map(line).join('\n')}`);
  const role = thrownBy(() => new AwsCredentialRole(new TerraformStack(Testing.app(), 's'), 'r', {
    backend: 'aws',
    name: 'r',
    roleArn: 'arn:aws:iam::111122223333:role/r',
    externalId: 'x',
    defaultStsTtlSeconds: 900,
    maxStsTtlSeconds: 3600,
    credentialType: AwsCredentialType.SESSION_TOKEN,
  }));
  expect(role.problems.map((p) => [p.path, p.value])).toEqual([['props.credentialType', '"session_token"']]);
  expect(role.message).toBe(`AwsCredentialRole "r" is invalid (1 problem):\n${role.problems.map(line).join('\n')}`);
});
