/**
 * Events by kind and outcome, counted from the database's events table so that every hub process on one
 * database reports the same totals, without a full scan per scrape.
 *
 * Events are only ever appended, with increasing ids. A tally keeps the counts of ids up to a settled
 * watermark and, on each collect, recounts only the ids above it (a range of the primary key). The
 * watermark moves to the highest id seen by an earlier collect at least SETTLE_MS ago, not to the highest
 * id seen now: on PostgreSQL a transaction that took a lower id may commit after a higher one is visible,
 * and a row committed within SETTLE_MS still lands in the recounted range. Totals never go down.
 */
import type { HubStore } from './store';

export const SETTLE_MS = 30_000;

export interface EventTotal { kind: string; outcome: string; n: number }

export class EventTally {
  private settledId = 0;
  private readonly settled = new Map<string, EventTotal>();
  /** Highest id seen by each recent collect, oldest first. */
  private seen: { at: number; maxId: number }[] = [];

  constructor(private readonly store: HubStore, private readonly now: () => number = Date.now) {}

  async collect(): Promise<EventTotal[]> {
    const now = this.now();
    await this.settle(now);
    const tail = await this.store.eventCounts(this.settledId);
    const totals = new Map<string, EventTotal>();
    for (const t of this.settled.values()) totals.set(key(t), { ...t });
    let maxId = this.settledId;
    for (const r of tail) {
      add(totals, r);
      maxId = Math.max(maxId, r.maxId);
    }
    this.seen.push({ at: now, maxId });
    return [...totals.values()];
  }

  /** Move the watermark to what an earlier collect saw, once that is SETTLE_MS old. */
  private async settle(now: number): Promise<void> {
    const ripe = this.seen.filter((s) => s.at <= now - SETTLE_MS);
    if (ripe.length === 0) return;
    this.seen = this.seen.filter((s) => s.at > now - SETTLE_MS);
    const upTo = Math.max(...ripe.map((s) => s.maxId));
    if (upTo <= this.settledId) return;
    for (const r of await this.store.eventCounts(this.settledId, upTo)) add(this.settled, r);
    this.settledId = upTo;
  }
}

const key = (t: { kind: string; outcome: string }) => `${t.kind}\u0000${t.outcome}`;

function add(into: Map<string, EventTotal>, r: EventTotal): void {
  const k = key(r);
  const t = into.get(k);
  if (t) t.n += r.n;
  else into.set(k, { kind: r.kind, outcome: r.outcome, n: r.n });
}
