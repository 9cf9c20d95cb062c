/**
 * GET /metrics: the Prometheus text exposition of src/hub/hub-metrics.ts, and who may read it.
 *
 * The values are counts only (no name of an account, machine, client or user, no secret), but they still
 * say how big an organisation is and where it hurts, so by default a scraper must authenticate:
 * - a scrape token (`pwbridge hub --metrics-token-file FILE`): Prometheus sends the same file's content with
 *   `authorization: { type: Bearer, credentials_file: FILE }`. The hub keeps only its SHA-256. This is the
 *   way for Prometheus: a login session expires after 12 hours.
 * - a hub user's login session (any role, viewer up: a viewer already reads far more than these counts),
 *   for a person looking with curl or a browser.
 * - `--metrics-public`: no authentication, for a hub whose port only the monitoring network reaches.
 * An agent token is refused: an agent sees its own client only, and these counts are of every client.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from './access';
import { HttpError } from './http-error';
import type { HubMetrics } from './hub-metrics';
import { EXPOSITION_CONTENT_TYPE } from './metrics';
import { tokenHash } from './passwords';
import type { HubStore } from './store';

export const METRICS_PATH = '/metrics';
/** A scrape token shorter than this is refused: with no rate limit on /metrics, it must resist guessing. */
export const MIN_METRICS_TOKEN = 32;
const MAX_METRICS_TOKEN = 512;
/** RFC 6750's b64token: what Prometheus can send in `Authorization: Bearer`. */
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface MetricsAccess {
  /** Anyone who reaches the port may scrape (--metrics-public). */
  public: boolean;
  /** SHA-256 (hex) of the scrape token (--metrics-token-file). */
  tokenHash?: string;
}

/**
 * The scrape token's hash, from a file only its owner may read (refused otherwise, naming the file and the
 * problem, never the content). Surrounding whitespace (the newline an editor adds) is not part of it.
 */
export function loadMetricsToken(file: string): string {
  let raw: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new Error('not a regular file');
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new Error(`mode ${(st.mode & 0o777).toString(8)} lets others read it; chmod 600 it`);
    }
    raw = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`--metrics-token-file ${file}: ${(err as Error).message}`);
  }
  try {
    const token = raw.toString('utf8').trim();
    if (token.length < MIN_METRICS_TOKEN || token.length > MAX_METRICS_TOKEN || !TOKEN_CHARS.test(token)) {
      throw new Error(`--metrics-token-file ${file}: the token must be ${MIN_METRICS_TOKEN} to ${MAX_METRICS_TOKEN} characters of A-Z a-z 0-9 - . _ ~ + / `
        + '(e.g. openssl rand -base64 33)');
    }
    return tokenHash(token);
  } finally {
    raw.fill(0);
  }
}

export interface MetricsDeps {
  metrics: HubMetrics;
  access: MetricsAccess;
  store: HubStore;
  /** The login session's token from the request's cookie, if any. */
  sessionToken(req: IncomingMessage): string | undefined;
}

/**
 * Answer GET /metrics (200 with the exposition), or throw the HttpError to answer with. Returns who
 * scraped, for the request log (undefined for the public endpoint and the scrape token).
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, d: MetricsDeps): Promise<Principal | undefined> {
  if (req.method !== 'GET') throw new HttpError(405, 'method-not-allowed', `${req.method} is not allowed on ${METRICS_PATH}`);
  const principal = d.access.public ? undefined : await authorize(req, d);
  const body = Buffer.from(await d.metrics.render(), 'utf8');
  res.writeHead(200, {
    'Content-Type': EXPOSITION_CONTENT_TYPE,
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
  return principal;
}

async function authorize(req: IncomingMessage, d: MetricsDeps): Promise<Principal | undefined> {
  const challenge = { 'WWW-Authenticate': 'Bearer realm="pwbridge metrics"' };
  const auth = req.headers.authorization;
  let token: string | undefined;
  if (auth !== undefined) {
    const m = /^Bearer (\S{1,512})$/.exec(auth);
    if (!m) throw new HttpError(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"', {}, challenge);
    token = m[1];
  } else {
    token = d.sessionToken(req);
  }
  if (!token) {
    throw new HttpError(401, 'unauthenticated', 'metrics need the scrape token (--metrics-token-file) or a user\'s login', {}, challenge);
  }
  const hash = tokenHash(token);
  if (d.access.tokenHash !== undefined && crypto.timingSafeEqual(Buffer.from(hash), Buffer.from(d.access.tokenHash))) return undefined;
  if (token.startsWith('pwa_') && await d.store.agentByToken(hash)) {
    throw new HttpError(403, 'forbidden', 'an agent token may not read metrics (they count every client)');
  }
  const user = token.startsWith('pws_') ? await d.store.sessionUser(hash) : undefined;
  if (user) return { kind: 'user', user, tokenHash: hash };
  throw new HttpError(401, 'unauthenticated', 'the token is neither the scrape token nor a live login session', {}, challenge);
}
