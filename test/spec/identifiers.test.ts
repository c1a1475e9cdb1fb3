import { TerraformStack, Testing } from 'cdktf';
import { DataAccess, VaultServerIdentity } from '../../src';
import { ProblemCollector } from '../../src/problems/problem-collector';
import { checkRoleArn, checkSqlIdentifier } from '../../src/spec/private/field-rules';
import { AwsCredentialRole } from '../../src/vault/aws-credential-role';
import { DatabaseCredentialRole } from '../../src/vault/database-credential-role';
import { JwtWorkloadRole } from '../../src/vault/jwt-workload-role';

// The spec's validation and the planes' own prop checks read one rule for each kind of
// identifier, so a value the spec accepts is never refused by a plane built from it.

const stack = () => new TerraformStack(Testing.app(), 's');

function specAcceptsRole(arn: string): boolean {
  return checkRoleArn(new ProblemCollector(), 'roleArn', arn, 'aws', 'the role');
}

function vaultAcceptsRole(arn: string): boolean {
  try {
    new AwsCredentialRole(stack(), 'r', { backend: 'aws', name: 'r', roleArn: arn, externalId: 'x', defaultStsTtlSeconds: 900, maxStsTtlSeconds: 3600 });
    return true;
  } catch {
    return false;
  }
}

function awsAcceptsRole(arn: string): boolean {
  const c = new ProblemCollector();
  VaultServerIdentity.fromRoleArn(arn)._problems(c, 'vaultServer', undefined);
  return c.size === 0;
}

function specAcceptsSchema(schema: string): boolean {
  return checkSqlIdentifier(new ProblemCollector(), 'schema', schema, 'schema name');
}

function vaultAcceptsSchema(schema: string): boolean {
  try {
    new DatabaseCredentialRole(stack(), 'd', { backend: 'db', name: 'd', connectionName: 'c', schema, access: DataAccess.READ_ONLY, defaultTtlSeconds: 900, maxTtlSeconds: 3600 });
    return true;
  } catch {
    return false;
  }
}

describe('spec, Vault plane and AWS plane agree on role ARNs', () => {
  test.each([
    ['a role without a path', 'arn:aws:iam::111122223333:role/app', true],
    ['a role with a path', 'arn:aws:iam::111122223333:role/team/app', true],
    // IAM paths may hold any printable ASCII but ":"; the plane used to accept fewer characters.
    ['a role path with characters beyond word characters', 'arn:aws:iam::111122223333:role/team!a~b/app', true],
    ['a short account id', 'arn:aws:iam::1111:role/app', false],
    ['a space in the role name', 'arn:aws:iam::111122223333:role/my app', false],
    ['a wildcard', 'arn:aws:iam::111122223333:role/app*', false],
    ['a user instead of a role', 'arn:aws:iam::111122223333:user/app', false],
    ['an unknown partition', 'arn:aws-moon:iam::111122223333:role/app', false],
    ['a role name longer than IAM allows', `arn:aws:iam::111122223333:role/${'r'.repeat(65)}`, false],
    ['a wildcard in the role path', 'arn:aws:iam::111122223333:role/*/app', false],
    ['the account root', 'arn:aws:iam::111122223333:root', false],
  ])('%s', (_name, arn, accepted) => {
    expect({ spec: specAcceptsRole(arn), vault: vaultAcceptsRole(arn), aws: awsAcceptsRole(arn) })
      .toEqual({ spec: accepted, vault: accepted, aws: accepted });
  });
});

test('spec and AWS plane both say an account root is an account root', () => {
  const arn = 'arn:aws-us-gov:iam::111122223333:root';
  const spec = new ProblemCollector();
  checkRoleArn(spec, 'roleArn', arn, undefined, 'the role');
  const aws = new ProblemCollector();
  VaultServerIdentity.fromRoleArn(arn)._problems(aws, 'vaultServer', undefined);
  expect([...spec.problems, ...aws.problems].map((p) => /account root/.test(p.message))).toEqual([true, true]);
});

describe('spec and Vault plane agree on SQL identifiers', () => {
  test.each([
    ['a plain schema', 'tenant_docs', true],
    ['a leading underscore', '_docs', true],
    ['63 characters', 'a'.repeat(63), true],
    ['64 characters', 'a'.repeat(64), false],
    ['upper case', 'Docs', false],
    ['a hyphen', 'my-docs', false],
    ['SQL in the name', 'alpha; DROP ROLE vault', false],
  ])('%s', (_name, schema, accepted) => {
    expect({ spec: specAcceptsSchema(schema), vault: vaultAcceptsSchema(schema) }).toEqual({ spec: accepted, vault: accepted });
  });
});

describe('the Vault plane refuses a wildcard subject as the spec refuses wildcards', () => {
  test.each(['system:serviceaccount:team:*', 'system:serviceaccount:team:app?'])('%s', (subject) => {
    expect(() => new JwtWorkloadRole(stack(), 'j', {
      backend: 'jwt', roleName: 'app', boundAudiences: ['gateward:g'], boundSubject: subject, tokenPolicies: ['p'], tokenTtlSeconds: 900, tokenMaxTtlSeconds: 3600,
    })).toThrow(/boundSubject .* must be one exact subject/);
  });
});
