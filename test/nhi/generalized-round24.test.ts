import { checkWithCli, fixtureCase, findingsOf, locationsOf as locations, templateCase } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));
/** The same for a CloudFormation fixture case. */
const checkTemplate = (...which: Parameters<typeof templateCase>) => checkWithCli(templateCase(...which));

describe('JWT roles of GitHub Actions and HCP Terraform', () => {
  test('a subject glob over every ref, and claims that name no organization, are too loose', async () => {
    const findings = await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'every-ref-or-organization', 'violating');
    expect(locations(findings, 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual(['vault_jwt_auth_backend_role.ci', 'vault_jwt_auth_backend_role.tfc']);
    const messages = findingsOf(findings, 'NHI-VAULT-JWT-NO-AUDIENCE').map((f) => f.message).join(' ');
    expect(messages).toContain('every branch, tag and pull request');
    expect(messages).toContain('no Terraform Cloud organization');
  });

  test('one branch, and the organization\'s workspace, are bound', async () => {
    expect(locations(await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'every-ref-or-organization', 'compliant'), 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual([]);
  });
});

describe('AgentCore\'s workloads and their roles', () => {
  test('one role for a runtime and a custom browser is reuse', async () => {
    expect(locations(await checkTemplate('NHI-ROLE-REUSE', 'agentcore', 'violating'), 'NHI-ROLE-REUSE')).toEqual(['AgentRole']);
  });

  test('a role each is not', async () => {
    expect(locations(await checkTemplate('NHI-ROLE-REUSE', 'agentcore', 'compliant'), 'NHI-ROLE-REUSE')).toEqual([]);
  });
});

describe('CloudFront entry points written in other forms', () => {
  test('a log delivery naming another distribution leaves this one unlogged', async () => {
    expect(locations(await checkTemplate('NHI-ENTRY-POINT-NO-ACCESS-LOG', 'cloudfront-forms', 'violating'), 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual(['Cdn']);
  });

  test('a delivery naming ${Cdn.Id}, and a website endpoint built with Fn::Sub, are no finding', async () => {
    const findings = await checkTemplate('NHI-ENTRY-POINT-NO-ACCESS-LOG', 'cloudfront-forms', 'compliant');
    expect(locations(findings, 'NHI-ENTRY-POINT-NO-ACCESS-LOG')).toEqual([]);
    expect(locations(findings, 'NHI-HTTP-LISTENER')).toEqual([]);
  });
});

describe('passwords written in other forms', () => {
  test('a parameter a condition picks, and a weak password of digits, are literal secrets', async () => {
    expect(locations(await checkTemplate('NHI-CFN-SECRET-LITERAL', 'parameter-default-forms', 'violating'), 'NHI-CFN-SECRET-LITERAL')).toEqual(['AppPassword', 'Db']);
  });

  test('a placeholder default and a document of empty values are not', async () => {
    expect(locations(await checkTemplate('NHI-CFN-SECRET-LITERAL', 'parameter-default-forms', 'compliant'), 'NHI-CFN-SECRET-LITERAL')).toEqual([]);
  });
});

describe('a role the files offer beside one a caller may pass (twenty-fifth round)', () => {
  test('both agents run as the offered role, and the policy attached through the same choice is judged on it', async () => {
    const findings = await checkCase('NHI-ROLE-REUSE', 'offered-role', 'violating');
    expect(locations(findings, 'NHI-ROLE-REUSE')).toEqual(['aws_iam_role.agent[0]']);
    expect(locations(findings, 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['aws_iam_role.agent[0]']);
  });

  test('a role for each agent is no reuse', async () => {
    expect(locations(await checkCase('NHI-ROLE-REUSE', 'offered-role', 'compliant'), 'NHI-ROLE-REUSE')).toEqual([]);
  });
});

describe('addresses written into KV (twenty-fifth round)', () => {
  test('a connection URL carrying a password is a secret in the state', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'address-in-kv', 'violating'), 'NHI-TF-SECRET-IN-STATE')).toEqual(['vault_kv_secret_v2.app']);
  });

  test('an address with no user or password is not', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'address-in-kv', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});
