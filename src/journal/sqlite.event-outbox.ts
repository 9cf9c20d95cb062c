/**
 * The event outbox (state.db): every event the bridge records is written here before it goes to the
 * vault's event log, so events recorded while the vault (a hub) cannot be reached wait here, across
 * restarts, instead of being lost. Rows go to the vault in seq order, a batch at a time, and are deleted
 * once the vault took them.
 *
 * Durability: events are gathered in memory and written as ONE row on state.db's write-behind
 * (src/journal/write-behind.ts), in the commit the journal's marks make a few ms later: no statement
 * and no fsync of their own. The events of those last ms die with the process, as they did before
 * (they are in pino and the OS log first either way). The delete after a delivery is lazier still: a
 * crash between the vault's commit and the delete sends those events again, and the vault stores each
 * event uid once.
 *
 * Bounded: past `maxEvents` the oldest undelivered rows are dropped and one summary event in their place
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

/** About 300 bytes an event: tens of MB at most, hours of a busy machine's events. */
export const DEFAULT_OUTBOX_MAX_EVENTS = 100_000;
export const EVENTS_DROPPED_KIND = 'events-dropped';

export interface EventOutboxOptions {
  maxEvents?: number;
  /** Called (inside the commit) after events were dropped: how many now, and the summary's total. */
  onDropped?: (dropped: number, total: number) => void;
}

interface StoredRow { seq: number; events: string; count: number; dropped: number }

export class SqliteEventOutbox implements Outbox {
  private readonly st;
  private readonly maxEvents: number;
  /** Events in the table as far as this process knows (counted exactly before anything is dropped). */
  private stored: number;
  /** Events recorded since the last commit: they become one row in the next. */
  private gathered: EventRecord[] = [];
  /** Rows up to this seq were handed to a delivery (in flight or taken); take() reads after it. */
  private cursor = 0;
  /** Rows up to this seq are in the vault; their delete is queued. */
  private delivered = 0;

  constructor(db: SqliteDatabase, private readonly writes: WriteBehind, private readonly opts: EventOutboxOptions = {}) {
    this.maxEvents = opts.maxEvents ?? DEFAULT_OUTBOX_MAX_EVENTS;
    if (!Number.isSafeInteger(this.maxEvents) || this.maxEvents < 2) throw new Error(`outbox maxEvents must be an integer of at least 2, got ${this.maxEvents}`);
    this.st = {
      insert: db.prepare('INSERT INTO event_outbox (events, count) VALUES (?, ?)'),
      insertAt: db.prepare('INSERT INTO event_outbox (seq, events, count, dropped) VALUES (?, ?, 1, ?)'),
      after: db.prepare('SELECT seq, events, count, dropped FROM event_outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      total: db.prepare('SELECT coalesce(sum(count), 0) FROM event_outbox').pluck(),
      totalAfter: db.prepare('SELECT coalesce(sum(count), 0) FROM event_outbox WHERE seq > ?').pluck(),
      anyAfter: db.prepare('SELECT 1 FROM event_outbox WHERE seq > ? LIMIT 1').pluck(),
      deleteThrough: db.prepare('DELETE FROM event_outbox WHERE seq <= ? RETURNING count'),
      summaryAfter: db.prepare('SELECT seq, events, count, dropped FROM event_outbox WHERE dropped > 0 AND seq > ? ORDER BY seq LIMIT 1'),
      oldestAfter: db.prepare('SELECT seq, events, count, dropped FROM event_outbox WHERE dropped = 0 AND seq > ? AND seq < ? ORDER BY seq'),
      dropRange: db.prepare('DELETE FROM event_outbox WHERE dropped = 0 AND seq > ? AND seq <= ?'),
      setSummary: db.prepare('UPDATE event_outbox SET events = ?, dropped = ? WHERE seq = ?'),
    };
    this.stored = this.st.total.get() as number;
  }

  /** Gather the event (it must carry its uid) for the next state.db commit. Never throws for room. */
  add(event: EventRecord): void {
    if (!isEventUid(event.uid)) throw new Error('outbox: an event needs a uid of 32 lowercase hex characters');
    this.gathered.push(event);
    if (this.gathered.length === 1) {
      // The closure keeps its batch: a commit that rolls back runs it again, with the same events.
      const batch = this.gathered;
      this.writes.queue(() => this.writeBatch(batch));
    }
  }

  /** Events recorded but not yet committed (take() does not see them). */
  queued(): number {
    return this.gathered.length;
  }

  /** Commit the gathered events now (a flush before shutdown), instead of with the next commit. */
  commit(): void {
    if (this.gathered.length > 0) this.writes.flush();
  }

  /**
   * The next committed rows to deliver, oldest first, after those already handed out: whole rows, until
   * they hold at least `limit` events (or one row, however large). It does not force a commit: events
   * wait the few ms until the next one, which they share with the journal's marks.
   */
  take(limit: number): OutboxRow[] {
    const out: OutboxRow[] = [];
    let events = 0;
    for (const r of this.st.after.all(this.cursor, Math.max(1, limit)) as StoredRow[]) {
      if (out.length > 0 && events + r.count > limit) break;
      out.push({ seq: r.seq, events: JSON.parse(r.events) as EventRecord[] });
      events += r.count;
    }
    if (out.length > 0) this.cursor = out[out.length - 1].seq;
    return out;
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
      for (const n of this.st.deleteThrough.all(seq) as Array<{ count: number }>) this.stored -= n.count;
    }, true);
  }

  /** The vault did not take what was handed out: it is handed out again by the next take(). */
  giveBack(): void {
    this.cursor = this.delivered;
  }

  /** Events not yet in the vault. */
  depth(): number {
    this.commit();
    return this.st.totalAfter.get(this.delivered) as number;
  }

  /** Inside a commit: the events gathered since the last one, as one row. */
  private writeBatch(events: EventRecord[]): void {
    if (this.gathered === events) this.gathered = [];
    if (events.length === 0) return;
    const seq = Number(this.st.insert.run(JSON.stringify(events), events.length).lastInsertRowid);
    this.stored += events.length;
    if (this.stored > this.maxEvents) this.trim(seq);
  }

  /**
   * Inside the commit, once the count passed maxEvents: drop the oldest rows no delivery holds (never the
   * one just written) and fold them into one summary event placed where they were, so it goes out
   * before everything newer.
   */
  private trim(newest: number): void {
    this.stored = this.st.total.get() as number;
    const floor = this.cursor; // rows up to here are in flight or delivered: not ours to drop
    const summary = this.st.summaryAfter.get(floor) as StoredRow | undefined;
    let excess = this.stored - this.maxEvents + (summary ? 0 : 1);
    if (excess <= 0) return;
    const victims: StoredRow[] = [];
    for (const r of this.st.oldestAfter.all(floor, newest) as StoredRow[]) {
      if (excess <= 0) break;
      victims.push(r);
      excess -= r.count;
    }
    if (victims.length === 0) return;
    const last = victims[victims.length - 1];
    const droppedNow = victims.reduce((n, r) => n + r.count, 0);
    this.st.dropRange.run(floor, last.seq);
    const total = (summary?.dropped ?? 0) + droppedNow;
    const lastEvents = JSON.parse(last.events) as EventRecord[];
    const said = JSON.stringify([droppedSummary(total, this.maxEvents, lastEvents[lastEvents.length - 1], summary)]);
    if (summary) this.st.setSummary.run(said, total, summary.seq);
    else this.st.insertAt.run(last.seq, said, total);
    this.stored += (summary ? 0 : 1) - droppedNow;
    this.opts.onDropped?.(droppedNow, total);
  }
}

/** The one event that stands for `total` dropped ones (its uid kept as it grows); its time is the last dropped one's. */
function droppedSummary(total: number, maxEvents: number, last: EventRecord, prior: StoredRow | undefined): EventRecord {
  const uid = prior ? (JSON.parse(prior.events) as EventRecord[])[0].uid : newEventUid();
  return {
    time: last.time,
    machine: last.machine,
    kind: EVENTS_DROPPED_KIND,
    outcome: 'failed',
    reason: `${total} event(s) recorded up to ${new Date(last.time).toISOString()} were dropped before reaching the vault: `
      + `the outbox keeps at most ${maxEvents} while the vault does not take them, oldest dropped first (they are in the service's log)`,
    uid,
  };
}
