/**
 * The node:sqlite driver: Node's built-in SQLite (DatabaseSync), which the Windows package runs on (its
 * node.exe has no better-sqlite3 build). What it does beyond passing calls through is what makes it behave
 * like the better-sqlite3 driver (see database.ts): one statement per prepare(), SQLite result code names
 * in `err.code`, a 5 s busy timeout, and statements held to the same rules (node-sqlite.statement.ts).
 */
import { DEFAULT_BUSY_TIMEOUT_MS, type SqliteDatabase, type SqliteDriver, type SqliteOpenOptions, type SqliteStatement, type TransactionMode } from './database';
import { NodeSqliteStatement, translateError, type StatementSync } from './node-sqlite.statement';
import { statementParameters } from './parameters';
import { Transactions } from './transaction';

/** The part of node:sqlite's DatabaseSync used here (typed by hand: @types/node 20 has no node:sqlite). */
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
 * Load node:sqlite and check it has what this driver uses (DatabaseSync.isTransaction and
 * StatementSync.setReturnArrays, which earlier releases of node:sqlite lack). Throws with the reason when
 * it cannot serve; the pinned Node 22.23.3 (packaging/node-runtimes.json) has both.
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
    // eslint-disable-next-line @typescript-eslint/no-require-imports
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
  // better-sqlite3 answers false on a closed database; node:sqlite throws. The seam answers as the former.
  get inTransaction(): boolean { return this.db.isOpen && this.db.isTransaction; }

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

/** fn's result, or its error with the SQLite result code name in `code`. */
function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translateError(err);
  }
}
