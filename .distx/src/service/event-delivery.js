"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startEventDelivery = startEventDelivery;
const outbox_delivery_1 = require("../log/outbox-delivery");
const vault_port_1 = require("../ports/vault.port");
/** Events recorded within this long go to the vault in one batch: one vault commit (and one request to a hub) per batch, not per burst of a few. */
const GATHER_MS = 50;
/** However long the vault has been away, look again at least this often (config.retryMax may be minutes). */
const MAX_BACKOFF_MS = 60_000;
/**
 * The service's event delivery: whatever the outbox held from before the start goes now, new events a
 * few ms after they are recorded, and while the vault does not take them, again after a backoff
 * (doubling from retryBase, at most a minute; a vault that refused this caller says when itself).
 * During a backoff new events only wait in the outbox. stop() waits for a pass under way; what is left
 * is for the shutdown's flush and the next start.
 */
function startEventDelivery(deps) {
    const cap = Math.min(deps.retryMaxMs, MAX_BACKOFF_MS);
    let stopped = false;
    let timer;
    let backoff = 0;
    let running = Promise.resolve();
    const schedule = (ms) => {
        if (stopped || timer)
            return;
        timer = setTimeout(() => {
            timer = undefined;
            running = running.then(run).catch((err) => deps.logger.warn({ err: { message: err.message } }, 'event outbox: delivery pass failed'));
        }, ms);
    };
    const run = async () => {
        const { failure, more } = await drainOnce(deps.delivery);
        if (stopped)
            return;
        if (!failure) {
            if (backoff > 0)
                deps.logger.info('event outbox: the vault takes events again');
            backoff = 0;
            // Events recorded while the batch was on its way (their poke found this run's timer already spent):
            // the next batch after GATHER_MS, so a steady stream costs one vault commit per GATHER_MS, not one per
            // commit of state.db.
            if (more || deps.delivery.queued() > 0)
                schedule(GATHER_MS);
            return;
        }
        backoff = failure instanceof vault_port_1.VaultRefusedError
            ? Math.max(failure.retryAfterMs, 1000)
            : Math.min(cap, backoff === 0 ? deps.retryBaseMs : backoff * 2);
        deps.logger.warn({ err: { message: failure.message }, retryMs: backoff }, 'event outbox: the vault did not take events; they wait in state.db');
        schedule(backoff);
    };
    deps.delivery.onPoke(() => { if (backoff === 0)
        schedule(GATHER_MS); });
    schedule(0);
    return {
        async stop() {
            stopped = true;
            if (timer)
                clearTimeout(timer);
            timer = undefined;
            deps.delivery.onPoke(undefined);
            await running;
        },
    };
}
/** Full batches back to back (a backlog), then stop: what came in meanwhile waits for the next run. */
async function drainOnce(delivery) {
    for (;;) {
        const r = await delivery.pass();
        if ('failed' in r)
            return { failure: r.failed, more: true };
        if (!r.more || r.sent < outbox_delivery_1.OUTBOX_BATCH)
            return { more: r.more };
    }
}
//# sourceMappingURL=event-delivery.js.map