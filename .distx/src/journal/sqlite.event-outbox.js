"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SqliteEventOutbox = exports.EVENTS_DROPPED_KIND = exports.DEFAULT_OUTBOX_MAX_EVENTS = void 0;
const event_uid_1 = require("../log/event-uid");
/** About 300 bytes an event: tens of MB at most, hours of a busy machine's events. */
exports.DEFAULT_OUTBOX_MAX_EVENTS = 100_000;
exports.EVENTS_DROPPED_KIND = 'events-dropped';
class SqliteEventOutbox {
    writes;
    opts;
    st;
    maxEvents;
    /** Events in the table as far as this process knows (counted exactly before anything is dropped). */
    stored;
    /** Events recorded since the last commit: they become one row in the next. */
    gathered = [];
    /** Rows up to this seq were handed to a delivery (in flight or taken); take() reads after it. */
    cursor = 0;
    /** Rows up to this seq are in the vault; their delete is queued. */
    delivered = 0;
    constructor(db, writes, opts = {}) {
        this.writes = writes;
        this.opts = opts;
        this.maxEvents = opts.maxEvents ?? exports.DEFAULT_OUTBOX_MAX_EVENTS;
        if (!Number.isSafeInteger(this.maxEvents) || this.maxEvents < 2)
            throw new Error(`outbox maxEvents must be an integer of at least 2, got ${this.maxEvents}`);
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
        this.stored = this.st.total.get();
    }
    /** Gather the event (it must carry its uid) for the next state.db commit. Never throws for room. */
    add(event) {
        if (!(0, event_uid_1.isEventUid)(event.uid))
            throw new Error('outbox: an event needs a uid of 32 lowercase hex characters');
        this.gathered.push(event);
        if (this.gathered.length === 1) {
            // The closure keeps its batch: a commit that rolls back runs it again, with the same events.
            const batch = this.gathered;
            this.writes.queue(() => this.writeBatch(batch));
        }
    }
    /** Events recorded but not yet committed (take() does not see them). */
    queued() {
        return this.gathered.length;
    }
    /** Commit the gathered events now (a flush before shutdown), instead of with the next commit. */
    commit() {
        if (this.gathered.length > 0)
            this.writes.flush();
    }
    /**
     * The next committed rows to deliver, oldest first, after those already handed out: whole rows, until
     * they hold at least `limit` events (or one row, however large). It does not force a commit: events
     * wait the few ms until the next one, which they share with the journal's marks.
     */
    take(limit) {
        const out = [];
        let events = 0;
        for (const r of this.st.after.all(this.cursor, Math.max(1, limit))) {
            if (out.length > 0 && events + r.count > limit)
                break;
            out.push({ seq: r.seq, events: JSON.parse(r.events) });
            events += r.count;
        }
        if (out.length > 0)
            this.cursor = out[out.length - 1].seq;
        return out;
    }
    /** Committed rows not handed out yet (some may have been committed while a delivery was under way). */
    more() {
        return this.st.anyAfter.get(this.cursor) !== undefined;
    }
    /** The vault took every row through `seq`: forget them (the delete rides on the next commit). */
    deliveredThrough(seq) {
        if (seq <= this.delivered)
            return;
        this.delivered = seq;
        this.cursor = Math.max(this.cursor, seq);
        this.writes.queue(() => {
            for (const n of this.st.deleteThrough.all(seq))
                this.stored -= n.count;
        }, true);
    }
    /** The vault did not take what was handed out: it is handed out again by the next take(). */
    giveBack() {
        this.cursor = this.delivered;
    }
    /** Events not yet in the vault. */
    depth() {
        this.commit();
        return this.st.totalAfter.get(this.delivered);
    }
    /** Inside a commit: the events gathered since the last one, as one row. */
    writeBatch(events) {
        if (this.gathered === events)
            this.gathered = [];
        if (events.length === 0)
            return;
        const seq = Number(this.st.insert.run(JSON.stringify(events), events.length).lastInsertRowid);
        this.stored += events.length;
        if (this.stored > this.maxEvents)
            this.trim(seq);
    }
    /**
     * Inside the commit, once the count passed maxEvents: drop the oldest rows no delivery holds (never the
     * one just written) and fold them into one summary event placed where they were, so it goes out
     * before everything newer.
     */
    trim(newest) {
        this.stored = this.st.total.get();
        const floor = this.cursor; // rows up to here are in flight or delivered: not ours to drop
        const summary = this.st.summaryAfter.get(floor);
        let excess = this.stored - this.maxEvents + (summary ? 0 : 1);
        if (excess <= 0)
            return;
        const victims = [];
        for (const r of this.st.oldestAfter.all(floor, newest)) {
            if (excess <= 0)
                break;
            victims.push(r);
            excess -= r.count;
        }
        if (victims.length === 0)
            return;
        const last = victims[victims.length - 1];
        const droppedNow = victims.reduce((n, r) => n + r.count, 0);
        this.st.dropRange.run(floor, last.seq);
        const total = (summary?.dropped ?? 0) + droppedNow;
        const lastEvents = JSON.parse(last.events);
        const said = JSON.stringify([droppedSummary(total, this.maxEvents, lastEvents[lastEvents.length - 1], summary)]);
        if (summary)
            this.st.setSummary.run(said, total, summary.seq);
        else
            this.st.insertAt.run(last.seq, said, total);
        this.stored += (summary ? 0 : 1) - droppedNow;
        this.opts.onDropped?.(droppedNow, total);
    }
}
exports.SqliteEventOutbox = SqliteEventOutbox;
/** The one event that stands for `total` dropped ones (its uid kept as it grows); its time is the last dropped one's. */
function droppedSummary(total, maxEvents, last, prior) {
    const uid = prior ? JSON.parse(prior.events)[0].uid : (0, event_uid_1.newEventUid)();
    return {
        time: last.time,
        machine: last.machine,
        kind: exports.EVENTS_DROPPED_KIND,
        outcome: 'failed',
        reason: `${total} event(s) recorded up to ${new Date(last.time).toISOString()} were dropped before reaching the vault: `
            + `the outbox keeps at most ${maxEvents} while the vault does not take them, oldest dropped first (they are in the service's log)`,
        uid,
    };
}
//# sourceMappingURL=sqlite.event-outbox.js.map