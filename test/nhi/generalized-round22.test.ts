import { checkWithCli, fixtureCase, findingsOf, locationsOf as locations, templateCase } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));

describe('a secret read by a data source and handed on as a credential', () => {
  test('written into Vault\'s configuration, it is reported where it is written', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'secret-read-into-vault', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['vault_kubernetes_auth_backend_config.eks']);
    expect(findingsOf(findings, 'NHI-TF-SECRET-IN-STATE')[0].message).toContain('data.vault_generic_secret.reviewer');
  });

  test('a setting read from the same store is not a credential', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'secret-read-into-vault', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });

  test('any provider\'s credential read by a data source is in the state, reported on the data source', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'provider-credential-from-secret', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['data.kubernetes_secret.consul_bootstrap']);
    expect(findingsOf(findings, 'NHI-TF-SECRET-IN-STATE')[0].message).toContain('the Consul provider');
  });

  test('a provider\'s credential from a variable never reaches the state', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'provider-credential-from-secret', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });
});

describe('a made-up key written into a secret', () => {
  const template = (kind: 'violating' | 'compliant') => templateCase('NHI-CFN-SECRET-LITERAL', 'made-up-key', kind);

  test('a key of a real key\'s shape is a literal secret', async () => {
    expect(locations(await checkWithCli(template('violating')), 'NHI-CFN-SECRET-LITERAL')).toEqual(['SlackBotToken']);
  });

  test('a prefix followed by digit runs and a filler word is a stand-in', async () => {
    expect(locations(await checkWithCli(template('compliant')), 'NHI-CFN-SECRET-LITERAL')).toEqual([]);
  });
});
