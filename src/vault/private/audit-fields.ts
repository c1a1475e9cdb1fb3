import { VaultAuditOptions } from '../vault-audit-options';

/**
 * The audit options' fields, spread into the plane's unknown-key check. A record, so the compiler
 * fails when a field is added to `VaultAuditOptions` and not here.
 */
export const AUDIT_FIELDS: Record<keyof VaultAuditOptions, true> = {
  manageAuditDevices: true,
  secondAuditDevice: true,
  auditFilePath: true,
  auditSocketPath: true,
};
