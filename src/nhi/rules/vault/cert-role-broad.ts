import { NhiSeverity, OwaspNhi } from '../../finding';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { isFalse, isTrue, isUnknown } from '../support/vault';


/** The entries of a list argument, which Vault also takes as a comma-separated string. */
function entries(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').flatMap((v) => entries(v));
  if (typeof value === 'string') return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  return [];
}

/** True for an entry that matches every name: `*`, `*.*`. */
function matchesAnything(entry: string): boolean {
  return /^\*(\.\*)*$/.test(entry);
}

/** What makes an SSH role sign certificates for anyone. */
function sshProblems(p: Record<string, unknown>, judgeDomains: boolean): string[] {
  const problems: string[] = [];
  const users = entries(p.allowed_users);
  if (users.some(matchesAnything)) {
    problems.push('allowed_users is "*", so it signs for any login');
  } else if (isTrue(p.allow_user_certificates) && users.length === 0 && !isUnknown(p.allowed_users) && isTrue(p.allow_empty_principals)) {
    // Without allowed_users Vault refuses every principal, unless empty principals are allowed:
    // a certificate with none is valid for every login.
    problems.push('allow_user_certificates and allow_empty_principals are true with no allowed_users, so its certificates are valid for any login');
  } else if (users.includes('root')) {
    problems.push(`allowed_users includes root (${users.join(', ')}), so its holders log in as root`);
  }
  const domains = entries(p.allowed_domains);
  if (judgeDomains && domains.some(matchesAnything)) problems.push('allowed_domains is "*", so it signs host certificates for any host');
  return problems;
}

/** What makes a PKI role issue certificates for any name. */
function pkiProblems(p: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (isTrue(p.allow_any_name)) {
    problems.push(isFalse(p.enforce_hostnames) ? 'allow_any_name is true and enforce_hostnames is false, so it issues for any string' : 'allow_any_name is true, so it issues for any name');
  }
  const domains = entries(p.allowed_domains);
  if (domains.some(matchesAnything)) problems.push(`allowed_domains holds ${JSON.stringify(domains.find(matchesAnything))}, so it issues for any domain`);
  return problems;
}

/** A literal JSON object written by a generic resource, or undefined when it is not one. */
function literalObject(value: unknown): Record<string, unknown> | undefined {
  if (isUnresolved(value)) return undefined;
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

const SSH_ROLE = 'vault_ssh_secret_backend_role';
const PKI_ROLE = 'vault_pki_secret_backend_role';
const GENERIC_TYPES = ['vault_generic_secret', 'vault_generic_endpoint'];

function problemsOf(type: string, props: Record<string, unknown>): string[] {
  if (type === SSH_ROLE) return sshProblems(props, true);
  if (type === PKI_ROLE) return pkiProblems(props);
  if (!GENERIC_TYPES.includes(type) || typeof props.path !== 'string' || !/(^|\/)roles\/[^/]+$/.test(props.path)) return [];
  // Written through the generic API the engine is not named: the SSH and the PKI keys are both judged, the domains once.
  const data = literalObject(props.data_json);
  return data ? [...sshProblems(data, false), ...pkiProblems(data)] : [];
}

export const VaultCertRoleBroad = vaultRule({
  id: 'NHI-VAULT-CERT-ROLE-BROAD',
  title: 'An SSH or PKI role issues certificates for any name',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'IA-5(2)', 'SC-17'],
  severity: NhiSeverity.HIGH,
  fix: 'list the logins in allowed_users and the domains in allowed_domains; keep allow_any_name false and enforce_hostnames true',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r) => {
    const problems = problemsOf(r.type, r.props);
    return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
  }),
});
