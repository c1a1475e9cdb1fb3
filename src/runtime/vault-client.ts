import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { VaultSettings } from './config';
import { Deadline, SharedCall } from './deadline';
import { ReasonCode, RouterError } from './errors';
import { SecretRegistry } from './secret-registry';

/** STS credentials Vault issued for one target role. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When the router stops using them (epoch ms): the lease's end, less a safety margin. */
  readonly usableUntil: number;
  /** The assumed-role session ARN Vault reports, which names the session CloudTrail records. */
  readonly assumedRoleArn?: string;
  /** The lease id (an identifier, not a credential). */
  readonly leaseId?: string;
  /** The accessor of the Vault token that read them (an identifier, not the token). */
  readonly tokenAccessor: string;
  /** True when an earlier request's credentials were reused. */
  readonly reused: boolean;
}

/** Reads a target's credentials from Vault. */
export interface ICredentialSource {
  /** The credentials at `path`, waiting no longer than the request's deadline. */
  awsCredentials(path: string, deadline: Deadline): Promise<IssuedCredentials>;
}

/** Options of the Vault client. */
export interface VaultClientOptions {
  readonly vault: VaultSettings;
  /** The STS endpoint Vault verifies logins against, e.g. `https://sts.us-east-1.amazonaws.com`. */
  readonly stsEndpoint: string;
  /** The region the login is signed for. */
  readonly stsRegion: string;
  /** The router's own AWS credentials, used only to sign the login. */
  readonly credentials: AwsCredentialIdentityProvider;
  readonly secrets: SecretRegistry;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Longest wait for one Vault answer, within the request's deadline. @default 3000 */
  readonly timeoutMs?: number;
  /** How long before expiry a token or credential stops being used, in seconds. @default 60 */
  readonly refreshMarginSeconds?: number;
}

interface Token {
  readonly value: string;
  readonly accessor: string;
  readonly usableUntil: number;
  /** When the login that issued it finished. */
  readonly issuedAt: number;
}

const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const b64 = (text: string) => Buffer.from(text, 'utf-8').toString('base64');

/**
 * Vault, as the router uses it: log in with the AWS IAM auth method (a signed
 * `sts:GetCallerIdentity` carrying the server-id header; no shared secret), keep the token until
 * shortly before it expires, and read a target's STS credentials, reusing them until shortly
 * before their lease ends. Nothing is used past its expiry and nothing falls back: when Vault
 * cannot issue, the request fails.
 */
export class VaultClient implements ICredentialSource {
  private token?: Token;
  private login?: SharedCall<Token>;
  private readonly cache = new Map<string, IssuedCredentials>();
  private readonly reading = new Map<string, SharedCall<IssuedCredentials>>();
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly marginMs: number;

  constructor(private readonly options: VaultClientOptions) {
    this.clock = options.clock ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.marginMs = (options.refreshMarginSeconds ?? 60) * 1000;
  }

  public async awsCredentials(path: string, deadline: Deadline): Promise<IssuedCredentials> {
    const cached = this.cache.get(path);
    if (cached && cached.usableUntil > this.clock()) return { ...cached, reused: true };
    this.cache.delete(path);
    // Concurrent requests for the same target share one read; the ones that join it reuse it.
    const pending = this.reading.get(path);
    if (pending) return { ...(await pending.join(deadline, 'Vault')), reused: true };
    const read = new SharedCall(async (signal) => {
      try {
        return await this.readCredentials(path, deadline, signal);
      } finally {
        this.reading.delete(path);
      }
    });
    this.reading.set(path, read);
    return read.join(deadline, 'Vault');
  }

  private async readCredentials(path: string, deadline: Deadline, signal: AbortSignal, retried = false): Promise<IssuedCredentials> {
    const started = this.clock();
    const token = await this.currentToken(deadline);
    const response = await this.call('GET', `/v1/${path}`, signal, undefined, token.value);
    if (response.status === 403 && !retried && token.issuedAt < started) {
      // A token from an earlier login may have been revoked: log in again once. A token just
      // issued that is refused means the policy does not allow the path; another login would not help.
      if (this.token === token) this.token = undefined;
      return this.readCredentials(path, deadline, signal, true);
    }
    if (response.status !== 200) {
      throw new RouterError(ReasonCode.CREDENTIALS_UNAVAILABLE, `Vault did not issue credentials at ${path} (HTTP ${response.status}).`);
    }
    const body = response.body as { lease_id?: string; lease_duration?: number; data?: Record<string, string> };
    const data = body.data ?? {};
    const accessKeyId = data.access_key;
    const secretAccessKey = data.secret_key;
    const sessionToken = data.security_token ?? data.session_token;
    if (!accessKeyId || !secretAccessKey) {
      throw new RouterError(ReasonCode.CREDENTIALS_UNAVAILABLE, `Vault's answer at ${path} holds no AWS credentials.`);
    }
    const usableUntil = this.usableUntil(body.lease_duration);
    this.options.secrets.add(secretAccessKey, sessionToken);
    const issued: IssuedCredentials = {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      usableUntil,
      assumedRoleArn: data.arn,
      leaseId: body.lease_id,
      tokenAccessor: token.accessor,
      reused: false,
    };
    if (issued.usableUntil > this.clock()) this.cache.set(path, issued);
    return issued;
  }

  private async currentToken(deadline: Deadline): Promise<Token> {
    if (this.token && this.token.usableUntil > this.clock()) return this.token;
    this.token = undefined;
    this.login ??= new SharedCall(async (signal) => {
      try {
        return await this.logIn(signal);
      } finally {
        this.login = undefined;
      }
    });
    this.token = await this.login.join(deadline, 'Vault');
    return this.token;
  }

  private async logIn(signal: AbortSignal): Promise<Token> {
    const { vault, stsRegion } = this.options;
    const host = new URL(this.options.stsEndpoint).hostname;
    let credentials: AwsCredentialIdentity;
    try {
      credentials = await this.options.credentials();
    } catch {
      throw new RouterError(ReasonCode.VAULT_UNAVAILABLE, 'The router has no AWS credentials to log in to Vault with.');
    }
    const signer = new SignatureV4({ credentials, region: stsRegion, service: 'sts', sha256: Sha256 });
    const signed = await signer.sign(new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: host,
      path: '/',
      headers: {
        'host': host,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        // Signed with the request, so a login cannot be replayed against another Vault.
        'x-vault-aws-iam-server-id': vault.serverIdHeader,
      },
      body: STS_BODY,
    }));
    // Go's canonical header names, as Vault's own clients send them.
    const canonical = (name: string) => name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('-');
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [canonical(k), [v]]));
    const response = await this.call('POST', `/v1/auth/${vault.authMount}/login`, signal, {
      role: vault.authRole,
      iam_http_request_method: 'POST',
      iam_request_url: b64(`https://${host}/`),
      iam_request_body: b64(STS_BODY),
      iam_request_headers: b64(JSON.stringify(headers)),
    });
    const auth = (response.body as { auth?: { client_token?: string; accessor?: string; lease_duration?: number } }).auth;
    if (response.status !== 200 || !auth?.client_token) {
      throw new RouterError(ReasonCode.VAULT_UNAVAILABLE, `Vault refused the router's login (HTTP ${response.status}).`);
    }
    this.options.secrets.add(auth.client_token);
    return { value: auth.client_token, accessor: auth.accessor ?? 'unknown', usableUntil: this.usableUntil(auth.lease_duration), issuedAt: this.clock() };
  }

  /** When a lease of this many seconds, starting now, ends. */
  private leaseEnd(leaseSeconds: number | undefined): number {
    return this.clock() + Math.max(0, (leaseSeconds ?? 0) * 1000);
  }

  /** The lease's end less the margin; for short leases, half the lease. */
  private usableUntil(leaseSeconds: number | undefined): number {
    const end = this.leaseEnd(leaseSeconds);
    return end - Math.min(this.marginMs, (end - this.clock()) / 2);
  }

  /** One Vault call, aborted by `signal` (nobody waits any more) or after `timeoutMs`. */
  private async call(method: 'GET' | 'POST', path: string, signal: AbortSignal, body?: unknown, token?: string): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers['x-vault-token'] = token;
    if (this.options.vault.namespace) headers['x-vault-namespace'] = this.options.vault.namespace;
    let response: Response;
    try {
      response = await fetch(`${this.options.vault.address}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect would carry the token to another host: Vault must answer itself.
        redirect: 'error',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string }; name?: string });
      throw new RouterError(ReasonCode.VAULT_UNAVAILABLE, `Vault did not answer (${cause.cause?.code ?? cause.name ?? 'network error'}).`);
    }
    if (response.status >= 500) {
      throw new RouterError(ReasonCode.VAULT_UNAVAILABLE, `Vault answered HTTP ${response.status}.`);
    }
    const text = await response.text();
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new RouterError(ReasonCode.VAULT_UNAVAILABLE, 'Vault answered with something that is not JSON.');
    }
    return { status: response.status, body: parsed };
  }
}
