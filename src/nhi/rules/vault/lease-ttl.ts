import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { dbRoleTtlProblems, mountOf } from './db-role-ttl';
import { isUnknown, referencedAddress, TerraformResource, ttlProblems, VaultCheckContext } from '../support/vault';

const STS_CEILING = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;
const DATABASE_CEILING = TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds;

/** The resources that make a mount issue leases: its roles, and a database mount's connections. */
const ISSUER_TYPES: Record<string, string[]> = {
  aws: ['vault_aws_secret_backend_role'],
  database: ['vault_database_secret_backend_role', 'vault_database_secret_backend_static_role', 'vault_database_secret_backend_connection'],
};

const trimmed = (value: unknown) => String(value ?? '').replace(/^\/+|\/+$/g, '');
const withoutIndex = (address: string) => address.replace(/\[[^\]]*\]/g, '');

/**
 * True when the configuration issues leases from the mount: a role or connection names it (by
 * reference or by path), or names a backend it cannot resolve (a module input), which may be it.
 * A `vault_database_secrets_mount` carries its connections itself. A mount nothing issues from
 * holds no lease whose lifetime could be too long.
 */
function issuesLeases(mount: TerraformResource, kind: string, resources: TerraformResource[]): boolean {
  if (mount.type === 'vault_database_secrets_mount') return true;
  const path = trimmed(mount.props.path ?? (mount.type === 'vault_aws_secret_backend' ? 'aws' : ''));
  return resources.filter((r) => ISSUER_TYPES[kind].includes(r.type)).some((r) => {
    const backend = r.props.backend;
    const address = referencedAddress(backend);
    if (address !== undefined) return withoutIndex(address) === withoutIndex(mount.address);
    if (typeof backend !== 'string') return true;
    // `${var.backend}`, `${local.mount}/...`: not readable here, so possibly this mount.
    if (backend.includes('${')) return true;
    return trimmed(backend) === path;
  });
}

/**
 * True when a database mount's lease problem is already reported on every role it lets it
 * through to: the mount has dynamic roles, each is NHI-VAULT-DB-ROLE-TTL's finding (which names
 * the mount), and no role or connection points at a backend that cannot be read (which may be
 * this mount, with a role nobody reports). One problem is then reported once, on the roles.
 */
function reportedOnItsRoles(ctx: VaultCheckContext, mount: TerraformResource): boolean {
  const issuers = ctx.resources.filter((r) => ISSUER_TYPES.database.includes(r.type));
  if (issuers.some((r) => isUnknown(r.props.backend) && referencedAddress(r.props.backend) === undefined)) return false;
  const roles = issuers.filter((r) => r.type === 'vault_database_secret_backend_role' && mountOf(ctx, r) === mount);
  return roles.length > 0 && roles.every((r) => dbRoleTtlProblems(ctx, r).problems.length > 0);
}

export const VaultLeaseTtl = vaultRule({
  id: 'NHI-VAULT-LEASE-TTL',
  title: 'A secrets mount\'s lease lifetime is missing or too long',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(f)', 'AC-2(2)'],
  severity: NhiSeverity.MEDIUM,
  fix: `set default_lease_ttl_seconds and max_lease_ttl_seconds (AWS at most ${STS_CEILING}, database at most ${DATABASE_CEILING}); 0 means Vault's 768 h`,
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r) => {
    if (!['vault_aws_secret_backend', 'vault_database_secrets_mount', 'vault_mount'].includes(r.type)) return [];
    const kind = r.type === 'vault_mount' ? String(r.props.type ?? '') : r.type === 'vault_aws_secret_backend' ? 'aws' : 'database';
    if (!['aws', 'database'].includes(kind) || !issuesLeases(r, kind, ctx.resources)) return [];
    if (kind === 'database' && reportedOnItsRoles(ctx, r)) return [];
    const problems = ttlProblems(r.props, 'default_lease_ttl_seconds', 'max_lease_ttl_seconds', kind === 'aws' ? STS_CEILING : DATABASE_CEILING);
    return problems.length > 0 ? [{ address: r.address, message: `(${kind} mount) ${problems.join('; ')}` }] : [];
  }),
});
