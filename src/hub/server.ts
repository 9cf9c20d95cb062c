/**
 * `pwbridge hub`: the vault served over HTTPS to many machines.
 *
 * node:https with the small router in this file, not a framework (docs/development.md, "Dependencies, and why
 * these"). The API is a fixed table of JSON routes (src/hub/api/index.ts) with no path parameters, so
 * routing is one Map lookup; bodies are checked by schema.ts strictly enough to refuse unknown fields
 * (fastify's default Ajv setup strips them and coerces types). Owning the body's bytes means the raw
 * request and response Buffers, and the password Buffers decoded from them, are wiped when done; a
 * framework's parser leaves passwords in JS strings no one can wipe. fastify 5.12 would add 48 packages
 * (15 MB) to the one package that also ships to every machine (the MSI) to replace about 120 lines. The
 * dashboard's static files (src/hub/dashboard-static.ts), push-down's long polls and /metrics are plain
 * node:http too.
 *
 * A hub process keeps nothing between requests but a connection pool: sessions, agents, login counters
 * and events are all in the database, so several processes can share one PostgreSQL.
 */
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pino from 'pino';
import { dataPaths, ensureDataDir } from '../config/paths';
import { VaultConflictError, VaultNotFoundError, VaultPolicyError, type VaultPort } from '../ports/vault.port';
import type { SqliteDriver } from '../sqlite/database';
import { VaultInputError } from '../vault/errors';
import { vaultMigrations } from '../vault/migrations';
import { describePostgresUrl, openPool } from '../vault/postgres-open';
import { PostgresVault } from '../vault/postgres.vault';
import { SecretBox, ensureVaultKey } from '../vault/secret-box';
import { openDatabase } from '../sqlite/open-database';
import { SqliteVault } from '../vault/sqlite.vault';
import { AlertService, DEFAULT_ALERT_EVERY_MS, alertingVault } from './alerts';
import { describePrincipal, reservedMachineMessage, reservedMachineName, type Principal } from './access';
// './api/index', not './api': a build dir that still holds the old dist/src/hub/api.js would load that instead.
import { routes } from './api/index';
import type { ApiContext, LoginLimits, Route } from './api/context';
import { DEFAULT_LOGIN_LIMITS, SESSION_COOKIE } from './api/session-routes';
import { ensureSelfSignedCertificate, loadCertificate, type HubCertificate } from './cert';
import { loadDashboard, sendAsset } from './dashboard-static';
import { DB_UNAVAILABLE_RETRY_S, isDatabaseUnavailable } from './db-unavailable';
import { HttpError } from './http-error';
import { HUB_TIME_HEADER } from '../vault/hub-clock';
import { HubMetrics } from './hub-metrics';
import { METRICS_PATH, serveMetrics, type MetricsAccess } from './metrics-route';
import { generatePassword, hashPassword, tokenHash } from './passwords';
import { check } from './schema';
import { postgresSql, sqliteSql } from './sql';
import { checkThrottleLimits } from './login-throttle';
import { RotationStore } from './rotation/rotation-store';
import { RotationScheduler, type SchedulerTimers } from './rotation/scheduler';
import { refuseAdminWithoutMfa } from './mfa-gate';
import { HubStore } from './store';
import { hubTlsOptions } from './tls-policy';

/** Request bodies larger than this are refused (413) before they are read. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * PostgreSQL connections per pool, and a hub process has two (the vault's, the hub store's), 20 in all.
 * Every request takes a store connection (its token) and most a vault one; at 4 the store's pool was
 * the queue the 1,000-agent bench waited in (p99 1.49 s; 0.94 s at 12). More than about twice the
 * database's cores run no faster, the queue only moves into PostgreSQL; and 20 a process lets four hub
 * processes share one PostgreSQL within its default max_connections (100, a few reserved).
 */
export const DEFAULT_DB_CONNECTIONS = 10;

export interface HubOptions {
  dataDir: string;
  /** PostgreSQL URL; absent: SQLite in `<dataDir>/vault.db`. */
  db?: string;
  host: string;
  port: number;
  /** The admin's own certificate; absent: the data dir's self-signed one (made on first start). */
  cert?: { certFile: string; keyFile: string };
  logger: pino.Logger;
  limits?: LoginLimits;
  now?: () => number;
  maxBodyBytes?: number;
  /** Who may read GET /metrics (src/hub/metrics-route.ts); absent: a user's login only. */
  metrics?: MetricsAccess;
  /** PostgreSQL connections per pool (DEFAULT_DB_CONNECTIONS); unused on SQLite. */
  dbConnections?: number;
  /** The SQLite driver (src/sqlite/drivers.ts picks one when absent); unused on PostgreSQL. Tests run each. */
  sqlite?: SqliteDriver;
  /** Earlier passwords the vault keeps per credential (src/vault/password-history.ts; default 10). */
  historyKeep?: number;
  /** How often the alert checks and deliveries run (src/hub/alerts.ts; default 15 s); 0: only when hub.alerts.tick() is called (tests). */
  alertEveryMs?: number;
  /** The rotation scheduler's timers and pass interval (src/hub/rotation/scheduler.ts; default every minute, real timers). */
  rotation?: { timers?: SchedulerTimers; passMs?: number };
  /** Admins must have a TOTP second factor before using admin powers (src/hub/mfa-gate.ts). */
  requireMfa?: boolean;
}

export interface Hub {
  /** `https://host:port` as listening (the actual port when 0 was asked). */
  url: string;
  port: number;
  certificate: HubCertificate;
  vault: VaultPort;
  store: HubStore;
  alerts: AlertService;
  /** Due rotations are rotated by its timer; runDue() runs a pass at once (a test that moved the clock). */
  rotation: RotationScheduler;
  close(): Promise<void>;
}

/** The vault and the hub's store on the chosen database, migrations applied. */
export async function openHubDatabase(dataDir: string, db: string | undefined, dbConnections = DEFAULT_DB_CONNECTIONS, sqlite?: SqliteDriver,
  historyKeep?: number, now?: () => number): Promise<{ vault: VaultPort; store: HubStore; where: string }> {
  if (!Number.isSafeInteger(dbConnections) || dbConnections < 1 || dbConnections > 1000) {
    throw new Error(`dbConnections must be an integer from 1 to 1000, got ${dbConnections}`);
  }
  const paths = dataPaths(dataDir);
  ensureDataDir(paths);
  const key = ensureVaultKey(paths.vaultKey);
  try {
    if (db) {
      const vault = await PostgresVault.open({ url: db, key, maxConnections: dbConnections, historyKeep, now });
      return { vault, store: new HubStore(postgresSql(openPool({ url: db, max: dbConnections })), Date.now, new SecretBox(key)), where: describePostgresUrl(db) };
    }
    const vault = await SqliteVault.open({ path: paths.vaultDb, key, sqlite, historyKeep, now });
    // A second handle on the same file for the hub's own tables (the vault's handle is its own).
    return { vault, store: new HubStore(sqliteSql(openDatabase(paths.vaultDb, vaultMigrations('sqlite'), sqlite)), Date.now, new SecretBox(key)), where: paths.vaultDb };
  } finally {
    key.fill(0);
  }
}

/**
 * The first admin, on a hub with no user yet: with the given password, or a generated one that is
 * returned (for the caller to print once; it is stored only as a hash). Undefined when no admin was made.
 */
export async function ensureFirstAdmin(store: HubStore, name: string, password?: Buffer): Promise<{ created: boolean; generated?: Buffer }> {
  if (await store.hasUsers()) return { created: false };
  const pw = password ?? generatePassword();
  try {
    const created = await store.createFirstAdmin(name, await hashPassword(pw));
    if (created && !password) return { created, generated: pw };
    if (!password) pw.fill(0);
    return { created };
  } catch (err) {
    if (!password) pw.fill(0);
    throw err;
  }
}

export async function startHub(options: HubOptions): Promise<Hub> {
  const certificate = options.cert
    ? loadCertificate(options.cert.certFile, options.cert.keyFile)
    : ensureSelfSignedCertificate(options.dataDir);
  // One clock for the process: the vault's times (a password's passwordSetAt) are what rotation's schedule counts from.
  const { vault, store } = await openHubDatabase(options.dataDir, options.db, options.dbConnections, options.sqlite, options.historyKeep, options.now);
  return serveHub({ ...options, certificate, vault, store });
}

/**
 * `METHOD path` → route. Several files add routes: one listed twice would be served by whichever came
 * last, so the hub does not start.
 */
export function routeTable(all: readonly Route[]): Map<string, Route> {
  const table = new Map<string, Route>(all.map((r) => [`${r.method} ${r.path}`, r]));
  if (table.size !== all.length) {
    const twice = all.map((r) => `${r.method} ${r.path}`).filter((k, i, keys) => keys.indexOf(k) !== i);
    throw new Error(`the route table lists ${twice.join(', ')} more than once (src/hub/api/index.ts)`);
  }
  return table;
}

/** Serve an opened vault and store (startHub opens them; tests may too). */
export async function serveHub(o: HubOptions & { certificate: HubCertificate; vault: VaultPort; store: HubStore }): Promise<Hub> {
  const { logger, store } = o;
  const now = o.now ?? Date.now;
  const alerts = new AlertService(store.sql, alertBox(o.dataDir), o.vault, now, logger);
  const vault = alertingVault(o.vault, alerts);
  const limits = checkThrottleLimits(o.limits ?? DEFAULT_LOGIN_LIMITS);
  const maxBody = o.maxBodyBytes ?? MAX_BODY_BYTES;
  const all = routes;
  const table = routeTable(all);
  const paths = new Set(all.map((r) => r.path));
  let closed = false;
  const dashboard = loadDashboard();
  if (!dashboard.dir) logger.warn({ tried: dashboard.tried }, 'the dashboard\'s files were not found (npm run build copies them): GET / answers 404');
  const metrics = new HubMetrics(store, now);
  const metricsDeps = { metrics, store, access: o.metrics ?? { public: false }, sessionToken: (req: IncomingMessage) => cookie(req.headers.cookie, SESSION_COOKIE) };

  const server = https.createServer({ cert: o.certificate.certPem, key: o.certificate.keyPem, ...hubTlsOptions }, (req, res) => {
    void handle(req, res);
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 30_000;
  // A TLS client that fails the handshake (an agent whose pin does not match hangs up) is not an error here.
  server.on('tlsClientError', (err) => logger.debug({ err: { message: err.message } }, 'TLS handshake failed'));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0];
    const address = req.socket.remoteAddress ?? 'unknown';
    const wipe: Buffer[] = [];
    let principal: Principal | undefined;
    let status = 500;
    const headers: Record<string, string> = {};
    // For the metrics: the route's template, never the raw path (a label must not take any value a caller sends).
    const routeLabel = paths.has(path) || path === METRICS_PATH ? path : 'other';
    let endPoll: (() => void) | undefined;
    try {
      if (path === METRICS_PATH) { principal = await serveMetrics(req, res, metricsDeps); status = 200; return; }
      const route = table.get(`${req.method} ${path}`);
      const asset = !route && (req.method === 'GET' || req.method === 'HEAD') ? dashboard.get(path) : undefined;
      if (asset) { status = 200; sendAsset(res, asset, req.method === 'HEAD'); return; }
      if (!route) {
        throw paths.has(path) ? new HttpError(405, 'method-not-allowed', `${req.method} is not allowed on ${path}`)
          : new HttpError(404, 'no-route', `no such endpoint: ${path}`);
      }
      if (!route.public) principal = await authenticate(req);
      if (o.requireMfa) await refuseAdminWithoutMfa(route, principal, { vault, now, address });
      if (route.path === '/api/changes') endPoll = metrics.longPoll();
      let args: unknown;
      if (route.method === 'POST') {
        const raw = await readBody(req, route.bodyLimit?.bytes ?? maxBody, route.bodyLimit?.message);
        wipe.push(raw);
        args = check(route.body!, parseJson(raw), 'body', wipe);
      }
      const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
      const gone = () => closed || req.socket.destroyed;
      const ctx: ApiContext = { vault, store, alerts, limits, principal, address, now, query, gone, requireMfa: o.requireMfa, setHeader: (k, v) => { headers[k] = v; } };
      const result = await route.handle(ctx, args);
      status = 200;
      metrics.routeAnswered(route.path, args, result, now());
      // Closing: this connection ends with the answer (a long poll answered as the hub stops), so the close is not held.
      if (closed) headers.Connection = 'close';
      headers[HUB_TIME_HEADER] = String(now());
      send(res, status, result, headers);
    } catch (err) {
      const e = toHttpError(err);
      status = e.status;
      if (status === 503 && !(err instanceof HttpError)) logger.warn({ err: { message: (err as Error).message }, path }, 'the database is unavailable: answered 503');
      else if (status >= 500 && !(err instanceof HttpError)) logger.error({ err: { message: (err as Error).message }, path }, 'request failed');
      if (err instanceof HttpError && err.cause instanceof Error) logger.warn({ err: { message: err.cause.message }, path }, e.message);
      if (e.status === 413) headers.Connection = 'close';
      headers[HUB_TIME_HEADER] = String(now());
      send(res, status, { error: { code: e.code, message: e.message, ...e.detail } }, { ...headers, ...e.headers });
    } finally {
      for (const b of wipe) b.fill(0);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      endPoll?.();
      metrics.requestDone(routeLabel, req.method, status, ms / 1000);
      // Never the body, the headers or the query string: the line says who did what, and how it went.
      logger.info({ req: { method: req.method, path, address }, status, ms: Math.round(ms * 10) / 10, who: describePrincipal(principal) }, 'request');
    }
  }

  async function authenticate(req: IncomingMessage): Promise<Principal> {
    const auth = req.headers.authorization;
    let token: string | undefined;
    if (auth !== undefined) {
      const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(auth);
      if (!m) throw new HttpError(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"');
      token = m[1];
    } else {
      token = cookie(req.headers.cookie, SESSION_COOKIE);
    }
    if (!token) throw new HttpError(401, 'unauthenticated', 'log in first (POST /api/login), or send an agent token');
    const hash = tokenHash(token);
    if (token.startsWith('pwa_')) {
      const agent = await store.agentByToken(hash);
      // Enrolled before the name was reserved: its token would read the hub's own events.
      const reserved = agent && reservedMachineName(agent.machine);
      if (reserved) throw new HttpError(401, 'unauthenticated', `the agent token is not valid: ${reservedMachineMessage(agent.machine, reserved)}, then run pwbridge setup`);
      if (agent) return { kind: 'agent', agent };
      throw new HttpError(401, 'unauthenticated', 'the agent token is not valid (revoked, or this machine was enrolled again); run pwbridge setup');
    }
    const user = await store.sessionUser(hash);
    if (user) return { kind: 'user', user, tokenHash: hash };
    throw new HttpError(401, 'unauthenticated', 'the session has expired or does not exist; log in again');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  alerts.start(o.alertEveryMs ?? DEFAULT_ALERT_EVERY_MS);
  const rotation = new RotationScheduler({ vault, store: new RotationStore(store.sql), now, logger, ...o.rotation });
  rotation.start();
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `https://${shownHost}:${port}`,
    port,
    certificate: o.certificate,
    vault,
    store,
    alerts,
    rotation,
    async close() {
      if (closed) return;
      closed = true;
      await rotation.stop();
      await alerts.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await vault.close();
      await store.close();
    },
  };
}

/** The alert secret's box: the vault key (read from the data dir, as openHubDatabase does), its Buffer wiped. */
function alertBox(dataDir: string): SecretBox {
  const key = ensureVaultKey(dataPaths(dataDir).vaultKey);
  try {
    return new SecretBox(key);
  } finally {
    key.fill(0);
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name && /^[A-Za-z0-9_-]{1,200}$/.test(v.join('='))) return v.join('=');
  }
  return undefined;
}

function readBody(req: IncomingMessage, max: number, tooLarge = `the body is larger than ${max} bytes`): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  // Also what keeps a cross-site form from posting with a browser's cookie: it cannot send this type.
  if (type !== 'application/json') return Promise.reject(new HttpError(415, 'bad-request', 'the body must be JSON (Content-Type: application/json)'));
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > max) return Promise.reject(new HttpError(413, 'too-large', tooLarge));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error) => {
      for (const c of chunks) c.fill(0);
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        fail(new HttpError(413, 'too-large', tooLarge));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > max) return;
      const all = Buffer.concat(chunks, size);
      for (const c of chunks) c.fill(0);
      resolve(all);
    });
    req.on('error', fail);
  });
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    // V8's message quotes the body, which may hold a password: only the position is passed on.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new HttpError(400, 'bad-request', `the body is not valid JSON${at ? ` (at byte ${at})` : ''}`);
  }
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof VaultInputError) return new HttpError(400, 'input', err.message);
  if (err instanceof VaultNotFoundError) {
    return new HttpError(404, 'not-found', err.message, { what: err.message.replace(/ does not exist$/, '') });
  }
  // The client's options refuse the write: final, unlike a token's refusal (HttpVault tells them apart by the code).
  if (err instanceof VaultPolicyError) return new HttpError(403, 'policy', err.message);
  if (err instanceof VaultConflictError) {
    return new HttpError(409, 'conflict', err.message, { credentialId: err.credentialId, expected: err.expected, actual: err.actual });
  }
  // The database is restarting or out of connections: a transient outage, not a hub fault. The message
  // does not repeat the driver's (it names hosts and users); the log has it.
  if (isDatabaseUnavailable(err)) {
    return new HttpError(503, 'unavailable', 'the hub\'s database is unavailable; try again shortly', {}, { 'Retry-After': String(DB_UNAVAILABLE_RETRY_S) });
  }
  return new HttpError(500, 'internal', 'internal error; the hub\'s log has the detail');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  // The bytes may hold a password (base64): wiped once the socket has taken them.
  res.end(bytes, () => bytes.fill(0));
}
