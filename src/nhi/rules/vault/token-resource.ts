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
  check: (ctx) => ctx.resources.filter((r) => r.type === 'vault_token').map((r) => ({
    address: r.address,
    message: `mints a token${Array.isArray(r.props.policies) ? ` with ${(r.props.policies as unknown[]).join(', ')}` : ''} whose value is kept in Terraform state${r.props.renewable !== false && r.props.period ? ', renewable forever (period)' : ''}`,
  })),
});
