import * as path from 'path';
import { checkWithCli, fixtureCase, findingsOf as of, locationsOf as locations, RULE_FIXTURES } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

/** One side of an AWS fixture case: `<rule>/<case>/<kind>.template.json`. */
const template = (rule: string, name: string, kind: 'violating' | 'compliant') => path.join(RULE_FIXTURES, rule, name, `${kind}.template.json`);

describe('IAM grants and trusts the rules did not read', () => {
  test('AWSLambda_FullAccess and sts:AssumeRole on every role are escalation paths', async () => {
    const findings = of(await checkWithCli(template('NHI-IAM-PRIVILEGE-ESCALATION', 'managed-and-assume-role', 'violating')), 'NHI-IAM-PRIVILEGE-ESCALATION');
    expect(findings.map((f) => f.location).sort()).toEqual(['AgentRole', 'RouterRole']);
    expect(findings.find((f) => f.location === 'AgentRole')!.message).toContain('AWSLambda_FullAccess (iam:PassRole of any role to Lambda');
    expect(findings.find((f) => f.location === 'RouterRole')!.message).toContain('sts:AssumeRole on every role');
  });

  test('the basic execution policy and one named role to assume are not', async () => {
    expect(of(await checkWithCli(template('NHI-IAM-PRIVILEGE-ESCALATION', 'managed-and-assume-role', 'compliant')), 'NHI-IAM-PRIVILEGE-ESCALATION')).toEqual([]);
  });

  test('assuming every account\'s roles of a prefix is a wildcard', async () => {
    expect(locations(await checkWithCli(template('NHI-IAM-WILDCARD-RESOURCE', 'cdk-bootstrap-roles', 'violating')), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['Pipeline']);
  });

  test('assuming the roles cdk bootstrap creates is the CDK CLI\'s documented grant', async () => {
    expect(of(await checkWithCli(template('NHI-IAM-WILDCARD-RESOURCE', 'cdk-bootstrap-roles', 'compliant')), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });

  test('a role named by an ARN built from its name is still one role for two functions', async () => {
    const findings = of(await checkWithCli(template('NHI-ROLE-REUSE', 'role-arn-by-name', 'violating')), 'NHI-ROLE-REUSE');
    expect(findings.map((f) => f.location)).toEqual(['Shared']);
    expect(findings[0].message).toContain('is the identity of 2 workloads');
  });

  test('each function naming its own role that way is no reuse', async () => {
    expect(of(await checkWithCli(template('NHI-ROLE-REUSE', 'role-arn-by-name', 'compliant')), 'NHI-ROLE-REUSE')).toEqual([]);
  });

  test('a GitHub subject whose repository and branch default to * opens every repository of the owner', async () => {
    const findings = of(await checkWithCli(template('NHI-TRUST-OIDC-BROAD-SUBJECT', 'parameter-defaults', 'violating')), 'NHI-TRUST-OIDC-BROAD-SUBJECT');
    expect(findings.map((f) => f.location)).toEqual(['Deploy']);
    expect(findings[0].message).toContain('any repository of ${GitHubOrganization}');
  });

  test('defaults naming one repository and branch do not', async () => {
    expect(of(await checkWithCli(template('NHI-TRUST-OIDC-BROAD-SUBJECT', 'parameter-defaults', 'compliant')), 'NHI-TRUST-OIDC-BROAD-SUBJECT')).toEqual([]);
  });
});

describe('Terraform modules and Vault roles the rules did not read', () => {
  test('a Vault provider configured inside a called module is judged', async () => {
    const findings = of(await checkCase('NHI-VAULT-INSECURE-TLS', 'module-provider', 'violating'), 'NHI-VAULT-INSECURE-TLS');
    expect(findings.map((f) => f.location)).toEqual(['provider.vault']);
    expect(findings[0].message).toContain('skip_tls_verify is true');
  });

  test('and verifying there is fine', async () => {
    expect(of(await checkCase('NHI-VAULT-INSECURE-TLS', 'module-provider', 'compliant'), 'NHI-VAULT-INSECURE-TLS')).toEqual([]);
  });

  test('a called module\'s for_each over what the caller gives is judged per instance', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'empty-for-each', 'violating'), 'NHI-TF-SECRET-IN-STATE'))
      .toEqual(['module.engines.vault_ldap_secret_backend.this["corp"]']);
  });

  test('over an empty default it creates nothing, as Terraform does', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'empty-for-each', 'compliant');
    expect(findings.filter((f) => f.location.includes('vault_ldap_secret_backend'))).toEqual([]);
  });

  test('a Kubernetes secret holding a private key is in the state', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'certificate-secret', 'violating'), 'NHI-TF-SECRET-IN-STATE')).toEqual(['kubernetes_secret_v1.issuer_client']);
  });

  test('one holding only a CA certificate holds no secret', async () => {
    expect(of(await checkCase('NHI-TF-SECRET-IN-STATE', 'certificate-secret', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });

  test('Nomad\'s workload role with a ten-day period is a finding', async () => {
    const findings = of(await checkCase('NHI-VAULT-TOKEN-TTL', 'nomad-period', 'violating'), 'NHI-VAULT-TOKEN-TTL');
    expect(findings.map((f) => [f.location, f.severity])).toEqual([['vault_jwt_auth_backend_role.nomad_workloads', 'medium']]);
  });

  test('with a period within a working day it is a note', async () => {
    const findings = of(await checkCase('NHI-VAULT-TOKEN-TTL', 'nomad-period', 'compliant'), 'NHI-VAULT-TOKEN-TTL');
    expect(findings.map((f) => [f.location, f.severity])).toEqual([['vault_jwt_auth_backend_role.nomad_workloads', 'info']]);
    expect(findings[0].message).toContain('Nomad renews each task\'s token while the task runs');
  });

  test('the snapshot agent\'s policy may read the HA status beside the snapshot', async () => {
    const findings = of(await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'snapshot-agent', 'compliant'), 'NHI-VAULT-POLICY-FORBIDDEN');
    expect(findings).toEqual([]);
  });
});
