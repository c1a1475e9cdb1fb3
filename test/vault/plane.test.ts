import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  GatewayBlueprint, GatewaySpec, GatewayVaultPlane, GatewayVaultPlaneProps, SecondAuditDevice, TtlLimits, VaultCapability, VaultEdition,
  VaultPolicyDocument, VaultPolicyMatcher, VaultProviderLogin,
} from '../../src';
import { AwsCredentialRole, AwsCredentialType } from '../../src/vault/aws-credential-role';
import { DatabaseStaticRole } from '../../src/vault/database-static-role';
import { JwtWorkloadRole } from '../../src/vault/jwt-workload-role';
import { PostgresConnection } from '../../src/vault/postgres-connection';
import { rulesOfHcl } from '../support/hcl';
import { synthesizeVaultPlane } from '../support/vault-example';

const example = synthesizeVaultPlane();
const blueprint = GatewayBlueprint.fromSpec(exampleSpec);
const LOGIN = VaultProviderLogin.aws({ role: 'acme-platform-pipeline' });
const planeWith = (props: Partial<GatewayVaultPlaneProps> = {}, spec: GatewaySpec = exampleSpec) =>
  synthesizeVaultPlane(spec, (stack, s) => new GatewayVaultPlane(stack, 'Gateway', { spec: s, providerLogin: LOGIN, ...props }));
const only = (resources: Record<string, any>) => {
  const values = Object.values(resources);
  expect(values).toHaveLength(1);
  return values[0];
};

describe('policies', () => {
  test('every policy\'s HCL parses with HashiCorp\'s parser and round-trips to its rules', async () => {
    const documents = [...example.plane.routerPolicies, ...example.plane.workloadPolicies];
    const synthesized = Object.values(example.resources('vault_policy'));
    expect(synthesized.map((p) => p.name).sort()).toEqual(documents.map((d) => d.name).sort());
    for (const resource of synthesized) {
      const document = documents.find((d) => d.name === resource.name)!;
      expect(resource.policy).toBe(document.toHcl());
      expect(await rulesOfHcl(resource.policy)).toEqual(document.rules.map((r) => ({ path: r.path, capabilities: r.capabilities })));
    }
  });

  test('one router policy per tenant cell, named for its tenant', () => {
    expect(example.plane.routerPolicies.map((d) => d.name)).toEqual(['acme-llm-support-router', 'acme-llm-research-router']);
    expect(example.plane.routerPolicies.map((d) => d.name)).toEqual(blueprint.tenants.map((t) => t.router!.vaultPolicyName));
  });

  describe.each(blueprint.tenants.map((t) => [t.id, t] as const))('the %s cell\'s effective access is exactly its tenant\'s target credential paths', (tenantId, tenant) => {
    const document = example.plane.routerPolicies.find((d) => d.name === tenant.router!.vaultPolicyName)!;
    const matcher = new VaultPolicyMatcher([document]);
    const own = tenant.targets.map((t) => t.vaultCredentialsPath);
    const others = blueprint.tenants.filter((t) => t.id !== tenantId);

    test('it reads every credential path of its tenant\'s targets', () => {
      expect(own.length).toBeGreaterThan(0);
      for (const path of own) expect(matcher.check(VaultCapability.READ, path)).toMatchObject({ allowed: true, pattern: path });
    });

    test('and nothing else: no other tenant\'s path, no database user, no engine configuration', () => {
      expect(document.rules.map((r) => r.path).sort()).toEqual([...own].sort());
      for (const path of own) expect(matcher.capabilitiesAt(path)).toEqual([VaultCapability.READ]);
      const otherPaths = [...others.flatMap((t) => t.targets.map((x) => x.vaultCredentialsPath)),
        ...blueprint.dataStores.map((s) => s.vaultCredentialsPath)];
      expect(otherPaths.length).toBeGreaterThan(0);
      const awsMount = blueprint.naming.vaultAwsSecretsMountPath(tenantId);
      for (const path of [...otherPaths, `${awsMount}/config/root`, `${awsMount}/roles/models`, `${awsMount}/creds/admin`,
        `${blueprint.naming.vaultDatabaseMountPath(tenantId)}/rotate-root/kb-vectors`, `other-gw/${tenantId}/aws/creds/models`, 'sys/mounts', 'auth/token/create']) {
        expect([path, matcher.capabilitiesAt(path)]).toEqual([path, []]);
      }
    });
  });

  test('no router policy names a path of another tenant, and none names a database path', () => {
    // The example, and a gateway whose tenant ids nest (a, a-b) with a data-store-only tenant.
    const nested: GatewaySpec = {
      ...exampleSpec,
      tenants: [
        { ...exampleSpec.tenants[0], id: 'a' },
        { ...exampleSpec.tenants[1], id: 'a-b', dataStores: [{ ...exampleSpec.tenants[0].dataStores![0], schema: 'ab' }] },
        { id: 'stores-only', description: 'Data only', workloads: [{ id: 'indexer', roleArn: 'arn:aws:iam::111122223333:role/indexer' }], dataStores: [{ ...exampleSpec.tenants[0].dataStores![0], schema: 'only' }] },
      ],
    };
    for (const spec of [exampleSpec, nested]) {
      const plane = planeWith({}, spec).plane;
      const cells = plane.blueprint.tenants.filter((t) => t.router);
      expect(plane.routerPolicies.map((d) => d.name)).toEqual(cells.map((t) => t.router!.vaultPolicyName));
      const naming = plane.blueprint.naming;
      for (const tenant of cells) {
        const paths = plane.routerPolicies.find((d) => d.name === tenant.router!.vaultPolicyName)!.rules.map((r) => r.path);
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) {
          expect(path.startsWith(`${naming.vaultAwsSecretsMountPath(tenant.id)}/creds/`)).toBe(true);
          for (const other of plane.blueprint.tenants.filter((t) => t.id !== tenant.id)) {
            expect([tenant.id, path, path.startsWith(naming.vaultLeasePrefix(other.id))]).toEqual([tenant.id, path, false]);
          }
          for (const t of plane.blueprint.tenants) expect(path.startsWith(naming.vaultDatabaseMountPath(t.id))).toBe(false);
          expect(path).not.toMatch(/\/database\//);
        }
      }
    }
    // The data-store-only tenant has no cell: no router policy, no router auth role.
    const nestedPlane = planeWith({}, nested);
    expect(Object.values(nestedPlane.resources('vault_aws_auth_backend_role')).map((r) => r.role).sort()).toEqual(['router-a', 'router-a-b']);
    expect(Object.values(nestedPlane.resources('vault_policy')).map((p) => p.name)).not.toContain('acme-llm-stores-only-router');
  });

  test('routerPolicyRules names the field when the tenant is unknown or has no cell', () => {
    expect(() => GatewayVaultPlane.routerPolicyRules(blueprint, 'nobody')).toThrow(/tenantId: names no tenant of the gateway \(got "nobody"\)/);
    const storesOnly = GatewayBlueprint.fromSpec({ ...exampleSpec, tenants: [...exampleSpec.tenants, { id: 'archive', workloads: [{ id: 'archiver', roleArn: 'arn:aws:iam::111122223333:role/archiver' }], dataStores: [{ ...exampleSpec.tenants[0].dataStores![0], schema: 'archive' }] }] });
    expect(() => GatewayVaultPlane.routerPolicyRules(storesOnly, 'archive'))
      .toThrow(/tenantId: names a tenant without targets, which has no router cell.*\(got "archive"\)\. Fix: use a tenant with a router cell: "support", "research"/);
  });

  test('a Kubernetes workload reads its own tenant\'s database users, nothing more', () => {
    const [workload] = example.plane.workloadPolicies;
    expect(workload.name).toBe('acme-llm-workload-ticket-summarizer');
    expect(workload.rules.map((r) => [r.path, r.capabilities])).toEqual([['acme-llm/support/database/creds/kb-vectors', ['read']]]);
  });
});

describe('every TTL is explicit and within the spec\'s ceilings', () => {
  const ttls = blueprint.ttls;
  const within = (value: unknown, ceiling: number) => {
    expect(typeof value).toBe('number');
    expect(value as number).toBeGreaterThan(0);
    expect(value as number).toBeLessThanOrEqual(ceiling);
  };
  const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)![1]);

  test('secrets mounts and AWS roles', () => {
    for (const backend of Object.values(example.resources('vault_aws_secret_backend'))) {
      within(backend.default_lease_ttl_seconds, ttls.cloudCredentials.defaultSeconds);
      within(backend.max_lease_ttl_seconds, TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds);
    }
    for (const role of Object.values(example.resources('vault_aws_secret_backend_role'))) {
      expect(role.default_sts_ttl).toBe(900);
      within(role.max_sts_ttl, TtlLimits.CLOUD_CREDENTIALS.ceilingSeconds);
    }
  });

  test('database mounts and roles', () => {
    const mount = only(example.resources('vault_mount'));
    within(mount.default_lease_ttl_seconds, ttls.databaseCredentials.defaultSeconds);
    within(mount.max_lease_ttl_seconds, TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds);
    const role = only(example.resources('vault_database_secret_backend_role'));
    within(role.default_ttl, ttls.databaseCredentials.defaultSeconds);
    within(role.max_ttl, TtlLimits.DATABASE_CREDENTIALS.ceilingSeconds);
  });

  test('auth mounts and the tokens of every auth role', () => {
    for (const backend of [...Object.values(example.resources('vault_auth_backend')), ...Object.values(example.resources('vault_jwt_auth_backend'))]) {
      within(seconds(backend.tune[0].default_lease_ttl), ttls.vaultTokens.defaultSeconds);
      within(seconds(backend.tune[0].max_lease_ttl), TtlLimits.VAULT_TOKENS.ceilingSeconds);
    }
    const roles = [...Object.values(example.resources('vault_aws_auth_backend_role')), ...Object.values(example.resources('vault_jwt_auth_backend_role'))];
    expect(roles).toHaveLength(3);
    for (const role of roles) {
      within(role.token_ttl, ttls.vaultTokens.defaultSeconds);
      within(role.token_max_ttl, TtlLimits.VAULT_TOKENS.ceilingSeconds);
      expect(role.token_explicit_max_ttl).toBe(role.token_max_ttl);
      expect(role.token_period).toBeUndefined();
    }
  });

  test('Terraform\'s own child token', () => {
    within(example.config.provider.vault[0].max_lease_ttl_seconds, 3600);
  });
});

describe('workload auth', () => {
  test('each tenant\'s router logs in with its own role, bound to its cell\'s role ARN and unique id only, and the server-id header is required', () => {
    // Terraform JSON lists resources by logical id, so by tenant id here.
    const roles = Object.values(example.resources('vault_aws_auth_backend_role'));
    expect(roles).toEqual(['research', 'support'].map((tenant) => expect.objectContaining({
      role: `router-${tenant}`,
      auth_type: 'iam',
      bound_iam_principal_arns: [`arn:aws:iam::111122223333:role/acme-llm-${tenant}-router`],
      resolve_aws_unique_ids: true,
      token_no_default_policy: true,
      token_policies: [`acme-llm-${tenant}-router`],
      token_type: 'service',
    })));
    // One auth mount, one client and one verifier serve every cell.
    expect(Object.keys(example.resources('vault_auth_backend'))).toHaveLength(1);
    for (const role of roles) expect(role.backend).toBe(`\${${Object.keys(example.resources('vault_auth_backend')).map((k) => `vault_auth_backend.${k}`)[0]}.path}`);
    expect(only(example.resources('vault_aws_auth_backend_client')).iam_server_id_header_value).toBe('vault.acme.example');
    expect(Object.keys(example.resources('vault_aws_auth_backend_sts_role'))).toHaveLength(1);
  });

  test('no cell\'s token reaches another cell\'s credentials', () => {
    const documents = new Map(example.plane.routerPolicies.map((d) => [d.name, d]));
    for (const role of Object.values(example.resources('vault_aws_auth_backend_role'))) {
      const tenant = blueprint.tenants.find((t) => t.router!.vaultAuthRoleName === role.role)!;
      const matcher = new VaultPolicyMatcher(role.token_policies.map((name: string) => documents.get(name)!));
      for (const target of blueprint.targets) {
        expect([role.role, target.vaultCredentialsPath, matcher.check(VaultCapability.READ, target.vaultCredentialsPath).allowed])
          .toEqual([role.role, target.vaultCredentialsPath, target.tenantId === tenant.id]);
      }
    }
  });

  test('a Kubernetes workload logs in with a JWT bound to its cluster, audience and service account', () => {
    const backend = only(example.resources('vault_jwt_auth_backend'));
    const issuer = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    expect(backend).toMatchObject({ type: 'jwt', oidc_discovery_url: issuer, bound_issuer: issuer, path: blueprint.naming.vaultJwtAuthMountPath(issuer) });
    expect(only(example.resources('vault_jwt_auth_backend_role'))).toMatchObject({
      role_type: 'jwt',
      bound_audiences: ['gateward:acme-llm'],
      bound_subject: 'system:serviceaccount:support:ticket-summarizer',
      user_claim: 'sub',
      token_no_default_policy: true,
      token_policies: ['acme-llm-workload-ticket-summarizer'],
    });
  });
});

describe('the workload token audience', () => {
  const summarizer = blueprint.workloads.find((w) => w.id === 'ticket-summarizer')!;

  test('by default the JWT role binds the gateway-specific audience of the blueprint, never the generic "vault"', () => {
    const [role] = Object.values(example.resources('vault_jwt_auth_backend_role'));
    expect(role.bound_audiences).toEqual([summarizer.eksServiceAccount!.audience]);
    expect(role.bound_audiences).toEqual([blueprint.naming.workloadTokenAudience]);
    expect(role.bound_audiences).not.toContain('vault');
  });

  test('an audience set in the spec is the one the role binds', () => {
    const spec = {
      ...exampleSpec,
      tenants: exampleSpec.tenants.map((t) => ({
        ...t,
        workloads: t.workloads.map((w) => (w.eksServiceAccount ? { ...w, eksServiceAccount: { ...w.eksServiceAccount, audience: 'https://vault.acme.example' } } : w)),
      })),
    };
    expect(Object.values(planeWith({}, spec).resources('vault_jwt_auth_backend_role')).map((r) => r.bound_audiences)).toEqual([['https://vault.acme.example']]);
  });
});

describe('dynamic credentials', () => {
  test('AWS: one assumed role per target, exactly one role ARN, session tags and external id, no static keys', () => {
    const roles = Object.values(example.resources('vault_aws_secret_backend_role'));
    // Target roles are in the IAM path reserved for the gateway's targets, the one the broker may assume.
    expect(roles.map((r) => [r.name, r.role_arns]).sort()).toEqual([
      ['key-openai', ['arn:aws:iam::111122223333:role/gateward/acme-llm/targets/acme-llm-research-key-openai']],
      ['models', ['arn:aws:iam::111122223333:role/gateward/acme-llm/targets/acme-llm-research-models']],
      ['models', ['arn:aws:iam::111122223333:role/gateward/acme-llm/targets/acme-llm-support-models']],
    ]);
    for (const role of roles) {
      expect(role.credential_type).toBe('assumed_role');
      expect(role.external_id).toMatch(/^gateward:acme-llm:(support|research)$/);
      expect(Object.keys(role.session_tags).sort()).toEqual(['gateward:gateway', 'gateward:tenant']);
    }
    for (const backend of Object.values(example.resources('vault_aws_secret_backend'))) {
      expect(backend.access_key).toBeUndefined();
      expect(backend.secret_key).toBeUndefined();
    }
  });

  test('PostgreSQL: write-only password from a sensitive variable, SCRAM, verified TLS, explicit roles', () => {
    const connection = only(example.resources('vault_database_secret_backend_connection'));
    expect(connection).toMatchObject({ verify_connection: true, allowed_roles: ['kb-vectors'] });
    expect(connection.postgresql).toMatchObject({
      password_wo: '${var.db_password_support_kb_vectors}',
      password_authentication: 'scram-sha-256',
      connection_url: expect.stringMatching(/^postgresql:\/\/\{\{username\}\}:\{\{password\}\}@.*sslmode=verify-full$/),
    });
    expect(connection.postgresql.password).toBeUndefined();
    expect(example.config.variable.db_password_support_kb_vectors).toMatchObject({ sensitive: true, nullable: false });
  });

  test('dynamic users expire on their own, get the tenant\'s schema only, read-only by default, and are dropped', () => {
    const role = only(example.resources('vault_database_secret_backend_role'));
    expect(role.creation_statements.slice(0, -1)).toEqual([
      'CREATE ROLE "{{name}}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\';',
      'ALTER ROLE "{{name}}" SET search_path = "support";',
      'GRANT USAGE ON SCHEMA "support" TO "{{name}}";',
      'GRANT SELECT ON ALL TABLES IN SCHEMA "support" TO "{{name}}";',
    ]);
    expect(role.creation_statements[role.creation_statements.length - 1]).toMatch(/^DO \$\$\n[\s\S]*RAISE EXCEPTION 'gateward: the new database user would hold %[\s\S]*\n\$\$;$/);
    expect(role.revocation_statements).toContain('DROP ROLE IF EXISTS "{{name}}";');
    for (const statement of [...role.creation_statements, ...role.revocation_statements]) expect(statement).toBe(statement.trim());
  });

  test('on Vault Community, the root credential is rotated once after creation', () => {
    const rotate = only(example.resources('vault_generic_endpoint'));
    expect(rotate).toMatchObject({ path: expect.stringMatching(/^\$\{vault_mount\.Gateway_Tenant-support-Database_\w+\.path\}\/rotate-root\/kb-vectors$/), disable_read: true, disable_delete: true });
    expect(only(example.resources('vault_mount')).path).toBe('acme-llm/support/database');
    expect(only(example.resources('vault_database_secret_backend_connection')).rotation_schedule).toBeUndefined();
  });

  test('on Vault Enterprise 1.19+, Vault rotates it on a schedule, and the AWS engine can federate to the broker', () => {
    const enterprise = planeWith({}, { ...exampleSpec, vault: { ...exampleSpec.vault!, edition: VaultEdition.ENTERPRISE, version: '1.19.3', workloadIdentityAudience: 'gateward-acme-llm' } });
    expect(only(enterprise.resources('vault_database_secret_backend_connection'))).toMatchObject({ rotation_schedule: '0 3 * * 0', rotation_window: 3600 });
    expect(enterprise.resources('vault_generic_endpoint')).toEqual({});
    for (const backend of Object.values(enterprise.resources('vault_aws_secret_backend'))) {
      expect(backend).toMatchObject({ identity_token_audience: 'gateward-acme-llm', role_arn: 'arn:aws:iam::111122223333:role/acme-llm-broker' });
    }
  });
});

describe('settings both planes must agree on come from the spec', () => {
  test('sessionTags: false in the spec, and Vault sends no session tags (the AWS plane then grants no sts:TagSession)', () => {
    const untagged = planeWith({}, { ...exampleSpec, sessionTags: false });
    const roles = Object.values(untagged.resources('vault_aws_secret_backend_role'));
    expect(roles).toHaveLength(3);
    for (const role of roles) expect(role.session_tags).toBeUndefined();
    for (const role of Object.values(example.resources('vault_aws_secret_backend_role'))) {
      expect(role.session_tags).toEqual({ 'gateward:gateway': 'acme-llm', 'gateward:tenant': expect.stringMatching(/^(support|research)$/) });
    }
  });

  test('the federation audience is the spec\'s vault.workloadIdentityAudience; without it no engine federates', () => {
    for (const backend of Object.values(example.resources('vault_aws_secret_backend'))) {
      expect(backend.identity_token_audience).toBeUndefined();
      expect(backend.role_arn).toBeUndefined();
    }
    const federated = planeWith({}, { ...exampleSpec, vault: { ...exampleSpec.vault!, edition: VaultEdition.ENTERPRISE, version: '1.17.0', workloadIdentityAudience: 'sts.amazonaws.com/acme-llm' } });
    const backends = Object.values(federated.resources('vault_aws_secret_backend'));
    expect(backends).toHaveLength(2);
    for (const backend of backends) expect(backend.identity_token_audience).toBe('sts.amazonaws.com/acme-llm');
  });
});

describe('audit devices', () => {
  test('two devices of different types, lists elided, accessors in clear, nothing raw, mode 0600, never destroyed', () => {
    const devices = Object.values(example.resources('vault_audit'));
    expect(devices.map((d) => d.type).sort()).toEqual(['file', 'socket']);
    for (const device of devices) {
      expect(device.options).toMatchObject({ elide_list_responses: 'true', hmac_accessor: 'false' });
      expect(device.options.log_raw).toBeUndefined();
      expect(device.lifecycle).toEqual({ prevent_destroy: true });
    }
    expect(devices.find((d) => d.type === 'file')!.options.mode).toBe('0600');
    expect(devices.find((d) => d.type === 'socket')!.options.socket_type).toBe('unix');
    for (const header of Object.values(example.resources('vault_audit_request_header'))) expect(header.hmac).toBe(true);
  });

  test('by default the file and the socket sit on the server\'s audit volume and run directory', () => {
    const devices = Object.values(example.resources('vault_audit'));
    expect(devices.find((d) => d.type === 'file')!.options.file_path).toBe('/vault/audit/acme-llm.log');
    expect(devices.find((d) => d.type === 'socket')!.options.address).toBe('/run/vault/acme-llm-audit.sock');
  });

  test('the plane takes the file and socket paths from its props', () => {
    const devices = Object.values(planeWith({ auditFilePath: '/srv/audit/gw.log', auditSocketPath: '/srv/run/gw.sock' }).resources('vault_audit'));
    expect(devices.find((d) => d.type === 'file')!.options).toMatchObject({ file_path: '/srv/audit/gw.log', mode: '0600' });
    expect(devices.find((d) => d.type === 'socket')!.options).toMatchObject({ address: '/srv/run/gw.sock', socket_type: 'unix' });
  });

  test('bad audit paths are refused by field, all at once', () => {
    expect(() => planeWith({ auditFilePath: 'audit/gw.log', auditSocketPath: '/run/../gw.sock' })).toThrow(new RegExp([
      '\\(2 problems\\):',
      '  - props\\.auditFilePath: an audit device needs an absolute path.* \\(got "audit/gw\\.log"\\)\\. Fix: use an absolute file path.*',
      '  - props\\.auditSocketPath: an audit device needs an absolute path.* \\(got "/run/\\.\\./gw\\.sock"\\)\\. Fix: use an absolute local Unix socket path',
    ].join('\\n')));
    expect(() => planeWith({ auditFilePath: '/dev/stdout' })).toThrow(/props\.auditFilePath: the file device must write a file of its own.*\(got "\/dev\/stdout"\)/);
    expect(() => planeWith({ auditSocketPath: '/run/gw.sock', secondAuditDevice: SecondAuditDevice.SYSLOG }))
      .toThrow(/props\.auditSocketPath: the second audit device is syslog.*\(got "\/run\/gw\.sock"\)\. Fix: remove auditSocketPath/);
    expect(() => planeWith({ auditFilePath: '/srv/gw.log', manageAuditDevices: false }))
      .toThrow(/props\.auditFilePath: the plane manages no audit devices.*\(got "\/srv\/gw\.log"\)/);
  });

  test('audit path props are known keys: a misspelt one is an error naming it', () => {
    expect(() => planeWith({ auditFilepath: '/srv/gw.log' } as any)).toThrow(/props\.auditFilepath/);
  });
});

describe('the provider and secrets', () => {
  test('the provider logs in with a platform identity, keeps a named child token and verifies TLS', () => {
    const provider = example.config.provider.vault[0];
    expect(provider.token).toBeUndefined();
    expect(provider).toMatchObject({ skip_child_token: false, skip_tls_verify: false, token_name: 'gateward-acme-llm', auth_login_aws: [{ role: 'acme-platform-pipeline' }] });
  });

  test('no secret value appears anywhere in the Terraform JSON', () => {
    const text = JSON.stringify(example.config);
    expect(text).not.toMatch(/sk-[A-Za-z0-9]{20}|AKIA[0-9A-Z]{16}|hv[sbr]\.[A-Za-z0-9_-]{20}|BEGIN [A-Z ]*PRIVATE KEY/);
    // Every secret-bearing field is a reference, never a value.
    const secretFields: Array<[string, unknown]> = [];
    const walk = (value: unknown, key = '') => {
      if (Array.isArray(value)) {value.forEach((v) => walk(v, key));} else if (value && typeof value === 'object') {Object.entries(value).forEach(([k, v]) => walk(v, k));} else if (['password', 'password_wo', 'secret_key', 'access_key', 'token', 'jwt', 'secret_id', 'private_key', 'oidc_client_secret', 'client_key'].includes(key)) {
        secretFields.push([key, value]);
      }
    };
    walk(example.config);
    expect(secretFields).toEqual([['password_wo', '${var.db_password_support_kb_vectors}']]);
  });
});

describe('suspension removes access and keeps what cannot be recreated', () => {
  const suspendedSpec: GatewaySpec = { ...exampleSpec, suspended: { tenants: ['research'], workloads: ['ticket-summarizer'] } };
  const suspended = planeWith({}, suspendedSpec);
  const active = planeWith();
  const suspendedBlueprint = GatewayBlueprint.fromSpec(suspendedSpec);
  const researchPaths = suspendedBlueprint.tenant('research').targets.map((t) => t.vaultCredentialsPath);
  const ACCESS_TYPES = ['vault_policy', 'vault_jwt_auth_backend', 'vault_jwt_auth_backend_role'];

  test('a suspended tenant keeps its engines, connections, rotated root and roles: only policies and auth roles differ', () => {
    expect(Object.values(suspended.resources('vault_aws_secret_backend')).map((b) => b.path).sort()).toEqual(['acme-llm/research/aws', 'acme-llm/support/aws']);
    const types = new Set([...Object.keys(active.config.resource), ...Object.keys(suspended.config.resource)]);
    for (const type of [...types].filter((t) => !ACCESS_TYPES.includes(t))) {
      expect([type, suspended.resources(type)]).toEqual([type, active.resources(type)]);
    }
    expect(suspended.config.variable).toEqual(active.config.variable);
  });

  test('un-suspending changes nothing but access: the suspended tenant\'s database connection and one-shot rotate-root stay as they are', () => {
    const suspendedSupport = planeWith({}, { ...exampleSpec, suspended: { tenants: ['support'] } });
    for (const type of ['vault_mount', 'vault_database_secret_backend_connection', 'vault_generic_endpoint', 'vault_database_secret_backend_role']) {
      expect(Object.keys(suspendedSupport.resources(type))).toHaveLength(1);
      expect(suspendedSupport.resources(type)).toEqual(active.resources(type));
    }
  });

  test('the suspended tenant\'s router policy denies every one of its credential paths, even against another policy that grants it', () => {
    const document = suspended.plane.routerPolicies.find((d) => d.name === 'acme-llm-research-router')!;
    expect(document.rules.map((r) => [r.path, r.capabilities])).toEqual([...researchPaths].sort().map((p) => [p, [VaultCapability.DENY]]));
    const grantBack = VaultPolicyDocument.forWorkload('operator-added', [
      ...researchPaths.map((path) => ({ path, capabilities: [VaultCapability.READ] })),
      { path: 'acme-llm/research/*', capabilities: [VaultCapability.READ] },
    ]);
    const matcher = new VaultPolicyMatcher([document, grantBack]);
    for (const path of researchPaths) {
      expect(matcher.check(VaultCapability.READ, path)).toMatchObject({ allowed: false, capabilities: [VaultCapability.DENY] });
    }
    // The other tenant's cell is untouched by the suspension.
    const support = new VaultPolicyMatcher([suspended.plane.routerPolicies.find((d) => d.name === 'acme-llm-support-router')!]);
    for (const path of suspendedBlueprint.tenant('support').targets.map((t) => t.vaultCredentialsPath)) {
      expect(support.check(VaultCapability.READ, path).allowed).toBe(true);
    }
  });

  test('the suspended cell\'s policy with its denies is what HashiCorp\'s parser reads', async () => {
    const resource = Object.values(suspended.resources('vault_policy')).find((p) => p.name === 'acme-llm-research-router')!;
    const rules = suspended.plane.routerPolicies.find((d) => d.name === 'acme-llm-research-router')!.rules;
    expect(await rulesOfHcl(resource.policy)).toEqual(rules.map((r) => ({ path: r.path, capabilities: r.capabilities })));
    expect(resource.policy).toMatch(/# STS credentials of acme-llm-research-models; tenant research is suspended\npath "acme-llm\/research\/aws\/creds\/models" \{\n {2}capabilities = \["deny"\]/);
  });

  test('no auth role of the gateway yields a token that can issue a credential of a suspended tenant or workload', () => {
    const documents = new Map([...suspended.plane.routerPolicies, ...suspended.plane.workloadPolicies].map((p) => [p.name, p]));
    const roles = [...Object.values(suspended.resources('vault_aws_auth_backend_role')), ...Object.values(suspended.resources('vault_jwt_auth_backend_role'))];
    expect(roles.map((r) => r.role ?? r.role_name)).toEqual(['router-research', 'router-support']);
    for (const role of roles) {
      const matcher = new VaultPolicyMatcher(role.token_policies.map((name: string) => documents.get(name)!));
      for (const path of researchPaths) expect(matcher.capabilitiesAt(path)).toEqual([]);
    }
    // The suspended workload's policy is gone with its role, so a token it still holds grants nothing.
    expect(Object.values(suspended.resources('vault_policy')).map((p) => p.name).sort()).toEqual(['acme-llm-research-router', 'acme-llm-support-router']);
    expect(suspended.resources('vault_jwt_auth_backend_role')).toEqual({});
  });
});

describe('bad input fails with a clear error', () => {
  const stack = () => new TerraformStack(Testing.app(), 's');

  test('a forbidden path and sudo in a policy', () => {
    expect(() => VaultPolicyDocument.forWorkload('x', [{ path: 'sys/seal', capabilities: [VaultCapability.UPDATE, VaultCapability.SUDO] }]))
      .toThrow(/rules\[0\]: grants sudo, which unlocks root-protected paths; a workload policy may not have it \(got "sys\/seal"\)/);
  });

  // The credential roles no longer re-check TTLs: the plane reports them once, from the spec.
  test('a TTL above the ceiling', () => {
    const ttls = exampleSpec.ttls!;
    expect(() => planeWith({}, { ...exampleSpec, ttls: { ...ttls, cloudCredentials: { defaultSeconds: 900, maxSeconds: 7200 } } }))
      .toThrow(/spec\.ttls\.cloudCredentials\.maxSeconds: is above the cloudCredentials ceiling of 3600 s.*\(got 7200\)/);
    expect(() => planeWith({}, { ...exampleSpec, ttls: { ...ttls, databaseCredentials: { defaultSeconds: 900, maxSeconds: 172800 } } }))
      .toThrow(/spec\.ttls\.databaseCredentials\.maxSeconds: is above the databaseCredentials ceiling of 86400 s.*\(got 172800\)/);
  });

  test('a JWT role without audiences', () => {
    expect(() => new JwtWorkloadRole(stack(), 'j', { backend: 'jwt', roleName: 'app', boundAudiences: [], boundSubject: 'system:serviceaccount:a:b', tokenPolicies: ['p'], tokenTtlSeconds: 900, tokenMaxTtlSeconds: 3600 }))
      .toThrow(/JwtWorkloadRole "app" is invalid \(1 problem\):\n {2}- props\.boundAudiences: is empty/);
  });

  test('a password passed as a literal', () => {
    const connection = { backend: 'db', name: 'c', host: 'db.example.com', port: 5432, database: 'd', username: 'vault', passwordVersion: 1, allowedRoles: ['r'] };
    expect(() => new PostgresConnection(stack(), 'c', { ...connection, password: 'hunter2-correct-horse' })).toThrow(/PostgresConnection "c" is invalid \(1 problem\):\n {2}- props\.password: is a literal/);
    expect(() => new PostgresConnection(stack(), 'c', { ...connection, password: 'hunter2-correct-horse' })).not.toThrow(/hunter2/);
    const s = stack();
    const variable = new TerraformVariable(s, 'pw', { type: 'string', sensitive: true });
    expect(() => new PostgresConnection(s, 'c', { ...connection, password: variable.stringValue })).not.toThrow();
  });

  test('iam_user, and every credential type but assumed_role', () => {
    const role = { backend: 'aws', name: 'r', roleArn: 'arn:aws:iam::111122223333:role/r', externalId: 'x', defaultStsTtlSeconds: 900, maxStsTtlSeconds: 3600 };
    expect(() => new AwsCredentialRole(stack(), 'r', { ...role, credentialType: AwsCredentialType.IAM_USER })).toThrow(/props\.credentialType: is refused: iam_user creates a real IAM user.*\(got "iam_user"\)/);
    expect(() => new AwsCredentialRole(stack(), 'r', { ...role, credentialType: AwsCredentialType.FEDERATION_TOKEN })).toThrow(/props\.credentialType: is refused: federation_token needs/);
  });

  test('a static role without a sane rotation period', () => {
    expect(() => new DatabaseStaticRole(stack(), 's', { backend: 'db', name: 's', connectionName: 'c', username: 'migrator', rotationPeriodSeconds: 0 })).toThrow(/props\.rotationPeriodSeconds: is not a whole number of seconds from 300.*\(got 0\)/);
  });

  test('the plane: no vault section, a literal login JWT, and federation on Vault Community, all at once', () => {
    const { vault: _omitted, ...noVault } = exampleSpec;
    expect(() => new GatewayVaultPlane(stack(), 'g', { spec: noVault, providerLogin: VaultProviderLogin.jwt({ role: 'ci', mount: 'jwt-ci', jwt: 'eyJhbGciOi.literal.token' }) }))
      .toThrow(/GatewayVaultPlane "acme-llm" is invalid \(2 problems\):\n  - spec\.vault: .*\n  - props\.providerLogin\.jwt: the login JWT would be written/);
    expect(() => planeWith({}, { ...exampleSpec, vault: { ...exampleSpec.vault!, workloadIdentityAudience: 'x' } }))
      .toThrow(/workloadIdentityAudience.* needs Vault Enterprise 1\.17 or later/);
  });
});
