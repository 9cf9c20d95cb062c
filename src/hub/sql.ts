/**
 * The hub's own tables (users, sessions, agents, login limits) are reached through this one small
 * interface, so HubStore is written once for both engines: SQL with `$1`-style parameters and the
 * syntax SQLite 3.35+ and PostgreSQL share (ON CONFLICT … DO UPDATE, RETURNING). The vault's tables stay
 * with the vault adapters (SqliteVault, PostgresVault); both share the one migration set.
 */
import type { Pool, PoolClient } from 'pg';
import { namedQuery } from '../sql/named-query';
import type { SqliteDatabase, SqliteStatement } from '../sqlite/database';
import { withTransaction } from '../vault/postgres-open';

export interface SqlQueries {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface Sql extends SqlQueries {
  readonly dialect: 'sqlite' | 'postgres';
  /** `fn` in one transaction; on PostgreSQL it may run again after a serialization or unique-key race. */
  tx<T>(fn: (q: SqlQueries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * SQLite through src/sqlite/, which is synchronous: every call, and a whole transaction with the
 * awaits inside it, holds one in-process lock, so another request's statement never runs inside someone
 * else's open transaction. Across processes, BEGIN IMMEDIATE and busy_timeout order the writers.
 */
export function sqliteSql(db: SqliteDatabase): Sql {
  const statements = new Map<string, { stmt: SqliteStatement; order: number[] }>();
  const prepare = (sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_, n: string) => { order.push(Number(n) - 1); return '?'; });
      s = { stmt: db.prepare(text), order };
      statements.set(sql, s);
    }
    return s;
  };
  const args = (order: number[], params: unknown[]) => order.map((i) => (params[i] === undefined ? null : params[i]));
  const direct: SqlQueries = {
    async all<T>(sql: string, params: unknown[] = []) {
      const s = prepare(sql);
      return s.stmt.all(...args(s.order, params)) as T[];
    },
    async run(sql: string, params: unknown[] = []) {
      const s = prepare(sql);
      return s.stmt.run(...args(s.order, params)).changes;
    },
  };
  let lock: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = lock.then(fn);
    lock = result.catch(() => undefined);
    return result;
  };
  return {
    dialect: 'sqlite',
    all: (sql, params) => locked(() => direct.all(sql, params)),
    run: (sql, params) => locked(() => direct.run(sql, params)),
    tx: (fn) => locked(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(direct);
        db.exec('COMMIT');
        return result;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    }),
    close: async () => { await lock; if (db.open) db.close(); },
  };
}

/** PostgreSQL through a pg pool (postgres-open.ts: BIGINT as numbers, durable commits, retried transactions). */
export function postgresSql(pool: Pool): Sql {
  const on = (c: Pick<PoolClient, 'query'>): SqlQueries => ({
    async all<T>(sql: string, params: unknown[] = []) {
      return (await c.query(namedQuery(sql, params))).rows as T[];
    },
    async run(sql: string, params: unknown[] = []) {
      return (await c.query(namedQuery(sql, params))).rowCount ?? 0;
    },
  });
  const direct = on(pool);
  let ended: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    all: direct.all,
    run: direct.run,
    tx: (fn) => withTransaction(pool, (client) => fn(on(client))),
    close: () => (ended ??= pool.end()),
  };
}
