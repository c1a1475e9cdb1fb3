import * as path from 'path';
import { checkWithCli, fixtureCase, locationsOf as locations, RULE_FIXTURES } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

/** One side of an AWS fixture case: `<rule>/<case>/<kind>.template.json`. */
const template = (rule: string, name: string, kind: 'violating' | 'compliant') => path.join(RULE_FIXTURES, rule, name, `${kind}.template.json`);

const messageOf = (findings: Awaited<ReturnType<typeof checkWithCli>>, rule: string, location: string) =>
  findings.find((f) => f.ruleId === rule && f.location === location)?.message ?? '';

describe('a credential\'s root variable left to the run', () => {
  test('marked sensitive, or named for a credential, its empty default is not its value: what Terraform writes is in the state', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'credential-variable', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['aws_db_instance.app', 'vault_kv_secret_v2.ci', 'vault_kv_secret_v2.runner']);
    // Given or generated, the database password is in the state either way.
    expect(messageOf(findings, 'NHI-TF-SECRET-IN-STATE', 'aws_db_instance.app')).toContain('which falls back to random_password.db');
  });

  test('a setting\'s variable keeps its default', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'credential-variable', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a credential Terraform writes into a file where it runs', () => {
  test('an AppRole secret id in a local_file is on disk in clear and in the state', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'local-file-credential', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['local_file.web_secret_id']);
    // The file as the configuration names it, not resolved to where the check ran.
    expect(messageOf(findings, 'NHI-TF-SECRET-IN-STATE', 'local_file.web_secret_id')).toContain('to ${path.module}/agent/secret_id');
  });

  test('the role id, which names the role, is not', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'local-file-credential', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a reference encoded into a secret document', () => {
  test('base64encode of a generated password stays the password, not a literal', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'encoded-reference', 'violating'), 'NHI-TF-SECRET-IN-STATE')).toEqual(['vault_kv_secret_v2.docker_config']);
  });

  test('an encoded setting is no secret', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'encoded-reference', 'compliant');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
    expect(locations(findings, 'NHI-VAULT-KV-SECRET-LITERAL')).toEqual([]);
  });
});

describe('one role for a notebook and a model\'s inference containers', () => {
  test('SageMaker notebooks and models are workloads that run as their role', async () => {
    const findings = await checkWithCli(template('NHI-ROLE-REUSE', 'sagemaker', 'violating'));
    expect(locations(findings, 'NHI-ROLE-REUSE')).toEqual(['Role']);
    expect(messageOf(findings, 'NHI-ROLE-REUSE', 'Role')).toContain('Notebook, LlmModel');
  });

  test('each with a role of its own is not reuse', async () => {
    expect(locations(await checkWithCli(template('NHI-ROLE-REUSE', 'sagemaker', 'compliant')), 'NHI-ROLE-REUSE')).toEqual([]);
  });
});

describe('resources a service names after one resource of the template', () => {
  test('every report group of the account is a wildcard', async () => {
    expect(locations(await checkWithCli(template('NHI-IAM-WILDCARD-RESOURCE', 'own-report-groups', 'violating')), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['BuildRole']);
  });

  test('the report groups CodeBuild names after the project are the project\'s own', async () => {
    expect(locations(await checkWithCli(template('NHI-IAM-WILDCARD-RESOURCE', 'own-report-groups', 'compliant')), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});

describe('a deploy-time provider that sets log retention', () => {
  const severities = async (kind: 'violating' | 'compliant') => (await checkWithCli(template('NHI-IAM-WILDCARD-RESOURCE', 'retention-provider', kind)))
    .filter((f) => f.ruleId === 'NHI-IAM-WILDCARD-RESOURCE').map((f) => f.severity);

  test('setting how long log groups keep their events reaches no data: a note', async () => {
    expect(await severities('compliant')).toEqual(['info']);
  });

  test('reading every group\'s events beside it does', async () => {
    expect(await severities('violating')).toEqual(['high']);
  });
});

describe('a KV document that gives its readers Vault\'s address', () => {
  test('over plain HTTP to a cluster address, the reader\'s token travels in clear', async () => {
    const findings = await checkCase('NHI-VAULT-INSECURE-TLS', 'kv-vault-address', 'violating');
    expect(locations(findings, 'NHI-VAULT-INSECURE-TLS')).toEqual(['vault_kv_secret_v2.runner_env']);
    expect(messageOf(findings, 'NHI-VAULT-INSECURE-TLS', 'vault_kv_secret_v2.runner_env')).toContain('VAULT_ADDR = http://vault.vault.svc.cluster.local:8200');
  });

  test('over TLS, or over HTTP on the loopback interface, it does not', async () => {
    expect(locations(await checkCase('NHI-VAULT-INSECURE-TLS', 'kv-vault-address', 'compliant'), 'NHI-VAULT-INSECURE-TLS')).toEqual([]);
  });
});

describe('one input credential copied into several readers\' secrets', () => {
  const rule = 'NHI-TF-SHARED-WORKSPACE-CREDENTIAL';

  test('each secret that holds it is a finding naming the others', async () => {
    const findings = await checkCase(rule, 'kv-copied-input', 'violating');
    expect(locations(findings, rule)).toEqual(['vault_kv_secret_v2.ci', 'vault_kv_secret_v2.controller']);
    expect(messageOf(findings, rule, 'vault_kv_secret_v2.ci')).toContain('${var.github_token}, also in vault_kv_secret_v2.controller');
  });

  test('a token each, and a shared setting that is no credential, are not', async () => {
    expect(locations(await checkCase(rule, 'kv-copied-input', 'compliant'), rule)).toEqual([]);
  });
});

describe('the administrators\' policy given to a workload login', () => {
  const broad = ['NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB'];
  const role = 'module.platform.vault_kubernetes_auth_backend_role.external_secrets';

  test('is reported on the login that holds it, not on the people\'s policy, with addresses as the configuration writes them', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'peoples-policy', 'violating');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([role]);
    const message = messageOf(findings, 'NHI-VAULT-POLICY-FORBIDDEN', role);
    expect(message).toContain('which people hold (module.platform.vault_identity_group.admins)');
    expect(message).toContain('path "sys/mounts/*" is under sys/');
  });

  test('held by the administrators alone, with the operator reading its own tree, it is no finding', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'peoples-policy', 'compliant');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([]);
  });
});
