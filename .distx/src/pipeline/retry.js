"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.backoffDelay = backoffDelay;
exports.retryTicks = retryTicks;
const rxjs_1 = require("rxjs");
/**
 * Delay before attempt `attempts + 1`: base * 2^attempts, capped, plus optional jitter (a fraction of
 * the delay) so many bridges retrying against one hub do not hit it in the same millisecond.
 * `attempts` is how many attempts already failed before this one (0 on the first failure).
 */
function backoffDelay(attempts, o, random = Math.random) {
    const exp = o.retryBaseMs * Math.pow(2, Math.max(0, attempts));
    const capped = Math.min(o.retryMaxMs, Number.isFinite(exp) ? exp : o.retryMaxMs);
    const jitter = o.retryJitter && o.retryJitter > 0 ? Math.floor(capped * o.retryJitter * random()) : 0;
    return capped + jitter;
}
/**
 * Turns "entry due again at time T" notices into a tick at T. Each notice gets its own timer (a few per
 * failing account; the journal is the source of truth, a tick only makes the processor look).
 */
function retryTicks(retryAt$, now, scheduler = rxjs_1.asyncScheduler) {
    // Node measures timer delays from the event loop's cached time, which lags the wall clock after a long
    // turn: a timer can fire before `at` by the clock. Then the entry is not due yet, so wait the rest
    // rather than tick for nothing (which would leave the retry to the slow safety-net poll).
    const until = (at) => (0, rxjs_1.defer)(() => {
        const wait = at - now();
        return wait <= 0 ? (0, rxjs_1.of)(at) : (0, rxjs_1.timer)(wait, scheduler).pipe((0, rxjs_1.mergeMap)(() => until(at)));
    });
    return retryAt$.pipe((0, rxjs_1.mergeMap)(until));
}
//# sourceMappingURL=retry.js.map