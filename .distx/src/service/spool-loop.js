"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SPOOL_DRAIN_MS = void 0;
exports.startSpoolLoop = startSpoolLoop;
/**
 * The capture spool drained by the service: once at start, before the endpoint accepts anything, so events
 * a capture could not deliver are journaled ahead of any newer live one; then on a timer and on demand.
 * One pass at a time (a call waits for the running one).
 */
const rxjs_1 = require("rxjs");
const keys_1 = require("../protocol/keys");
const spool_drain_1 = require("./spool-drain");
/** How often the capture spool is drained after the drain at start (docs/protocol.md "Spool"). */
exports.SPOOL_DRAIN_MS = 30_000;
/** Resolves after the drain at start. */
async function startSpoolLoop(d) {
    const key = (0, keys_1.spoolKey)(d.secret);
    let pass = Promise.resolve();
    let closed = false;
    const drainNow = () => {
        const next = pass.then(async () => {
            // Stopped: the key is wiped (every record would fail its tag) and the journal is closing.
            if (closed)
                return { stored: 0, duplicate: 0, refused: 0 };
            const r = await (0, spool_drain_1.drainSpool)({ dir: d.dir, key, journal: d.journal, events: d.events, logger: d.logger });
            if (r.stored > 0) {
                d.events.record({ kind: 'spool-drained', outcome: 'info', reason: `spool: ${r.stored} stored, ${r.duplicate} duplicate, ${r.refused} refused` });
                d.onStored();
            }
            return r;
        });
        pass = next.catch(() => undefined);
        return next;
    };
    try {
        await drainNow();
    }
    catch (err) {
        key.fill(0);
        throw err;
    }
    const sub = (0, rxjs_1.timer)(exports.SPOOL_DRAIN_MS, exports.SPOOL_DRAIN_MS).subscribe(() => void drainNow().catch(() => undefined));
    return {
        drainNow,
        async stop() {
            sub.unsubscribe();
            closed = true;
            await pass; // a pass under way finishes before the key is wiped and the journal closes
            key.fill(0);
        },
    };
}
//# sourceMappingURL=spool-loop.js.map