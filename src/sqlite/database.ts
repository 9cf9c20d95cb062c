/**
 * The one SQLite interface every store in pwbridge talks to (journal, state, echo, the embedded vault, the
 * hub's own tables). Two drivers implement it: node:sqlite (Node's built-in) and better-sqlite3 (the
 * addon); src/sqlite/drivers.ts picks one. The interface holds only what the stores use, and both drivers
 * behave the same through it:
 * - a BLOB comes back as a Buffer; an INTEGER in the safe range as a number; rows as plain objects;
 * - values bind the same way: positional (`?`) as separate arguments, named (`@name`, `:name`, `$name`) as
 *   one plain object (the first argument) whose keys are the bare names; undefined binds as NULL; too few
 *   or too many positional values, or a name missing from the object, is a RangeError (no object at all
 *   for named parameters: a TypeError); a string holding two statements is refused by prepare();
 * - an SQLite error carries `code`, the result code's name as SQLite spells it ('SQLITE_BUSY',
 *   'SQLITE_CONSTRAINT_UNIQUE'): see sqliteCode();
 * - transaction() has better-sqlite3's semantics: BEGIN (IMMEDIATE when asked) … COMMIT, ROLLBACK on a
 *   throw, and a transaction inside another is a SAVEPOINT that undoes only its own writes (group commit
 *   relies on that).
 */

export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqliteStatement {
  run(...params: unknown[]): RunResult;
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** From now on rows are arrays of the column values in SELECT order (returns this statement). */
  raw(): SqliteStatement;
  /** From now on each row is its first column's value only (returns this statement). */
  pluck(): SqliteStatement;
}

export type TransactionMode = 'deferred' | 'immediate';

export interface SqliteDatabase {
  /** Which driver this handle is on (for logs, tests and the bench). */
  readonly driver: SqliteDriverName;
  /** False once close() ran. */
  readonly open: boolean;
  /** True between BEGIN and COMMIT/ROLLBACK, whoever began it. */
  readonly inTransaction: boolean;
  /** Run SQL text that may hold several statements, with no parameters and no result. */
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /** `PRAGMA <text>`: the first column of the first row it returns (undefined when none). */
  pragma(text: string): unknown;
  /**
   * Run `fn` in a transaction and return what it returns: committed when it returns, rolled back when it
   * throws (the error is rethrown). Inside another transaction it is a savepoint instead, and `mode` is
   * moot. `fn` must be synchronous: a transaction never spans an await.
   */
  transaction<T>(fn: () => T, mode?: TransactionMode): T;
  /** Closing a closed handle does nothing. */
  close(): void;
}

export interface SqliteOpenOptions {
  /** Open read-only; the file must exist. */
  readonly?: boolean;
}

export interface SqliteDriver {
  readonly name: SqliteDriverName;
  /** Open (and create, unless read-only) a database file, with busy_timeout at 5000 ms. */
  open(file: string, options?: SqliteOpenOptions): SqliteDatabase;
}

/** The SQLite result code name of an error from either driver ('SQLITE_BUSY', …), or undefined. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Busy-wait time both drivers set at open, the same as better-sqlite3's own default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
