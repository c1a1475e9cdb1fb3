import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { isUnknown, referencedAddress, TerraformResource, ttlProblems } from '../support/vault';

const STS_CEILING = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;
const DATABASE_CEILING = TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds;

const trimmed = (value: unknown) => String(value ?? '').replace(/^\/+|\/+$/g, '');
const withoutIndex = (address: string) => address.replace(/\[[^\]]*\]/g, '');

/**
 * The AWS roles written on the mount: naming it by reference or by path, or naming a backend
 * that cannot be read here (a module input), which may be it.
 */
function awsRolesOn(mount: TerraformResource, resources: TerraformResource[]): TerraformResource[] {
  const path = trimmed(mount.props.path ?? (mount.type === 'vault_aws_secret_backend' ? 'aws' : ''));
  return resources.filter((r) => r.type === 'vault_aws_secret_backend_role').filter((r) => {
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
 * True when the mount's lease is the only bound on a credential it issues. An AWS mount's
 * `iam_user` credentials live until their lease ends (the role has no lifetime of its own); STS
 * credentials live as long as STS grants, which the role's `default_sts_ttl`/`max_sts_ttl` set
 * and NHI-VAULT-STS-TTL judges. A database role's leases take the mount's TTLs only where the role
 * sets none, and NHI-VAULT-DB-ROLE-TTL judges each role with what it inherits; so a database mount
 * is judged on its own only for a role whose backend cannot be read (possibly this mount, with
 * nobody to judge what it inherits). A mount nothing here issues from is not judged.
 */
function leaseIsTheBound(mount: TerraformResource, kind: string, resources: TerraformResource[]): boolean {
  if (kind === 'aws') {
    return awsRolesOn(mount, resources).some((role) => {
      const type = role.props.credential_type;
      return type === 'iam_user' || isUnknown(type);
    });
  }
  return resources.filter((r) => r.type === 'vault_database_secret_backend_role')
    .some((role) => isUnknown(role.props.backend) && referencedAddress(role.props.backend) === undefined);
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
    if (!['aws', 'database'].includes(kind) || !leaseIsTheBound(r, kind, ctx.resources)) return [];
    const problems = ttlProblems(r.props, 'default_lease_ttl_seconds', 'max_lease_ttl_seconds', kind === 'aws' ? STS_CEILING : DATABASE_CEILING);
    return problems.length > 0 ? [{ address: r.address, message: `(${kind} mount) ${problems.join('; ')}` }] : [];
  }),
});
