"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EventLog = void 0;
const event_uid_1 = require("./event-uid");
/**
 * The event log: every decision goes to pino, the OS's log, and the vault's event table (what
 * `pwbridge events` and the hub read) by way of the outbox in state.db, so an event recorded while the
 * vault cannot be reached is delivered when it can be, after restarts too. Recording never waits and
 * never throws; `flush()` lets a caller (shutdown, tests, the CLI) wait until everything recorded so far
 * is in the vault, or the vault refused to take it now (it stays in the outbox).
 */
class EventLog {
    outbox;
    delivery;
    machine;
    log;
    os;
    /** `os`: the OS's own event log (Windows), fed the same records; it never throws or blocks either. */
    constructor(outbox, delivery, machine, log, os) {
        this.outbox = outbox;
        this.delivery = delivery;
        this.machine = machine;
        this.log = log;
        this.os = os;
    }
    /** The uid is always a new one: an event is recorded once, here. */
    record(event) {
        const full = { ...event, time: event.time ?? Date.now(), machine: this.machine, uid: (0, event_uid_1.newEventUid)() };
        const level = full.outcome === 'failed' ? 'warn' : full.outcome === 'refused' ? 'warn' : 'info';
        this.log[level]({ event: full }, full.kind);
        this.os?.record(full);
        try {
            this.outbox.add(full);
        }
        catch (err) {
            this.log.error({ err: { message: err.message }, event: { kind: full.kind, uid: full.uid } }, 'event outbox: cannot queue an event');
            return;
        }
        this.delivery.poke();
    }
    /** Everything recorded so far into the outbox, then as much of the outbox into the vault as it takes. */
    async flush() {
        const delivered = await this.delivery.drain();
        if (!delivered)
            this.log.warn('event log: the vault did not take every event now; the rest stay in the outbox for the service');
    }
}
exports.EventLog = EventLog;
//# sourceMappingURL=event-log.js.map