/**
 * A real hub in this process for tests: HTTPS on 127.0.0.1 (a free port), its self-signed certificate,
 * SQLite in a private data dir or a fresh schema of the run's PostgreSQL (test/helpers/postgres.ts), a
 * first admin with a known password, and its pino log in a file the tests can search.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import pino from 'pino';
import type { LoginLimits } from '../../src/hub/api/context';
import type { MetricsAccess } from '../../src/hub/metrics-route';
import { ensureFirstAdmin, startHub, type Hub, type HubOptions } from '../../src/hub/server';
import type { SqliteDriver } from '../../src/sqlite/database';
import { HubClient, type HubResponse } from '../../src/vault/hub-client';
import { testPostgres } from './postgres';
import { makeTempDir } from './tmp';

export type Engine = 'sqlite' | 'postgres';
export const ADMIN = 'admin';
export const ADMIN_PASSWORD = 'Admin-Pw-canary-4d1f0b';

export interface TestHub {
  hub: Hub;
  dataDir: string;
  /** The PostgreSQL URL the hub runs on (undefined: SQLite in dataDir), for a CLI given `--db`. */
  db?: string;
  logFile: string;
  /** A client pinned to this hub's certificate, with `token` as its bearer (if any). */
  client(token?: string): HubClient;
  /** POST /api/login with the bearer token asked for; the response as is. */
  login(user: string, password: string): Promise<HubResponse>;
  /** Log in and return the token (fails the test on anything but 200). */
  token(user?: string, password?: string): Promise<string>;
  /** Create a user as the admin. */
  addUser(name: string, role: string, permissions: string[], password: string): Promise<void>;
  /** Another hub process's worth (own server, own connections) on the same data dir and database. */
  second(): Promise<Hub>;
  /** A request with any bytes and headers, over TLS verified against the hub's certificate. */
  raw(method: string, path: string, body?: Buffer | string, headers?: Record<string, string>): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

const databases = new Map<string, Promise<string>>();

/** A fresh empty PostgreSQL schema in one database per `purpose` (the cluster starts on first use). */
export async function freshPostgresSchema(purpose: string): Promise<{ url: string; drop(): Promise<void> }> {
  const pg = await testPostgres();
  let db = databases.get(purpose);
  if (!db) {
    db = pg.createDatabase(purpose);
    databases.set(purpose, db);
  }
  return pg.createSchema(await db);
}

/** `sqlite`: the SQLite driver for the 'sqlite' engine (absent: src/sqlite/drivers.ts's pick). */
export async function startTestHub(engine: Engine, opts: { limits?: LoginLimits; dataDir?: string; metrics?: MetricsAccess; now?: () => number; sqlite?: SqliteDriver; alertEveryMs?: number; rotation?: HubOptions['rotation']; requireMfa?: boolean } = {}): Promise<TestHub> {
  const tmp = opts.dataDir ? undefined : makeTempDir('pwbridge-hub-');
  const dataDir = opts.dataDir ?? tmp!.dir;
  const schema = engine === 'postgres' ? await freshPostgresSchema('hub') : undefined;
  fs.mkdirSync(path.join(dataDir, 'log'), { recursive: true, mode: 0o700 });
  const logFile = path.join(dataDir, 'log', 'hub.log');
  const logger = pino({ level: 'debug' }, pino.destination({ dest: logFile, sync: true }));
  const hub = await startHub({ dataDir, db: schema?.url, host: '127.0.0.1', port: 0, logger, limits: opts.limits, metrics: opts.metrics, now: opts.now, sqlite: opts.sqlite, alertEveryMs: opts.alertEveryMs, rotation: opts.rotation, requireMfa: opts.requireMfa });
  await ensureFirstAdmin(hub.store, ADMIN, Buffer.from(ADMIN_PASSWORD));
  const clients: HubClient[] = [];
  const client = (token?: string) => {
    const c = new HubClient({ url: hub.url, fingerprint: hub.certificate.fingerprint }, token);
    clients.push(c);
    return c;
  };
  const anon = client();
  const login = (user: string, password: string) =>
    anon.request('POST', '/api/login', { user, password: Buffer.from(password).toString('base64'), bearer: true });
  const token = async (user = ADMIN, password = ADMIN_PASSWORD) => {
    const r = await login(user, password);
    if (r.status !== 200) throw new Error(`login of ${user} failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  let adminToken: string | undefined;
  const others: Hub[] = [];
  return {
    hub, dataDir, db: schema?.url, logFile, client, login, token,
    async second() {
      const h = await startHub({ dataDir, db: schema?.url, host: '127.0.0.1', port: 0, logger, limits: opts.limits, metrics: opts.metrics, now: opts.now, sqlite: opts.sqlite, alertEveryMs: opts.alertEveryMs, rotation: opts.rotation, requireMfa: opts.requireMfa });
      others.push(h);
      return h;
    },
    raw(method, p, body, headers = {}) {
      return new Promise((resolve, reject) => {
        const req = https.request({
          host: '127.0.0.1', port: hub.port, path: p, method, ca: hub.certificate.certPem, agent: false,
          headers: { ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try { parsed = JSON.parse(text); } catch { /* kept as text */ }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    async addUser(name, role, permissions, password) {
      adminToken ??= await token();
      const r = await anon.request('POST', '/api/users', { name, role, permissions, password: Buffer.from(password).toString('base64') }, adminToken);
      if (r.status !== 200) throw new Error(`adding user ${name} failed: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    },
    async close() {
      for (const c of clients) c.close();
      for (const h of others) await h.close();
      await hub.close();
      await schema?.drop();
      tmp?.cleanup();
    },
  };
}
