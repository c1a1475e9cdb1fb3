import { DatabaseSecretBackendConnection } from '@cdktf/provider-vault/lib/database-secret-backend-connection';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { throwIfProblems } from './private/prop-validation';

/**
 * Automated rotation of the connection's root credential by Vault itself (Vault Enterprise 1.19+).
 */
export interface RootRotationSchedule {
  /** A cron schedule, interpreted in UTC, e.g. `0 3 * * 0` (Sundays at 03:00). */
  readonly schedule: string;

  /**
   * How long Vault may take to complete a scheduled rotation, in seconds. At least 3600.
   *
   * @default 3600
   */
  readonly windowSeconds?: number;
}

/**
 * Properties of a PostgreSQL connection.
 */
export interface PostgresConnectionProps {
  /** The database secrets mount. */
  readonly backend: string;
  /** The connection name. */
  readonly name: string;
  /** The database host. */
  readonly host: string;
  /** The database port. */
  readonly port: number;
  /** The database name. */
  readonly database: string;
  /** The user Vault connects as: a dedicated user that may create and drop roles, never an admin. */
  readonly username: string;
  /**
   * The user's password: a reference to a sensitive Terraform variable, never a literal (a
   * literal is written into the synthesized configuration). It is sent write-only, so it never
   * lands in Terraform state.
   */
  readonly password: string;
  /** The version of the password; bump it to push a new one. */
  readonly passwordVersion: number;
  /** The roles of this mount that may use the connection. */
  readonly allowedRoles: string[];

  /**
   * The CA certificate (PEM) the server's certificate must chain to.
   *
   * @default - the system's trusted CAs
   */
  readonly tlsCa?: string;

  /**
   * Automated root rotation by Vault.
   *
   * @default - no schedule (the plane rotates the root credential once after creation instead)
   */
  readonly rootRotation?: RootRotationSchedule;
}

/**
 * A PostgreSQL connection of Vault's database secrets engine: TLS with full verification,
 * SCRAM-SHA-256 password authentication (Vault hashes the password before sending it), the
 * connection checked on write, and an explicit list of roles that may use it.
 *
 * Built only by `TenantDatabaseSecrets`. What it still refuses is what would leak or widen
 * access whatever its caller: a literal password, roles not listed exactly, a rotation window
 * Vault would reject.
 */
export class PostgresConnection extends Construct {
  /** The connection resource. */
  public readonly resource: DatabaseSecretBackendConnection;

  constructor(scope: Construct, id: string, props: PostgresConnectionProps) {
    super(scope, id);
    throwIfProblems(`PostgresConnection "${props.name}"`, (c) => {
      if (!Token.isUnresolved(props.password)) {
        // The value itself is never shown: it is a password.
        c.add('props.password', '(a literal password)', 'is a literal, which would be written into the synthesized Terraform JSON',
          'pass a sensitive TerraformVariable\'s value (variable.stringValue) instead');
      }
      if (props.allowedRoles.length === 0 || props.allowedRoles.some((r) => r.includes('*'))) {
        c.add('props.allowedRoles', props.allowedRoles, 'must list the roles exactly; an empty list or "*" lets every role of the mount use the connection',
          'list the names of the roles that use this connection');
      }
      const window = props.rootRotation?.windowSeconds;
      if (window !== undefined && window < 3600) {
        c.add('props.rootRotation.windowSeconds', window, 'is below Vault\'s minimum of 3600', 'give at least 3600 seconds, or leave it unset');
      }
    });

    const rotation = props.rootRotation
      ? { rotationSchedule: props.rootRotation.schedule, rotationWindow: props.rootRotation.windowSeconds ?? 3600 }
      : {};
    this.resource = new DatabaseSecretBackendConnection(this, 'Resource', {
      backend: props.backend,
      name: props.name,
      pluginName: 'postgresql-database-plugin',
      verifyConnection: true,
      allowedRoles: props.allowedRoles,
      ...rotation,
      postgresql: {
        connectionUrl: `postgresql://{{username}}:{{password}}@${props.host}:${props.port}/${props.database}?sslmode=verify-full`,
        username: props.username,
        passwordWo: props.password,
        passwordWoVersion: props.passwordVersion,
        passwordAuthentication: 'scram-sha-256',
        tlsCa: props.tlsCa,
      },
    });
  }
}
