import * as path from 'path';
import { checkWithCli, fixtureCase, locationsOf as locations, RULE_FIXTURES } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

/** One side of an AWS fixture case: `<rule>/<case>/<kind>.template.json`. */
const template = (rule: string, name: string, kind: 'violating' | 'compliant') => path.join(RULE_FIXTURES, rule, name, `${kind}.template.json`);

describe('a function permission for a service names the calling resource', () => {
  test('a Lex bot permission without SourceArn admits any account\'s bot', async () => {
    const findings = await checkWithCli(template('NHI-TRUST-SERVICE-NO-SOURCE', 'function-permission', 'violating'));
    expect(locations(findings, 'NHI-TRUST-SERVICE-NO-SOURCE')).toEqual(['LexInvoke']);
    expect(findings.find((f) => f.ruleId === 'NHI-TRUST-SERVICE-NO-SOURCE')!.message).toContain('lexv2.amazonaws.com');
  });

  test('with the bot alias\'s ARN it does not; nor does a load balancer\'s, whose target group is in the function\'s account', async () => {
    expect(locations(await checkWithCli(template('NHI-TRUST-SERVICE-NO-SOURCE', 'function-permission', 'compliant')), 'NHI-TRUST-SERVICE-NO-SOURCE')).toEqual([]);
  });

  test('Terraform\'s aws_lambda_permission is read with its source_arn and source_account', async () => {
    expect(locations(await checkCase('NHI-TRUST-SERVICE-NO-SOURCE', 'function-permission-tf', 'violating'), 'NHI-TRUST-SERVICE-NO-SOURCE')).toEqual(['aws_lambda_permission.uploads']);
    expect(locations(await checkCase('NHI-TRUST-SERVICE-NO-SOURCE', 'function-permission-tf', 'compliant'), 'NHI-TRUST-SERVICE-NO-SOURCE')).toEqual([]);
  });
});

describe('a secret a data source returns, passed as a plain environment variable', () => {
  test('an external program\'s key in a function\'s environment is in its configuration and in the state', async () => {
    const findings = await checkCase('NHI-CFN-SECRET-LITERAL', 'data-source-env', 'violating');
    expect(locations(findings, 'NHI-CFN-SECRET-LITERAL')).toEqual(['aws_lambda_function.proxy']);
    const message = findings.find((f) => f.ruleId === 'NHI-CFN-SECRET-LITERAL')!.message;
    expect(message).toContain('OPENAI_API_KEY takes its value from ${data.external.env');
    expect(message).toContain('Terraform also keeps the value in its state');
  });

  test('a secret\'s ARN, and a setting from the same program, are not', async () => {
    expect(locations(await checkCase('NHI-CFN-SECRET-LITERAL', 'data-source-env', 'compliant'), 'NHI-CFN-SECRET-LITERAL')).toEqual([]);
  });
});

describe('an API key Terraform creates', () => {
  test('its value is read back into the state', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'api-key-value', 'violating'), 'NHI-TF-SECRET-IN-STATE')).toEqual(['aws_api_gateway_api_key.clients']);
  });

  test('an API whose callers sign with IAM holds no key', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'api-key-value', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('Vault\'s built-in default policy', () => {
  const broad = ['NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB'];

  test('written as Vault ships it (own token, entity, cubbyhole, wrapping, tools), it reaches nothing of anyone else\'s', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'default-policy', 'compliant');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([]);
  });

  test('a path added to it is judged, and only that path', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'default-policy', 'violating');
    const forbidden = findings.filter((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN');
    expect(forbidden.map((f) => f.location)).toEqual(['vault_policy.default']);
    expect(forbidden[0].message).toContain('path "sys/mounts/*"');
    expect(locations(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
  });
});

describe('a policy attached to no role', () => {
  test('one that mints tokens is judged anyway', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'unattached-area-admin', 'violating');
    expect(locations(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual(['vault_policy.token_create']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN')!.message).toContain('(attached to no role in this configuration)');
  });

  test('the administrator policy of one auth method is an operator\'s, as the whole-Vault one is', async () => {
    expect(locations(await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'unattached-area-admin', 'compliant'), 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual([]);
  });
});

describe('Terraform Cloud roles for both run phases', () => {
  test('a workspace the configuration creates runs speculative plans: they get the apply\'s role', async () => {
    const findings = await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'tfc-run-phase', 'violating');
    expect(locations(findings, 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual(['vault_jwt_auth_backend_role.vault_config']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-JWT-NO-AUDIENCE')!.severity).toBe('high');
  });

  test('one workspace\'s role with no workspace in sight is a note, not a finding', async () => {
    const findings = (await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'tfc-run-phase', 'compliant')).filter((f) => f.ruleId === 'NHI-VAULT-JWT-NO-AUDIENCE');
    expect(findings.map((f) => [f.location, f.severity])).toEqual([['vault_jwt_auth_backend_role.vault_config', 'info']]);
  });

  test('a subject open to every workspace of a project is a finding wherever the workspaces are', async () => {
    expect(locations(await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'tfc-every-workspace', 'violating'), 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual(['vault_jwt_auth_backend_role.platform']);
    expect(locations(await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'tfc-every-workspace', 'compliant'), 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual([]);
  });
});
