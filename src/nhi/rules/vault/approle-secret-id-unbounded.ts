import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { describe, isUnknown, seconds } from '../support/vault';

export const VaultAppRoleSecretIdUnbounded = vaultRule({
  id: 'NHI-VAULT-APPROLE-SECRET-ID-UNBOUNDED',
  title: 'An AppRole\'s secret ids never expire or can be used without limit',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(f)', 'AC-2(3)'],
  severity: NhiSeverity.MEDIUM,
  fix: 'set secret_id_ttl (minutes, not days) and secret_id_num_uses (1 for a secret id delivered once)',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources
    .filter((r) => r.type === 'vault_approle_auth_backend_role' && r.props.bind_secret_id !== false)
    .flatMap((r) => {
      const problems: string[] = [];
      for (const [key, meaning] of [['secret_id_ttl', 'secret ids never expire'], ['secret_id_num_uses', 'each secret id can be used without limit']] as const) {
        const value = r.props[key];
        if (isUnknown(value)) problems.push(`${key} is ${describe(value)}`);
        else if ((seconds(value) ?? 0) <= 0) problems.push(`${key} is ${describe(value)}, so ${meaning}`);
      }
      return problems.length > 0 ? [{ address: r.address, message: problems.join('; ') }] : [];
    }),
});
