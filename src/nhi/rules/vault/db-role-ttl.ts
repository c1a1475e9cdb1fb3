import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { ttlProblems } from '../support/vault';

const DATABASE_CEILING = TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds;

export const VaultDbRoleTtl = vaultRule({
  id: 'NHI-VAULT-DB-ROLE-TTL',
  title: 'A dynamic database role\'s lifetime is missing or too long',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(f)'],
  severity: NhiSeverity.MEDIUM,
  fix: `set default_ttl and max_ttl (at most ${DATABASE_CEILING})`,
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_database_secret_backend_role').flatMap((r) => {
    const problems = ttlProblems(r.props, 'default_ttl', 'max_ttl', DATABASE_CEILING);
    return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
  }),
});
