import * as path from 'path';
import { checkWithCli, fixtureCase, findingsOf as of, locationsOf as locations, RULE_FIXTURES } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

/** One side of an AWS fixture case: `<rule>/<case>/<kind>.template.json`. */
const template = (rule: string, name: string, kind: 'violating' | 'compliant') => path.join(RULE_FIXTURES, rule, name, `${kind}.template.json`);

describe('registry modules read through the inputs they are handed', () => {
  test('the roles of an ECS service module and a Lambda module grant what their statements say, reported on the module call', async () => {
    const findings = of(await checkCase('NHI-IAM-WILDCARD-RESOURCE', 'registry-module-roles', 'violating'), 'NHI-IAM-WILDCARD-RESOURCE');
    expect(findings.map((f) => f.location).sort()).toEqual(['module.gateway', 'module.key_handler']);
    expect(findings.find((f) => f.location === 'module.gateway')!.message).toContain('bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream on *');
    // Log writing on `*` is the managed execution policies' grant; the table is named.
    expect(findings.every((f) => !/logs:|dynamodb:/.test(f.message))).toBe(true);
  });

  test('named models, git and registry.terraform.io sources, and statements left unattached are no finding', async () => {
    expect(of(await checkCase('NHI-IAM-WILDCARD-RESOURCE', 'registry-module-roles', 'compliant'), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });

  test('an ALB module without access_logs, with a plain HTTP listener, on the internet by default', async () => {
    const findings = await checkCase('NHI-ENTRY-POINT-NO-ACCESS-LOG', 'registry-load-balancer', 'violating');
    expect(locations(findings, 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual(['module.gateway_alb']);
    expect(locations(findings, 'NHI-HTTP-LISTENER')).toEqual(['module.gateway_alb']);
  });

  test('with access logs and HTTP redirecting to HTTPS, neither', async () => {
    const findings = await checkCase('NHI-ENTRY-POINT-NO-ACCESS-LOG', 'registry-load-balancer', 'compliant');
    expect(of(findings, 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual([]);
    expect(of(findings, 'NHI-HTTP-LISTENER')).toEqual([]);
  });
});

describe('one grant, one finding', () => {
  test('iam:PassRole written by name on * is the pass-role rule\'s', async () => {
    const findings = await checkWithCli(template('NHI-IAM-PASSROLE', 'service-wide-wildcard', 'violating'));
    expect(locations(findings, 'NHI-IAM-PASSROLE')).toEqual(['Deployer']);
  });

  test('iam:* on * is the wildcard action\'s, graded by all it covers, and not again as pass-role or every-resource', async () => {
    const findings = await checkWithCli(template('NHI-IAM-PASSROLE', 'service-wide-wildcard', 'compliant'));
    expect(locations(findings, 'NHI-IAM-WILDCARD-ACTION')).toEqual(['Deployer']);
    expect(of(findings, 'NHI-IAM-PASSROLE')).toEqual([]);
    expect(of(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});

describe('values that are no secret', () => {
  test('a sensitive workspace variable holding a token is kept in state', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'tfc-dynamic-credentials', 'violating'), 'NHI-TF-SECRET-IN-STATE')).toEqual(['tfe_variable.vault_token']);
  });

  test('HCP Terraform\'s dynamic-credential settings are an address and a role, marked sensitive or not', async () => {
    expect(of(await checkCase('NHI-TF-SECRET-IN-STATE', 'tfc-dynamic-credentials', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a mount\'s lease is judged where it bounds what the mount issues', () => {
  test('an AWS mount issuing IAM users with no maximum lease', async () => {
    expect(locations(await checkWithCli(path.join(RULE_FIXTURES, 'NHI-VAULT-LEASE-TTL', 'violating.tf.json')), 'NHI-VAULT-LEASE-TTL'))
      .toEqual(['vault_aws_secret_backend.aws']);
  });

  test('STS-only mounts and database mounts whose roles are all read are judged on their roles', async () => {
    expect(of(await checkWithCli(path.join(RULE_FIXTURES, 'NHI-VAULT-LEASE-TTL', 'compliant.tf.json')), 'NHI-VAULT-LEASE-TTL')).toEqual([]);
  });
});

describe('a Vault server deployed by Helm', () => {
  test('with global.tlsDisable or a listener\'s tls_disable serves tokens in clear', async () => {
    const findings = of(await checkCase('NHI-VAULT-INSECURE-TLS', 'helm-release', 'violating'), 'NHI-VAULT-INSECURE-TLS');
    expect(findings.map((f) => f.location).sort()).toEqual(['helm_release.openbao', 'helm_release.vault']);
    expect(findings.find((f) => f.location === 'helm_release.vault')!.message).toContain('sets global.tlsDisable = true and configures a listener with tls_disable');
  });

  test('with TLS on, or another chart, is not judged', async () => {
    expect(of(await checkCase('NHI-VAULT-INSECURE-TLS', 'helm-release', 'compliant'), 'NHI-VAULT-INSECURE-TLS')).toEqual([]);
  });
});

describe('a SecureString written by Terraform', () => {
  test('holding a credential under a key that names one, at any depth, is kept in state', async () => {
    const findings = of(await checkCase('NHI-TF-SECRET-IN-STATE', 'securestring-settings', 'violating'), 'NHI-TF-SECRET-IN-STATE');
    expect(findings.map((f) => [f.location, f.severity]).sort()).toEqual([['aws_ssm_parameter.database', 'high'], ['aws_ssm_parameter.provider', 'high']]);
  });

  test('holding a document of settings whose keys name no secret is a note', async () => {
    const findings = of(await checkCase('NHI-TF-SECRET-IN-STATE', 'securestring-settings', 'compliant'), 'NHI-TF-SECRET-IN-STATE');
    expect(findings.map((f) => [f.location, f.severity]).sort()).toEqual([['aws_ssm_parameter.models', 'info'], ['aws_ssm_parameter.quota', 'info']]);
  });
});

describe('a Vault AWS role handing out the configuration\'s own managed policies', () => {
  test('is judged on what each instance of them allows', async () => {
    const findings = of(await checkCase('NHI-VAULT-AWS-ROLE-POLICY', 'configured-policy-arns', 'violating'), 'NHI-VAULT-AWS-ROLE-POLICY');
    expect(findings.map((f) => f.location)).toEqual(['vault_aws_secret_backend_role.apps']);
    expect(findings[0].message).toBe('hands out aws_iam_policy.apps["uploads"], which allows s3:* on *');
  });

  test('a policy of named objects is not', async () => {
    expect(of(await checkCase('NHI-VAULT-AWS-ROLE-POLICY', 'configured-policy-arns', 'compliant'), 'NHI-VAULT-AWS-ROLE-POLICY')).toEqual([]);
  });
});
