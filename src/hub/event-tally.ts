/**
 * Events by kind and outcome, counted from the database's events table so that every hub process on one
 * database reports the same totals, without a full scan per scrape.
 *
 * Events are only ever appended, with increasing ids, so each collect counts only the ids above the
 * highest it has seen (a range of the primary key) and adds that slice to the totals. But on PostgreSQL a
 * transaction that took a lower id may commit after a higher one is visible: a slice can miss a row that
 * commits late. So each slice is provisional: once it is SETTLE_MS old, its id range is counted again
 * (one range query for all the ripe slices) and that exact count replaces it. A row committed within
 * SETTLE_MS of its slice is counted then. Totals never go down (a recount only finds more rows), and a
 * process's first collect is the only full count (plus its recount SETTLE_MS later).
 */
import type { HubStore } from './store';

export const SETTLE_MS = 30_000;
/**
 * Ids per query. SQLite runs a query on the event loop (both drivers are synchronous): a first count of a
 * million events in one query would hold every request for a second; in ranges of this many ids, each waits
 * tens of ms at most.
 */
export const COUNT_CHUNK_IDS = 20_000;

export interface EventTotal { kind: string; outcome: string; n: number }

/** Ids in (from, to], counted at `at`. */
interface Slice { from: number; to: number; at: number; counts: EventTotal[] }

export class EventTally {
  /** Exact counts of the ids up to settledId. */
  private settledId = 0;
  private readonly settled = new Map<string, EventTotal>();
  /** Provisional slices above settledId, oldest first, contiguous. */
  private slices: Slice[] = [];

  constructor(private readonly store: HubStore, private readonly now: () => number = Date.now) {}

  async collect(): Promise<EventTotal[]> {
    const now = this.now();
    await this.settle(now);
    const from = this.slices.length ? this.slices[this.slices.length - 1].to : this.settledId;
    const to = Math.max(from, await this.store.maxEventId());
    // An empty slice still marks the time: it is recounted like any other.
    this.slices.push({ from, to, at: now, counts: [...(await this.count(from, to)).values()] });
    const totals = new Map<string, EventTotal>();
    for (const t of this.settled.values()) add(totals, t);
    for (const s of this.slices) for (const r of s.counts) add(totals, r);
    return [...totals.values()];
  }

  /** Recount the slices that are SETTLE_MS old, as one range, and keep that exact count. */
  private async settle(now: number): Promise<void> {
    const ripe = this.slices.filter((s) => s.at <= now - SETTLE_MS);
    if (ripe.length === 0) return;
    const upTo = ripe[ripe.length - 1].to;
    if (upTo > this.settledId) {
      for (const r of (await this.count(this.settledId, upTo)).values()) add(this.settled, r);
      this.settledId = upTo;
    }
    this.slices = this.slices.slice(ripe.length);
  }

  /** Events with from < id <= to by kind and outcome, COUNT_CHUNK_IDS ids per query, the event loop free between. */
  private async count(from: number, to: number): Promise<Map<string, EventTotal>> {
    const out = new Map<string, EventTotal>();
    let a = from;
    while (a < to) {
      if (a > from) await new Promise((r) => setImmediate(r));
      const b = Math.min(a + COUNT_CHUNK_IDS, to);
      const rows = await this.store.eventCounts(a, b);
      for (const r of rows) add(out, r);
      // An empty range may be the start of a long gap in the ids: go on from the next id there is.
      a = rows.length > 0 ? b : Math.min(to, ((await this.store.eventIdAfter(b)) ?? to + 1) - 1);
    }
    return out;
  }
}

const key = (t: { kind: string; outcome: string }) => `${t.kind}\u0000${t.outcome}`;

function add(into: Map<string, EventTotal>, r: EventTotal): void {
  const k = key(r);
  const t = into.get(k);
  if (t) t.n += r.n;
  else into.set(k, { kind: r.kind, outcome: r.outcome, n: r.n });
}
