import { X509Certificate } from 'crypto';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { isTrue, isUnknown, referencedAddress, TerraformResource } from '../support/vault';

/** The arguments that narrow which certificates of the trusted CA may log in through the role. */
const CONSTRAINTS = [
  'allowed_names', 'allowed_common_names', 'allowed_dns_sans', 'allowed_email_sans', 'allowed_uri_sans',
  'allowed_organizational_units', 'required_extensions', 'allowed_metadata_extensions',
] as const;

/** Resources whose `certificate` is a certificate authority: a PKI engine's root, intermediate or issuer. */
const CA_RESOURCES = /^(data\.)?(vault_pki_secret_backend_(root_cert|root_sign_intermediate|intermediate_set_signed|issuer)|tls_self_signed_cert)\./;

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The subjects of the CA certificates in a PEM bundle (Vault trusts every certificate of the bundle). */
function caSubjects(pem: string): string[] {
  return [...pem.matchAll(PEM)].flatMap((m) => {
    try {
      const cert = new X509Certificate(m[0]);
      return cert.ca ? [cert.subject.replace(/\n/g, ', ')] : [];
    } catch {
      return [];
    }
  });
}

const normalized = (value: unknown) => (typeof value === 'string' ? value.replace(/^\/+|\/+$/g, '') : undefined);

/**
 * What a CA of this configuration's PKI engine lets log in beyond a dedicated client CA: it signs
 * intermediate CAs (every certificate they issue chains to it), or a role of its mount issues for
 * any name. A CA whose mount only issues through roles bounded by names is a dedicated client CA:
 * what it admits is what those roles issue. Undefined when it is such a CA.
 */
function engineCaReach(ca: TerraformResource, resources: TerraformResource[]): string | undefined {
  const mount = normalized(ca.props.backend);
  if (mount === undefined) return 'its mount cannot be read';
  const onMount = (type: string) => resources.filter((r) => r.type === type && normalized(r.props.backend) === mount);
  if (onMount('vault_pki_secret_backend_root_sign_intermediate').length > 0) return 'it signs intermediate CAs, whose certificates all chain to it';
  const broad = onMount('vault_pki_secret_backend_role').filter((r) => isTrue(r.props.allow_any_name)
    || (Array.isArray(r.props.allowed_domains) && r.props.allowed_domains.some((d) => typeof d === 'string' && /^\*(\.\*)*$/.test(d))));
  return broad.length > 0 ? `${broad.map((r) => r.address).join(', ')} issue${broad.length === 1 ? 's' : ''} for any name` : undefined;
}

/**
 * What the role trusts, when it is a CA that issues beyond the role's clients: the CA's subject
 * (a literal PEM bundle: a CA managed elsewhere, issuing to whomever it serves), a self-signed CA,
 * or a CA of this configuration's PKI engine that signs intermediates or issues for any name. A
 * certificate given as an input may be the one leaf the role admits, so it is left alone.
 */
function trustedCa(role: TerraformResource, resources: TerraformResource[]): string | undefined {
  const value = role.props.certificate;
  if (typeof value !== 'string') return undefined;
  if (!isUnknown(value)) {
    const subjects = caSubjects(value);
    return subjects.length > 0 ? `the CA ${subjects.join('; ')}` : undefined;
  }
  const source = referencedAddress(value);
  const ca = source ? resources.find((r) => r.address === source) : undefined;
  if (!source || !ca || !CA_RESOURCES.test(source)) return undefined;
  if (ca.type === 'tls_self_signed_cert') return isTrue(ca.props.is_ca_certificate) ? `the CA ${source}` : undefined;
  const reach = engineCaReach(ca, resources);
  return reach ? `the CA ${source} (${reach})` : undefined;
}

/** True when an argument names at least one narrowing entry, or its value cannot be read here. */
function constrains(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (isUnknown(value)) return true;
  const entries = (Array.isArray(value) ? value : String(value).split(',')).map((v) => (isUnknown(v) ? '?' : String(v).trim())).filter((v) => v !== '');
  return entries.some((v) => v !== '*');
}

export const VaultCertAuthUnbound = vaultRule({
  id: 'NHI-VAULT-CERT-AUTH-UNBOUND',
  title: 'A cert auth role trusts a whole CA and names no certificate it admits',
  nhi: OwaspNhi.NHI4,
  nist: ['IA-5(2)', 'IA-9', 'AC-3'],
  severity: NhiSeverity.HIGH,
  fix: 'name the certificates the role admits with allowed_common_names, allowed_dns_sans, allowed_uri_sans or required_extensions, or trust the workload\'s own certificate instead of the CA',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    return ctx.resources.filter((r) => r.type === 'vault_cert_auth_backend_role').flatMap((r): VaultHit[] => {
      if (CONSTRAINTS.some((key) => constrains(r.props[key]))) return [];
      const ca = trustedCa(r, ctx.resources);
      if (!ca) return [];
      return [{
        address: r.address,
        message: `trusts ${ca} with no ${CONSTRAINTS.slice(0, 7).join(', ')}: every certificate that CA issues (to any host or client) logs in through this role and gets its policies`,
      }];
    });
  },
});
