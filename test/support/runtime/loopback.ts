import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';

/** A request as a local server received it. */
export interface Received {
  readonly method: string;
  /** The raw path, with its query, exactly as sent (still percent-encoded). */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** What a local server answers. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A hold that never ends by itself: the answer is never sent, and stopping the server drops the connection. */
export const HOLD_UNTIL_STOPPED = Number.POSITIVE_INFINITY;

/**
 * Waits `ms` before answering, as a slow service would. No real engine can be made slow on
 * purpose, so tests of the router's deadlines hold the loopback stand-ins' answers instead.
 */
export function holdFor(ms: number): Promise<void> {
  if (ms === HOLD_UNTIL_STOPPED) return new Promise<void>(() => undefined);
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}

/**
 * The held answers of a world's stand-ins, by service, so a test can wait until a request is
 * being held before it lets the request's deadline pass.
 */
export class Holds {
  private readonly arrived = new Map<string, number>();
  private readonly waiters: Array<{ service: string; count: number; resolve: () => void }> = [];

  /** Holds an answer of `service` for `ms`, counting it as held when `ms` is more than 0. */
  public hold(service: string, ms: number): Promise<void> {
    if (ms > 0) {
      const count = this.held(service) + 1;
      this.arrived.set(service, count);
      for (const waiter of this.waiters.filter((w) => w.service === service && w.count <= count)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return holdFor(ms);
  }

  /** How many answers of `service` have been held. */
  public held(service: string): number {
    return this.arrived.get(service) ?? 0;
  }

  /** Resolves once `count` answers of `service` have been held. */
  public until(service: string, count = 1): Promise<void> {
    if (this.held(service) >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ service, count, resolve }));
  }
}

/** Headers by lower-case name, with repeated headers joined. */
export function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : String(v)]));
}

/** How a local server keeps its connections. */
export interface LoopbackOptions {
  /**
   * How long an idle keep-alive connection stays open, in ms. A real AWS endpoint or Vault keeps
   * the router's connections for many seconds, so a measurement of the router's overhead must
   * not pay a new connection per call. @default 1 for http, 5000 for https
   */
  readonly keepAliveMs?: number;
}

/** A certificate and its key, in PEM. */
export interface TlsIdentity {
  readonly cert: string;
  readonly key: string;
}

/**
 * An HTTP server on 127.0.0.1 with a random port, answering with `handle`; with `tls`, an HTTPS
 * server presenting that certificate. Stopping it closes the port, so clients see a refused
 * connection, as with a server that is down.
 */
export class LoopbackServer {
  public static async start(
    handle: (request: Received) => Promise<Answer> | Answer, tls?: TlsIdentity, options: LoopbackOptions = {},
  ): Promise<LoopbackServer> {
    const listener: http.RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = lowerCaseHeaders(req.headers);
        void Promise.resolve()
          .then(() => handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks) }))
          .catch((error: Error): Answer => ({ status: 500, body: { errors: [`test server: ${error.message}`] } }))
          .then((answer) => {
            const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
            res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
            res.end(text);
          });
      });
    };
    const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, listener) : http.createServer(listener);
    // Keep-alive sockets would hold a stopped server open in the test process. An https client
    // (the router's provider connections) keeps its connection, as it would with a provider:
    // closing it after 1 ms would race its reuse; `stop` closes it.
    server.keepAliveTimeout = options.keepAliveMs ?? (tls ? 5000 : 1);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LoopbackServer(server, tls ? 'https' : 'http');
  }

  public readonly url: string;

  private constructor(private readonly server: http.Server | https.Server, scheme: 'http' | 'https') {
    this.url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
