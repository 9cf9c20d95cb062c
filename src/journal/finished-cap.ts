/**
 * A count bound on the journal's finished rows. The service's hourly purge drops done/superseded rows
 * older than max(maxEventAge, 1 day): at a steady high rate of changes that keeps a day of rows, so
 * state.db grows with the rate (about 200 bytes a row, 1.7 GB a day at 100 changes/s). This keeps at
 * most `keep` of the newest rows besides, whatever their age: the oldest finished rows beyond that go,
 * in small steps that ride along in the transactions that commit the marks (no extra fsync, no long
 * stall; a step may drop more rows than a commit finishes, so the bound catches up). SQLite reuses the
 * freed pages, so the file stops growing at about `keep` rows plus the backlog.
 *
 * Dropping a finished row is what the age purge does too: a capture re-sending that event id later is
 * journaled again, and the vault applies each event id once.
 */
import type { SqliteDatabase } from '../sqlite/database';

/** Finished rows kept whatever their age: months of an ordinary machine's changes, some 20 MB. */
export const DEFAULT_KEEP_FINISHED = 100_000;
/** Rows dropped at most per trim: a few ms, in a transaction that commits anyway. */
const STEP = 1_000;

export class FinishedCap {
  private readonly st;
  /**
   * Every finished row at or below this seq is gone (a trim found fewer than STEP to drop), so the next
   * walk starts above it rather than stepping over a long-pending backlog each time. Rows below it that
   * were pending then and finish later are left to the age purge; so are a rolled-back trim's rows.
   */
  private floor = 0;

  constructor(db: SqliteDatabase, private readonly keep: number = DEFAULT_KEEP_FINISHED) {
    if (!Number.isSafeInteger(keep) || keep < 1) throw new Error(`keepFinished must be a positive integer, got ${keep}`);
    this.st = {
      maxSeq: db.prepare('SELECT max(seq) FROM journal').pluck(),
      // The oldest finished rows, by a walk of the primary key: pending and dead rows on the way are kept.
      trim: db.prepare(`DELETE FROM journal WHERE seq IN (SELECT seq FROM journal
        WHERE seq > ? AND seq <= ? AND state IN ('done', 'superseded') ORDER BY seq LIMIT ${STEP})`),
    };
  }

  /** Inside the transaction that commits marks: drop up to STEP finished rows older than the newest `keep`. */
  trim(): number {
    const max = (this.st.maxSeq.get() as number | null) ?? 0;
    const bound = max - this.keep;
    if (bound <= this.floor) return 0;
    const dropped = this.st.trim.run(this.floor, bound).changes;
    if (dropped < STEP) this.floor = bound;
    return dropped;
  }
}
