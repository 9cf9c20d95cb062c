/**
 * HTTPS to the hub, for the agent (HttpVault) and `pwbridge setup`.
 *
 * The hub's certificate is self-signed by default, so an agent trusts it in one of two ways:
 * - pinned (`fingerprint`): on every connection, before a byte of the request is sent, the SHA-256 of
 *   the certificate the server presents must equal the fingerprint recorded at setup. Nothing else about
 *   the certificate matters (no CA, no name, no dates): the pin is the trust.
 * - a CA (`caFile`): ordinary TLS verification against that CA, with the host name checked; for hubs
 *   with a certificate from the organisation's own CA, which can then be renewed without a new setup.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

export interface HubEndpoint {
  /** `https://host:port` */
  url: string;
  /** `AB:CD:…` (SHA-256 of the hub's certificate). */
  fingerprint?: string;
  /** A PEM file of the CA that signed the hub's certificate. */
  caFile?: string;
}

/** The hub answered, but not with what was pinned: nothing was sent. */
export class HubCertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubCertificateError';
  }
}

export interface HubResponse {
  status: number;
  /** The parsed JSON body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: IncomingMessage['headers'];
}

const REQUEST_TIMEOUT_MS = 30_000;
/** A listing of 10,000 credentials is about 2 MB. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** An https.Agent that hands a socket to the request only once its certificate matches the pin. */
class PinnedAgent extends https.Agent {
  constructor(private readonly pin: string, private readonly url: string) {
    // No TLS session reuse: every connection shows its certificate, and every one is checked.
    super({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0 });
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    let done = false;
    const finish = (err: Error | null, s?: tls.TLSSocket) => {
      if (done) return;
      done = true;
      callback!(err, s as Duplex);
    };
    // The chain is not verified (the certificate is self-signed); the pin below is the check, and it
    // runs before the request is given the socket, so no byte of it is written to an impostor.
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const seen = socket.getPeerX509Certificate()?.fingerprint256;
      if (seen !== this.pin) {
        socket.destroy();
        finish(new HubCertificateError(`the hub at ${this.url} presented a certificate with SHA-256 fingerprint ${seen ?? '(none)'}, `
          + `not the one pinned at setup (${this.pin}); nothing was sent. If the hub's certificate was replaced on purpose, run pwbridge setup again`));
        return;
      }
      finish(null, socket);
    });
    socket.once('error', (err) => finish(err));
    return undefined;
  }
}

export class HubClient {
  private readonly agent: https.Agent;
  private readonly base: URL;

  constructor(endpoint: HubEndpoint, private token?: string) {
    this.base = new URL(endpoint.url);
    if (this.base.protocol !== 'https:') throw new Error(`hub URL ${endpoint.url} must start with https://`);
    if (endpoint.fingerprint) {
      this.agent = new PinnedAgent(endpoint.fingerprint, this.base.origin);
    } else if (endpoint.caFile) {
      this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: fs.readFileSync(endpoint.caFile) });
    } else {
      throw new Error('the hub needs a pinned fingerprint or a CA file');
    }
  }

  /**
   * POST (with a JSON body) or GET. Resolves with any HTTP status; rejects only when there was no answer.
   * `bearer` overrides the client's token (setup's session). The request's bytes are wiped once sent.
   */
  async request(method: 'GET' | 'POST', path: string, body?: unknown, bearer?: string, signal?: AbortSignal): Promise<HubResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    try {
      return await this.once(method, path, payload, bearer, signal);
    } catch (err) {
      // A kept-alive connection the hub closed just as it was reused: the request never reached it.
      if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
        // Awaited: a bare `return` would run `finally` at once, wiping the payload while the new
        // connection is still in its TLS handshake, and the hub would read zeros (HTTP 400, not JSON).
        return await this.once(method, path, payload, bearer, signal);
      }
      throw err;
    } finally {
      payload?.fill(0);
    }
  }

  private once(method: 'GET' | 'POST', path: string, payload: Buffer | undefined, bearer?: string, signal?: AbortSignal): Promise<HubResponse> {
    const token = bearer ?? this.token;
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.base), {
        method,
        agent: this.agent,
        timeout: REQUEST_TIMEOUT_MS,
        ...(signal ? { signal } : {}),
        headers: {
          Accept: 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(new Error(`the hub's answer to ${path} is larger than ${MAX_RESPONSE_BYTES} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          for (const c of chunks) c.fill(0);
          try {
            const text = raw.toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : JSON.parse(text) });
          } catch {
            reject(new Error(`the hub's answer to ${path} (HTTP ${res.statusCode}) is not JSON`));
          } finally {
            raw.fill(0); // it may hold a password (base64)
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`the hub at ${this.base.origin} did not answer ${path} within ${REQUEST_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => {
        (err as { reusedSocket?: boolean }).reusedSocket = req.reusedSocket;
        reject(err);
      });
      req.end(payload);
    });
  }

  /** The origin requests go to, `https://host:port`. */
  get origin(): string {
    return this.base.origin;
  }

  /** The bearer token of later requests (the agent token was replaced by a new `pwbridge setup`). */
  setToken(token: string): void {
    this.token = token;
  }

  /** True when `token` is the one requests carry now. */
  hasToken(token: string): boolean {
    return this.token === token;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Network error codes that mean no answer came from the hub (as opposed to an answer that refused). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

/** True when a request failed because the hub could not be reached or did not answer. */
export function hubUnreachable(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && UNREACHABLE.has(code);
}
