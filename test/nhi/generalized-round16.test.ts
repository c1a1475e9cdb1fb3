import * as path from 'path';
import { checkWithCli, fixtureCase, locationsOf as locations, RULE_FIXTURES } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

/** One side of an AWS fixture case: `<rule>/<case>/<kind>.template.json`. */
const template = (rule: string, name: string, kind: 'violating' | 'compliant') => path.join(RULE_FIXTURES, rule, name, `${kind}.template.json`);

describe('ignore_changes does not hide a secret Terraform generates', () => {
  test('a random_password written into a parameter that ignores changes is still in the state', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'ignored-generated-value', 'violating'), 'NHI-TF-SECRET-IN-STATE')).toEqual(['aws_ssm_parameter.session_key']);
  });

  test('a placeholder replaced outside Terraform is not', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'ignored-generated-value', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a key between two containers of one task is not a callers\' key', () => {
  test('a proxy container checking a key no neighbour holds is', async () => {
    expect(locations(await checkWithCli(template('NHI-SHARED-CALLER-KEY', 'sidecar-key', 'violating')), 'NHI-SHARED-CALLER-KEY')).toEqual(['Proxy']);
  });

  test('a sidecar checking the key its neighbour is given under another name is not', async () => {
    expect(locations(await checkWithCli(template('NHI-SHARED-CALLER-KEY', 'sidecar-key', 'compliant')), 'NHI-SHARED-CALLER-KEY')).toEqual([]);
  });
});

describe('secrets read from files the input does not hold', () => {
  test('a key file read into data_json, with a placeholder fallback, is a file beside the configuration and in the state', async () => {
    const findings = await checkCase('NHI-VAULT-KV-SECRET-LITERAL', 'files-beside-config', 'violating');
    expect(locations(findings, 'NHI-VAULT-KV-SECRET-LITERAL')).toEqual(['vault_generic_secret.storage']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-KV-SECRET-LITERAL')!.message).toContain('../secrets/storage.yml');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['vault_generic_secret.storage']);
  });

  test('placeholders written once with disable_read are left to whoever sets the secret', async () => {
    const findings = await checkCase('NHI-VAULT-KV-SECRET-LITERAL', 'files-beside-config', 'compliant');
    expect(locations(findings, 'NHI-VAULT-KV-SECRET-LITERAL')).toEqual([]);
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a root-equivalent policy is judged whoever holds it', () => {
  test('path "*" with sudo given to people\'s identity group', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'root-equivalent-group', 'violating');
    expect(locations(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual(['vault_policy.admin']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-POLICY-BROAD-GLOB')!.message).toContain('vault_identity_group.admins');
  });

  test('HashiCorp\'s administrator policy given to the same group is not', async () => {
    expect(locations(await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'root-equivalent-group', 'compliant'), 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
  });
});

describe('format() with references is read as the text it writes', () => {
  test('the account root built with format() is the account root', async () => {
    expect(locations(await checkCase('NHI-TRUST-ROOT-OR-ANYONE', 'formatted-arn', 'violating'), 'NHI-TRUST-ROOT-OR-ANYONE')).toEqual(['aws_iam_role.target']);
  });

  test('one named role built with format() is one role', async () => {
    expect(locations(await checkCase('NHI-TRUST-ROOT-OR-ANYONE', 'formatted-arn', 'compliant'), 'NHI-TRUST-ROOT-OR-ANYONE')).toEqual([]);
  });
});

describe('IAM names under one system\'s prefix', () => {
  test('user management on every user is every resource of the kind', async () => {
    expect(locations(await checkCase('NHI-IAM-WILDCARD-RESOURCE', 'engine-user-prefix', 'violating'), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['aws_iam_user.engine']);
  });

  test('on the users named under the engine\'s own prefix it is not', async () => {
    expect(locations(await checkCase('NHI-IAM-WILDCARD-RESOURCE', 'engine-user-prefix', 'compliant'), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});

describe('the user Vault\'s AWS engine runs as', () => {
  test('user management on every user is an escalation, even for the engine', async () => {
    expect(locations(await checkCase('NHI-IAM-PRIVILEGE-ESCALATION', 'vault-engine-user', 'violating'), 'NHI-IAM-PRIVILEGE-ESCALATION')).toEqual(['aws_iam_user.vault']);
  });

  test('on the users named under its own prefix it is the engine\'s documented grant', async () => {
    const findings = await checkCase('NHI-IAM-PRIVILEGE-ESCALATION', 'vault-engine-user', 'compliant');
    expect(locations(findings, 'NHI-IAM-PRIVILEGE-ESCALATION')).toEqual([]);
    // The engine's static key is still a finding of its own.
    expect(locations(findings, 'NHI-VAULT-AWS-STATIC-ROOT')).toEqual(['vault_aws_secret_backend.aws']);
  });
});

describe('an operator that syncs a mount into Kubernetes', () => {
  test('writing into the mount, or an application reading all of it, reaches beyond the job', async () => {
    expect(locations(await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'sync-operator', 'violating'), 'NHI-VAULT-POLICY-BROAD-GLOB'))
      .toEqual(['vault_policy.app', 'vault_policy.external_secrets']);
  });

  test('the External Secrets Operator reading the mount it syncs, bound to its own service account, does not', async () => {
    expect(locations(await checkCase('NHI-VAULT-POLICY-BROAD-GLOB', 'sync-operator', 'compliant'), 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
  });
});

describe('keys named for what they sign', () => {
  test('a session-signing SECRET_KEY written into a task\'s environment is a literal secret', async () => {
    const findings = await checkWithCli(template('NHI-CFN-SECRET-LITERAL', 'signing-key-env', 'violating'));
    expect(locations(findings, 'NHI-CFN-SECRET-LITERAL')).toEqual(['Web']);
    expect(findings.find((f) => f.ruleId === 'NHI-CFN-SECRET-LITERAL')!.message).toMatch(/WEBUI_SECRET_KEY.*SIGNING_KEY/);
  });

  test('the ARN and id that say where the keys are, are not', async () => {
    expect(locations(await checkWithCli(template('NHI-CFN-SECRET-LITERAL', 'signing-key-env', 'compliant')), 'NHI-CFN-SECRET-LITERAL')).toEqual([]);
  });
});
