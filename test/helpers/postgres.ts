/**
 * A throwaway PostgreSQL cluster for the test run: initdb into a private temp folder, the server on a
 * Unix socket in that folder only (no TCP port), trust authentication (only the folder's owner and root
 * can reach the socket). Started once per run by the first test that asks, shared by every test file;
 * each file takes its own database, each test a fresh schema or database.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: then initdb and the server run as the
 * `postgres` user that Debian's postgresql package creates. The server is started under a small bash
 * guard that holds the read end of a pipe from this process: when this process ends, however it ends
 * (mocha's exit, a crash, SIGKILL), the guard sees end-of-file, stops the server and deletes the folder.
 *
 * Missing binaries are an error with the fix in its message, never a skip: the PostgreSQL vault would
 * otherwise go untested without anyone noticing.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Pool, type QueryResult } from 'pg';

export interface TestPostgres {
  /** The folder of the cluster: `data/` (PGDATA), `server.log`, and the socket. */
  readonly dir: string;
  readonly dataDir: string;
  readonly logFile: string;
  /** URL of `database` as the cluster's superuser; with `schema`, that schema is the search_path. */
  url(database: string, schema?: string): string;
  /** One statement in `database`, as the superuser. */
  query(database: string, sql: string, params?: unknown[]): Promise<QueryResult>;
  /** A new empty database; the name starts with `prefix`. */
  createDatabase(prefix: string): Promise<string>;
  /** A new empty schema in `database`, with a URL that works in it; drop() removes it and its tables. */
  createSchema(database: string): Promise<{ schema: string; url: string; drop(): Promise<void> }>;
  /** Stop the server and remove the folder now (otherwise that happens when the test process exits). */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 30_000;

let shared: Promise<TestPostgres> | undefined;

/** The run's cluster, started on first use. */
export function testPostgres(): Promise<TestPostgres> {
  shared ??= startCluster();
  return shared;
}

/** initdb and postgres: $PWBRIDGE_PG_BINDIR, else the newest /usr/lib/postgresql/N/bin (Debian), else PATH. */
export function findBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PWBRIDGE_PG_BINDIR) candidates.push(process.env.PWBRIDGE_PG_BINDIR);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    for (const v of fs.readdirSync(debian).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a))) {
      candidates.push(path.join(debian, v, 'bin'));
    }
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  const found = candidates.find((d) => ['initdb', 'postgres'].every((b) => fs.existsSync(path.join(d, b))));
  if (!found) {
    throw new Error('PostgreSQL is not installed: the PostgreSQL vault tests need its server programs (initdb, postgres) and '
      + `found them neither in ${debian}/*/bin nor on PATH${process.env.PWBRIDGE_PG_BINDIR ? ` nor in PWBRIDGE_PG_BINDIR` : ''}. `
      + 'On Debian: apt-get install postgresql (.ci/run installs it); elsewhere set PWBRIDGE_PG_BINDIR to the folder that holds initdb.');
  }
  return found;
}

/** Who runs the server: this process's user, or `postgres` when this process is root. */
export function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const r = spawnSync('getent', ['passwd', SUPERUSER], { encoding: 'utf8' });
  const fields = r.status === 0 ? r.stdout.trim().split(':') : [];
  if (fields.length < 4) {
    throw new Error('PostgreSQL refuses to run as root, and there is no "postgres" user to run the test cluster as '
      + '(the postgresql package creates it: apt-get install postgresql).');
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/**
 * Runs as the server's user. $1 bin dir, $2 data dir, $3 the folder (socket, removed at the end), $4 log,
 * then more server options (PWBRIDGE_PG_OPTIONS, e.g. `-c shared_preload_libraries=pg_stat_statements` for a
 * bench's per-statement figures).
 * Stops the server when stdin reaches end-of-file (this process ended or called stop()), or exits by
 * itself when the server dies (then the log's tail goes to stderr for the error message).
 */
const GUARD = String.raw`
set -u
bin=$1 data=$2 folder=$3 log=$4
shift 4
"$bin/postgres" -D "$data" -k "$folder" -c listen_addresses= -c fsync=off -c full_page_writes=off \
  -c max_connections=100 -c unix_socket_permissions=0700 "$@" >"$log" 2>&1 &
pg=$!
cat <&0 >/dev/null &
eof=$!
wait -n "$pg" "$eof"
if kill -0 "$pg" 2>/dev/null; then
  kill -INT "$pg"
  wait "$pg"
else
  tail -n 20 "$log" >&2
fi
kill "$eof" 2>/dev/null
rm -rf -- "$folder"
`;

async function startCluster(): Promise<TestPostgres> {
  const bin = findBinDir();
  const user = serverUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-pg-'));
  fs.chmodSync(dir, 0o700);
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const asServer = { ...(user ?? {}), cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' } };

  try {
    execFileSync(path.join(bin, 'initdb'),
      ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
      { ...asServer, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb of the test PostgreSQL cluster failed: ${stderr || (err as Error).message}`);
  }

  const extra = (process.env.PWBRIDGE_PG_OPTIONS ?? '').split(' ').filter(Boolean);
  const guard = spawn('bash', ['-c', GUARD, 'pwbridge-test-postgres', bin, dataDir, dir, logFile, ...extra],
    { ...asServer, stdio: ['pipe', 'ignore', 'pipe'] });
  let guardErr = '';
  guard.stderr!.on('data', (d: Buffer) => { guardErr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => guard.on('exit', (code) => resolve(code)));
  let guardDone = false;
  void exited.then(() => { guardDone = true; });
  // Neither the guard nor its pipes keep this process alive; its end is what stops the server.
  guard.unref();
  (guard.stdin as Socket).unref();
  (guard.stderr as Socket).unref();

  const connect = (database: string): Client => new Client({ host: dir, user: SUPERUSER, database });
  await waitReady(connect, () => guardDone, () => guardErr || readTail(logFile));

  const pools = new Map<string, Pool>();
  const pool = (database: string): Pool => {
    let p = pools.get(database);
    if (!p) {
      p = new Pool({ host: dir, user: SUPERUSER, database, max: 2, allowExitOnIdle: true });
      p.on('error', () => undefined);
      pools.set(database, p);
    }
    return p;
  };
  let counter = 0;
  const url = (database: string, schema?: string): string => {
    const params = new URLSearchParams({ host: dir });
    if (schema) params.set('options', `-c search_path=${schema}`);
    return `postgresql://${SUPERUSER}@/${encodeURIComponent(database)}?${params.toString()}`;
  };
  const query = (database: string, sql: string, params?: unknown[]): Promise<QueryResult> => pool(database).query(sql, params);

  return {
    dir, dataDir, logFile, url, query,
    async createDatabase(prefix) {
      const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${++counter}`;
      await query('postgres', `CREATE DATABASE ${name}`);
      return name;
    },
    async createSchema(database) {
      const schema = `test_${++counter}`;
      await query(database, `CREATE SCHEMA ${schema}`);
      return { schema, url: url(database, schema), drop: async () => { await query(database, `DROP SCHEMA ${schema} CASCADE`); } };
    },
    async stop() {
      await Promise.all([...pools.values()].map((p) => p.end()));
      pools.clear();
      guard.stdin!.end();
      await exited;
      shared = undefined;
    },
  };
}

async function waitReady(connect: (db: string) => Client, died: () => boolean, why: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (died()) throw new Error(`the test PostgreSQL server did not start:\n${why()}`);
    const c = connect('postgres');
    try {
      await c.connect();
      await c.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the test PostgreSQL server did not answer in ${START_TIMEOUT_MS / 1000} s (${(err as Error).message}):\n${why()}`);
    } finally {
      await c.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}
