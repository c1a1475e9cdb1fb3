import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';

export const VaultTokenResource = vaultRule({
  id: 'NHI-VAULT-TOKEN-RESOURCE',
  title: 'A Vault token is minted by Terraform',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(7)', 'IA-5(f)'],
  severity: NhiSeverity.HIGH,
  fix: 'let the workload log in with its own platform identity (AWS, Kubernetes, JWT auth) instead of a token Terraform creates and keeps in state',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r) => {
    if (r.type === 'vault_token') {
      return [{
        address: r.address,
        message: `mints a token${Array.isArray(r.props.policies) ? ` with ${(r.props.policies as unknown[]).join(', ')}` : ''} whose value is kept in Terraform state${r.props.renewable !== false && r.props.period ? ', renewable forever (period)' : ''}`,
      }];
    }
    // HCP mints an admin token of the whole cluster for Terraform, which keeps it in state.
    if (r.type === 'hcp_vault_cluster_admin_token') {
      return [{ address: r.address, message: 'mints an HCP Vault cluster admin token, whose value is kept in Terraform state' }];
    }
    // Terraform logging in as an AppRole gets that role's token, and keeps it (client_token) in state.
    if (r.type === 'vault_approle_auth_backend_login') {
      return [{ address: r.address, message: 'logs in as an AppRole from Terraform, which keeps the token it gets (client_token) in its state' }];
    }
    return [];
  }),
});
