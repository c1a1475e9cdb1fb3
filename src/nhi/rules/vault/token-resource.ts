import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';

/** ACL tokens of other systems that Terraform mints with their secret as an attribute (Nomad's `secret_id`). */
const MINTED_PLATFORM_TOKENS = ['nomad_acl_token'];

export const VaultTokenResource = vaultRule({
  id: 'NHI-VAULT-TOKEN-RESOURCE',
  title: 'A Vault token is minted by Terraform',
  nhi: OwaspNhi.NHI7,
  nist: ['IA-5(7)', 'IA-5(f)'],
  severity: NhiSeverity.HIGH,
  fix: 'let the workload log in with its own platform identity (AWS, Kubernetes, JWT auth) instead of a token Terraform creates and keeps in state',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources.flatMap((r): Array<{ address: string; message: string }> => {
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
    // A Nomad ACL token Terraform mints and hands to a Vault engine as its credential:
    // the token's secret sits in the state, and the engine holds it for as long as nobody rotates it.
    if (MINTED_PLATFORM_TOKENS.includes(r.type)) {
      const users = ctx.resources.filter((u) => u.type.startsWith('vault_') && JSON.stringify(u.props).includes(`\${${r.address}.`)).map((u) => u.address);
      if (users.length === 0) return [];
      const type = typeof r.props.type === 'string' ? `${r.props.type} ` : '';
      return [{ address: r.address, message: `mints a ${type}token that ${users.join(', ')} ${users.length === 1 ? 'is' : 'are'} given: its secret is kept in Terraform state; bootstrap the engine with a token created outside Terraform and rotate it in Vault (rotate-root)` }];
    }
    return [];
  }),
});
