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
/** The stretch of seq numbers one trim looks at: a few ms, in a transaction that commits anyway. */
const WINDOW = 2_000;

export class FinishedCap {
  private readonly st;
  /**
   * Every row at or below this seq has been looked at by the walk (finished ones dropped). A row that
   * was still pending (a backlog) when the walk went by is dropped when it finishes: the journal hands
   * each finished row's seq to finished(). Rows of a trim whose transaction rolled back are left to the
   * age purge.
   */
  private walked = 0;

  constructor(db: SqliteDatabase, private readonly keep: number = DEFAULT_KEEP_FINISHED) {
    if (!Number.isSafeInteger(keep) || keep < 1) throw new Error(`keepFinished must be a positive integer, got ${keep}`);
    this.st = {
      maxSeq: db.prepare('SELECT max(seq) FROM journal').pluck(),
      minSeq: db.prepare('SELECT min(seq) FROM journal').pluck(),
      // Finished rows in a stretch of the primary key: pending and dead rows in it are kept.
      trim: db.prepare(`DELETE FROM journal WHERE seq > ? AND seq <= ? AND state IN ('done', 'superseded')`),
      dropOne: db.prepare(`DELETE FROM journal WHERE seq = ? AND state IN ('done', 'superseded')`),
    };
  }

  /** Inside the transaction that commits marks: walk one more stretch of the rows older than the newest `keep`. */
  trim(): number {
    const max = (this.st.maxSeq.get() as number | null) ?? 0;
    const bound = max - this.keep;
    if (bound <= this.walked) return 0;
    if (this.walked === 0) this.walked = ((this.st.minSeq.get() as number | null) ?? 1) - 1;
    const to = Math.min(this.walked + WINDOW, bound);
    const dropped = this.st.trim.run(this.walked, to).changes;
    this.walked = to;
    return dropped;
  }

  /** Inside the same transaction: a row just marked done or superseded. Behind the walk, it goes now. */
  finished(seq: number | undefined): void {
    if (seq !== undefined && seq <= this.walked) this.st.dropOne.run(seq);
  }
}
