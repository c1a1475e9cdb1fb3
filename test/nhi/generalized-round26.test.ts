import { checkWithCli, fixtureCase, findingsOf, locationsOf as locations, templateCase } from '../support/check-cli';

/** Runs `gateward check` on one side of a Terraform fixture case; returns its findings. */
const checkCase = (...which: Parameters<typeof fixtureCase>) => checkWithCli(fixtureCase(...which));
/** The same for a CloudFormation fixture case. */
const checkTemplate = (...which: Parameters<typeof templateCase>) => checkWithCli(templateCase(...which));

describe('secrets read from files the repository leaves out (twenty-sixth round)', () => {
  test('a KV value read through a variable\'s path, and a client secret read through a local, are kept as files beside the code', async () => {
    const findings = await checkCase('NHI-VAULT-KV-SECRET-LITERAL', 'file-kept-out-of-repository', 'violating');
    expect(locations(findings, 'NHI-VAULT-KV-SECRET-LITERAL')).toEqual(['vault_kv_secret_v2.api']);
    expect(findingsOf(findings, 'NHI-VAULT-KV-SECRET-LITERAL')[0].message).toContain('../.secrets/api_token.txt');
    expect(locations(findings, 'NHI-VAULT-SECRET-LITERAL')).toEqual(['vault_jwt_auth_backend.oidc']);
    expect(findingsOf(findings, 'NHI-VAULT-SECRET-LITERAL')[0].message).toContain('oidc_client_secret is read from the file ../.secrets/oidc_client.json');
  });

  test('sensitive variables, the CLI\'s token file and a pod\'s service account token are not', async () => {
    const findings = await checkCase('NHI-VAULT-KV-SECRET-LITERAL', 'file-kept-out-of-repository', 'compliant');
    expect(locations(findings, 'NHI-VAULT-KV-SECRET-LITERAL')).toEqual([]);
    expect(locations(findings, 'NHI-VAULT-SECRET-LITERAL')).toEqual([]);
  });
});

describe('signing keys handed to the tls provider (twenty-sixth round)', () => {
  test('a CA key read from a file, or given as a variable, is in the state', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'signing-key-argument', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['tls_locally_signed_cert.intermediate', 'tls_self_signed_cert.root']);
    expect(findingsOf(findings, 'NHI-TF-SECRET-IN-STATE').map((f) => f.message).join(' ')).toContain('ca_private_key_pem is read from the file ../.pki/root_ca.key');
  });

  test('a generated key is reported once, where it is generated', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'signing-key-argument', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual(['tls_private_key.root']);
  });
});

describe('the default namespace\'s default service account (twenty-seventh round)', () => {
  test('a Kubernetes role and a JWT role bound to it admit every pod deployed there without a service account', async () => {
    const findings = await checkCase('NHI-VAULT-K8S-ROLE-UNBOUND', 'default-service-account', 'violating');
    expect(locations(findings, 'NHI-VAULT-K8S-ROLE-UNBOUND')).toEqual(['vault_kubernetes_auth_backend_role.app']);
    expect(locations(findings, 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual(['vault_jwt_auth_backend_role.secrets']);
    expect(findingsOf(findings, 'NHI-VAULT-JWT-NO-AUDIENCE')[0].message).toContain('default service account of the default namespace');
  });

  test('the default account of a namespace of its own, and a workload\'s own account, are bound', async () => {
    const findings = await checkCase('NHI-VAULT-K8S-ROLE-UNBOUND', 'default-service-account', 'compliant');
    expect(locations(findings, 'NHI-VAULT-K8S-ROLE-UNBOUND')).toEqual([]);
    expect(locations(findings, 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual([]);
  });
});

describe('cloud credentials of Azure and Google (twenty-ninth round)', () => {
  test('an Azure AD client secret and a Google key the provider generates are in the state', async () => {
    const findings = await checkCase('NHI-TF-SECRET-IN-STATE', 'cloud-key-generated', 'violating');
    expect(locations(findings, 'NHI-TF-SECRET-IN-STATE')).toEqual(['azuread_service_principal_password.vault', 'google_service_account_key.vault']);
  });

  test('a federated credential, and a key whose public half Terraform uploads, are not', async () => {
    expect(locations(await checkCase('NHI-TF-SECRET-IN-STATE', 'cloud-key-generated', 'compliant'), 'NHI-TF-SECRET-IN-STATE')).toEqual([]);
  });

  test('an Azure role\'s service principals living 30 days, or the mount\'s default, are too long-lived', async () => {
    const findings = await checkCase('NHI-VAULT-STS-TTL', 'azure-role', 'violating');
    expect(locations(findings, 'NHI-VAULT-STS-TTL')).toEqual(['vault_azure_secret_backend_role.deploy', 'vault_azure_secret_backend_role.reader']);
    expect(findingsOf(findings, 'NHI-VAULT-STS-TTL').map((f) => f.message).join(' ')).toContain('ttl is 2592000 s, above 3600');
  });

  test('an hour at most is not', async () => {
    expect(locations(await checkCase('NHI-VAULT-STS-TTL', 'azure-role', 'compliant'), 'NHI-VAULT-STS-TTL')).toEqual([]);
  });
});

describe('an ARN whose resource part is a wildcard (twenty-seventh round, AWS)', () => {
  test('execute-api:Invoke on every API of the account is a wildcard resource', async () => {
    expect(locations(await checkTemplate('NHI-IAM-WILDCARD-RESOURCE', 'every-api-of-the-account', 'violating'), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual(['CallerRole']);
  });

  test('one method of one stage is not', async () => {
    expect(locations(await checkTemplate('NHI-IAM-WILDCARD-RESOURCE', 'every-api-of-the-account', 'compliant'), 'NHI-IAM-WILDCARD-RESOURCE')).toEqual([]);
  });
});

describe('browser logins of people (thirtieth round)', () => {
  test('an OIDC role keyed on a display name merges people; a role meant for JWT logins is still judged as a workload\'s', async () => {
    const findings = await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'browser-login', 'violating');
    expect(locations(findings, 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual(['vault_jwt_auth_backend_role.ci', 'vault_jwt_auth_backend_role.people']);
    const [ci, people] = findingsOf(findings, 'NHI-VAULT-JWT-NO-AUDIENCE');
    expect(ci.message).toContain('bound_audiences is empty');
    expect(people.message).toContain('user_claim is "name", a display name');
    expect(people.message).not.toContain('bound_audiences');
  });

  test('a browser login with no role_type is people\'s: its working-day tokens and its groups\' policies are not a workload\'s', async () => {
    const findings = await checkCase('NHI-VAULT-JWT-NO-AUDIENCE', 'browser-login', 'compliant');
    expect(locations(findings, 'NHI-VAULT-JWT-NO-AUDIENCE')).toEqual([]);
    expect(locations(findings, 'NHI-VAULT-TOKEN-TTL')).toEqual([]);
    expect(locations(findings, 'NHI-VAULT-POLICY-BROAD-GLOB')).toEqual([]);
  });

  test('a browser login whose tokens nothing bounds lives Vault\'s default, with its groups\' policies: a note, people\'s sessions', async () => {
    const findings = await checkCase('NHI-VAULT-TOKEN-TTL', 'browser-login', 'violating');
    expect(locations(findings, 'NHI-VAULT-TOKEN-TTL')).toEqual(['vault_jwt_auth_backend_role.staff']);
    expect(findingsOf(findings, 'NHI-VAULT-TOKEN-TTL')[0].message).toContain('768 h with the policies admin');
    expect(findingsOf(findings, 'NHI-VAULT-TOKEN-TTL')[0].severity).toBe('info');
    // The administrators' policy of HashiCorp's kind, held by people, is no workload's.
    expect(locations(findings, 'NHI-VAULT-POLICY-FORBIDDEN')).toEqual([]);
  });

  test('a session bounded by the role or by its method\'s tune, or one that opens nothing, is not', async () => {
    expect(locations(await checkCase('NHI-VAULT-TOKEN-TTL', 'browser-login', 'compliant'), 'NHI-VAULT-TOKEN-TTL')).toEqual([]);
  });
});
