/**
 * The dashboard's event long polls (GET /api/dashboard/events?after=&waitMs=) held by this hub process, and
 * the one watcher that looks at the database for all of them, as change-watch.ts does for push-down.
 *
 * Each tick (every EVENTS_POLL_MS while any poll waits) is one query: the newest event id, a primary-key
 * lookup. Only when it has risen past what a poll has already been checked against is that poll's own query
 * run again, once for all the polls that ask the same thing (same filters, same `after`: the tabs of one
 * view). So ten open tabs cost one query per tick while nothing happens, not ten; and the query that
 * decides what a tab sees is still the vault's own (queryEvents), not a copy of its filters here.
 *
 * Nothing is kept that another process would need: every answer comes from the database, and an event
 * written through any hub process (or straight into the database) raises the newest id this one reads.
 */
import type { EventQuery, EventRecord } from '../domain/types';

export interface EventSource {
  /** The newest event's id (0: none yet). */
  latestEventId(): Promise<number>;
  queryEvents(q: EventQuery): Promise<EventRecord[]>;
}

/** The timers the watch runs on (tests hand in manual ones). */
export interface WatchTimers {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const REAL_TIMERS: WatchTimers = { now: Date.now, setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) };

interface Waiter {
  /** The query as text: polls that ask the same thing share one read. */
  key: string;
  query: EventQuery & { afterId: number };
  /** The newest id this poll's query has already been answered against. */
  checkedUpTo: number;
  until: number;
  gone: () => boolean;
  resolve(events: EventRecord[]): void;
}

export class EventWatch {
  private readonly waiters = new Set<Waiter>();
  private timer?: unknown;
  private ticking = false;
  private tickDone: Promise<void> = Promise.resolve();

  constructor(private readonly source: EventSource, private readonly pollMs: number, private readonly timers: WatchTimers = REAL_TIMERS) {}

  /** Open polls (tests, metrics). */
  get size(): number {
    return this.waiters.size;
  }

  /**
   * The events `query` finds after `query.afterId`, once there are any; [] when `waitMs` passes or `gone()`
   * says the peer left (or the hub is closing). The caller has just run the query itself and found none:
   * `checkedUpTo` is the newest id it knew of then (0 if it does not know), so the first tick looks again.
   */
  wait(query: EventQuery & { afterId: number }, waitMs: number, gone: () => boolean): Promise<EventRecord[]> {
    if (waitMs <= 0 || gone()) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.waiters.add({ key: JSON.stringify(query, Object.keys(query).sort()), query, checkedUpTo: 0, until: this.timers.now() + waitMs, gone, resolve });
      this.timer ??= this.timers.setInterval(() => { if (!this.ticking) this.tickDone = this.look(); }, this.pollMs);
    });
  }

  /** Resolves once the tick in flight, if any, has finished (tests step through ticks one at a time). */
  idle(): Promise<void> {
    return this.tickDone;
  }

  /** One tick; ticks never overlap (a slow database skips ticks rather than piling them up). */
  private async look(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.expire();
      if (this.waiters.size === 0) return;
      const newest = await this.source.latestEventId();
      const due = new Map<string, Waiter[]>();
      for (const w of this.waiters) {
        if (newest <= w.query.afterId || newest <= w.checkedUpTo) continue;
        const list = due.get(w.key);
        if (list) list.push(w);
        else due.set(w.key, [w]);
      }
      for (const list of due.values()) {
        const found = await this.source.queryEvents(list[0].query);
        for (const w of list) {
          w.checkedUpTo = newest;
          if (found.length > 0 && this.waiters.has(w)) this.answer(w, found);
        }
      }
    } catch {
      // The database did not answer this tick: the polls stay open and the next tick tries again; each still
      // ends at its deadline.
    } finally {
      this.expire();
      if (this.waiters.size === 0) this.stop();
      this.ticking = false;
    }
  }

  private answer(w: Waiter, events: EventRecord[]): void {
    this.waiters.delete(w);
    w.resolve(events);
  }

  private stop(): void {
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Answer the polls whose wait is over or whose peer has gone. */
  private expire(): void {
    const now = this.timers.now();
    for (const w of this.waiters) if (now >= w.until || w.gone()) this.answer(w, []);
  }
}
