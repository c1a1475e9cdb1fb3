import { TtlLimits } from '../../../spec/ttl-limits';
import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { ttlProblems } from '../support/vault';

const STS_CEILING = TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds;
const AWS_STS_TYPES = ['assumed_role', 'federation_token', 'session_token'];

export const VaultStsTtl = vaultRule({
  id: 'NHI-VAULT-STS-TTL',
  title: 'A Vault cloud role\'s credential lifetime (AWS STS, Azure service principal) is missing or longer than an hour',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(f)', 'AC-12'],
  severity: NhiSeverity.MEDIUM,
  fix: `set default_sts_ttl and max_sts_ttl on an AWS role, ttl and max_ttl on an Azure role (at most ${STS_CEILING})`,
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r) => {
    // An Azure role's service principal (or the client secret it adds to an existing application)
    // lives until its lease ends: with no ttl, the mount's default, 768 h unless tuned.
    const problems = r.type === 'vault_azure_secret_backend_role' ? ttlProblems(r.props, 'ttl', 'max_ttl', STS_CEILING)
      : r.type === 'vault_aws_secret_backend_role' && AWS_STS_TYPES.includes(String(r.props.credential_type ?? ''))
        ? ttlProblems(r.props, 'default_sts_ttl', 'max_sts_ttl', STS_CEILING) : [];
    return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
  }),
});
