/**
 * transaction() for both drivers, written once so that both keep the same semantics (better-sqlite3's):
 * the outermost call is BEGIN [IMMEDIATE] … COMMIT; a call inside an open transaction is a SAVEPOINT,
 * released when its function returns and rolled back to (and released) when it throws, so only its own
 * writes are undone; when the COMMIT itself fails (SQLITE_BUSY, a deferred foreign key) the transaction is
 * rolled back and the error thrown, so nothing of it stays half done.
 */
import type { TransactionMode } from './database';

/** What the helper needs from a driver's raw handle. */
export interface TransactionHost {
  readonly inTransaction: boolean;
  prepare(sql: string): { run(): unknown };
}

const SAVEPOINT = 'pwbridge_tx';

export class Transactions {
  private readonly begin: { run(): unknown };
  private readonly beginImmediate: { run(): unknown };
  private readonly commit: { run(): unknown };
  private readonly rollback: { run(): unknown };
  private readonly savepoint: { run(): unknown };
  private readonly release: { run(): unknown };
  private readonly rollbackTo: { run(): unknown };

  constructor(private readonly host: TransactionHost) {
    // Prepared once per handle: a transaction costs no SQL parsing.
    this.begin = host.prepare('BEGIN');
    this.beginImmediate = host.prepare('BEGIN IMMEDIATE');
    this.commit = host.prepare('COMMIT');
    this.rollback = host.prepare('ROLLBACK');
    this.savepoint = host.prepare(`SAVEPOINT ${SAVEPOINT}`);
    this.release = host.prepare(`RELEASE ${SAVEPOINT}`);
    this.rollbackTo = host.prepare(`ROLLBACK TO ${SAVEPOINT}`);
  }

  run<T>(fn: () => T, mode: TransactionMode = 'deferred'): T {
    const nested = this.host.inTransaction;
    if (nested) this.savepoint.run();
    else (mode === 'immediate' ? this.beginImmediate : this.begin).run();
    try {
      const result = fn();
      if (isThenable(result)) {
        throw new TypeError('a transaction function must be synchronous (it returned a promise): a transaction never spans an await');
      }
      (nested ? this.release : this.commit).run();
      return result;
    } catch (err) {
      // fn may have ended the transaction itself (a ROLLBACK in its SQL, or SQLite rolled back on an error).
      if (this.host.inTransaction) {
        if (nested) {
          this.rollbackTo.run();
          this.release.run();
        } else {
          this.rollback.run();
        }
      }
      throw err;
    }
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
