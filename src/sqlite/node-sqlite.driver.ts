/**
 * The node:sqlite driver: Node's built-in SQLite (DatabaseSync), which the Windows package runs on (its
 * node.exe has no better-sqlite3 build). What it does beyond passing calls through is what makes it behave
 * like the better-sqlite3 driver (see database.ts): BLOBs as Buffers (a view of node:sqlite's Uint8Array,
 * no copy), rows as plain objects (node:sqlite's have a null prototype), bound values checked against the
 * statement's parameters, SQLite result code names in `err.code`, one statement per prepare().
 */
import { DEFAULT_BUSY_TIMEOUT_MS, type RunResult, type SqliteDatabase, type SqliteDriver, type SqliteOpenOptions, type SqliteStatement, type TransactionMode } from './database';
import { statementParameters, type StatementParameters } from './parameters';
import { resultCodeName } from './result-codes';
import { Transactions } from './transaction';

/** The part of node:sqlite used here (typed by hand: @types/node 20 has no node:sqlite). */
interface StatementSync {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  setReturnArrays(enabled: boolean): void;
  /** A getter in current releases, a method in the first ones. */
  readonly sourceSQL: string | (() => string);
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
}
interface NodeSqliteModule {
  DatabaseSync: new (file: string, options?: { readOnly?: boolean }) => DatabaseSync;
}

/**
 * Load node:sqlite and check it has what this driver uses (isTransaction, setReturnArrays: the first
 * unflagged 22.x releases lack them). Throws with the reason when it cannot serve.
 */
export function loadNodeSqliteDriver(): SqliteDriver {
  const mod = requireQuietly();
  const probe = new mod.DatabaseSync(':memory:');
  const missing = [
    typeof probe.isTransaction === 'boolean' ? '' : 'DatabaseSync.isTransaction',
    typeof probe.prepare('SELECT 1').setReturnArrays === 'function' ? '' : 'StatementSync.setReturnArrays',
  ].filter(Boolean);
  probe.close();
  if (missing.length) throw new Error(`node:sqlite of Node ${process.version} lacks ${missing.join(' and ')}`);
  return { name: 'node:sqlite', open: (file, options) => new NodeSqliteDatabase(mod, file, options) };
}

/**
 * require('node:sqlite') without its "SQLite is an experimental feature" ExperimentalWarning: the
 * service's stderr is read by administrators, and the module is no experiment for pwbridge (it runs the
 * same suites as better-sqlite3). Every other warning, during the load or after, goes through as before.
 */
function requireQuietly(): NodeSqliteModule {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return require('node:sqlite') as NodeSqliteModule;
  } finally {
    process.emitWarning = emitWarning;
  }
}

function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning?.message;
  const type = typeof warning === 'string'
    ? (typeof typeOrOptions === 'string' ? typeOrOptions : (typeOrOptions as { type?: unknown } | undefined)?.type)
    : warning?.name;
  return type === 'ExperimentalWarning' && typeof message === 'string' && message.startsWith('SQLite is an experimental feature');
}

class NodeSqliteDatabase implements SqliteDatabase {
  readonly driver = 'node:sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly tx: Transactions;

  constructor(mod: NodeSqliteModule, file: string, options: SqliteOpenOptions = {}) {
    this.db = translate(() => new mod.DatabaseSync(file, { readOnly: options.readonly === true }));
    try {
      this.db.exec(`PRAGMA busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`);
      const db = this.db;
      this.tx = new Transactions({
        get inTransaction() { return db.isTransaction; },
        prepare: (sql) => {
          const st = translate(() => db.prepare(sql));
          return {
            run: () => {
              try {
                return st.run();
              } catch (err) {
                throw translateError(err);
              }
            },
          };
        },
      });
    } catch (err) {
      this.db.close();
      throw translateError(err);
    }
  }

  get open(): boolean { return this.db.isOpen; }
  get inTransaction(): boolean { return this.db.isTransaction; }

  exec(sql: string): void {
    translate(() => this.db.exec(sql));
  }

  prepare(sql: string): SqliteStatement {
    const st = translate(() => this.db.prepare(sql));
    // node:sqlite compiles the first statement and drops the rest without a word; better-sqlite3 refuses.
    const source = typeof st.sourceSQL === 'function' ? st.sourceSQL() : st.sourceSQL;
    if (typeof source === 'string' && sql.startsWith(source) && !/^(?:\s|;|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*$/.test(sql.slice(source.length))) {
      throw new RangeError('The supplied SQL string contains more than one statement');
    }
    return new NodeSqliteStatement(st, statementParameters(sql));
  }

  pragma(text: string): unknown {
    const st = translate(() => this.db.prepare(`PRAGMA ${text}`));
    st.setReturnArrays(true);
    const row = translate(() => st.get()) as unknown[] | undefined;
    return row?.[0];
  }

  transaction<T>(fn: () => T, mode?: TransactionMode): T {
    return this.tx.run(fn, mode);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

type Shape = 'object' | 'array' | 'first';

class NodeSqliteStatement implements SqliteStatement {
  private shape: Shape = 'object';

  constructor(private readonly st: StatementSync, private readonly params: StatementParameters) {}

  // try/catch written out in these three (not translate()): they are the hot path.
  run(...params: unknown[]): RunResult {
    const args = this.bind(params);
    try {
      return this.st.run(...args);
    } catch (err) {
      throw translateError(err);
    }
  }

  get(...params: unknown[]): unknown {
    const args = this.bind(params);
    let row: unknown;
    try {
      row = this.st.get(...args);
    } catch (err) {
      throw translateError(err);
    }
    return row === undefined ? undefined : this.toRow(row);
  }

  all(...params: unknown[]): unknown[] {
    const args = this.bind(params);
    let rows: unknown[];
    try {
      rows = this.st.all(...args);
    } catch (err) {
      throw translateError(err);
    }
    for (let i = 0; i < rows.length; i++) rows[i] = this.toRow(rows[i]);
    return rows;
  }

  raw(): SqliteStatement {
    this.shape = 'array';
    this.st.setReturnArrays(true);
    return this;
  }

  pluck(): SqliteStatement {
    this.shape = 'first';
    this.st.setReturnArrays(true);
    return this;
  }

  private toRow(row: unknown): unknown {
    if (this.shape === 'first') return value((row as unknown[])[0]);
    if (this.shape === 'array') {
      const a = row as unknown[];
      for (let i = 0; i < a.length; i++) a[i] = value(a[i]);
      return a;
    }
    const out: Record<string, unknown> = {};
    const r = row as Record<string, unknown>;
    for (const k in r) out[k] = value(r[k]);
    return out;
  }

  /**
   * The values as node:sqlite should get them, held to better-sqlite3's rules: positional values match
   * the `?`s in number; named ones come in one plain object (the first argument) that holds every name,
   * and its other keys are ignored; undefined is NULL.
   */
  private bind(params: unknown[]): unknown[] {
    const { anonymous, named } = this.params;
    const bag = params.length > 0 && isPlainObject(params[0]) ? params[0] as Record<string, unknown> : undefined;
    const first = bag ? 1 : 0;
    const positional = params.length - first;
    if (positional !== anonymous) {
      throw new RangeError(`Too ${positional < anonymous ? 'few' : 'many'} parameter values were provided`);
    }
    if (named.length > 0 && !bag) throw new TypeError('Missing named parameters');
    let out = params;
    if (bag) {
      out = params.slice(named.length > 0 ? 0 : 1);
      if (named.length > 0) {
        const values: Record<string, unknown> = {};
        for (const name of named) {
          if (!(name in bag)) throw new RangeError(`Missing named parameter "${name}"`);
          values[name] = bag[name] === undefined ? null : bag[name];
        }
        out[0] = values;
      }
    }
    for (let i = out.length - positional; i < out.length; i++) {
      if (out[i] === undefined) {
        if (out === params) out = params.slice();
        out[i] = null;
      }
    }
    return out;
  }
}

/** A BLOB as a Buffer over node:sqlite's own Uint8Array (its memory is not shared with anything else). */
function value(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translateError(err);
  }
}

/** node:sqlite says ERR_SQLITE_ERROR and the number; give `code` the name better-sqlite3 gives it. */
function translateError(err: unknown): unknown {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  if (e && e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') e.code = resultCodeName(e.errcode);
  return err;
}
