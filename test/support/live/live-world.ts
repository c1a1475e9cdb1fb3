import { createHash, generateKeyPairSync, KeyObject } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import * as cdktf from 'cdktf';
import {
  assumeRole, Engines, loadEngines, moto, newSecret, readSecretFile, rememberSecrets, rootVault, signedLoginBody, superuserSql, VaultHttp,
} from './engines';
import { PlaneApplier } from './plane-applier';
import { exampleSpec } from '../../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewaySpec, GatewayVaultPlane, TenantBlueprint, TenantRouterBlueprint, VaultProviderLogin } from '../../../src';

/** The example's identities that live outside the plane: the Vault server's and the pipeline's. */
export const VAULT_SERVER_ROLE = 'acme-vault-server';
export const PIPELINE_ROLE = 'acme-platform-pipeline';
/** A role of the same account that no Vault role binds. */
export const STRANGER_ROLE = 'acme-llm-stranger';
export const DATABASE = 'knowledge';

/** What the global setup leaves for the tests, in the run directory (no secret values). */
export interface LiveState {
  readonly spec: GatewaySpec;
  readonly tfJsonFile: string;
  readonly stsRequestsFile: string;
  readonly variables: Record<string, string | number>;
  readonly issuerUrl: string;
  readonly issuerKeyFile: string;
  readonly issuerKeyId: string;
  readonly auditFile: string;
  readonly socketAuditFile: string;
  readonly applySeconds: number;
  readonly driftAfterApply: unknown[];
  readonly roles: Record<string, { arn: string; roleId: string }>;
  readonly dbVaultUser: string;
  readonly dbVaultPasswordFile: string;
}

/** The tenants that have a router cell (a target), each with its cell. */
export function routerCells(blueprint: GatewayBlueprint): Array<TenantBlueprint & { router: TenantRouterBlueprint }> {
  return blueprint.tenants.filter((t): t is TenantBlueprint & { router: TenantRouterBlueprint } => t.router !== undefined);
}

export function loadState(runDir: string): LiveState {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf-8'));
}

/** The example's spec, pointed at the engines: OpenBao's address, PostgreSQL's port, the test issuer. */
export function liveSpec(engines: Engines, issuerUrl: string): GatewaySpec {
  return {
    ...exampleSpec,
    vault: { ...exampleSpec.vault!, address: engines.openbao.address },
    tenants: exampleSpec.tenants.map((tenant) => ({
      ...tenant,
      workloads: tenant.workloads.map((w) => (w.eksServiceAccount ? {
        ...w,
        eksServiceAccount: {
          ...w.eksServiceAccount,
          oidcIssuerUrl: issuerUrl,
        },
      } : w)),
      dataStores: tenant.dataStores?.map((store) => ({ ...store, host: engines.postgres.host, port: engines.postgres.port })),
    })),
  };
}

/**
 * Where the run's audit devices write: inside the run directory, so nothing lands in the server
 * paths the plane defaults to (/vault/audit, /run/vault) and two runs cannot share a file.
 */
export function auditPaths(engines: Engines, spec: GatewaySpec): { file: string; socket: string } {
  const dir = path.join(engines.runDir, 'audit');
  return { file: path.join(dir, `${spec.name}.log`), socket: path.join(dir, `${spec.name}-audit.sock`) };
}

/** Synthesizes the Vault plane of the spec the way the example does, with the emulator's endpoints. */
export function synthesizeLivePlane(engines: Engines, spec: GatewaySpec, outdir: string, stsEndpoint = engines.moto.endpoint): string {
  const audit = auditPaths(engines, spec);
  fs.mkdirSync(outdir, { recursive: true });
  const app = new cdktf.App({ outdir, stackTraces: false });
  const stack = new cdktf.TerraformStack(app, `${spec.name}-vault`);
  const blueprint = GatewayBlueprint.fromSpec(spec);
  new GatewayVaultPlane(stack, 'Gateway', {
    spec,
    providerLogin: VaultProviderLogin.aws({ role: PIPELINE_ROLE }),
    caCertFile: engines.openbao.caFile,
    databaseTlsCa: Object.fromEntries(blueprint.tenants.flatMap((t) => t.dataStores.map((s) => [`${t.id}/${s.id}`,
      fs.readFileSync(engines.postgres.caFile, 'utf-8')]))),
    awsApiEndpoints: { stsEndpoint, iamEndpoint: engines.moto.endpoint },
    auditFilePath: audit.file,
    auditSocketPath: audit.socket,
  });
  app.synth();
  return path.join(outdir, 'stacks', `${spec.name}-vault`, 'cdk.tf.json');
}

/** The OIDC issuer of the test cluster, on loopback over TLS: discovery document and JWKS. */
export async function startIssuer(engines: Engines, publicKey: KeyObject, keyId: string): Promise<{ url: string; server: https.Server }> {
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: keyId, use: 'sig', alg: 'RS256' };
  let url = '';
  const server = https.createServer({ cert: fs.readFileSync(engines.issuerTls.certFile), key: fs.readFileSync(engines.issuerTls.keyFile) },
    (req, res) => {
      const send = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/.well-known/openid-configuration') {
        send({
          issuer: url,
          jwks_uri: `${url}/keys`,
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      } else if (req.url === '/keys') {
        send({ keys: [jwk] });
      } else {
        res.writeHead(404).end();
      }
    });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return { url, server };
}

/**
 * A recorder in front of moto's STS: forwards every request unchanged and writes each request's
 * form parameters (no headers: they carry signatures) to a file, so tests can see what OpenBao
 * asked for (external id, session tags, duration), which moto itself does not keep. The
 * credentials moto issues for an AssumeRole go, with the role asked for, to a second 0600 file:
 * the stand-in AWS services of the router test verify signatures with exactly those.
 */
export async function startStsRecorder(motoEndpoint: string, outFile: string, issuedFile = `${outFile}.issued`): Promise<{ url: string; server: http.Server }> {
  const target = new URL(motoEndpoint);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = Object.fromEntries(new URLSearchParams(body.toString('utf-8')));
      fs.appendFileSync(outFile, `${JSON.stringify(params)}\n`, { mode: 0o600 });
      const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c) => parts.push(c));
          answer.on('end', () => {
            const raw = Buffer.concat(parts);
            if (params.Action === 'AssumeRole' && answer.statusCode === 200) recordIssued(issuedFile, params.RoleArn, raw, answer.headers['content-encoding']);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(raw);
          });
        });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, server };
}

function recordIssued(file: string, roleArn: string, raw: Buffer, encoding: string | undefined): void {
  const xml = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf-8');
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const accessKeyId = field('AccessKeyId');
  if (!accessKeyId) return;
  fs.appendFileSync(file, `${JSON.stringify({
    accessKeyId, secretAccessKey: field('SecretAccessKey'), sessionToken: field('SessionToken'), roleArn, assumedRoleArn: field('Arn'),
  })}\n`, { mode: 0o600 });
}

/** A Unix socket that receives the socket audit device's lines into a file. */
export async function startAuditSocket(socketPath: string, outFile: string): Promise<net.Server> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  fs.rmSync(socketPath, { force: true });
  const out = fs.createWriteStream(outFile, { flags: 'a', mode: 0o600 });
  const server = net.createServer((socket) => socket.pipe(out, { end: false }));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return server;
}

/** Registers the AWS plugins in the catalog under the names the Vault provider mounts (`aws`). */
export async function registerAwsPlugins(engines: Engines, root: VaultHttp): Promise<void> {
  for (const [type, file] of [['auth', engines.awsPlugins.auth], ['secret', engines.awsPlugins.secrets]]) {
    const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    await root.write(`sys/plugins/catalog/${type}/aws`, { sha256, command: path.basename(file) }, 'PUT');
  }
}

/** The database the example's data store names, with the tenant's schema, another tenant's, and `public`. */
export function bootstrapDatabase(engines: Engines, schema: string, vaultUser: string, vaultPassword: string): void {
  superuserSql(engines, 'postgres', `CREATE DATABASE ${DATABASE}`);
  superuserSql(engines, DATABASE, [
    `CREATE SCHEMA "${schema}"`,
    'CREATE SCHEMA other_tenant',
    `CREATE TABLE "${schema}".tickets (id int primary key, subject text)`,
    `INSERT INTO "${schema}".tickets VALUES (1, 'printer on fire')`,
    'CREATE TABLE other_tenant.secrets (id int primary key, note text)',
    'INSERT INTO other_tenant.secrets VALUES (1, \'not yours\')',
    'CREATE TABLE public.shared (id int primary key)',
    'INSERT INTO public.shared VALUES (1)',
    // What PostgreSQL gives every role by default, and the plane's creation statements refuse to
    // issue into: temporary tables in the database and usage of schema public.
    `REVOKE TEMPORARY ON DATABASE ${DATABASE} FROM PUBLIC`,
    'REVOKE USAGE ON SCHEMA public FROM PUBLIC',
    // Vault's own user: may create and drop roles and grant on its tenant's schema, nothing more.
    `CREATE ROLE ${vaultUser} WITH LOGIN CREATEROLE PASSWORD '${vaultPassword}'`,
    `GRANT USAGE ON SCHEMA "${schema}" TO ${vaultUser} WITH GRANT OPTION`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO ${vaultUser} WITH GRANT OPTION`,
  ].join(';\n'));
}

/**
 * Logs in as the pipeline, as the provider's `auth_login_aws` does (a signed GetCallerIdentity with
 * the server-id header), then takes the child token the provider works with.
 */
export async function pipelineToken(engines: Engines, vault: VaultHttp, provider: Record<string, any>): Promise<string> {
  const login = provider.auth_login_aws[0];
  const credentials = assumeRole(engines, `arn:aws:iam::${engines.moto.account}:role/${PIPELINE_ROLE}`, 'terraform');
  const body = await signedLoginBody(login.role, credentials, { serverId: login.header_value });
  const answer = await vault.withToken(undefined).write(`auth/${login.mount}/login`, body);
  const parent = answer.auth.client_token as string;
  rememberSecrets(parent);
  const child = await vault.withToken(parent).write('auth/token/create', {
    display_name: provider.token_name,
    ttl: `${provider.max_lease_ttl_seconds}s`,
  });
  rememberSecrets(child.auth.client_token);
  return child.auth.client_token;
}

/** The pipeline's policy: the plane's own paths, never its credentials. */
export function pipelinePolicy(gateway: string): string {
  const rule = (p: string, caps: string[]) => `path "${p}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}\n`;
  const crud = ['create', 'read', 'update', 'delete', 'list'];
  return [
    rule(`sys/policies/acl/${gateway}-*`, crud),
    rule(`sys/mounts/${gateway}/*`, [...crud, 'sudo']),
    rule(`sys/auth/${gateway}/*`, [...crud, 'sudo']),
    rule('sys/audit', ['read', 'sudo']),
    rule(`sys/audit/${gateway}-*`, [...crud, 'sudo']),
    rule('sys/config/auditing/request-headers/*', [...crud, 'sudo']),
    rule(`${gateway}/*`, crud),
    rule(`auth/${gateway}/*`, crud),
    rule(`${gateway}/+/aws/creds/*`, ['deny']),
    rule(`${gateway}/+/database/creds/*`, ['deny']),
    rule('auth/token/create', ['create', 'update']),
  ].join('\n');
}

/** Everything the suite needs, from engines that start.sh just started. */
export async function setUpWorld(runDir: string): Promise<{ state: LiveState; servers: Array<{ close: () => void }> }> {
  const engines = loadEngines(runDir);
  const root = rootVault(engines);
  const account = engines.moto.account;
  const servers: Array<{ close: () => void }> = [];

  await registerAwsPlugins(engines, root);

  // The test cluster's issuer and its signing key (the key stays in a 0600 file for the tests).
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const issuerKeyFile = path.join(runDir, 'issuer-key.pem');
  fs.writeFileSync(issuerKeyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const issuerKeyId = 'live-test-key-1';
  const issuer = await startIssuer(engines, publicKey, issuerKeyId);
  servers.push(issuer.server);

  const spec = liveSpec(engines, issuer.url);
  const blueprint = GatewayBlueprint.fromSpec(spec);

  // The example's roles, in the emulator's account.
  const trustAccount = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'sts:AssumeRole',
    }],
  };
  const roleNames = [VAULT_SERVER_ROLE, PIPELINE_ROLE, STRANGER_ROLE, ...routerCells(blueprint).map((t) => t.router.roleName),
    blueprint.naming.vaultAuthVerifierRoleName, ...blueprint.targets.map((t) => t.roleName)];
  const roles = moto(engines, { action: 'create-roles', roles: roleNames.map((name) => ({ name, trust: trustAccount })) });

  // The Vault server's own AWS identity, which its AWS secrets engines assume target roles with.
  const server = assumeRole(engines, roles[VAULT_SERVER_ROLE].arn, 'openbao');
  fs.writeFileSync(engines.moto.credentialsFile,
    `[default]\naws_access_key_id = ${server.accessKeyId}\naws_secret_access_key = ${server.secretAccessKey}\naws_session_token = ${server.sessionToken}\n`, { mode: 0o600 });

  // The data store's database and Vault's user in it.
  const store = blueprint.tenants.flatMap((t) => t.dataStores)[0];
  const dbVaultUser = `vault_${spec.name.replace(/-/g, '_')}_${blueprint.tenants.find((t) => t.dataStores.length > 0)!.id}`;
  const dbVaultPassword = newSecret(runDir, 'db-vault-password');
  rememberSecrets(dbVaultPassword);
  bootstrapDatabase(engines, store.schema, dbVaultUser, dbVaultPassword);

  // Audit devices write into the run directory; the socket device needs a listener.
  const audit = auditPaths(engines, spec);
  const auditFile = audit.file;
  fs.mkdirSync(path.dirname(auditFile), { recursive: true, mode: 0o700 });
  const socketAuditFile = path.join(runDir, 'socket-audit.log');
  servers.push(await startAuditSocket(audit.socket, socketAuditFile));

  // What Terraform cannot bootstrap: the pipeline's own login (root token, harness only).
  const serverId = blueprint.vault!.iamServerIdHeaderValue;
  await root.write('sys/auth/aws', { type: 'aws', description: 'the platform pipeline (live test bootstrap)' });
  await root.write('auth/aws/config/client', {
    sts_endpoint: engines.moto.endpoint,
    iam_endpoint: engines.moto.endpoint,
    sts_region: 'us-east-1',
    iam_server_id_header_value: serverId,
  });
  await root.write(`sys/policies/acl/${PIPELINE_ROLE}`, { policy: pipelinePolicy(spec.name) }, 'PUT');
  await root.write(`auth/aws/role/${PIPELINE_ROLE}`, {
    auth_type: 'iam',
    bound_iam_principal_arn: [roles[PIPELINE_ROLE].arn],
    resolve_aws_unique_ids: true,
    token_policies: [PIPELINE_ROLE],
    token_no_default_policy: true,
    token_ttl: 3600,
  });

  // Synthesize and apply the plane as the pipeline.
  const stsRequestsFile = path.join(runDir, 'sts-requests.log');
  const recorder = await startStsRecorder(engines.moto.endpoint, stsRequestsFile);
  servers.push(recorder.server);
  const tfJsonFile = synthesizeLivePlane(engines, spec, path.join(runDir, 'out', 'vault'), recorder.url);
  const config = JSON.parse(fs.readFileSync(tfJsonFile, 'utf-8'));
  const variables: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(config.variable ?? {}) as Array<[string, any]>) {
    if (v.default !== undefined) variables[name] = v.default;
  }
  for (const name of Object.keys(config.variable ?? {}).filter((n) => n.startsWith('db_password_') && !n.startsWith('db_password_version_'))) {
    variables[name] = dbVaultPassword;
  }
  const applier = new PlaneApplier(config, variables);
  const token = await pipelineToken(engines, root, config.provider.vault[0]);
  const started = Date.now();
  await applier.apply(root.withToken(token));
  const applySeconds = (Date.now() - started) / 1000;
  const driftAfterApply = await applier.plan(root);

  const publicVariables = Object.fromEntries(Object.entries(variables).filter(([k]) => !k.startsWith('db_password_') || k.startsWith('db_password_version_')));
  const state: LiveState = {
    spec,
    tfJsonFile,
    stsRequestsFile,
    variables: publicVariables,
    issuerUrl: issuer.url,
    issuerKeyFile,
    issuerKeyId,
    auditFile,
    socketAuditFile,
    applySeconds,
    driftAfterApply,
    roles,
    dbVaultUser,
    dbVaultPasswordFile: path.join(runDir, 'db-vault-password'),
  };
  fs.writeFileSync(path.join(runDir, 'state.json'), JSON.stringify(state, null, 2));
  return { state, servers };
}

/** The database password variables the plane declares, with the harness's value. */
export function secretVariables(runDir: string, state: LiveState): Record<string, string> {
  const config = JSON.parse(fs.readFileSync(state.tfJsonFile, 'utf-8'));
  return Object.fromEntries(Object.keys(config.variable ?? {})
    .filter((n) => n.startsWith('db_password_') && !n.startsWith('db_password_version_'))
    .map((n) => [n, readSecretFile(path.join(runDir, 'db-vault-password'))]));
}
