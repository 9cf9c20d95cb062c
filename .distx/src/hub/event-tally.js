"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EventTally = exports.COUNT_CHUNK_IDS = exports.SETTLE_MS = void 0;
exports.SETTLE_MS = 30_000;
/**
 * Ids per query. SQLite runs a query on the event loop (both drivers are synchronous): a first count of a
 * million events in one query would hold every request for a second; in ranges of this many ids, each waits
 * tens of ms at most.
 */
exports.COUNT_CHUNK_IDS = 20_000;
class EventTally {
    store;
    now;
    /** Exact counts of the ids up to settledId. */
    settledId = 0;
    settled = new Map();
    /** Provisional slices above settledId, oldest first, contiguous. */
    slices = [];
    constructor(store, now = Date.now) {
        this.store = store;
        this.now = now;
    }
    async collect() {
        const now = this.now();
        await this.settle(now);
        const from = this.slices.length ? this.slices[this.slices.length - 1].to : this.settledId;
        const to = Math.max(from, await this.store.maxEventId());
        // An empty slice still marks the time: it is recounted like any other.
        this.slices.push({ from, to, at: now, counts: [...(await this.count(from, to)).values()] });
        const totals = new Map();
        for (const t of this.settled.values())
            add(totals, t);
        for (const s of this.slices)
            for (const r of s.counts)
                add(totals, r);
        return [...totals.values()];
    }
    /** Recount the slices that are SETTLE_MS old, as one range, and keep that exact count. */
    async settle(now) {
        const ripe = this.slices.filter((s) => s.at <= now - exports.SETTLE_MS);
        if (ripe.length === 0)
            return;
        const upTo = ripe[ripe.length - 1].to;
        if (upTo > this.settledId) {
            for (const r of (await this.count(this.settledId, upTo)).values())
                add(this.settled, r);
            this.settledId = upTo;
        }
        this.slices = this.slices.slice(ripe.length);
    }
    /** Events with from < id <= to by kind and outcome, COUNT_CHUNK_IDS ids per query, the event loop free between. */
    async count(from, to) {
        const out = new Map();
        let a = from;
        while (a < to) {
            if (a > from)
                await new Promise((r) => setImmediate(r));
            const b = Math.min(a + exports.COUNT_CHUNK_IDS, to);
            const rows = await this.store.eventCounts(a, b);
            for (const r of rows)
                add(out, r);
            // An empty range may be the start of a long gap in the ids: go on from the next id there is.
            a = rows.length > 0 ? b : Math.min(to, ((await this.store.eventIdAfter(b)) ?? to + 1) - 1);
        }
        return out;
    }
}
exports.EventTally = EventTally;
const key = (t) => `${t.kind}\u0000${t.outcome}`;
function add(into, r) {
    const k = key(r);
    const t = into.get(k);
    if (t)
        t.n += r.n;
    else
        into.set(k, { kind: r.kind, outcome: r.outcome, n: r.n });
}
//# sourceMappingURL=event-tally.js.map