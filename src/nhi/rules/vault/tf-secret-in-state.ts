import { fileReadInto } from './kv-secret-literal';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { ignoresChanges } from '../../inputs/terraform-lifecycle';
import { hasValue, namesASecret, SECRET_DATA_SOURCES } from '../../private/secret-names';
import { fileReadOf, isUnresolved, writtenText } from '../../private/unresolved';
import { writtenFormOf } from '../../private/written-form';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { describe, holdsTfcCredential, isReference, KV_DOCUMENT_TYPES, TerraformResource, VaultCheckContext } from '../support/vault';

const PASSWORD_KEY = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;

/** A value Terraform's random provider generates and keeps in the state (`${random_password.db.result}`), as `type.name`. */
const GENERATED_VALUE = /\$\{\s*(random_(?:password|string|id|bytes)\.[A-Za-z0-9_-]+)/;
/** A password or string Terraform generates, anywhere in an expression (`random_password.db[0].result`). */
const GENERATED_SECRET = /\b(random_(?:password|string)\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.result\b/;

/**
 * True when `lifecycle { ignore_changes }` leaves the argument to be set outside Terraform: the
 * value written at creation is a placeholder the operator replaces. Not for a value Terraform
 * generates (`random_password`): that one is the secret in use, and its generator keeps it in the
 * state whatever the resource ignores.
 */
function setOutOfBand(r: TerraformResource, key: string): boolean {
  if (!ignoresChanges(r.props, key)) return false;
  const value = r.props[key];
  const text = isUnresolved(value) ? value.expression : typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return !GENERATED_VALUE.test(text);
}

/** True when the value is not a literal: an expression, the unresolved marker, or a document holding one. */
function isComputed(value: unknown): boolean {
  if (isUnresolved(value) || isReference(value)) return true;
  if (Array.isArray(value)) return value.some(isComputed);
  if (value && typeof value === 'object') return Object.values(value).some(isComputed);
  return false;
}

/**
 * A computed value that is an address with no credential in it (`redis://${var.host}:6379`, no
 * user or password before an `@`): where a service is, not how to sign in to it.
 */
function addressOnly(value: unknown): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(writtenText(value));
}

/**
 * The keys of a JSON document (a literal object, JSON text, or a `jsonencode({...})` expression), each
 * with whether its value is literal; undefined when the document is opaque (`${var.doc}`, unresolved).
 */
function documentKeys(document: unknown): Array<{ key: string; literal: boolean }> | undefined {
  // The marker keeps the expression as written, so its keys are still readable.
  if (isUnresolved(document)) return documentKeys(document.expression);
  if (document && typeof document === 'object') {
    return Object.entries(document).filter(([, v]) => !addressOnly(v)).map(([key, v]) => ({ key, literal: !isComputed(v) }));
  }
  if (typeof document !== 'string') return [];
  try {
    return documentKeys(JSON.parse(document));
  } catch {
    if (!/^\$\{\s*jsonencode\(\s*\{/.test(document)) return isReference(document) ? undefined : [];
    // `${jsonencode({ password = var.db_password, user = "app" })}`: a key followed by a quoted literal, or by an expression.
    return [...document.matchAll(/"?([A-Za-z0-9_-]+)"?\s*[=:]\s*("[^"$]*"|[^,}\s{[]+)/g)].map((m) => ({ key: m[1], literal: m[2].startsWith('"') }));
  }
}

/** The addresses of Secrets Manager secrets the configuration declares: their versions' literal values are the CloudFormation literal rule's. */
function declaredSecrets(resources: TerraformResource[]): Set<string> {
  return new Set(resources.filter((r) => r.type === 'aws_secretsmanager_secret').map((r) => r.address));
}

function secretVersionHits(r: TerraformResource, secrets: Set<string>): VaultHit[] {
  const target = /^\$\{(aws_secretsmanager_secret\.[^.}]+)\.(id|arn)\}$/.exec(String(r.props.secret_id ?? ''));
  const literalJudgedElsewhere = target !== null && secrets.has(target[1]);
  return ['secret_string', 'secret_binary'].flatMap((key) => {
    const value = r.props[key];
    if (value === undefined || value === null || value === '' || setOutOfBand(r, key)) return [];
    if (isComputed(value)) return [{ address: r.address, message: `${key} is ${describe(value)}: Terraform writes the secret and keeps it in its state in clear; use ${key}_wo` }];
    return literalJudgedElsewhere ? [] : [{ address: r.address, message: `${key} is written literally, and Terraform keeps it in its state in clear; use ${key}_wo` }];
  });
}

/**
 * The keys of a JSON document that hold text, at any depth (a parsed object, JSON text, or a
 * `jsonencode({...})` expression as written): a number or a boolean (`tokens = 500000`) is no
 * secret, and an object's own name is not either (its keys are read). Undefined when the document
 * is opaque (`${var.doc}`) or not an object.
 */
function textKeys(document: unknown): string[] | undefined {
  if (isUnresolved(document)) return textKeys(document.expression);
  if (Array.isArray(document)) return undefined;
  if (document && typeof document === 'object') {
    return Object.entries(document).flatMap(([key, v]) => {
      if (typeof v === 'number' || typeof v === 'boolean' || v === null) return [];
      if (v && typeof v === 'object' && !Array.isArray(v) && !isUnresolved(v)) return textKeys(v) ?? [];
      return [key];
    });
  }
  if (typeof document !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(document);
    return parsed && typeof parsed === 'object' ? textKeys(parsed) : undefined;
  } catch {
    if (!/^\$\{\s*jsonencode\(\s*\{/.test(document)) return undefined;
    return [...document.matchAll(/"?([A-Za-z0-9_-]+)"?\s*[=:]\s*(?![\d{]|true\b|false\b)/g)].map((m) => m[1]);
  }
}

function ssmParameterHits(r: TerraformResource): VaultHit[] {
  const value = r.props.value;
  if (r.props.type !== 'SecureString' || value === undefined || value === null || value === '' || setOutOfBand(r, 'value')) return [];
  const how = isComputed(value) ? describe(value) : 'written literally';
  // A document of settings (a default quota, a model list) whose keys and parameter name name no
  // secret is configuration its author chose to encrypt: a note, in case one of its values is one.
  const keys = textKeys(value);
  const name = typeof r.props.name === 'string' ? r.props.name : isUnresolved(r.props.name) ? r.props.name.expression : '';
  const mayNameSecret = (text: string) => PASSWORD_KEY.test(text) || /(key|pass|pwd|auth|cred|dsn|url|uri)s?$/i.test(text);
  if (keys && !keys.some(mayNameSecret) && !PASSWORD_KEY.test(name)) {
    return [{
      address: r.address,
      severity: NhiSeverity.INFO,
      message: `the SecureString holds a document of settings (${keys.length > 0 ? `${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', ...' : ''}` : 'numbers and switches only'}) whose keys name no secret; Terraform keeps it in its state`,
    }];
  }
  return [{ address: r.address, message: `the SecureString's value is ${how}: Terraform keeps it in its state in clear; use value_wo` }];
}

function kvHits(r: TerraformResource): VaultHit[] {
  const value = r.props.data_json;
  if (value === undefined || value === null || setOutOfBand(r, 'data_json')) return [];
  // A document read from a file: that the file sits beside the configuration is the literal
  // rule's finding (NHI-VAULT-KV-SECRET-LITERAL); that Terraform passes it into its state is this one's.
  const file = fileReadInto(value);
  if (file) return [{ address: r.address, message: `data_json is read from the file ${file}: Terraform writes the secret and keeps it in its state in clear; use data_json_wo` }];
  const keys = documentKeys(value);
  if (keys === undefined) return [{ address: r.address, message: `data_json is ${describe(value)}: Terraform writes the secret and keeps it in its state in clear; use data_json_wo` }];
  // Literal values are the KV literal rule's finding.
  const computed = keys.filter((k) => !k.literal).map((k) => k.key);
  return computed.length > 0
    ? [{ address: r.address, message: `data_json writes ${computed.join(', ')} from an expression: Terraform keeps the secret in its state in clear; use data_json_wo` }]
    : [];
}

function endpointHits(r: TerraformResource): VaultHit[] {
  const value = r.props.data_json;
  if (value === undefined || value === null || setOutOfBand(r, 'data_json')) return [];
  const keys = (documentKeys(value) ?? []).filter((k) => PASSWORD_KEY.test(k.key));
  // A literal value is the literal rule's finding (NHI-VAULT-KV-SECRET-LITERAL); one from an expression is this rule's.
  const computed = keys.filter((k) => !k.literal).map((k) => k.key);
  return computed.length > 0
    ? [{ address: r.address, message: `data_json writes ${computed.join(', ')} from an expression: Terraform keeps it in its state in clear; use data_json_wo` }]
    : [];
}

/** Data sources that read a secret's value, which Terraform records in its state like any data source's result. */
const SECRET_DATA_SOURCE = new RegExp(`\\bdata\\.((?:${SECRET_DATA_SOURCES.join('|')})\\.[A-Za-z0-9_-]+)`);

/** Providers' names as people write them in messages. */
const PROVIDER_NAMES: Record<string, string> = { vault: 'Vault', consul: 'Consul', nomad: 'Nomad', kubernetes: 'Kubernetes', helm: 'Helm', postgresql: 'PostgreSQL' };

/**
 * An argument that holds a credential, not a pointer to one: `token`, `password`,
 * `token_reviewer_jwt`, a TLS `client_key`, an `app_key`. An AWS `access_key` is the key's id.
 */
const credentialArgument = (key: string) => key !== 'access_key' && (namesASecret(key) || /(^|_)(jwt|client_key|app_key)$/i.test(key));

/** The secret data source a value reads (`data.kubernetes_secret.x.data["token"]`), as `type.name`. */
function secretDataSourceOf(value: unknown): string | undefined {
  return SECRET_DATA_SOURCE.exec(writtenText(value))?.[1];
}

/** Every credential argument of a block and of the blocks inside it (`kubernetes { token }`, `auth_login_userpass { password }`), as `path = value`. */
function credentialArguments(block: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  return Object.entries(block).flatMap(([key, value]): Array<[string, unknown]> => {
    if (value && typeof value === 'object' && !isUnresolved(value)) {
      return (Array.isArray(value) ? value : [value]).filter((v) => v && typeof v === 'object' && !isUnresolved(v))
        .flatMap((v) => credentialArguments(v as Record<string, unknown>, `${prefix}${key}.`));
    }
    return credentialArgument(key) ? [[`${prefix}${key}`, value]] : [];
  });
}

/**
 * The credentials providers run with (the Vault provider's token, the Consul provider's ACL
 * token, a Helm provider's cluster token), read by a data source from a secret store (a root or
 * bootstrap token kept in Secrets Manager or a Kubernetes secret): a provider's own arguments never
 * reach the state, but the data source's result does, so every reader of the state holds it. One
 * finding per data source, naming each provider argument it feeds; an ephemeral resource or the
 * provider's environment variable keeps it out.
 */
function providerCredentialHits(config: VaultCheckContext['config']): VaultHit[] {
  const fed = new Map<string, string[]>();
  for (const [provider, blocks] of Object.entries(config.provider ?? {})) {
    for (const block of asBlocks(blocks)) {
      for (const [argument, value] of credentialArguments(block)) {
        const source = secretDataSourceOf(value);
        const use = `the ${argument} the ${PROVIDER_NAMES[provider] ?? provider} provider runs with`;
        if (source) fed.set(source, [...new Set([...(fed.get(source) ?? []), use])]);
      }
    }
  }
  return [...fed].map(([source, uses]) => ({
    address: `data.${source}`,
    message: `reads ${uses.join(' and ')}: Terraform keeps a data source's result in its state, so the credential sits there in clear; read it with an ephemeral resource or give it through the provider's environment variable`,
  }));
}

const asBlocks = (blocks: unknown): Array<Record<string, unknown>> =>
  (Array.isArray(blocks) ? blocks : blocks && typeof blocks === 'object' ? [blocks] : []).filter((b) => b && typeof b === 'object') as Array<Record<string, unknown>>;

/**
 * Resources whose credential arguments another finding already judges whatever their source:
 * the static keys of Vault's cloud engines and auth methods (the static-root and cloud-key rules).
 */
const JUDGED_ELSEWHERE = new Set(['vault_aws_secret_backend', 'vault_aws_auth_backend_client', 'vault_azure_secret_backend', 'vault_azure_auth_backend_config',
  'vault_gcp_secret_backend', 'vault_gcp_auth_backend']);

/**
 * Credentials a data source reads from a secret store and Terraform writes into Vault's or HCP
 * Terraform's configuration (a token reviewer JWT kept in KV, a notification's webhook URL kept in
 * SSM): the data source's result and the argument are both in the state. One finding per
 * resource; arguments judged whatever their source (`BACKEND_CREDENTIALS`) are reported there.
 */
function secretReadIntoConfigurationHits(r: TerraformResource): VaultHit[] {
  if (!/^(vault|tfe)_/.test(r.type) || JUDGED_ELSEWHERE.has(r.type)) return [];
  const isCredential = (key: string) => (r.type === 'tfe_notification_configuration' ? notificationCredentials(r).includes(key) : credentialArgument(key));
  const read = Object.entries(r.props)
    .filter(([key]) => isCredential(key) && !(BACKEND_CREDENTIALS[r.type] ?? []).includes(key) && !setOutOfBand(r, key))
    .flatMap(([key, value]) => {
      const source = secretDataSourceOf(value);
      return source ? [`${key} from data.${source}`] : [];
    });
  return read.length > 0 ? [{
    address: r.address,
    message: `reads ${read.join(', ')}: Terraform keeps the data source's result and the argument in its state in clear; read it with an ephemeral resource into a write-only argument, or set it outside Terraform`,
  }] : [];
}

/** Attributes of a private key Terraform generates (`tls_private_key`), all kept in its state. */
const PRIVATE_KEY_ATTRIBUTE = /\$\{(tls_private_key\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.private_key_(pem|openssh|pem_pkcs8)\}/g;

/**
 * A private key Terraform generates and hands to a resource (an SSH or PKI CA's signing key, a
 * host key): the key sits in the state, so every reader of the state can sign with it.
 */
function generatedKeyHits(resources: TerraformResource[]): VaultHit[] {
  const usedBy = new Map<string, string[]>();
  for (const r of resources) {
    for (const match of JSON.stringify(r.props).matchAll(PRIVATE_KEY_ATTRIBUTE)) {
      usedBy.set(match[1], [...new Set([...(usedBy.get(match[1]) ?? []), r.address])]);
    }
  }
  return [...usedBy].filter(([key]) => resources.some((r) => r.address === key))
    .map(([key, users]) => ({ address: key, message: `generates a private key that ${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'}: Terraform keeps the key in its state in clear; generate it outside Terraform, or let the service generate it (generate_signing_key)` }));
}

/** The tls provider's arguments that take the private key a certificate is signed with. */
const SIGNING_KEY_ARGUMENTS: Record<string, string> = {
  tls_locally_signed_cert: 'ca_private_key_pem',
  tls_self_signed_cert: 'private_key_pem',
  tls_cert_request: 'private_key_pem',
};

/**
 * A private key handed to the tls provider to sign with (a CA's key read from a file or a
 * variable): the provider keeps the argument in the state, so every reader of the state can sign
 * as that CA. A key Terraform generates is reported once, on its `tls_private_key`.
 */
function signingKeyHits(r: TerraformResource): VaultHit[] {
  const key = SIGNING_KEY_ARGUMENTS[r.type];
  const value = key === undefined ? undefined : r.props[key];
  if (value === undefined || value === null || value === '' || /\btls_private_key\./.test(writtenText(value))) return [];
  const file = fileReadOf(value);
  const how = file ? `read from the file ${file}` : isComputed(value) ? `set from ${describe(value)}` : 'given in the configuration';
  return [{ address: r.address, message: `${key} is ${how}: the tls provider keeps the signing key in Terraform's state in clear; sign outside Terraform, or issue from Vault's PKI engine` }];
}

/**
 * Credentials of other systems that Terraform hands a Vault auth method or secrets engine (a
 * directory's bind password, an OIDC client secret, a cloud service principal's secret, a
 * service token; not a Kubernetes token reviewer JWT, which can only call the TokenReview API):
 * whatever their source, a variable or another resource, Terraform writes them
 * and keeps them in its state in clear, as it does a database engine's root password. A literal
 * is the literal rule's; a write-only argument (`bindpass_wo`) is never kept in the state.
 */
const BACKEND_CREDENTIALS: Record<string, string[]> = {
  vault_jwt_auth_backend: ['oidc_client_secret'],
  vault_ldap_auth_backend: ['bindpass'],
  vault_ldap_secret_backend: ['bindpass'],
  vault_ad_secret_backend: ['bindpass'],
  vault_okta_auth_backend: ['token', 'api_token'],
  vault_azure_auth_backend_config: ['client_secret'],
  vault_azure_secret_backend: ['client_secret'],
  vault_gcp_auth_backend: ['credentials'],
  vault_gcp_secret_backend: ['credentials'],
  vault_consul_secret_backend: ['token'],
  vault_nomad_secret_backend: ['token'],
  vault_terraform_cloud_secret_backend: ['token'],
  vault_rabbitmq_secret_backend: ['password'],
  // A CA's certificate and private key, handed to the PKI engine: the key signs every certificate.
  vault_pki_secret_backend_config_ca: ['pem_bundle'],
};

/**
 * Credential arguments the engine cannot run without: arguments the provider requires, and the
 * Consul token unless the resource bootstraps Consul's ACL system itself. A module input with
 * `default = null` cannot leave such an argument unset, so it is a required input whose value
 * Terraform writes; for an optional argument (an LDAP bind password, an OIDC client secret) a
 * null default leaves it out until the operator gives it.
 */
function requiredCredential(r: TerraformResource, key: string): boolean {
  if (r.type === 'vault_rabbitmq_secret_backend' || r.type === 'vault_terraform_cloud_secret_backend' || r.type === 'vault_pki_secret_backend_config_ca') return true;
  return r.type === 'vault_consul_secret_backend' && key === 'token' && r.props.bootstrap !== true && r.props.bootstrap !== 'true';
}

function backendCredentialHits(r: TerraformResource): VaultHit[] {
  return (BACKEND_CREDENTIALS[r.type] ?? []).flatMap((key) => {
    const value = r.props[key];
    if (value === undefined || value === null || value === '' || setOutOfBand(r, key) || !isComputed(value)) return [];
    if (mayBeNull(value) && !(requiredCredential(r, key) && nullDefaultInput(value))) return [];
    const text = isUnresolved(value) ? value.expression : String(value);
    const how = isInputValue(value) ? `set from ${describe(value)}` : `copied from ${text}`;
    return [{ address: r.address, message: `${key} is ${how}: Terraform writes the credential into Vault and keeps it in its state in clear; use ${key}_wo where the provider has it, or set it outside Terraform` }];
  });
}


/** Database passwords Terraform sets on an AWS database from a variable or a literal (not one AWS manages). */
const DATABASE_PASSWORDS: Record<string, string> = {
  aws_db_instance: 'password',
  aws_rds_cluster: 'master_password',
  aws_docdb_cluster: 'master_password',
  aws_redshift_cluster: 'master_password',
  aws_neptune_cluster: 'master_password',
};

function databasePasswordHits(r: TerraformResource): VaultHit[] {
  const key = DATABASE_PASSWORDS[r.type];
  const value = key ? r.props[key] : undefined;
  if (!key || value === undefined || value === null || value === '' || setOutOfBand(r, key)) return [];
  // A variable's, a literal's or one Terraform generates (random_password): each is an argument of
  // the database in the state. A value read from elsewhere (a secret version) is reported there.
  const text = isUnresolved(value) ? value.expression : String(value);
  // Generated, or chosen between an input and a generated value (`var.pw != "" ? var.pw : random_string.pw.result`).
  const generated = GENERATED_VALUE.exec(text)?.[1];
  const chosen = generated ? undefined : GENERATED_SECRET.exec(text)?.[1];
  if (isReference(text) && !generated && !chosen && !/\$\{var\.[A-Za-z0-9_-]+\}/.test(text)) return [];
  const how = generated ? `generated by ${generated}` : chosen ? `set from ${describe(value)}, which falls back to ${chosen}` : isComputed(value) ? `set from ${describe(value)}` : 'written literally';
  return [{ address: r.address, message: `${key} is ${how}: Terraform keeps the database password in its state in clear; use manage_master_user_password or ${key}_wo` }];
}

/** Resources that configure Vault's database secrets engine: their plugin blocks carry the root password. */
const VAULT_DATABASE_TYPES = ['vault_database_secret_backend_connection', 'vault_database_secrets_mount'];

/** The plugin blocks of a database connection (`postgresql { ... }`) that set `key`, each with its plugin's name. */
function pluginBlocksWith(r: TerraformResource, key: string): Array<{ plugin: string; block: Record<string, unknown> }> {
  return Object.entries(r.props).flatMap(([plugin, value]) =>
    (Array.isArray(value) ? value : [value]).filter((b): b is Record<string, unknown> => !!b && typeof b === 'object' && !isUnresolved(b) && key in b)
      .map((block) => ({ plugin, block })));
}

/**
 * The root password Terraform hands Vault's database engine from a variable or another
 * resource (a literal is the literal rule's; `password_wo` keeps it out of state).
 */
function vaultDatabasePasswordHits(r: TerraformResource): VaultHit[] {
  if (!VAULT_DATABASE_TYPES.includes(r.type)) return [];
  const blocks = pluginBlocksWith(r, 'password');
  const computed = blocks.filter(({ block }) => isComputed(block.password) && !ignoresChanges(r.props, 'password'));
  const others = dataMapSecrets(r);
  const hits: VaultHit[] = computed.length > 0
    ? [{ address: r.address, message: `${[...computed.map(({ plugin, block }) => `${plugin}.password is set from ${describe(block.password)}`), ...others].join('; ')}: Terraform keeps the database root password${others.length > 0 ? ' and those secrets' : ''} in its state in clear; use password_wo, or rotate the root credential once Vault holds it` }]
    : others.length > 0
      ? [{ address: r.address, message: `${others.join('; ')}: the connection's data map is an ordinary argument, so Terraform keeps the secret in its state in clear, and every reader of self.data (a provisioner's command line) sees it; keep the credential out of the resource` }]
      : [];
  return [...hits, ...connectionUrlHits(r)];
}

/**
 * Secret-named entries of a connection's generic `data` map other than the root password (a
 * Vault token kept there for a destroy-time script, an API key): the map is an ordinary
 * argument, so Terraform keeps each value in its state in clear.
 */
function dataMapSecrets(r: TerraformResource): string[] {
  const data = r.props.data;
  if (!data || typeof data !== 'object' || Array.isArray(data) || isUnresolved(data) || ignoresChanges(r.props, 'data')) return [];
  return Object.entries(data as Record<string, unknown>)
    .filter(([key, value]) => key !== 'password' && PASSWORD_KEY.test(key) && hasValue(value) && isComputed(value))
    .map(([key, value]) => `data.${key} is set from ${describe(value)}`);
}

/**
 * A plugin block configured by its `connection_url` alone, the URL given whole by an input or with
 * its user-info part computed (`postgresql://admin:${var.pw}@db/app`), and no `{{username}}` /
 * `{{password}}` template for Vault to fill: the root credentials travel inside the URL, which
 * Terraform keeps in its state in clear. (A literal URL with a password is the literal rule's.)
 */
function connectionUrlHits(r: TerraformResource): VaultHit[] {
  if (ignoresChanges(r.props, 'connection_url')) return [];
  const plugins = pluginBlocksWith(r, 'connection_url');
  const carrying = plugins.filter(({ block }) => {
    const url = block.connection_url;
    if (hasValue(block.password) || hasValue(block.password_wo) || hasValue(block.username)) return false;
    // An empty URL cannot connect: it is an input's placeholder default (`default = ""`) that the
    // operator replaces with the real URL when applying, which then sits in the state.
    if (url === '') return true;
    if (url === undefined || url === null || !isComputed(url)) return false;
    const text = isUnresolved(url) ? url.expression : String(url);
    if (/\{\{\s*password\s*\}\}/.test(text)) return false;
    const whole = /^\$\{[^{}]*(\{[^{}]*\}[^{}]*)*\}$/.test(text.trim());
    const userInfoComputed = /:\/\/[^/@]*\$\{[^@]*@/.test(text);
    return whole || userInfoComputed;
  });
  return carrying.length > 0
    ? [{ address: r.address, message: `${carrying.map(({ plugin, block }) => (block.connection_url === '' ? `${plugin}.connection_url is left to an input (empty as written)` : `${plugin}.connection_url is set from ${describe(block.connection_url)}`)).join('; ')} with no {{username}}/{{password}} template and no password argument: the URL carries the database root credentials, which Terraform keeps in its state in clear; write the URL as ...://{{username}}:{{password}}@host/db and give the password through password_wo` }]
    : [];
}

/**
 * Keys a service issues and returns to Terraform, which keeps them in its state: certificates
 * Vault issues with their private keys (a client certificate, an exported CA key), and an API
 * Gateway key's value, given or generated.
 */
function issuedKeyHits(r: TerraformResource): VaultHit[] {
  if (r.type === 'vault_pki_secret_backend_cert') {
    return [{ address: r.address, message: 'issues a certificate through Terraform: its private key is returned to Terraform and kept in its state in clear; let the workload request its own certificate' }];
  }
  if (r.type === 'aws_cognito_user_pool_client' && (r.props.generate_secret === true || r.props.generate_secret === 'true')) {
    return [{ address: r.address, message: 'the client secret Cognito generates (generate_secret = true) is an attribute Terraform reads back: it keeps the secret in its state in clear; create confidential clients outside Terraform, or use a public client with PKCE' }];
  }
  // A cloud credential the provider generates for Vault or a workload: Azure AD client secrets,
  // a Google service account key (unless Terraform uploads a public key, when no private key is returned).
  if (r.type === 'azuread_application_password' || r.type === 'azuread_service_principal_password') {
    return [{ address: r.address, message: 'the client secret Azure AD generates is an attribute Terraform reads back: it keeps the secret in its state in clear; use a federated identity credential (workload identity) instead of a secret' }];
  }
  if (r.type === 'google_service_account_key' && !hasValue(r.props.public_key_data)) {
    return [{ address: r.address, message: 'the private key Google generates for the service account is an attribute Terraform reads back: it keeps the key in its state in clear; use workload identity federation, or upload a public key (public_key_data)' }];
  }
  if (r.type === 'aws_api_gateway_api_key') {
    return [{ address: r.address, message: 'the API key\'s value, set or generated, is an attribute Terraform reads back: it keeps the key in its state in clear; issue keys outside Terraform, or authenticate callers by identity (IAM, JWT) instead of a key' }];
  }
  const exportsKey = ['vault_pki_secret_backend_root_cert', 'vault_pki_secret_backend_intermediate_cert_request', 'vault_pki_secret_backend_key'].includes(r.type)
    && r.props.type === 'exported';
  return exportsKey ? [{ address: r.address, message: 'generates a CA key with type = "exported": the private key is returned to Terraform and kept in its state in clear; use type = "internal"' }] : [];
}

/** True when the value is a variable or module input (`${var.x}`, `${each.value.x}`), as written or still unresolved. */
export function isInputValue(value: unknown): boolean {
  const text = isUnresolved(value) ? value.expression : value;
  return typeof text === 'string' && /^\$\{\s*(var\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_-]+|each\.value)(\.[A-Za-z0-9_-]+|\["[^"]*"\])*\s*\}$/.test(text);
}

/**
 * A value that may be null: `try(x, null)`, `lookup(m, k, null)`, or a variable declared with
 * `default = null` (an optional input, left out unless the operator gives it); whether it is ever
 * set is the caller's.
 */
function mayBeNull(value: unknown): boolean {
  if (isUnresolved(value) && value.nullDefault) return true;
  const text = isUnresolved(value) ? value.expression : value;
  return typeof text === 'string' && /,\s*null\s*\)\s*\}$/.test(text);
}

/** True for a module input declared with `default = null` (not a `try(x, null)` an element may leave out). */
function nullDefaultInput(value: unknown): boolean {
  return isUnresolved(value) && value.nullDefault;
}

/**
 * Credentials of other services that Terraform writes into the resource that keeps them: a
 * sensitive Terraform Cloud variable, an MFA method's API key, a user's password. The value
 * sits in the state whatever its source; one copied from another resource is reported where
 * Terraform generated it, so only variables, inputs and literals are judged here.
 */
const STORED_CREDENTIALS: Record<string, string[]> = {
  vault_identity_mfa_okta: ['api_token'],
  vault_identity_mfa_duo: ['secret_key'],
  vault_identity_mfa_pingid: ['settings_file_base64'],
  okta_user: ['password'],
};

/** A notification destination whose URL is itself the credential (a Slack or Teams incoming webhook), or that signs with a token. */
function notificationCredentials(r: TerraformResource): string[] {
  return ['token', ...(/^(slack|microsoft-teams)$/.test(String(r.props.destination_type)) ? ['url'] : [])];
}

function storedCredentialHits(r: TerraformResource): VaultHit[] {
  const keys = r.type === 'tfe_variable' || r.type === 'tfe_variable_set_variable' ? (holdsTfcCredential(r) ? ['value'] : [])
    : r.type === 'tfe_notification_configuration' ? notificationCredentials(r) : STORED_CREDENTIALS[r.type] ?? [];
  return keys.flatMap((key) => {
    const value = r.props[key];
    if (value === undefined || value === null || value === '' || setOutOfBand(r, key) || mayBeNull(value)) return [];
    if (isComputed(value) && !isInputValue(value)) return [];
    const how = isComputed(value) ? `set from ${describe(value)}` : 'written literally';
    return [{ address: r.address, message: `${key} is ${how}: Terraform writes the credential and keeps it in its state in clear; set it outside Terraform (or through a write-only argument where the provider has one)` }];
  });
}

/**
 * Secrets Terraform sets on services outside AWS's and Vault's secret stores, whatever their
 * source (a literal, a variable, a generated `random_password`): a cache's auth token, a
 * Kubernetes secret's data. Terraform keeps each in its state in clear; nothing else holds it
 * where the state's readers cannot.
 */
const SERVICE_SECRETS: Record<string, string[]> = {
  aws_elasticache_replication_group: ['auth_token'],
  aws_memorydb_user: ['authentication_mode'],
  kubernetes_secret: ['data', 'string_data', 'binary_data'],
  kubernetes_secret_v1: ['data', 'string_data', 'binary_data'],
};

/** Keys of a Kubernetes secret that hold a certificate, never its private key (`ca.crt`, `tls.crt`, `ca-bundle.pem`). */
const PUBLIC_CERTIFICATE_KEY = /^(ca|tls|ca[-_.]?bundle|ca[-_.]?chain|root[-_.]?ca)\.(crt|pem|cert)$/i;

function serviceSecretHits(r: TerraformResource): VaultHit[] {
  const keys = (SERVICE_SECRETS[r.type] ?? []).filter((key) => {
    const value = r.props[key];
    if (value === undefined || value === null || value === '' || setOutOfBand(r, key) || mayBeNull(value)) return false;
    // A Kubernetes secret's map, or a MemoryDB user's passwords: only values count, not an empty map or a type.
    if (value && typeof value === 'object' && !isUnresolved(value) && Object.keys(value).length === 0) return false;
    // A Kubernetes secret holding only certificates (a CA bundle for an issuer): public material, no key.
    if (r.type.startsWith('kubernetes_secret') && value && typeof value === 'object' && !isUnresolved(value)
      && Object.keys(value).every((k) => PUBLIC_CERTIFICATE_KEY.test(k))) return false;
    if (r.type === 'aws_memorydb_user') return JSON.stringify(value).includes('passwords');
    return true;
  });
  return keys.length > 0
    ? [{ address: r.address, message: `${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} set by Terraform: it keeps the secret in its state in clear; create the secret outside Terraform (External Secrets, the service's own rotation) or use a write-only argument` }]
    : [];
}

/**
 * Attributes that hold a credential another resource returns: an AppRole secret id, a token, a
 * password, a client or access-key secret, a certificate's private key, anywhere in an expression
 * (`base64encode(x.secret_id)` too). A generated key pair's (`tls_private_key`) is reported where
 * Terraform generates it.
 */
const CREDENTIAL_ATTRIBUTE = /\b((?:data\.)?(?!tls_private_key\.)[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.(secret_id|client_token|wrapping_token|token|password|secret|client_secret|secret_access_key|ses_smtp_password_v4|private_key(?:_pem)?)\b/;

/**
 * A credential written by Terraform into a file where it runs (`local_file`,
 * `local_sensitive_file`): the file holds it in clear, and Terraform keeps the content in its state.
 */
function localFileHits(r: TerraformResource): VaultHit[] {
  if (r.type !== 'local_file' && r.type !== 'local_sensitive_file') return [];
  const written = ['content', 'sensitive_content', 'content_base64'].map((key) => r.props[key]).filter(hasValue)
    .map((value) => (isUnresolved(value) ? value.expression : typeof value === 'string' ? value : JSON.stringify(value)));
  const credential = written.map((text) => CREDENTIAL_ATTRIBUTE.exec(text)?.[0] ?? GENERATED_SECRET.exec(text)?.[0]).find((m) => m !== undefined);
  if (!credential) return [];
  // As the file writes it (`${path.module}/...`), not resolved to where this check runs.
  const asWritten = writtenFormOf(r.props)?.filename ?? r.props.filename;
  const filename = isUnresolved(asWritten) ? asWritten.expression : String(asWritten ?? 'a file');
  return [{
    address: r.address,
    message: `writes ${credential} to ${filename}: the file holds the credential in clear where Terraform runs, and Terraform keeps its content in its state; keep credentials out of files Terraform writes (let the workload authenticate for its own: Vault Agent auto-auth, a response-wrapped secret id, its own certificate request)`,
  }];
}

export const TfSecretInState = vaultRule({
  id: 'NHI-TF-SECRET-IN-STATE',
  title: 'Terraform writes a secret value, so its state holds it in clear',
  nhi: OwaspNhi.NHI2,
  nist: ['SC-28', 'IA-5(7)'],
  severity: NhiSeverity.HIGH,
  fix: 'write the value through a write-only argument (secret_string_wo, value_wo, data_json_wo) from an ephemeral or sensitive source, or set it outside Terraform and add lifecycle ignore_changes',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const secrets = declaredSecrets(ctx.resources);
    return [...ctx.resources.flatMap((r) => {
      if (r.type === 'aws_secretsmanager_secret_version') return secretVersionHits(r, secrets);
      if (r.type === 'aws_ssm_parameter') return ssmParameterHits(r);
      if (KV_DOCUMENT_TYPES.includes(r.type)) return kvHits(r);
      if (r.type === 'vault_generic_endpoint') return endpointHits(r);
      return [
        ...backendCredentialHits(r), ...databasePasswordHits(r), ...vaultDatabasePasswordHits(r), ...issuedKeyHits(r), ...storedCredentialHits(r),
        ...serviceSecretHits(r), ...localFileHits(r), ...secretReadIntoConfigurationHits(r), ...signingKeyHits(r),
      ];
    }), ...generatedKeyHits(ctx.resources), ...providerCredentialHits(ctx.config)];
  },
});
