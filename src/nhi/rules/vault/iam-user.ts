import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';

export const VaultIamUser = vaultRule({
  id: 'NHI-VAULT-IAM-USER',
  title: 'A Vault AWS role creates IAM users',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(7)', 'AC-2(2)'],
  severity: NhiSeverity.HIGH,
  fix: 'use credential_type = "assumed_role" with one target role',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_aws_secret_backend_role').flatMap((r) => {
    if (r.props.credential_type === 'iam_user') return [{ address: r.address, message: 'creates an IAM user with long-lived keys for every lease' }];
    // The provider's first form (`policy`, `policy_arn`, no credential_type) always created IAM users.
    const legacy = r.props.credential_type === undefined && ['policy', 'policy_arn', 'policy_arns', 'policy_document'].some((k) => r.props[k] !== undefined);
    return legacy ? [{ address: r.address, message: 'sets no credential_type, so every lease creates an IAM user with long-lived keys (the provider\'s legacy default)' }] : [];
  }),
});
