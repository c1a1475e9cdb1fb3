import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { ttlProblems } from '../support/vault';

const STS_CEILING = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;
const DATABASE_CEILING = TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds;

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
    if (!['aws', 'database'].includes(kind)) return [];
    const problems = ttlProblems(r.props, 'default_lease_ttl_seconds', 'max_lease_ttl_seconds', kind === 'aws' ? STS_CEILING : DATABASE_CEILING);
    return problems.length > 0 ? [{ address: r.address, message: `(${kind} mount) ${problems.join('; ')}` }] : [];
  }),
});
