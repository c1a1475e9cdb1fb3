import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';

/** Arguments that turn certificate verification off when true, wherever a Vault resource or the provider nests them. */
const SKIP_VERIFY_KEYS = ['insecure_tls', 'tls_skip_verify', 'skip_tls_verify'];

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The `ldap://` URLs of a `url` argument (Vault takes a comma-separated list). */
function cleartextLdapUrls(url: unknown): string[] {
  if (typeof url !== 'string') return [];
  return url.split(',').map((u) => u.trim()).filter((u) => /^ldap:\/\//i.test(u));
}

/** Every place under `value` that turns verification off or binds to LDAP in clear, as `path: problem`. */
function insecureSettings(value: unknown, at: string): string[] {
  if (isUnresolved(value) || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => insecureSettings(v, value.length === 1 ? at : `${at}[${i}]`));
  const props = value as Record<string, unknown>;
  const here = (key: string) => (at ? `${at}.${key}` : key);
  const problems = SKIP_VERIFY_KEYS.filter((key) => isTrue(props[key])).map((key) => `${here(key)} is true, so the peer's certificate is not verified`);
  const ldap = cleartextLdapUrls(props.url);
  // An unset starttls is false in Vault; an expression may be true, so only a known false counts then.
  const starttlsOff = props.starttls === undefined || props.starttls === false || props.starttls === 'false';
  if (ldap.length > 0 && starttlsOff) problems.push(`${here('url')} is ${ldap.join(', ')} with starttls ${props.starttls === undefined ? 'unset' : 'false'}, so binds travel in clear`);
  for (const [key, child] of Object.entries(props)) {
    if (key !== '//' && key !== 'lifecycle' && child && typeof child === 'object') problems.push(...insecureSettings(child, here(key)));
  }
  return problems;
}

export const VaultInsecureTls = vaultRule({
  id: 'NHI-VAULT-INSECURE-TLS',
  title: 'Vault or a backend it calls skips TLS verification',
  nhi: OwaspNhi.NHI4,
  nist: ['SC-8', 'SC-23', 'IA-3'],
  severity: NhiSeverity.HIGH,
  fix: 'keep certificate verification on (insecure_tls, tls_skip_verify and skip_tls_verify false), give the CA with certificate or ca_cert_file, and use ldaps:// or starttls = true',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const hits: VaultHit[] = ctx.resources.filter((r) => r.type.startsWith('vault_')).flatMap((r) => {
      const problems = insecureSettings(r.props, '');
      return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
    });
    const providers = ctx.config.provider?.vault;
    for (const [i, block] of (Array.isArray(providers) ? providers : providers ? [providers] : []).entries()) {
      const alias = typeof block?.alias === 'string' ? `.${block.alias}` : (i > 0 ? `[${i}]` : '');
      const problems = insecureSettings(block, '');
      if (problems.length > 0) hits.push({ address: `provider.vault${alias}`, message: problems.join('; ') });
    }
    return hits;
  },
});
