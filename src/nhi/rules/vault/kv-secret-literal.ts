import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule } from '../rule';

/** Resources whose `data_json` Vault stores: KV secrets, and endpoints (a userpass user's password, a role's secret). */
const KV_TYPES = ['vault_generic_secret', 'vault_kv_secret', 'vault_kv_secret_v2', 'vault_generic_endpoint'];
const SECRET_KEY = /(password|passwd|secret|token|api_?key|private_?key|credential)/i;

/** Keys of a KV document that hold a literal secret: in JSON, or inside a `jsonencode({...})` expression. */
function literalSecretKeys(dataJson: unknown): string[] {
  if (isUnresolved(dataJson)) return [];
  if (dataJson && typeof dataJson === 'object') {
    return Object.entries(dataJson).filter(([k, v]) => SECRET_KEY.test(k) && typeof v === 'string' && v !== '' && !v.includes('${')).map(([k]) => k);
  }
  if (typeof dataJson !== 'string') return [];
  try {
    return literalSecretKeys(JSON.parse(dataJson));
  } catch {
    // `${jsonencode({ password = "hunter2" })}`: a quoted value under a secret-like key, with no interpolation in it.
    const keys: string[] = [];
    for (const match of dataJson.matchAll(/"?([A-Za-z0-9_-]+)"?\s*[=:]\s*"([^"$]*)"/g)) {
      if (SECRET_KEY.test(match[1]) && match[2] !== '') keys.push(match[1]);
    }
    return keys;
  }
}

export const VaultKvSecretLiteral = vaultRule({
  id: 'NHI-VAULT-KV-SECRET-LITERAL',
  title: 'A secret written through data_json (a KV secret, a user\'s password) is written literally into the configuration',
  nhi: OwaspNhi.NHI2,
  nist: ['IA-5(7)', 'SC-28'],
  severity: NhiSeverity.CRITICAL,
  fix: 'write the value into Vault outside Terraform, or from a sensitive variable with data_json_wo; never as a literal (it lands in the code and in state)',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => KV_TYPES.includes(r.type)).flatMap((r) => {
    const keys = literalSecretKeys(r.props.data_json);
    return keys.length > 0 ? [{ address: r.address, message: `data_json writes ${keys.join(', ')} literally` }] : [];
  }),
});
