import { GenericEndpoint } from '@cdktf/provider-vault/lib/generic-endpoint';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { GatewayBlueprint, TenantBlueprint } from '../spec';
import { DatabaseCredentialRole } from './database-credential-role';
import { PostgresConnection } from './postgres-connection';
import { ownedDescription } from './private/ownership';

/**
 * Properties of a tenant's database secrets engine.
 */
export interface TenantDatabaseSecretsProps {
  /** The gateway. */
  readonly blueprint: GatewayBlueprint;
  /** The tenant. */
  readonly tenant: TenantBlueprint;

  /**
   * CA certificates (PEM) of the tenant's database servers, by data store id.
   *
   * @default - the system's trusted CAs
   */
  readonly tlsCa?: Record<string, string>;
}

/** `support` + `kb-vectors` → `support_kb_vectors`: a Terraform variable name. */
function variableName(...parts: string[]): string {
  return parts.join('_').replace(/-/g, '_');
}

/**
 * One tenant's database secrets engine: its own mount, and per data store a PostgreSQL connection
 * and a dynamic role on the tenant's schema.
 *
 * The password of Vault's database user comes only from a sensitive Terraform variable
 * (`db_password_<tenant>_<store>`, e.g. `TF_VAR_db_password_support_kb_vectors`) and is sent
 * write-only. Vault then replaces it, so only Vault knows it: on Vault Enterprise 1.19+ on a
 * schedule, otherwise once, right after the connection is created (`rotate-root`). Bump
 * `db_password_version_<tenant>_<store>` only to push a new password deliberately.
 *
 * Each database needs a one-time setup by its owner: Vault's user with `CREATEROLE` and the
 * store's privileges on the schema `WITH GRANT OPTION`, and `PUBLIC`'s grants revoked
 * (`REVOKE ALL ON SCHEMA public FROM PUBLIC`, `REVOKE TEMPORARY ON DATABASE <db> FROM PUBLIC`,
 * none on other tenants' schemas). Until then every user creation fails, naming what leaks.
 *
 * Built only by `GatewayVaultPlane`, from the validated spec.
 */
export class TenantDatabaseSecrets extends Construct {
  /** The secrets mount. */
  public readonly mount: Mount;
  /** The connections, one per data store. */
  public readonly connections: PostgresConnection[];
  /** The dynamic roles, one per data store. */
  public readonly roles: DatabaseCredentialRole[];
  /** The sensitive variables that carry the database users' passwords, one per data store. */
  public readonly passwordVariables: TerraformVariable[];

  constructor(scope: Construct, id: string, props: TenantDatabaseSecretsProps) {
    super(scope, id);
    const { blueprint, tenant } = props;
    const ttl = blueprint.ttls.databaseCredentials;

    this.mount = new Mount(this, 'Resource', {
      path: blueprint.naming.vaultDatabaseMountPath(tenant.id),
      type: 'database',
      description: ownedDescription(blueprint, `database users of tenant ${tenant.id}`),
      defaultLeaseTtlSeconds: ttl.defaultSeconds,
      maxLeaseTtlSeconds: ttl.maxSeconds,
    });
    this.connections = [];
    this.roles = [];
    this.passwordVariables = [];
    for (const store of tenant.dataStores) {
      const scopeOfStore = new Construct(this, `Store-${store.id}`);
      const password = new TerraformVariable(scopeOfStore, 'Password', {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `Password of Vault's database user for ${tenant.id}/${store.id}; sent write-only, then rotated by Vault.`,
      });
      password.overrideLogicalId(variableName('db_password', tenant.id, store.id));
      const version = new TerraformVariable(scopeOfStore, 'PasswordVersion', {
        type: 'number',
        default: 1,
        description: `Bump to push a new value of db_password_${variableName(tenant.id, store.id)}.`,
      });
      version.overrideLogicalId(variableName('db_password_version', tenant.id, store.id));
      const username = new TerraformVariable(scopeOfStore, 'Username', {
        type: 'string',
        default: variableName('vault', blueprint.name, tenant.id),
        description: `Vault's database user for ${tenant.id}/${store.id}: may create and drop roles and grant on schema ${store.schema}, nothing more.`,
      });
      username.overrideLogicalId(variableName('db_username', tenant.id, store.id));

      const connection = new PostgresConnection(scopeOfStore, 'Connection', {
        backend: this.mount.path,
        name: store.vaultConnectionName,
        host: store.host,
        port: store.port,
        database: store.database,
        username: username.stringValue,
        password: password.stringValue,
        passwordVersion: version.numberValue,
        allowedRoles: [store.vaultRoleName],
        tlsCa: props.tlsCa?.[store.id],
        rootRotation: blueprint.vault?.automatedRootRotation ? { schedule: '0 3 * * 0' } : undefined,
      });
      if (!blueprint.vault?.automatedRootRotation) {
        // One-shot: written once when the connection is created, never read back or repeated.
        new GenericEndpoint(scopeOfStore, 'RotateRoot', {
          path: `${this.mount.path}/rotate-root/${store.vaultConnectionName}`,
          dataJson: '{}',
          disableRead: true,
          disableDelete: true,
          dependsOn: [connection.resource],
        });
      }
      const role = new DatabaseCredentialRole(scopeOfStore, 'Role', {
        backend: this.mount.path,
        name: store.vaultRoleName,
        connectionName: store.vaultConnectionName,
        schema: store.schema,
        access: store.access,
        defaultTtlSeconds: ttl.defaultSeconds,
        maxTtlSeconds: ttl.maxSeconds,
      });
      role.node.addDependency(connection);
      this.connections.push(connection);
      this.roles.push(role);
      this.passwordVariables.push(password);
    }
  }
}
