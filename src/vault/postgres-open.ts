/**
 * Opening a PostgreSQL database for the vault the same way everywhere (the hub's processes, tests): a
 * connection pool that returns BIGINT as numbers, durable commits, the schema brought up to date, and
 * transactions that are retried when PostgreSQL says another process got in the way.
 */
import { Client, Pool, types, type PoolClient } from 'pg';
import { SCHEMA_VERSION_DDL, type Migration } from '../sql/migration';

const INT8_OID = 20;

/**
 * BIGINT arrives as text (it can exceed 2^53); every BIGINT in the vault is an id, a version, a count or
 * a time in ms, all far below that, so it becomes a number, and one that would not be exact is an error.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`BIGINT ${text} is beyond JavaScript's exact integers`);
  return n;
}

/** Per pool, not pg's global registry: another user of pg in the same process is left alone. */
const VAULT_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
};

/**
 * Where a URL points, for messages: user, host, port and database, never the password (pg's own parser
 * reads the URL, so what is shown is what it connects to). An unparsable URL is not echoed either.
 */
export function describePostgresUrl(url: string): string {
  try {
    const c = new Client({ connectionString: url });
    return `postgres://${c.user ?? ''}@${c.host}${c.port ? `:${c.port}` : ''}/${c.database ?? ''}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export interface PostgresPoolOptions {
  url: string;
  /** Connections this process keeps at most (default 10). */
  max?: number;
}

export function openPool(options: PostgresPoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    types: VAULT_TYPES,
    application_name: 'pwbridge',
    connectionTimeoutMillis: 10_000,
    // A resolved write means a durable one (the capture path marks its journal entry done on it), so a
    // session never runs with synchronous_commit=off, whatever the server, database or role default is.
    // Stronger settings (remote_apply, …) are kept.
    onConnect: async (client) => {
      await client.query("SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'");
    },
  });
  // An idle connection that the server drops (restart, admin kill) is reported here; without a listener
  // the event would crash the process. The pool discards it and the next query opens a new one.
  pool.on('error', () => undefined);
  // pg-pool takes its listener off a connection while it is checked out: a server that ends the session
  // then (pg_ctl restart -m fast, pg_terminate_backend) between two statements of a transaction emitted an
  // unhandled 'error' and the hub process died (the postgres-restart fault scenario). This listener stays
  // on: the error reaches the caller through the next statement, which fails, and withTransaction hands
  // the broken connection back to be destroyed.
  pool.on('connect', (client) => { client.on('error', () => undefined); });
  return pool;
}

/** SQLSTATEs after which the whole transaction is run again from the start. */
const RETRY_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  // unique_violation: another process inserted the same client, username or event id between our check
  // and our insert. The retry's checks see its row and answer as if it had been there from the start.
  '23505',
  // foreign_key_violation: the client this write refers to was deleted in another process between our
  // lookup and our insert. The retry's lookup finds it gone and answers "does not exist".
  '23503',
]);
const ATTEMPTS = 5;

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Run `fn` in one READ COMMITTED transaction on one connection, and commit. Each function checks what it
 * relies on at its start (and locks the rows it will change), so running it again is always safe.
 */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error; // the connection is gone: do not hand it back to the pool
      }
      if (attempt >= ATTEMPTS || !RETRY_CODES.has(sqlState(err) ?? '')) throw err;
    } finally {
      client.release(broken);
    }
    await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
  }
}

/** Distinct from any other lock this database's users take; held only while migrations run. */
const MIGRATION_LOCK = "hashtext('pwbridge vault migrations')";

/**
 * Apply each migration newer than the schema's schema_version, all in one transaction under an advisory
 * lock, so processes that open a new database at the same time apply them once. Refuses a schema newer
 * than this build knows. `where` names the database in messages.
 */
export async function runPostgresMigrations(pool: Pool, where: string, migrations: Migration[]): Promise<void> {
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  await withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await client.query(SCHEMA_VERSION_DDL);
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
    const current = rows[0].v ?? 0;
    if (current > latest) {
      throw new Error(`${where} has schema version ${current}, newer than this pwbridge knows (${latest}); upgrade pwbridge`);
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      try {
        await client.query(m.sql); // several statements: the simple query protocol runs them in order
        await client.query('INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      } catch (err) {
        throw new Error(`${where}: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
      }
    }
  });
}
