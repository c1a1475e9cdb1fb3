import { NhiSeverity, OwaspNhi } from '../../finding';
import { fileReadOf, isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { isReference } from '../support/vault';

const SECRET_FIELDS = [
  'password', 'password_wo', 'secret_key', 'secret_key_wo', 'token', 'jwt', 'secret_id', 'private_key', 'oidc_client_secret',
  'oidc_client_secret_wo', 'client_secret', 'client_key', 'service_account_json', 'credentials', 'token_reviewer_jwt', 'self_managed_password',
  'bindpass', 'bind_credential',
];

/**
 * True for a value that cannot be the credential its field takes, so it is a placeholder, not a
 * secret: an AWS secret key is 40 characters of base64, a JWT three base64url parts (`eyJ...`).
 */
function cannotBeTheCredential(type: string, key: string, value: string): boolean {
  if (/^(secret_key|secret_key_wo)$/.test(key) && type.startsWith('vault_aws_')) return !/^[A-Za-z0-9/+=]{40}$/.test(value);
  if (/^(jwt|token_reviewer_jwt)$/.test(key)) return !/^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value.trim());
  return false;
}

/** Container environment names that hold a credential, not a pointer to one (`_FILE`, `_ARN`, `_PATH`). */
const SECRET_ENV = /(password|passwd|secret|token|api_?key|private_?key|credential)$/i;
const POINTER_ENV = /(_file|_arn|_path|_name|_id|_url)$/i;
/** A Vault or OpenBao dev server's root token, which its `_ID` name gives as the token itself. */
const DEV_ROOT_TOKEN_ENV = /^(VAULT|BAO)_DEV_ROOT_TOKEN_ID$/i;

/**
 * The secret-named variables a container's environment sets literally: Docker's `env` list of
 * `NAME=value`, and Kubernetes' `env { name value }` blocks.
 */
function literalEnvironment(value: unknown, key: string): string[] {
  if (key !== 'env' || !Array.isArray(value)) return [];
  const named = (name: string, v: unknown) => (DEV_ROOT_TOKEN_ENV.test(name) || (SECRET_ENV.test(name) && !POINTER_ENV.test(name)))
    && typeof v === 'string' && v !== '' && !isReference(v);
  return value.flatMap((entry) => {
    if (typeof entry === 'string') {
      const pair = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(entry);
      return pair && named(pair[1], pair[2]) ? [pair[1]] : [];
    }
    const block = entry as { name?: unknown; value?: unknown } | null;
    return block && typeof block === 'object' && typeof block.name === 'string' && named(block.name, block.value) ? [block.name] : [];
  });
}

/**
 * True when a connection string carries a password in its user-info part: a URL
 * (`postgresql://admin:pw@db/app`), or a DSN with no scheme, as Oracle's and Go drivers'
 * `user:pass@host:port/service` are written. Vault's `{{password}}` template is not a password.
 */
function embedsPassword(value: string): boolean {
  if (/:\/\/[^/{]+:(?!\{\{password\}\})[^@/]+@/.test(value)) return true;
  return /^[^\s:/@{}()]+:(?!\{\{password\}\})[^\s@/]+@[^\s@]+$/.test(value.trim());
}

export const VaultSecretLiteral = vaultRule({
  id: 'NHI-VAULT-SECRET-LITERAL',
  title: 'A secret value is written literally into the configuration',
  nhi: OwaspNhi.NHI2,
  nist: ['IA-5(7)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'pass secrets through sensitive variables and write-only fields, or use platform identity instead',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const hits: VaultHit[] = [];
    const walk = (value: unknown, key: string, address: string, type: string) => {
      if (isUnresolved(value)) {
        // `oidc_client_secret = jsondecode(file("../.secrets/auth0.json")).client_secret`: kept as a file beside the code.
        const file = fileReadOf(value);
        if (SECRET_FIELDS.includes(key) && file) hits.push({ address, message: `${key} is read from the file ${file}: the secret is kept as a file beside the configuration` });
        return;
      }
      const environment = literalEnvironment(value, key);
      if (environment.length > 0) {
        hits.push({ address, message: `its container environment sets ${environment.join(', ')} literally: the value is in these files, in the container's plain environment and in Terraform's state` });
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((v) => walk(v, key, address, type));
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) if (k !== '//') walk(v, k, address, type);
      } else if (typeof value === 'string' && value !== '' && !isReference(value)) {
        if (SECRET_FIELDS.includes(key) && !cannotBeTheCredential(type, key, value)) hits.push({ address, message: `${key} is written literally` });
        else if (key === 'connection_url' && embedsPassword(value)) hits.push({ address, message: 'connection_url embeds a password' });
      }
    };
    for (const r of ctx.resources) walk(r.props, '', r.address, r.type);
    for (const [name, blocks] of Object.entries(ctx.config.provider ?? {})) walk(blocks, '', `provider.${name}`, `provider_${name}`);
    return hits;
  },
});
