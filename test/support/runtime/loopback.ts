import * as http from 'http';
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

/**
 * Waits `ms` before answering, as a slow service would. No real engine can be made slow on
 * purpose, so tests of the router's deadlines hold the loopback stand-ins' answers instead.
 */
export function holdFor(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}

/** Headers by lower-case name, with repeated headers joined. */
export function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : String(v)]));
}

/**
 * An HTTP server on 127.0.0.1 with a random port, answering with `handle`. Stopping it closes
 * the port, so clients see a refused connection, as with a server that is down.
 */
export class LoopbackServer {
  public static async start(handle: (request: Received) => Promise<Answer> | Answer): Promise<LoopbackServer> {
    const server = http.createServer((req, res) => {
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
    });
    // Keep-alive sockets would hold a stopped server open in the test process.
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LoopbackServer(server);
  }

  public readonly url: string;

  private constructor(private readonly server: http.Server) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
