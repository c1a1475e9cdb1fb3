import * as https from 'https';
import { ReasonCode, RouterError } from './errors';
import { SecretRegistry } from './secret-registry';
import { PROVIDER_KEY_SECRET_FIELDS, ProviderKeySecretValue } from '../contract/router-routes';

/** A provider key with the one endpoint it may be sent to. */
export interface BoundProviderKey {
  readonly apiKey: string;
  /** The secret's endpoint, without trailing slashes. */
  readonly endpoint: URL;
}

const FIELDS: readonly string[] = Object.values(PROVIDER_KEY_SECRET_FIELDS);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An https base URL, or why it is not one. Only the scheme is ever quoted: the text may be
 * something that should never have been there (a key pasted into the wrong field).
 */
export function httpsEndpoint(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return `is ${JSON.stringify(url.protocol.slice(0, 16))}, not https:`;
  if (url.username || url.password) return 'carries credentials in its authority';
  if (url.search || url.hash) return 'has a query or a fragment';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** What an HTTP header can carry: visible ASCII, no spaces or line breaks. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * The key and its endpoint from a provider key's secret value (`ProviderKeySecretValue`). The
 * value, and the key on its own, are registered for redaction first, whatever the value holds;
 * messages name the fields that are wrong, never a value.
 */
export function parseProviderKeySecret(value: string, keyId: string, secrets: SecretRegistry): BoundProviderKey {
  secrets.add(value);
  const unbound = (why: string) => new RouterError(ReasonCode.PROVIDER_KEY_UNBOUND,
    `The provider key ${keyId} is not bound to an endpoint: its secret ${why}. The credential-lifecycle owner writes it as `
    + `{"${PROVIDER_KEY_SECRET_FIELDS.API_KEY}": "...", "${PROVIDER_KEY_SECRET_FIELDS.ENDPOINT}": "https://..."}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw unbound('is not JSON (a plain key binds to no host)');
  }
  if (!isObject(parsed)) throw unbound('is not a JSON object');
  const { apiKey, endpoint } = parsed as Partial<Record<keyof ProviderKeySecretValue, unknown>>;
  if (typeof apiKey === 'string') secrets.add(apiKey);
  const problems: string[] = [];
  // Field names are not quoted either: a key written as a name would be echoed.
  if (Object.keys(parsed).some((k) => !FIELDS.includes(k))) problems.push(`holds fields other than ${FIELDS.join(' and ')}`);
  if (typeof apiKey !== 'string' || apiKey.length === 0) problems.push(`has no ${PROVIDER_KEY_SECRET_FIELDS.API_KEY} string`);
  else if (!HEADER_SAFE.test(apiKey)) problems.push(`has an ${PROVIDER_KEY_SECRET_FIELDS.API_KEY} with characters an HTTP header cannot carry`);
  if (typeof endpoint !== 'string' || endpoint.length === 0) problems.push(`has no ${PROVIDER_KEY_SECRET_FIELDS.ENDPOINT} string`);
  if (problems.length > 0) throw unbound(problems.join(', '));
  const url = httpsEndpoint(endpoint as string);
  if (typeof url === 'string') {
    throw new RouterError(ReasonCode.PROVIDER_ENDPOINT_INSECURE,
      `The provider key ${keyId} was not sent: the ${PROVIDER_KEY_SECRET_FIELDS.ENDPOINT} its secret binds it to ${url}; a key is sent over https only.`);
  }
  return { apiKey: apiKey as string, endpoint: url };
}

/** The URL of an OpenAI-compatible chat-completions API under a base URL. */
export function chatCompletionsUrl(endpoint: URL): URL {
  return new URL(`${endpoint.href.replace(/\/+$/, '')}/chat/completions`);
}

/** A provider's answer: its status and body text. */
export interface ProviderAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * POSTs `body` to `url` over https with Node's client, which never follows a redirect: a 3xx is
 * an answer like any other, so the key goes nowhere but `url`'s host. An http URL is refused by
 * the client itself, a second line behind the endpoint checks.
 */
export function postOverHttps(
  url: URL, headers: Record<string, string>, body: string, agent: https.Agent | undefined, signal: AbortSignal,
): Promise<ProviderAnswer> {
  return new Promise<ProviderAnswer>((resolve, reject) => {
    const payload = Buffer.from(body, 'utf-8');
    const request = https.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(payload.length) },
      agent,
      signal,
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf-8') }));
      response.on('error', reject);
      // Cut off before its end (the deadline's abort, a dropped connection): no answer.
      response.on('close', () => {
        if (!response.complete) reject(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' }));
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}
