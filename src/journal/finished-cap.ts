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
   * The trim walks the journal in passes, from its oldest row up to the bound, WINDOW seq numbers a
   * step, and starts each pass again from the oldest row: a row that was still pending (a backlog) or
   * whose delete rolled back when a pass went by is dropped by a later one. The cost of a step is its
   * window, whatever the backlog.
   */
  private cursor = 0;
  private droppedThisPass = 0;
  /** A pass that found nothing to drop: no walk until this many rows exist (STEP more). */
  private restUntilMax = 0;

  constructor(db: SqliteDatabase, private readonly keep: number = DEFAULT_KEEP_FINISHED) {
    if (!Number.isSafeInteger(keep) || keep < 1) throw new Error(`keepFinished must be a positive integer, got ${keep}`);
    this.st = {
      maxSeq: db.prepare('SELECT max(seq) FROM journal').pluck(),
      minSeq: db.prepare('SELECT min(seq) FROM journal').pluck(),
      // Finished rows in a stretch of the primary key: pending and dead rows in it are kept.
      trim: db.prepare(`DELETE FROM journal WHERE seq > ? AND seq <= ? AND state IN ('done', 'superseded')`),
    };
  }

  /** Inside the transaction that commits marks: one step of the walk over rows older than the newest `keep`. */
  trim(): number {
    const max = (this.st.maxSeq.get() as number | null) ?? 0;
    const bound = max - this.keep;
    if (bound <= 0 || max < this.restUntilMax) return 0;
    if (this.cursor >= bound) {
      // A pass ended. One that dropped nothing means nothing below the bound is finished: rest until more
      // rows came (finished rows below it are then caught by the next pass).
      if (this.droppedThisPass === 0 && this.cursor > 0) {
        this.restUntilMax = max + WINDOW;
        this.cursor = 0;
        return 0;
      }
      this.cursor = 0;
    }
    if (this.cursor === 0) {
      this.droppedThisPass = 0;
      this.cursor = ((this.st.minSeq.get() as number | null) ?? 1) - 1;
    }
    const to = Math.min(this.cursor + WINDOW, bound);
    const dropped = this.st.trim.run(this.cursor, to).changes;
    this.cursor = to;
    this.droppedThisPass += dropped;
    return dropped;
  }
}
