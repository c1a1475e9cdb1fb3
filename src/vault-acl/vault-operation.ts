/**
 * The operation of a request to Vault, which decides the capability it needs.
 */
export enum VaultOperation {
  /** GET: needs `read`. */
  READ = 'read',
  /** LIST (or GET with `?list=true`): needs `list`; a trailing `/` is also matched without it. */
  LIST = 'list',
  /** POST/PUT to an existing path: needs `update`. */
  UPDATE = 'update',
  /** POST/PUT where nothing exists yet: needs `create`. */
  CREATE = 'create',
  /** PATCH: needs `patch`. */
  PATCH = 'patch',
  /** DELETE: needs `delete`. */
  DELETE = 'delete',
  /** Recovering from a snapshot: needs `recover`. */
  RECOVER = 'recover',
  /** Scanning keys recursively (OpenBao): needs `scan`. */
  SCAN = 'scan',
  /** Revoking a lease: needs `update`. */
  REVOKE = 'revoke',
  /** Renewing a lease: needs `update`. */
  RENEW = 'renew',
  /** A rollback from the expiration manager: needs `update`. */
  ROLLBACK = 'rollback',
  /** Asking for help (`?help=1`): always allowed. */
  HELP = 'help',
}
