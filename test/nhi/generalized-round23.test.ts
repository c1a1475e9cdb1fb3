import { checkWithCli, fixtureCase, findingsOf, locationsOf as locations, templateCase } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));
/** The same for a CloudFormation fixture case. */
const checkTemplate = (...which: Parameters<typeof templateCase>) => checkWithCli(templateCase(...which));

const broad = ['NHI-VAULT-POLICY-FORBIDDEN', 'NHI-VAULT-POLICY-BROAD-GLOB'];

describe('an identity group whose members are added elsewhere', () => {
  test('its policies\' holders are unseen, so they are judged', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'unseen-group-members', 'violating');
    expect(locations(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual(['vault_policy.app']);
    expect(findingsOf(findings, 'NHI-VAULT-POLICY-FORBIDDEN')[0].message).toContain('whose members are added outside this configuration');
  });

  test('members written here are people; reading the mount list and rotating a root credential are documented', async () => {
    const findings = await checkCase('NHI-VAULT-POLICY-FORBIDDEN', 'unseen-group-members', 'compliant');
    for (const rule of broad) expect(locations(findings, rule)).toEqual([]);
  });
});

describe('HCP Terraform\'s dynamic-credential settings', () => {
  test('one sensitive token in two workspaces is shared', async () => {
    const findings = await checkCase('NHI-TF-SHARED-WORKSPACE-CREDENTIAL', 'dynamic-credential-settings', 'violating');
    expect(locations(findings, 'NHI-TF-SHARED-WORKSPACE-CREDENTIAL')).toHaveLength(2);
  });

  test('the same Vault address in every workspace is no shared credential', async () => {
    expect(locations(await checkCase('NHI-TF-SHARED-WORKSPACE-CREDENTIAL', 'dynamic-credential-settings', 'compliant'), 'NHI-TF-SHARED-WORKSPACE-CREDENTIAL')).toEqual([]);
  });
});

describe('secrets a service issues to Terraform, and webhook URLs', () => {
  test('a generated Cognito client secret and a Slack webhook URL are in the state', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'issued-client-secret', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['aws_cognito_user_pool_client.web', 'tfe_notification_configuration.slack']);
  });

  test('a public client and a generic webhook\'s address are not', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'issued-client-secret', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('passwords in a template\'s parameter defaults', () => {
  test('a literal default of the parameter a database\'s password comes from is a literal secret', async () => {
    const findings = await checkTemplate('NHI-CFN-SECRET-LITERAL', 'parameter-default', 'violating');
    expect(locations(findings, 'NHI-CFN-SECRET-LITERAL')).toEqual(['Db']);
    expect(findingsOf(findings, 'NHI-CFN-SECRET-LITERAL')[0].message).toContain('DbPassword');
  });

  test('a parameter without a default, and a secret created empty, are not', async () => {
    expect(locations(await checkTemplate('NHI-CFN-SECRET-LITERAL', 'parameter-default', 'compliant'), 'NHI-CFN-SECRET-LITERAL')).toEqual([]);
  });
});

describe('CloudFront in front of an application', () => {
  test('an origin reached over plain HTTP carries callers\' keys in clear', async () => {
    expect(locations(await checkTemplate('NHI-HTTP-LISTENER', 'cloudfront-origin', 'violating'), 'NHI-HTTP-LISTENER')).toEqual(['Cdn']);
  });

  test('an HTTPS origin, and a bucket\'s website endpoint, do not', async () => {
    expect(locations(await checkTemplate('NHI-HTTP-LISTENER', 'cloudfront-origin', 'compliant'), 'NHI-HTTP-LISTENER')).toEqual([]);
  });

  test('a distribution fronting an application origin without logging keeps no access record', async () => {
    expect(locations(await checkTemplate('NHI-ENTRY-POINT-NO-ACCESS-LOG', 'cloudfront', 'violating'), 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual(['Cdn']);
  });

  test('log delivery counts as logging, and a bucket-only distribution is no application entry point', async () => {
    expect(locations(await checkTemplate('NHI-ENTRY-POINT-NO-ACCESS-LOG', 'cloudfront', 'compliant'), 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual([]);
  });
});

describe('AWS-managed policies that invoke every function', () => {
  test('AWSLambdaRole reaches every function of the account', async () => {
    const findings = await checkTemplate('NHI-IAM-WILDCARD-RESOURCE', 'invoke-every-function', 'violating');
    expect(locations(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['EdgeRole']);
    expect(findingsOf(findings, 'NHI-IAM-WILDCARD-RESOURCE')[0].message).toContain('AWSLambdaRole');
  });

  test('invoking one named function does not', async () => {
    expect(locations(await checkTemplate('NHI-IAM-WILDCARD-RESOURCE', 'invoke-every-function', 'compliant'), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});
