import { DatabaseSecretBackendStaticRole } from '@cdktf/provider-vault/lib/database-secret-backend-static-role';
import { Construct } from 'constructs';
import { throwIfProblems } from './private/prop-validation';

/** The longest rotation period of a static database user. */
const MAX_STATIC_ROTATION_SECONDS = 30 * 24 * 3600;

/**
 * Properties of a static database role.
 */
export interface DatabaseStaticRoleProps {
  /** The database secrets mount. */
  readonly backend: string;
  /** The role name. */
  readonly name: string;
  /** The connection the role uses. */
  readonly connectionName: string;
  /** The existing database user whose password Vault manages. */
  readonly username: string;
  /** How often Vault replaces the password, in seconds. At most 30 days. */
  readonly rotationPeriodSeconds: number;
}

/**
 * A database user that must exist permanently (a migration user, a replication user) but whose
 * password only Vault knows and replaces on a period. No plane builds one yet.
 */
export class DatabaseStaticRole extends Construct {
  /** The role resource. */
  public readonly resource: DatabaseSecretBackendStaticRole;

  constructor(scope: Construct, id: string, props: DatabaseStaticRoleProps) {
    super(scope, id);
    const period = props.rotationPeriodSeconds;
    throwIfProblems(`DatabaseStaticRole "${props.name}"`, (c) => {
      if (!Number.isInteger(period) || period < 300 || period > MAX_STATIC_ROTATION_SECONDS) {
        c.add('props.rotationPeriodSeconds', period, `is not a whole number of seconds from 300 to ${MAX_STATIC_ROTATION_SECONDS} (30 days)`,
          'rotate at least every 30 days and at most every 5 minutes');
      }
    });
    this.resource = new DatabaseSecretBackendStaticRole(this, 'Resource', {
      backend: props.backend,
      name: props.name,
      dbName: props.connectionName,
      username: props.username,
      rotationPeriod: period,
    });
  }
}
