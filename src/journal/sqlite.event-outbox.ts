/**
 * The event outbox (state.db): every event the bridge records is written here before it goes to the
 * vault's event log, so events recorded while the vault (a hub) cannot be reached wait here, across
 * restarts, instead of being lost. Rows go to the vault in seq order, a batch at a time, and are deleted
 * once the vault took them.
 *
 * Durability: a row is queued on state.db's write-behind (src/journal/write-behind.ts) and committed
 * with the journal's marks, a few ms later; the events of those last ms die with the process, as they
 * did before (they are in pino and the OS log first either way). The delete after a delivery is lazier
 * still: a crash between the vault's commit and the delete's sends those rows again, and the vault
 * stores each event uid once.
 *
 * Bounded: past `maxRows` the oldest undelivered rows are dropped and one summary row in their place
 * says how many ("events-dropped"). Recording never waits and never fails for want of room.
 *
 * One delivery at a time per process (src/log/outbox-delivery.ts serialises them). A CLI command running
 * next to the service may deliver the same rows too: the vault's uid makes the second copy a no-op.
 */
import type { EventRecord } from '../domain/types';
import { isEventUid, newEventUid } from '../log/event-uid';
import type { Outbox, OutboxRow } from '../log/outbox-delivery';
import type { SqliteDatabase } from '../sqlite/database';
import type { WriteBehind } from './write-behind';

/** About 200–400 bytes a row: tens of MB at most, hours of a busy machine's events. */
export const DEFAULT_OUTBOX_MAX_ROWS = 50_000;
export const EVENTS_DROPPED_KIND = 'events-dropped';

export interface EventOutboxOptions {
  maxRows?: number;
  /** Called (inside the commit) after rows were dropped: how many now, and the summary's total. */
  onDropped?: (dropped: number, total: number) => void;
}

interface StoredRow { seq: number; uid: string; event: string; dropped: number }

export class SqliteEventOutbox implements Outbox {
  private readonly st;
  private readonly maxRows: number;
  /** Rows in the table as far as this process knows (checked exactly before anything is dropped). */
  private rows: number;
  /** Adds queued on the write-behind and not yet committed. */
  private unflushed = 0;
  /** Rows up to this seq were handed to a delivery (in flight or taken); take() reads after it. */
  private cursor = 0;
  /** Rows up to this seq are in the vault; their delete is queued. */
  private delivered = 0;

  constructor(db: SqliteDatabase, private readonly writes: WriteBehind, private readonly opts: EventOutboxOptions = {}) {
    this.maxRows = opts.maxRows ?? DEFAULT_OUTBOX_MAX_ROWS;
    if (!Number.isSafeInteger(this.maxRows) || this.maxRows < 2) throw new Error(`outbox maxRows must be an integer of at least 2, got ${this.maxRows}`);
    this.st = {
      insert: db.prepare('INSERT INTO event_outbox (uid, event) VALUES (?, ?)'),
      insertAt: db.prepare('INSERT INTO event_outbox (seq, uid, event, dropped) VALUES (?, ?, ?, ?)'),
      after: db.prepare('SELECT seq, uid, event, dropped FROM event_outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      count: db.prepare('SELECT count(*) FROM event_outbox').pluck(),
      countAfter: db.prepare('SELECT count(*) FROM event_outbox WHERE seq > ?').pluck(),
      anyAfter: db.prepare('SELECT 1 FROM event_outbox WHERE seq > ? LIMIT 1').pluck(),
      deleteThrough: db.prepare('DELETE FROM event_outbox WHERE seq <= ?'),
      summaryAfter: db.prepare('SELECT seq, uid, event, dropped FROM event_outbox WHERE dropped > 0 AND seq > ? ORDER BY seq LIMIT 1'),
      oldestAfter: db.prepare('SELECT seq, uid, event, dropped FROM event_outbox WHERE dropped = 0 AND seq > ? ORDER BY seq LIMIT ?'),
      dropRange: db.prepare('DELETE FROM event_outbox WHERE dropped = 0 AND seq > ? AND seq <= ?'),
      setSummary: db.prepare('UPDATE event_outbox SET event = ?, dropped = ? WHERE seq = ?'),
    };
    this.rows = this.st.count.get() as number;
  }

  /** Queue the event (it must carry its uid) for the next state.db commit. Never throws for room. */
  add(event: EventRecord): void {
    if (!isEventUid(event.uid)) throw new Error('outbox: an event needs a uid of 32 lowercase hex characters');
    const { uid, ...rest } = event;
    const json = JSON.stringify(rest);
    this.unflushed++;
    this.writes.queue(() => {
      this.unflushed = Math.max(0, this.unflushed - 1);
      this.st.insert.run(uid, json);
      if (++this.rows > this.maxRows) this.trim();
    });
  }

  /** Adds queued and not yet committed (take() does not see them). */
  queued(): number {
    return this.unflushed;
  }

  /** Commit the queued adds now (a flush before shutdown), instead of with the next commit. */
  commit(): void {
    if (this.unflushed > 0) this.writes.flush();
  }

  /**
   * The next committed rows to deliver, oldest first, after those already handed out. It does not force
   * a commit: rows wait the few ms until the next one, which they share with the journal's marks.
   */
  take(limit: number): OutboxRow[] {
    const rows = this.st.after.all(this.cursor, limit) as StoredRow[];
    if (rows.length > 0) this.cursor = rows[rows.length - 1].seq;
    return rows.map((r) => ({ seq: r.seq, event: { ...(JSON.parse(r.event) as EventRecord), uid: r.uid } }));
  }

  /** Committed rows not handed out yet (some may have been committed while a delivery was under way). */
  more(): boolean {
    return this.st.anyAfter.get(this.cursor) !== undefined;
  }

  /** The vault took every row through `seq`: forget them (the delete rides on the next commit). */
  deliveredThrough(seq: number): void {
    if (seq <= this.delivered) return;
    this.delivered = seq;
    this.cursor = Math.max(this.cursor, seq);
    this.writes.queue(() => {
      this.rows -= this.st.deleteThrough.run(seq).changes;
    }, true);
  }

  /** The vault did not take what was handed out: it is handed out again by the next take(). */
  giveBack(): void {
    this.cursor = this.delivered;
  }

  /** Rows not yet in the vault. */
  depth(): number {
    this.commit();
    return this.st.countAfter.get(this.delivered) as number;
  }

  /**
   * Inside the add's commit, once the count passed maxRows: drop the oldest rows no delivery holds and
   * fold them into one summary row placed where they were (so it goes out before everything newer).
   */
  private trim(): void {
    this.rows = this.st.count.get() as number;
    const excess = this.rows - this.maxRows;
    if (excess <= 0) return;
    const floor = this.cursor; // rows up to here are in flight or delivered: not ours to drop
    const summary = this.st.summaryAfter.get(floor) as StoredRow | undefined;
    const victims = this.st.oldestAfter.all(floor, excess + (summary ? 0 : 1)) as StoredRow[];
    if (victims.length === 0) return;
    const last = victims[victims.length - 1];
    this.st.dropRange.run(floor, last.seq);
    const total = (summary?.dropped ?? 0) + victims.length;
    const lastEvent = JSON.parse(last.event) as EventRecord;
    const said = JSON.stringify(droppedSummary(total, this.maxRows, lastEvent));
    if (summary) this.st.setSummary.run(said, total, summary.seq);
    else this.st.insertAt.run(last.seq, newEventUid(), said, total);
    this.rows += (summary ? 0 : 1) - victims.length;
    this.opts.onDropped?.(victims.length, total);
  }
}

/** The one event that stands for `total` dropped ones; its time is the last dropped one's. */
function droppedSummary(total: number, maxRows: number, last: EventRecord): Omit<EventRecord, 'uid'> {
  return {
    time: last.time,
    machine: last.machine,
    kind: EVENTS_DROPPED_KIND,
    outcome: 'failed',
    reason: `${total} event(s) recorded up to ${new Date(last.time).toISOString()} were dropped before reaching the vault: `
      + `the outbox keeps at most ${maxRows} while the vault does not take them, oldest dropped first (they are in the service's log)`,
  };
}
