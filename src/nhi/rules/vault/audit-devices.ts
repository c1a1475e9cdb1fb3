import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { managesWholeVault } from '../support/vault';

export const VaultAuditDevices = vaultRule({
  id: 'NHI-VAULT-AUDIT-DEVICES',
  title: 'Fewer than two audit devices of different types, in a configuration that manages the Vault',
  nhi: OwaspNhi.NHI10,
  nist: ['AU-2', 'AU-9'],
  severity: NhiSeverity.MEDIUM,
  fix: 'enable at least two audit devices of different types (file and socket or syslog)',
  fixtures: VAULT_FIXTURES,
  // Only a configuration that defines auth methods and mounts, or audit devices itself, owns the
  // Vault's audit devices; one that manages a few roles on a shared Vault does not.
  check: (ctx) => {
    const audits = ctx.resources.filter((r) => r.type === 'vault_audit');
    if (!managesWholeVault(ctx) && audits.length === 0) return [];
    const types = new Set(audits.map((a) => String(a.props.type)));
    if (audits.length >= 2 && types.size >= 2) return [];
    return [{ message: `defines ${audits.length} audit device${audits.length === 1 ? '' : 's'} of ${types.size} type${types.size === 1 ? '' : 's'}` }];
  },
});
