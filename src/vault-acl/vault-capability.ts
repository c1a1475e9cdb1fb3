/**
 * Vault ACL capabilities.
 */
export enum VaultCapability {
  /** Create data at a path (POST/PUT where none exists). */
  CREATE = 'create',
  /** Read data at a path (GET). Reading dynamic credentials is a read. */
  READ = 'read',
  /** Change data at a path (POST/PUT). */
  UPDATE = 'update',
  /** Partially change data at a path (PATCH). */
  PATCH = 'patch',
  /** Delete data at a path. */
  DELETE = 'delete',
  /** List keys under a path. */
  LIST = 'list',
  /** Use root-protected paths. Never allowed in a workload policy. */
  SUDO = 'sudo',
  /** Refuse everything at the path, whatever else is granted there. */
  DENY = 'deny',
  /** Subscribe to events. */
  SUBSCRIBE = 'subscribe',
  /** Recover data from a snapshot at a path (Vault 1.20+). */
  RECOVER = 'recover',
  /** Scan keys recursively under a path (OpenBao). */
  SCAN = 'scan',
}
