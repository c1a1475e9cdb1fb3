import { execFileSync, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** What scripts/engines/start.sh wrote for one run. */
export interface Engines {
  readonly runDir: string;
  /** `httpAddress`: a plain-HTTP loopback listener of the same server, for the router under test. */
  readonly openbao: { address: string; httpAddress: string; caFile: string; rootTokenFile: string; unsealKeyFile: string; log: string; bin: string };
  readonly moto: { endpoint: string; account: string; credentialsFile: string; python: string };
  readonly postgres: { host: string; port: number; superuser: string; passwordFile: string; caFile: string; binDir: string };
  readonly trustedCasFile: string;
  readonly issuerTls: { certFile: string; keyFile: string; caFile: string };
  readonly terraform: { bin: string; providerBin: string; providerNote: string };
  readonly awsPlugins: { auth: string; secrets: string; source: string; note: string };
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const ENGINE_SCRIPTS = path.join(REPO_ROOT, 'scripts', 'engines');
/** The run directory of the live suite, set by its global setup. */
export const RUN_DIR_VARIABLE = 'GATEWARD_LIVE_RUN_DIR';

export function runDir(): string {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir) throw new Error(`${RUN_DIR_VARIABLE} is not set: run the live suite with \`npx projen test:live\``);
  return dir;
}

export function loadEngines(dir = runDir()): Engines {
  return JSON.parse(fs.readFileSync(path.join(dir, 'engines.json'), 'utf-8'));
}

/** Reads a secret the harness keeps in a 0600 file. */
export function readSecretFile(file: string): string {
  return fs.readFileSync(file, 'utf-8').trim();
}

/** A secret only the harness knows, written to a 0600 file so later steps can read it. */
export function newSecret(dir: string, name: string, bytes = 24): string {
  const value = randomBytes(bytes).toString('base64url');
  fs.writeFileSync(path.join(dir, name), value, { mode: 0o600 });
  return value;
}

/**
 * Every secret value the suite has seen (tokens, STS secrets, database passwords), one a line in a
 * 0600 file of the run directory; the audit test greps the audit log for each.
 */
export function rememberSecrets(...values: Array<string | undefined>): void {
  const lines = values.filter((v): v is string => typeof v === 'string' && v.length >= 8);
  if (lines.length > 0) fs.appendFileSync(path.join(runDir(), 'seen-secrets'), lines.map((v) => `${v}\n`).join(''), { mode: 0o600 });
}

export function seenSecrets(): string[] {
  const file = path.join(runDir(), 'seen-secrets');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf-8').split('\n').filter(Boolean) : [];
}

/** An answer of OpenBao's HTTP API. */
export interface VaultAnswer {
  readonly status: number;
  readonly body: any;
}

/** OpenBao's HTTP API over TLS, verified with the dev server's CA. */
export class VaultHttp {
  private readonly agent: https.Agent;

  constructor(public readonly address: string, caFile: string, public token?: string) {
    this.agent = new https.Agent({ ca: fs.readFileSync(caFile), keepAlive: false });
  }

  public withToken(token: string | undefined): VaultHttp {
    const other = Object.create(VaultHttp.prototype) as VaultHttp;
    Object.assign(other, this, { token });
    return other;
  }

  public async request(method: string, apiPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<VaultAnswer> {
    const url = new URL(`/v1/${apiPath.replace(/^\/+/, '')}`, this.address);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request(url, {
        method,
        agent: this.agent,
        headers: {
          ...(this.token ? { 'X-Vault-Token': this.token } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
          ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf-8');
          let parsed: any = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      if (payload) req.write(payload);
      req.end();
    });
  }

  public async read(apiPath: string): Promise<VaultAnswer> {
    return this.request('GET', apiPath);
  }

  /** A write that must succeed; the error names the path and Vault's errors, never the body sent. */
  public async write(apiPath: string, body: unknown = {}, method = 'POST'): Promise<any> {
    const answer = await this.request(method, apiPath, body);
    if (answer.status >= 300) throw new Error(`${method} ${apiPath}: HTTP ${answer.status} ${JSON.stringify(answer.body?.errors ?? answer.body)}`);
    return answer.body;
  }

  public async capabilities(token: string, paths: string[]): Promise<Record<string, string[]>> {
    const body = await this.write('sys/capabilities', { token, paths });
    return Object.fromEntries(paths.map((p) => [p, [...(body[p] ?? body.data?.[p] ?? [])].sort()]));
  }
}

export function rootVault(engines: Engines): VaultHttp {
  return new VaultHttp(engines.openbao.address, engines.openbao.caFile, readSecretFile(engines.openbao.rootTokenFile));
}

/** AWS credentials of a role session in the emulator. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly arn?: string;
}

/** Asks moto (through boto3, in the engines' venv) to do one thing. */
export function moto(engines: Engines, request: Record<string, unknown>): any {
  const out = execFileSync(engines.moto.python, [path.join(__dirname, 'moto_admin.py')], {
    input: JSON.stringify({ endpoint: engines.moto.endpoint, ...request }),
    encoding: 'utf-8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(out);
}

export function assumeRole(engines: Engines, roleArn: string, session: string): SessionCredentials {
  const credentials = moto(engines, { action: 'assume-role', roleArn, session }) as SessionCredentials;
  rememberSecrets(credentials.secretAccessKey, credentials.sessionToken);
  return credentials;
}

/** The body of an AWS IAM auth login: a signed `sts:GetCallerIdentity`, as Vault's clients build it. */
export async function signedLoginBody(role: string, credentials: SessionCredentials, options: {
  serverId?: string; stsUrl?: string; region?: string;
} = {}): Promise<Record<string, string>> {
  const url = new URL(options.stsUrl ?? 'https://sts.us-east-1.amazonaws.com/');
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: '/',
    headers: {
      'host': url.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...(options.serverId !== undefined ? { 'x-vault-aws-iam-server-id': options.serverId } : {}),
    },
    body,
  });
  const signer = new SignatureV4({ service: 'sts', region: options.region ?? 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign(request);
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k, [v]]));
  const b64 = (s: string) => Buffer.from(s, 'utf-8').toString('base64');
  return {
    role,
    iam_http_request_method: 'POST',
    iam_request_url: b64(url.toString()),
    iam_request_body: b64(body),
    iam_request_headers: b64(JSON.stringify(headers)),
  };
}

/** Runs SQL through psql over TLS (verify-full), as the given user; the password goes by environment. */
export function psql(engines: Engines, user: string, password: string, database: string, sql: string): { ok: boolean; out: string; err: string } {
  const result = spawnSync(path.join(engines.postgres.binDir, 'psql'), [
    '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql,
  ], {
    env: {
      PATH: process.env.PATH,
      PGHOST: engines.postgres.host,
      PGPORT: String(engines.postgres.port),
      PGUSER: user,
      PGPASSWORD: password,
      PGDATABASE: database,
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: engines.postgres.caFile,
      PGCONNECT_TIMEOUT: '10',
    },
    encoding: 'utf-8',
  });
  return { ok: result.status === 0, out: (result.stdout ?? '').trim(), err: (result.stderr ?? '').trim() };
}

export function superuserSql(engines: Engines, database: string, sql: string): string {
  const result = psql(engines, engines.postgres.superuser, readSecretFile(engines.postgres.passwordFile), database, sql);
  if (!result.ok) throw new Error(`psql as superuser failed: ${result.err}`);
  return result.out;
}
