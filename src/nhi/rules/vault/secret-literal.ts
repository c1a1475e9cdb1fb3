import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { isReference } from '../support/vault';

const SECRET_FIELDS = [
  'password', 'password_wo', 'secret_key', 'secret_key_wo', 'token', 'jwt', 'secret_id', 'private_key', 'oidc_client_secret',
  'oidc_client_secret_wo', 'client_secret', 'client_key', 'service_account_json', 'credentials', 'token_reviewer_jwt', 'self_managed_password',
];

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
    const walk = (value: unknown, key: string, address: string) => {
      if (isUnresolved(value)) return;
      if (Array.isArray(value)) {
        value.forEach((v) => walk(v, key, address));
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) if (k !== '//') walk(v, k, address);
      } else if (typeof value === 'string' && value !== '' && !isReference(value)) {
        if (SECRET_FIELDS.includes(key)) hits.push({ address, message: `${key} is written literally` });
        else if (key === 'connection_url' && /:\/\/[^/{]+:(?!\{\{password\}\})[^@/]+@/.test(value)) hits.push({ address, message: 'connection_url embeds a password' });
      }
    };
    for (const r of ctx.resources) walk(r.props, '', r.address);
    for (const [name, blocks] of Object.entries(ctx.config.provider ?? {})) walk(blocks, '', `provider.${name}`);
    return hits;
  },
});
