import { VaultHttp } from './engines';

/*
 * Applies a synthesized Vault plane (`cdk.tf.json`) to a real OpenBao server through its HTTP API,
 * making the calls the HashiCorp Vault provider 5.6.0 makes for each resource type the plane uses,
 * in dependency order; `plan` reads every resource back from the server and reports each field
 * that differs. This is the nearest real path where Terraform cannot load the provider (the
 * module proxy refuses to serve it here; see the live suite's README note): the server is real,
 * only the provider's field-to-endpoint mapping is written here.
 */

type Resource = Record<string, any>;
type Resources = Record<string, Record<string, Resource>>;

/** One resource of the configuration, with its references resolved. */
export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly config: Resource;
  readonly preventDestroy: boolean;
}

/** A field whose value on the server differs from the configuration. */
export interface Drift {
  readonly address: string;
  readonly field: string;
  readonly want: unknown;
  readonly have: unknown;
}

/** The order in which Terraform's dependency graph creates the plane's resource types. */
const TYPE_ORDER = [
  'vault_policy', 'vault_mount', 'vault_auth_backend', 'vault_jwt_auth_backend', 'vault_aws_secret_backend',
  'vault_aws_auth_backend_client', 'vault_aws_auth_backend_sts_role', 'vault_aws_auth_backend_role', 'vault_jwt_auth_backend_role', 'vault_aws_secret_backend_role',
  'vault_database_secret_backend_connection', 'vault_database_secret_backend_role', 'vault_generic_endpoint',
  'vault_audit', 'vault_audit_request_header',
];

const seconds = (v: unknown) => (typeof v === 'string' ? Number(v.replace(/s$/, '')) : v);

export class PlaneApplier {
  public readonly resources: PlannedResource[];

  constructor(config: { resource: Resources }, variables: Record<string, string | number>) {
    const raw = config.resource;
    const unknown = Object.keys(raw).filter((t) => !TYPE_ORDER.includes(t));
    if (unknown.length > 0) throw new Error(`the applier does not know these resource types: ${unknown.join(', ')}`);
    const resolve = (value: any): any => {
      if (typeof value === 'string') {
        return value.replace(/\$\{([\w.-]+)\}/g, (_m, ref: string) => {
          const parts = ref.split('.');
          if (parts[0] === 'var') {
            if (!(parts[1] in variables)) throw new Error(`no value for variable ${parts[1]}`);
            return String(variables[parts[1]]);
          }
          const target = raw[parts[0]]?.[parts[1]];
          if (!target || !(parts[2] in target)) throw new Error(`cannot resolve \${${ref}}`);
          return resolve(target[parts[2]]);
        });
      }
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      return value;
    };
    this.resources = TYPE_ORDER.flatMap((type) => Object.entries(raw[type] ?? {}).map(([name, r]) => {
      const { '//': _meta, lifecycle, depends_on: _deps, ...rest } = r;
      return { address: `${type}.${name}`, type, config: resolve(rest), preventDestroy: lifecycle?.prevent_destroy === true };
    }));
  }

  /** Creates or updates every resource, in order. */
  public async apply(vault: VaultHttp): Promise<void> {
    for (const r of this.resources) {
      try {
        await this.applyOne(vault, r);
      } catch (error) {
        throw new Error(`${r.address}: ${(error as Error).message}`);
      }
    }
  }

  /** Reads every resource back and lists what differs from the configuration (empty: nothing to do). */
  public async plan(vault: VaultHttp): Promise<Drift[]> {
    const drift: Drift[] = [];
    for (const r of this.resources) {
      const want = this.expected(r);
      if (want === undefined) continue;
      const have = await this.readBack(vault, r);
      if (have === undefined) {
        drift.push({ address: r.address, field: '(resource)', want: 'present', have: 'absent' });
        continue;
      }
      for (const [field, value] of Object.entries(want)) {
        if (JSON.stringify(normalize(have[field])) !== JSON.stringify(normalize(value))) {
          drift.push({
            address: r.address,
            field,
            want: value,
            have: have[field],
          });
        }
      }
    }
    return drift;
  }

  /**
   * What `terraform destroy` would do first: Terraform refuses the whole plan when it would
   * destroy a resource with `lifecycle.prevent_destroy`. Returns the refused addresses.
   */
  public destroyRefusals(): string[] {
    return this.resources.filter((r) => r.preventDestroy).map((r) => r.address);
  }

  private async applyOne(vault: VaultHttp, r: PlannedResource): Promise<void> {
    const c = r.config;
    switch (r.type) {
      case 'vault_policy':
        await vault.write(`sys/policies/acl/${c.name}`, { policy: c.policy }, 'PUT');
        return;
      case 'vault_mount':
      case 'vault_aws_secret_backend': {
        const exists = (await vault.read(`sys/mounts/${c.path}`)).status === 200;
        const config = { default_lease_ttl: c.default_lease_ttl_seconds, max_lease_ttl: c.max_lease_ttl_seconds };
        if (!exists) {
          await vault.write(`sys/mounts/${c.path}`, { type: c.type ?? 'aws', description: c.description, config });
        } else {
          await vault.write(`sys/mounts/${c.path}/tune`, { description: c.description, ...config });
        }
        if (r.type === 'vault_aws_secret_backend') {
          await vault.write(`${c.path}/config/root`, {
            region: c.region,
            sts_endpoint: c.sts_endpoint,
            iam_endpoint: c.iam_endpoint,
            sts_region: c.sts_region,
            ...(c.access_key ? { access_key: c.access_key, secret_key: c.secret_key } : {}),
          });
        }
        return;
      }
      case 'vault_auth_backend':
      case 'vault_jwt_auth_backend': {
        const exists = (await vault.read(`sys/auth/${c.path}`)).status === 200;
        if (!exists) await vault.write(`sys/auth/${c.path}`, { type: c.type, description: c.description });
        const tune = c.tune?.[0];
        if (tune) {
          await vault.write(`sys/auth/${c.path}/tune`, {
            default_lease_ttl: tune.default_lease_ttl,
            max_lease_ttl: tune.max_lease_ttl,
            token_type: tune.token_type,
            description: c.description,
          });
        }
        if (r.type === 'vault_jwt_auth_backend') {
          await vault.write(`auth/${c.path}/config`, {
            oidc_discovery_url: c.oidc_discovery_url,
            oidc_discovery_ca_pem: c.oidc_discovery_ca_pem,
            bound_issuer: c.bound_issuer,
            jwt_supported_algs: c.jwt_supported_algs,
            jwks_url: c.jwks_url,
            default_role: c.default_role,
          });
        }
        return;
      }
      case 'vault_aws_auth_backend_client':
        await vault.write(`auth/${c.backend}/config/client`, {
          sts_endpoint: c.sts_endpoint,
          sts_region: c.sts_region,
          iam_endpoint: c.iam_endpoint,
          iam_server_id_header_value: c.iam_server_id_header_value,
          use_sts_region_from_client: c.use_sts_region_from_client,
        });
        return;
      case 'vault_aws_auth_backend_sts_role':
        await vault.write(`auth/${c.backend}/config/sts/${c.account_id}`, {
          sts_role: c.sts_role,
          ...(c.external_id !== undefined ? { external_id: c.external_id } : {}),
        });
        return;
      case 'vault_aws_auth_backend_role': {
        const { backend, role, bound_iam_principal_arns, ...fields } = c;
        await vault.write(`auth/${backend}/role/${role}`, { ...fields, bound_iam_principal_arn: bound_iam_principal_arns });
        return;
      }
      case 'vault_jwt_auth_backend_role': {
        const { backend, role_name, ...fields } = c;
        await vault.write(`auth/${backend}/role/${role_name}`, fields);
        return;
      }
      case 'vault_aws_secret_backend_role': {
        const { backend, name, ...fields } = c;
        await vault.write(`${backend}/roles/${name}`, fields);
        return;
      }
      case 'vault_database_secret_backend_connection': {
        const { backend, name, postgresql, ...fields } = c;
        const { password_wo, password_wo_version: _version, ...pg } = postgresql ?? {};
        await vault.write(`${backend}/config/${name}`, { ...fields, ...pg, password: password_wo });
        return;
      }
      case 'vault_database_secret_backend_role': {
        const { backend, name, ...fields } = c;
        await vault.write(`${backend}/roles/${name}`, fields);
        return;
      }
      case 'vault_generic_endpoint':
        await vault.write(c.path, JSON.parse(c.data_json));
        return;
      case 'vault_audit': {
        const existing = await vault.read('sys/audit');
        if (existing.body?.data?.[`${c.path}/`] ?? existing.body?.[`${c.path}/`]) return; // every option is ForceNew
        await vault.write(`sys/audit/${c.path}`, { type: c.type, description: c.description, options: c.options, local: c.local ?? false }, 'PUT');
        return;
      }
      case 'vault_audit_request_header':
        await vault.write(`sys/config/auditing/request-headers/${c.name}`, { hmac: c.hmac }, 'PUT');
        return;
      default:
        throw new Error(`unknown resource type ${r.type}`);
    }
  }

  /** The fields plan compares, in the names the server answers with. */
  private expected(r: PlannedResource): Record<string, unknown> | undefined {
    const c = r.config;
    const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => c[k] !== undefined).map((k) => [k, c[k]]));
    switch (r.type) {
      case 'vault_policy': return { policy: c.policy };
      case 'vault_mount': return {
        type: c.type,
        description: c.description,
        default_lease_ttl: c.default_lease_ttl_seconds,
        max_lease_ttl: c.max_lease_ttl_seconds,
      };
      case 'vault_aws_secret_backend': return {
        type: 'aws',
        description: c.description,
        default_lease_ttl: c.default_lease_ttl_seconds,
        max_lease_ttl: c.max_lease_ttl_seconds,
        region: c.region,
        sts_endpoint: c.sts_endpoint,
        ...(c.iam_endpoint ? { iam_endpoint: c.iam_endpoint } : {}),
      };
      case 'vault_auth_backend': return {
        type: c.type,
        description: c.description,
        default_lease_ttl: seconds(c.tune?.[0]?.default_lease_ttl),
        max_lease_ttl: seconds(c.tune?.[0]?.max_lease_ttl),
        token_type: c.tune?.[0]?.token_type,
      };
      case 'vault_jwt_auth_backend': return {
        type: c.type,
        description: c.description,
        default_lease_ttl: seconds(c.tune?.[0]?.default_lease_ttl),
        max_lease_ttl: seconds(c.tune?.[0]?.max_lease_ttl),
        oidc_discovery_url: c.oidc_discovery_url,
        bound_issuer: c.bound_issuer,
        jwt_supported_algs: c.jwt_supported_algs,
      };
      case 'vault_aws_auth_backend_client': return pick(['sts_endpoint', 'sts_region', 'iam_endpoint', 'iam_server_id_header_value']);
      case 'vault_aws_auth_backend_sts_role': return pick(['sts_role', 'external_id']);
      case 'vault_aws_auth_backend_role': {
        const { backend: _b, role: _r, bound_iam_principal_arns, ...rest } = c;
        return { ...rest, bound_iam_principal_arn: bound_iam_principal_arns };
      }
      case 'vault_jwt_auth_backend_role': {
        const { backend: _b, role_name: _r, ...rest } = c;
        return rest;
      }
      case 'vault_aws_secret_backend_role':
      case 'vault_database_secret_backend_role': {
        const { backend: _b, name: _n, ...rest } = c;
        return rest;
      }
      case 'vault_database_secret_backend_connection': {
        const { password_wo: _p, password_wo_version: _v, ...pg } = c.postgresql ?? {};
        const { tls_ca: _ca, ...visible } = pg;
        // verify_connection is not returned by the server; the provider keeps it from configuration.
        return { plugin_name: c.plugin_name, allowed_roles: c.allowed_roles, ...visible };
      }
      case 'vault_generic_endpoint': return c.disable_read ? undefined : { data: JSON.parse(c.data_json) };
      case 'vault_audit': return { type: c.type, description: c.description, options: c.options };
      case 'vault_audit_request_header': return { hmac: c.hmac };
      default: return undefined;
    }
  }

  private async readBack(vault: VaultHttp, r: PlannedResource): Promise<Record<string, unknown> | undefined> {
    const c = r.config;
    const data = async (p: string) => {
      const answer = await vault.read(p);
      return answer.status === 200 ? (answer.body.data ?? answer.body) : undefined;
    };
    switch (r.type) {
      case 'vault_policy': return data(`sys/policies/acl/${c.name}`);
      case 'vault_mount':
      case 'vault_aws_secret_backend': {
        const mount = await data(`sys/mounts/${c.path}`);
        if (!mount) return undefined;
        const root = r.type === 'vault_aws_secret_backend' ? await data(`${c.path}/config/root`) : {};
        return {
          ...root,
          type: mount.type,
          description: mount.description,
          default_lease_ttl: mount.config?.default_lease_ttl,
          max_lease_ttl: mount.config?.max_lease_ttl,
        };
      }
      case 'vault_auth_backend':
      case 'vault_jwt_auth_backend': {
        const mount = await data(`sys/auth/${c.path}`);
        if (!mount) return undefined;
        const tune = await data(`sys/auth/${c.path}/tune`);
        const config = r.type === 'vault_jwt_auth_backend' ? await data(`auth/${c.path}/config`) : {};
        return {
          ...config,
          type: mount.type,
          description: mount.description,
          default_lease_ttl: tune?.default_lease_ttl,
          max_lease_ttl: tune?.max_lease_ttl,
          token_type: tune?.token_type,
        };
      }
      case 'vault_aws_auth_backend_client': return data(`auth/${c.backend}/config/client`);
      case 'vault_aws_auth_backend_sts_role': return data(`auth/${c.backend}/config/sts/${c.account_id}`);
      case 'vault_aws_auth_backend_role': return data(`auth/${c.backend}/role/${c.role}`);
      case 'vault_jwt_auth_backend_role': return data(`auth/${c.backend}/role/${c.role_name}`);
      case 'vault_aws_secret_backend_role':
      case 'vault_database_secret_backend_role': return data(`${c.backend}/roles/${c.name}`);
      case 'vault_database_secret_backend_connection': {
        const conn = await data(`${c.backend}/config/${c.name}`);
        return conn && { ...conn, ...conn.connection_details };
      }
      case 'vault_generic_endpoint': return { data: await data(c.path) };
      case 'vault_audit': {
        const all = await data('sys/audit');
        return all?.[`${c.path}/`];
      }
      case 'vault_audit_request_header': {
        const headers = await data(`sys/config/auditing/request-headers/${c.name}`);
        return headers && (headers[c.name] ?? headers[c.name.toLowerCase()] ?? Object.values(headers)[0]);
      }
      default: return undefined;
    }
  }
}

/** Lists compare as sets, as the provider's schema (TypeSet) does; absent and empty are equal. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : [...value].map(String).sort();
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
  }
  if (value === '' || value === null) return undefined;
  return value;
}
