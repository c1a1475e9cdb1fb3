import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';

export const VaultAppRoleSecretId = vaultRule({
  id: 'NHI-VAULT-APPROLE-SECRET-ID',
  title: 'An AppRole secret id is managed in Terraform',
  nhi: OwaspNhi.NHI2,
  nist: ['IA-5(7)'],
  severity: NhiSeverity.HIGH,
  fix: 'deliver secret ids response-wrapped at run time; never create them in Terraform (they land in state)',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_approle_auth_backend_role_secret_id')
    .map((r) => ({ address: r.address, message: 'creates an AppRole secret id in Terraform, which writes it into state' })),
});
