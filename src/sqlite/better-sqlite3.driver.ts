/**
 * The better-sqlite3 driver: the addon pwbridge was built on, the default where Node has no node:sqlite
 * (Node 20). Its statements already behave as database.ts describes, so they are handed out as they are;
 * only transaction() goes through the shared helper, so both drivers run the very same BEGIN/SAVEPOINT logic.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_BUSY_TIMEOUT_MS, type SqliteDatabase, type SqliteDriver, type SqliteOpenOptions, type SqliteStatement, type TransactionMode } from './database';
import { Transactions } from './transaction';

/**
 * Load better-sqlite3 and its addon. The addon is only loaded at the first open, so one is opened in
 * memory here: an addon built for another Node (another ABI) fails now, with its reason, not later.
 */
export function loadBetterSqlite3Driver(): SqliteDriver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  new Database(':memory:').close();
  return {
    name: 'better-sqlite3',
    open: (file: string, options: SqliteOpenOptions = {}) => new BetterSqlite3Database(new Database(file, {
      readonly: options.readonly === true, fileMustExist: options.readonly === true, timeout: DEFAULT_BUSY_TIMEOUT_MS,
    })),
  };
}

class BetterSqlite3Database implements SqliteDatabase {
  readonly driver = 'better-sqlite3' as const;
  private readonly tx: Transactions;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.tx = new Transactions(db);
  }

  get open(): boolean { return this.db.open; }
  get inTransaction(): boolean { return this.db.inTransaction; }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    return this.db.prepare(sql) as unknown as SqliteStatement;
  }

  pragma(text: string): unknown {
    return this.db.pragma(text, { simple: true });
  }

  transaction<T>(fn: () => T, mode?: TransactionMode): T {
    return this.tx.run(fn, mode);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
