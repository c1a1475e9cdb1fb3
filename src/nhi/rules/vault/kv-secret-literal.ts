import { NhiSeverity, OwaspNhi } from '../../finding';
import { ignoresChanges } from '../../inputs/terraform-lifecycle';
import { isDescription, isPlaceholder } from '../../private/placeholder';
import { fileReadOf, isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { isTrue } from '../support/vault';

/** Resources whose `data_json` Vault stores: KV secrets, and endpoints (a userpass user's password, a role's secret). */
const KV_TYPES = ['vault_generic_secret', 'vault_kv_secret', 'vault_kv_secret_v2', 'vault_generic_endpoint'];
/** Resources whose whole document is the secret (an endpoint's document is mostly settings). */
const KV_STORE_TYPES = ['vault_generic_secret', 'vault_kv_secret', 'vault_kv_secret_v2'];
const SECRET_KEY = /(password|passwd|secret|token|api_?key|private_?key|cred)/i;

/** Secret-like keys of a KV document with their literal values: in JSON, or inside a `jsonencode({...})` expression. */
function literalSecretEntries(dataJson: unknown): Array<[string, string]> {
  if (isUnresolved(dataJson)) return [];
  if (dataJson && typeof dataJson === 'object') {
    return Object.entries(dataJson).filter((e): e is [string, string] => SECRET_KEY.test(e[0]) && typeof e[1] === 'string' && e[1] !== '' && !e[1].includes('${'));
  }
  if (typeof dataJson !== 'string') return [];
  try {
    return literalSecretEntries(JSON.parse(dataJson));
  } catch {
    // `${jsonencode({ password = "hunter2" })}`: a quoted value under a secret-like key, with no interpolation in it.
    const entries: Array<[string, string]> = [];
    for (const match of dataJson.matchAll(/"?([A-Za-z0-9_-]+)"?\s*[=:]\s*"([^"$]*)"/g)) {
      if (SECRET_KEY.test(match[1]) && match[2] !== '') entries.push([match[1], match[2]]);
    }
    return entries;
  }
}

/**
 * Keys of a document that hold a literal secret; a value that describes itself (`staging secret 1`)
 * is a demo, not a secret. Placeholders are not secrets when Terraform leaves the document to
 * others after writing it, through `ignore_changes` or `disable_read = true` (it never reads the
 * secret back, so a value written into Vault by someone else stays): the real value is set there.
 */
function literalSecretKeys(props: Record<string, unknown>, field: string): string[] {
  const entries = literalSecretEntries(props[field]).filter(([, v]) => !isDescription(v));
  const placeholdersOnly = entries.length > 0 && entries.every(([, v]) => isPlaceholder(v));
  const leftToOthers = ignoresChanges(props, field) || isTrue(props.disable_read);
  return placeholdersOnly && leftToOthers ? [] : entries.map(([k]) => k);
}

/**
 * The file a document is read from (`file("secrets/db.json")`, `templatefile(...)` of a file
 * holding the values), or that one of its values is read from
 * (`jsonencode({ secret_key = yamldecode(file("../secrets/s3.yml")).secret_key })`), also when the
 * path is a variable's or the file is not in the input: the secret is kept as a file beside the
 * configuration, whatever it holds.
 */
export function fileReadInto(document: unknown): string | undefined {
  // `jsonencode({ token = file(var.token_file) })` of a file kept out of the repository.
  const kept = fileReadOf(document);
  if (kept) return kept;
  const text = isUnresolved(document) ? document.expression : typeof document === 'string' ? document : undefined;
  if (!text) return undefined;
  const whole = /^\$\{\s*(?:jsonencode\(\s*jsondecode\(\s*)?file\(\s*("[^"]*"|[^)]*)\s*\)/.exec(text);
  if (whole) return whole[1].replace(/^"|"$/g, '');
  // A value of the document, as the document's JSON text writes it (quotes escaped).
  const inValue = /\$\{[^}]*?\bfile\(\s*\\?"([^"\\]+)\\?"\s*\)/.exec(text);
  return inValue?.[1];
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
    // The write-only form keeps the value out of state, not out of the code.
    for (const field of ['data_json', 'data_json_wo']) {
      const keys = literalSecretKeys(r.props, field);
      if (keys.length > 0) {
        const state = field === 'data_json' ? ', and Terraform keeps the value in its state in clear' : '';
        return [{ address: r.address, message: `${field} writes ${keys.join(', ')} literally${state}` }];
      }
      const file = KV_STORE_TYPES.includes(r.type) ? fileReadInto(r.props[field]) : undefined;
      if (file) return [{ address: r.address, message: `${field} is read from the file ${file}: the secret is kept as a file beside the configuration` }];
    }
    return [];
  }),
});
