import { DatabaseSecretBackendRole } from '@cdktf/provider-vault/lib/database-secret-backend-role';
import { Construct } from 'constructs';
import { DataAccess } from '../spec';
import { isSqlIdentifier } from '../spec/identifiers';
import { publicPrivilegeGuard } from './private/postgres-guard';
import { throwIfProblems } from './private/prop-validation';

/**
 * Properties of a dynamic database role.
 */
export interface DatabaseCredentialRoleProps {
  /** The database secrets mount. */
  readonly backend: string;
  /** The role name. */
  readonly name: string;
  /** The connection the role uses. */
  readonly connectionName: string;
  /** The schema the role's users may use: a plain lower-case identifier. */
  readonly schema: string;
  /** What the users may do in the schema. */
  readonly access: DataAccess;
  /** User lifetime when the caller asks for none, in seconds. */
  readonly defaultTtlSeconds: number;
  /** Longest user lifetime, in seconds. */
  readonly maxTtlSeconds: number;
}

/**
 * A dynamic PostgreSQL role: each lease creates a user that expires on its own (`VALID UNTIL`),
 * may use only one schema (read-only unless the store grants read-write, never DDL), and is
 * dropped when the lease ends.
 *
 * The privileges `PUBLIC` holds reach every user and cannot be revoked per user, so the creation
 * ends with a check of what the new user can actually do, in the same transaction: if it could
 * use or create in any other schema (`public` included), create schemas or temporary tables, or
 * do more in its schema than its access level, the creation fails and no user exists. The
 * database owner revokes those grants from `PUBLIC` once, when the database is set up.
 *
 * Built only by `TenantDatabaseSecrets`, from the validated spec (whose TTL ceilings apply). The
 * schema is written into SQL, so it is held to the spec's identifier rule here too.
 */
export class DatabaseCredentialRole extends Construct {
  /** The role resource. */
  public readonly resource: DatabaseSecretBackendRole;
  /** The statements that create a user. */
  public readonly creationStatements: string[];
  /** The statements that remove a user. */
  public readonly revocationStatements: string[];

  constructor(scope: Construct, id: string, props: DatabaseCredentialRoleProps) {
    super(scope, id);
    throwIfProblems(`DatabaseCredentialRole "${props.name}"`, (c) => {
      // The schema is written into SQL: only plain identifiers, never anything that needs quoting.
      if (!isSqlIdentifier(props.schema)) {
        c.add('props.schema', props.schema, 'is not a plain lower-case PostgreSQL identifier', 'use lower-case letters, digits and _, at most 63 characters');
      }
    });
    const schema = `"${props.schema}"`;
    const user = '"{{name}}"';
    const tablePrivileges = props.access === DataAccess.READ_WRITE ? 'SELECT, INSERT, UPDATE, DELETE' : 'SELECT';
    this.creationStatements = [
      `CREATE ROLE ${user} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
      // Unqualified names resolve in the tenant's schema only, never in public.
      `ALTER ROLE ${user} SET search_path = ${schema};`,
      `GRANT USAGE ON SCHEMA ${schema} TO ${user};`,
      `GRANT ${tablePrivileges} ON ALL TABLES IN SCHEMA ${schema} TO ${user};`,
      ...(props.access === DataAccess.READ_WRITE ? [`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${user};`] : []),
      // What PUBLIC holds cannot be revoked per user: check it and abort the creation if it leaks.
      publicPrivilegeGuard(props.schema, props.access),
    ];
    this.revocationStatements = [
      `REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA ${schema} FROM ${user};`,
      `REVOKE ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${user};`,
      `REVOKE USAGE ON SCHEMA ${schema} FROM ${user};`,
      `DROP ROLE IF EXISTS ${user};`,
    ];
    this.resource = new DatabaseSecretBackendRole(this, 'Resource', {
      backend: props.backend,
      name: props.name,
      dbName: props.connectionName,
      creationStatements: this.creationStatements,
      revocationStatements: this.revocationStatements,
      defaultTtl: props.defaultTtlSeconds,
      maxTtl: props.maxTtlSeconds,
    });
  }
}
