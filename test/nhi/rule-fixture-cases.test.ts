import * as fs from 'fs';
import * as path from 'path';
import { AwsNhiChecker, NhiFinding, VaultNhiChecker } from '../../src';
import { ruleDefinition } from '../../src/nhi/rules/registry';

const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'rules');

function check(id: string, kind: 'violating' | 'compliant'): NhiFinding[] {
  const rule = ruleDefinition(id)!;
  const file = path.join(FIXTURES_DIR, id, rule.fixtures[kind]);
  expect(fs.existsSync(file)).toBe(true);
  if (file.endsWith('.tf.json')) return new VaultNhiChecker().checkTerraformFile(file, 'fixture');
  return new AwsNhiChecker({ ownerTagKeys: ['owner'] }).checkTemplates([{ templateFile: file, account: '111122223333', stackPath: 'Fixture' }]);
}

/**
 * Each violating fixture holds one resource per case its rule covers; every one of them must be
 * found, at its own address, and nothing else (the compliant fixture's forms stay silent).
 */
const CASES: Record<string, string[]> = {
  // Literal secrets in data_json: KV secrets, and endpoints such as a userpass user's password; a KV
  // secret read from a file beside the configuration; a literal in the write-only data_json_wo; an
  // abbreviated key (api_cred); a placeholder Terraform keeps managing (no ignore_changes).
  'NHI-VAULT-KV-SECRET-LITERAL': [
    'vault_generic_endpoint.user_password', 'vault_generic_secret.db', 'vault_kv_secret_v2.abbreviated_key', 'vault_kv_secret_v2.from_file',
    'vault_kv_secret_v2.openai', 'vault_kv_secret_v2.placeholder_managed', 'vault_kv_secret_v2.write_only',
  ],
  // Values Terraform writes: secrets, parameters, KV data, an endpoint's password, a client secret
  // copied from a KV secret, an RDS password from a variable, a generated private key given to an SSH CA,
  // a database engine's root password from a variable, a certificate and an exported CA key Vault issues to Terraform,
  // a sensitive Terraform Cloud variable, an Okta MFA method's API token and an Okta user's password from variables,
  // a database connection configured by a connection_url variable alone (no {{username}}/{{password}} template),
  // an LDAP auth method's and an LDAP secrets engine's bind password from a variable,
  // an ElastiCache auth token from random_password and a Kubernetes secret's data.
  // Kubernetes workloads written by Terraform: a password from a variable, a connection URL with its
  // password, a literal provider key (compliant: value_from a Secret, a header's name, a file path).
  // A role two functions share, and an EKS node role holding an application's permissions (compliant:
  // a node role with only what nodes use).
  'NHI-ROLE-REUSE': ['NodeRole', 'Role'],
  'NHI-TF-SECRET-IN-ENV': ['kubernetes_deployment.database_url', 'kubernetes_deployment.from_variable', 'kubernetes_stateful_set_v1.literal_key'],
  'NHI-TF-SECRET-IN-STATE': [
    'aws_db_instance.gateway', 'aws_elasticache_replication_group.cache', 'aws_secretsmanager_secret_version.openai', 'kubernetes_secret.provider_keys', 'aws_ssm_parameter.db', 'okta_user.operator', 'tfe_variable.tfe_token',
    'tls_private_key.ssh_ca', 'vault_database_secret_backend_connection.pg_root', 'vault_database_secret_backend_connection.pg_url_only',
    'vault_generic_endpoint.db_root',
    'vault_identity_mfa_okta.okta', 'vault_jwt_auth_backend.google', 'vault_ldap_auth_backend.corp', 'vault_ldap_secret_backend.directory',
    'vault_kv_secret_v2.openai', 'vault_pki_secret_backend_cert.client', 'vault_pki_secret_backend_root_cert.exported_root',
  ],
  // A global variable set holding a sensitive variable, and one variable's value given to that set and to two workspaces.
  'NHI-TF-SHARED-WORKSPACE-CREDENTIAL': [
    'tfe_variable.okta_a', 'tfe_variable.okta_b', 'tfe_variable.root_token', 'tfe_variable_set.everyone',
  ],
  // A role bound to any repository, and a Terraform Cloud role that admits every run phase.
  'NHI-VAULT-JWT-NO-AUDIENCE': ['vault_jwt_auth_backend_role.ci', 'vault_jwt_auth_backend_role.tfc_admin'],
  'NHI-VAULT-TOKEN-RESOURCE': ['hcp_vault_cluster_admin_token.admin', 'nomad_acl_token.vault', 'vault_approle_auth_backend_login.ci', 'vault_token.ci'],
  // A role with token_period, and a token Terraform mints for 768 hours.
  'NHI-VAULT-TOKEN-TTL': ['vault_aws_auth_backend_role.app', 'vault_token.bootstrap'],
  // Skipped verification, cleartext LDAP, a plain database connection (sslmode=disable, in a URL and in
  // PostgreSQL's key/value form; to localhost it crosses no network), discovery over http://.
  'NHI-VAULT-INSECURE-TLS': [
    'provider.vault', 'vault_database_secret_backend_connection.mongo', 'vault_database_secret_backend_connection.pg_keyvalue',
    'vault_database_secret_backend_connection.pg_plain',
    'vault_jwt_auth_backend.ci', 'vault_jwt_auth_backend.keycloak', 'vault_ldap_auth_backend.corp',
  ],
  'NHI-VAULT-POLICY-FORBIDDEN': ['vault_policy.app'],
  // A client secret from a variable, one created in the configuration, and a service account key from a variable;
  // the compliant engines use workload identity federation, the server's own identity, or an optional input left null.
  'NHI-VAULT-CLOUD-STATIC-KEY': ['vault_azure_auth_backend_config.azure', 'vault_azure_secret_backend.azure', 'vault_gcp_secret_backend.gcp'],
  // A GCP roleset bound to roles/owner, a static account with roles/editor, an Azure role assigning Contributor,
  // Consul roles handing out global-management or legacy management tokens, a Nomad role handing out management tokens.
  'NHI-VAULT-CLOUD-ROLE-ADMIN': [
    'vault_azure_secret_backend_role.contributor', 'vault_consul_secret_backend_role.legacy_management', 'vault_consul_secret_backend_role.operator',
    'vault_gcp_secret_roleset.owner', 'vault_gcp_secret_static_account.deployer', 'vault_nomad_secret_role.management',
  ],
  // A glob over a mount held by a role, `secret/data/*` held by the identity entity a CI workflow logs in as,
  // and a glob over every role an SSH engine signs for (`<mount>/sign/*`).
  'NHI-VAULT-POLICY-BROAD-GLOB': ['vault_policy.app', 'vault_policy.ci', 'vault_policy.signer'],
  // A password in a connection, a bind password, and a root password in a container's environment.
  'NHI-VAULT-SECRET-LITERAL': ['docker_container.postgres', 'vault_database_secret_backend_connection.pg', 'vault_ldap_auth_backend.corp'],
  // "*", empty principals allowed, root among the logins, any name, any domain, and the same through the generic API.
  // Roles naming no client and trusting: a root CA that signs an intermediate, a CA whose mount has a role for any
  // name, a PEM bundle holding a CA; and one whose only constraint is "*". The compliant roles name their clients,
  // trust one leaf or a dedicated client CA (its only role bounded by names), or take the CA or the names from inputs.
  'NHI-VAULT-CERT-AUTH-UNBOUND': [
    'vault_cert_auth_backend_role.any_name_ca', 'vault_cert_auth_backend_role.engine_root', 'vault_cert_auth_backend_role.literal_ca_chain',
    'vault_cert_auth_backend_role.wildcard_names',
  ],
  'NHI-VAULT-CERT-ROLE-BROAD': [
    'vault_generic_endpoint.pki_role', 'vault_pki_secret_backend_role.any_domain', 'vault_pki_secret_backend_role.any_name',
    'vault_ssh_secret_backend_role.anyone', 'vault_ssh_secret_backend_role.as_root', 'vault_ssh_secret_backend_role.unlisted',
  ],
  'NHI-VAULT-APPROLE-NO-SECRET-ID': ['vault_approle_auth_backend_role.app'],
  // A literal key, a key taken from a template parameter, a literal SecretString, a URL whose
  // password a two-argument Fn::Sub takes from a parameter, and Secrets Manager dynamic references
  // resolved into a task's plain environment (joined into a URL, and whole).
  'NHI-CFN-SECRET-LITERAL': ['FromParameter', 'Proxy', 'ResolvedUrl', 'Secret', 'SubUrl'],
  // An IAM user, its access key, and a secret holding an access key pair a task authenticates with.
  'NHI-LONG-LIVED-IAM-CREDENTIALS': ['AwsKeys', 'Ci', 'CiKey'],
  // The key kept in a secret of the template is reported on that secret. A function behind API Gateway
  // (its invoke permission) checks callers against its key; a queue worker holding the same key
  // (invoked by SQS only) takes no HTTP caller and is not reported.
  'NHI-SHARED-CALLER-KEY': ['ApiProxy', 'MasterKey'],
  // Inline wildcards, and an AWS-managed policy that reads every parameter of the account.
  'NHI-IAM-WILDCARD-RESOURCE': ['ParameterReader', 'Role'],
  // A secret with no schedule, and a SecureString parameter holding a key (a salt or a setting is not one).
  'NHI-SECRET-NO-ROTATION': ['MasterKeyParameter', 'Secret'],
  'NHI-TRUST-OIDC-BROAD-SUBJECT': ['GitHubDeploy'],
  // A role TTL from an unresolved variable, and a role with no TTL on a mount whose lease TTLs
  // (`${31 * 24 * 60 * 60}`) exceed the ceiling; the compliant role inherits a bounded mount's.
  'NHI-VAULT-DB-ROLE-TTL': ['vault_database_secret_backend_role.app', 'vault_database_secret_backend_role.on_long_mount'],
};

describe.each(Object.entries(CASES))('%s: every case of its violating fixture', (id, expected) => {
  test('is found at its own address', () => {
    expect(check(id, 'violating').filter((f) => f.ruleId === id).map((f) => f.location).sort()).toEqual([...expected].sort());
  });

  test('and the compliant forms are not', () => {
    expect(check(id, 'compliant').filter((f) => f.ruleId === id)).toEqual([]);
  });
});
