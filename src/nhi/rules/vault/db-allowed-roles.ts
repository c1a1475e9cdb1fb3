import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';

export const VaultDbAllowedRoles = vaultRule({
  id: 'NHI-VAULT-DB-ALLOWED-ROLES',
  title: 'A database connection lets every role of its mount use it',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6', 'AC-3'],
  severity: NhiSeverity.HIGH,
  fix: 'list the roles that may use the connection in allowed_roles instead of "*"',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => ctx.resources
    .filter((r) => r.type === 'vault_database_secret_backend_connection' && Array.isArray(r.props.allowed_roles)
      && (r.props.allowed_roles as unknown[]).some((role) => role === '*'))
    .map((r) => ({ address: r.address, message: 'sets allowed_roles = ["*"]: any role created on the mount mints credentials through its connection' })),
});
