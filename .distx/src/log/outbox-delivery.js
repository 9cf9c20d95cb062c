"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OutboxDelivery = exports.OUTBOX_BATCH = void 0;
const errors_1 = require("../vault/errors");
/** Events per appendEvents call (whole rows, so one large row may make more): one vault transaction, one request to a hub (which takes up to 2,000; the adapter splits more). */
exports.OUTBOX_BATCH = 500;
/**
 * Moves events from the outbox to the vault's event log, a batch at a time, in order. One pass at a time
 * (a later call waits for the running one), so a batch is never sent twice by this process at once and
 * the vault gets them in outbox order. It never records an event about itself: a vault that is away
 * would otherwise fill the outbox with news of its own absence. Failures go to pino only.
 */
class OutboxDelivery {
    outbox;
    vault;
    log;
    batch;
    chain = Promise.resolve();
    poked;
    constructor(outbox, vault, log, batch = exports.OUTBOX_BATCH) {
        this.outbox = outbox;
        this.vault = vault;
        this.log = log;
        this.batch = batch;
    }
    /** New rows were queued. Whoever runs delivery on a schedule (startEventDelivery) listens here. */
    poke() {
        this.poked?.();
    }
    onPoke(listener) {
        this.poked = listener;
    }
    /** One batch to the vault. */
    pass() {
        const p = this.chain.then(() => this.sendBatch());
        this.chain = p.catch(() => undefined);
        return p;
    }
    /** Rows recorded but not committed yet (the scheduled delivery comes back for them). */
    queued() {
        return this.outbox.queued();
    }
    /**
     * Everything recorded until now, committed at once, then passes until the outbox is empty (true) or the
     * vault did not take a batch (false). For a flush (shutdown, the CLI, tests), not for the steady state.
     */
    async drain() {
        try {
            this.outbox.commit();
        }
        catch (err) {
            this.log.error({ err: { message: err.message } }, 'event outbox: cannot commit it');
            return false;
        }
        for (;;) {
            const r = await this.pass();
            if ('failed' in r)
                return false;
            if (!r.more)
                return true;
        }
    }
    async sendBatch() {
        let rows;
        try {
            rows = this.outbox.take(this.batch);
        }
        catch (err) {
            this.log.error({ err: { message: err.message } }, 'event outbox: cannot read it');
            return { failed: err };
        }
        if (rows.length === 0)
            return { sent: 0, more: false };
        const events = rows.flatMap((r) => r.events);
        try {
            await this.vault.appendEvents(events);
        }
        catch (err) {
            if (err instanceof errors_1.VaultInputError)
                return this.oneByOne(rows);
            this.outbox.giveBack();
            return { failed: err };
        }
        this.outbox.deliveredThrough(rows[rows.length - 1].seq);
        return { sent: events.length, more: this.moreNow() };
    }
    /**
     * The vault refused the batch as malformed: find the rows it will never take (one at a time), drop
     * them with a log line (they are in pino already), and deliver the rest, in order. Rare: the bridge
     * makes its events itself; an older hub that does not know a field is the likely cause.
     */
    async oneByOne(rows) {
        let sent = 0;
        for (const r of rows) {
            for (const e of r.events) {
                try {
                    await this.vault.appendEvents([e]);
                    sent++;
                }
                catch (err) {
                    // A repeat of the events before it in this row is harmless (their uids are stored once).
                    if (!(err instanceof errors_1.VaultInputError)) {
                        this.outbox.giveBack();
                        return { failed: err };
                    }
                    this.log.error({ err: { message: err.message }, event: { kind: e.kind, uid: e.uid } }, 'event outbox: the vault refused an event; dropped');
                }
            }
            this.outbox.deliveredThrough(r.seq);
        }
        return { sent, more: this.moreNow() };
    }
    /** Rows committed while this batch was on its way (they had no poke of their own left). */
    moreNow() {
        try {
            return this.outbox.more();
        }
        catch {
            return false; // state.db unreadable: the next pass says why
        }
    }
}
exports.OutboxDelivery = OutboxDelivery;
//# sourceMappingURL=outbox-delivery.js.map