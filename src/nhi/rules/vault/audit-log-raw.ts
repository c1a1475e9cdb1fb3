import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';

export const VaultAuditLogRaw = vaultRule({
  id: 'NHI-VAULT-AUDIT-LOG-RAW',
  title: 'An audit device logs secrets in clear',
  nhi: OwaspNhi.NHI2,
  nist: ['AU-9', 'SC-28'],
  severity: NhiSeverity.CRITICAL,
  fix: 'remove log_raw; audit entries must keep secrets HMAC\'d',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources
    .filter((r) => r.type === 'vault_audit' && String(((r.props.options ?? {}) as Record<string, unknown>).log_raw ?? 'false') === 'true')
    .map((r) => ({ address: r.address, message: 'sets log_raw, so secrets are written in clear' })),
});
