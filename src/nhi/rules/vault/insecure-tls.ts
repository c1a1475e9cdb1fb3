import { parse as parseYaml } from 'yaml';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { writtenFormOf } from '../../private/written-form';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { dataDocument, isTrue, KV_DOCUMENT_TYPES, TerraformResource, vaultProviderBlocks } from '../support/vault';

/** Arguments that turn certificate verification off when true, wherever a Vault resource or the provider nests them. */
const SKIP_VERIFY_KEYS = ['insecure_tls', 'tls_skip_verify', 'skip_tls_verify'];

/** The `ldap://` URLs of a `url` argument (Vault takes a comma-separated list). */
function cleartextLdapUrls(url: unknown): string[] {
  if (typeof url !== 'string') return [];
  return url.split(',').map((u) => u.trim()).filter((u) => /^ldap:\/\//i.test(u));
}

/**
 * What a database connection URL's options say about TLS: PostgreSQL's `sslmode=disable`/`allow`/`prefer`,
 * MySQL's `tls=false`/`skip-verify`, MongoDB's `ssl=false`/`tls=false`, SQL Server's `encrypt=disable`.
 * The root credential and every generated user's password cross that connection.
 */
function plainDatabaseConnection(url: unknown, writtenUrl: string | undefined): string | undefined {
  // A loopback host counts only when the file writes it: one a variable's default supplies is a
  // development value that every real deployment replaces, while the TLS option stays.
  if (typeof url !== 'string' || (toLoopback(url) && (writtenUrl === undefined || toLoopback(writtenUrl)))) return undefined;
  // URL options (`?sslmode=disable&...`), and PostgreSQL's key/value form (`host=db sslmode=disable`).
  const option = /(?:^|[?&;\s])(sslmode=(disable|allow|prefer)|tls=(false|skip-verify)|ssl=false|encrypt=(disable|false))(?=&|;|\s|$)/i.exec(url);
  return option ? option[1] : undefined;
}

/** The loopback interface's names: nothing sent to them crosses a network. */
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/i;

/** True when a connection string's host is the loopback interface. */
function toLoopback(url: string): boolean {
  const host = /@\[?([^\]/:?@\s]+)\]?(?::\d+)?(?:[/?]|$)/.exec(url)?.[1] ?? /(?:^|\s)host=(\S+)/i.exec(url)?.[1];
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/** True for an `http://` URL whose host is not the loopback interface: what it carries crosses a network in clear. */
function plainHttpOffLoopback(url: string): boolean {
  const host = /^http:\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(url)?.[1];
  return host !== undefined && !LOOPBACK_HOST.test(host.replace(/^\[|\]$/g, ''));
}

/** The written text of a value: a literal, or an unresolved value's expression (`http://${var.host}`). */
function written(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isUnresolved(value) ? value.expression : undefined;
}

/** Arguments that name where Vault fetches signing keys or discovery documents: over http://, the keys it trusts can be swapped in transit. */
const KEY_SOURCE_KEYS = ['oidc_discovery_url', 'jwks_url', 'address'];

/**
 * Every place under `value` that turns verification off or binds to LDAP in clear, as `path: problem`;
 * `asWritten` is the same place in the file's own text, when known.
 */
function insecureSettings(value: unknown, at: string, asWritten?: unknown): string[] {
  if (isUnresolved(value) || value === null || typeof value !== 'object') return [];
  const writtenAt = (key: string | number) => (asWritten && typeof asWritten === 'object' ? (asWritten as Record<string, unknown>)[key] : undefined);
  if (Array.isArray(value)) return value.flatMap((v, i) => insecureSettings(v, value.length === 1 ? at : `${at}[${i}]`, writtenAt(i)));
  const props = value as Record<string, unknown>;
  const here = (key: string) => (at ? `${at}.${key}` : key);
  const problems = SKIP_VERIFY_KEYS.filter((key) => isTrue(props[key])).map((key) => `${here(key)} is true, so the peer's certificate is not verified`);
  const writtenUrl = writtenAt('connection_url');
  const plain = plainDatabaseConnection(written(props.connection_url), typeof writtenUrl === 'string' ? writtenUrl : undefined);
  if (plain) problems.push(`${here('connection_url')} sets ${plain}, so the database credentials cross the network in clear`);
  for (const key of KEY_SOURCE_KEYS) {
    const url = written(props[key]);
    if (url && plainHttpOffLoopback(url)) {
      problems.push(`${here(key)} is ${url}: ${key === 'address' ? 'the token and every secret written' : 'the keys Vault trusts'} travel in clear`);
    }
  }
  const ldap = cleartextLdapUrls(props.url);
  // An unset starttls is false in Vault; an expression may be true, so only a known false counts then.
  const starttlsOff = props.starttls === undefined || props.starttls === false || props.starttls === 'false';
  if (ldap.length > 0 && starttlsOff) problems.push(`${here('url')} is ${ldap.join(', ')} with starttls ${props.starttls === undefined ? 'unset' : 'false'}, so binds travel in clear`);
  for (const [key, child] of Object.entries(props)) {
    if (key !== '//' && key !== 'lifecycle' && child && typeof child === 'object') problems.push(...insecureSettings(child, here(key), writtenAt(key)));
  }
  return problems;
}

/** The Helm charts of a Vault server: HashiCorp's `vault` and OpenBao's `openbao`, by name or `repo/name`. */
const VAULT_CHART = /(^|\/)(vault|openbao)$/;

/** A chart value document (`yamlencode(...)`, a YAML heredoc or file); unreadable text is nothing. */
function valueDocument(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = parseYaml(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** The listener stanza's `tls_disable = 1` (or true) in server configuration text the chart is handed. */
const LISTENER_TLS_DISABLED = /\btls_disable\s*=\s*("?(1|true)"?)/;

/**
 * What says a Helm release of the Vault chart serves plain HTTP: `global.tlsDisable` set true in
 * its values or `set` blocks, or a listener with `tls_disable` in the server configuration it is
 * given. Only what the release writes counts; the chart's own default is not judged.
 */
function plainHelmVault(release: TerraformResource): string[] {
  const chart = release.props.chart;
  if (typeof chart !== 'string' || !VAULT_CHART.test(chart)) return [];
  const problems: string[] = [];
  const texts: unknown[] = Array.isArray(release.props.values) ? release.props.values : [];
  const documents = texts.map(valueDocument);
  const global = (d: Record<string, unknown> | undefined) => d?.global as Record<string, unknown> | undefined;
  const sets = [release.props.set].flat().filter((b): b is Record<string, unknown> => !!b && typeof b === 'object' && !isUnresolved(b));
  if (documents.some((d) => isTrue(global(d)?.tlsDisable)) || sets.some((b) => b.name === 'global.tlsDisable' && isTrue(b.value))) {
    problems.push('sets global.tlsDisable = true');
  }
  if (texts.some((v) => typeof v === 'string' && LISTENER_TLS_DISABLED.test(v))) {
    problems.push('configures a listener with tls_disable');
  }
  return problems.length > 0 ? [`deploys the Vault server and ${problems.join(' and ')}: every client's token and the secrets it reads travel to it in clear`] : [];
}

/** Keys that give a client Vault's address (`VAULT_ADDR`, `TF_VAR_vault_addr`, `vault_address`). */
const VAULT_ADDRESS_KEY = /vault[-_]?addr(ess)?$/i;

/**
 * The entries of a KV document that give a client Vault's address over plain HTTP, off the
 * loopback interface: whoever is configured from the document sends its Vault token, and reads
 * every secret, in clear.
 */
function plainVaultAddresses(r: TerraformResource): string[] {
  const document = dataDocument(r);
  if (!document) return [];
  return Object.entries(document)
    .filter(([key, value]) => VAULT_ADDRESS_KEY.test(key) && typeof value === 'string' && plainHttpOffLoopback(value))
    .map(([key, value]) => `${key} = ${value}`);
}

export const VaultInsecureTls = vaultRule({
  id: 'NHI-VAULT-INSECURE-TLS',
  title: 'Vault or a backend it calls skips TLS verification',
  nhi: OwaspNhi.NHI4,
  nist: ['SC-8', 'SC-23', 'IA-3'],
  severity: NhiSeverity.HIGH,
  fix: 'keep certificate verification on (insecure_tls, tls_skip_verify and skip_tls_verify false), give the CA with certificate or ca_cert_file, use ldaps:// or starttls = true, and serve Vault over TLS (global.tlsDisable = false with a listener certificate)',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    const hits: VaultHit[] = ctx.resources.filter((r) => r.type.startsWith('vault_')).flatMap((r) => {
      const problems = insecureSettings(r.props, '', writtenFormOf(r.props));
      return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
    });
    for (const document of ctx.resources.filter((r) => KV_DOCUMENT_TYPES.includes(r.type))) {
      const plain = plainVaultAddresses(document);
      if (plain.length > 0) {
        hits.push({ address: document.address, message: `hands its readers Vault's address over plain HTTP (${plain.join(', ')}): a client configured from it sends its token and reads secrets in clear` });
      }
    }
    for (const release of ctx.resources.filter((r) => r.type === 'helm_release')) {
      const problems = plainHelmVault(release);
      if (problems.length > 0) hits.push({ address: release.address, message: problems.join('; ') });
    }
    for (const [i, block] of vaultProviderBlocks(ctx.config).entries()) {
      const alias = typeof block?.alias === 'string' ? `.${block.alias}` : (i > 0 ? `[${i}]` : '');
      const problems = insecureSettings(block, '');
      if (problems.length > 0) hits.push({ address: `provider.vault${alias}`, message: problems.join('; ') });
    }
    return hits;
  },
});
