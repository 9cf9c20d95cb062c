"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FUTURE_CAPTURE_TOLERANCE_MS = void 0;
exports.boundCaptureTime = boundCaptureTime;
exports.describeClamp = describeClamp;
/**
 * A capture's time as the hub takes it. An agent's capturedAt becomes the credential's passwordSetAt, and
 * every later capture of that credential stamped before it is a conflict (src/pipeline/classify.ts). So
 * an agent that sent a time from the future (a forged one, or a clock stepped after the capture) would
 * turn every legitimate capture of the credential after it into a conflict until someone wrote it in the
 * vault; for a shared credential, every machine's. A capture cannot have happened after the hub receives
 * it: a time more than FUTURE_CAPTURE_TOLERANCE_MS ahead of the hub's clock is taken as the hub's now
 * (the write goes through; the hub records an event saying so).
 *
 * The tolerance: an agent sends its times on the hub's clock already (src/vault/hub-clock.ts), off by at
 * most its CLOCK_TOLERANCE_MS (1 s) plus an answer's transit, whatever its own clock's skew (the ±10 min
 * of the clock-skew fault scenario included); 5 s also covers hub processes on one database whose clocks
 * differ by a few seconds. Within it a time is kept exactly as sent, so a retried write still reads back
 * its own capture time; beyond it, a forged time holds other captures off for at most those 5 s.
 */
exports.FUTURE_CAPTURE_TOLERANCE_MS = 5_000;
/** The time to store, and by how much the one sent was ahead when it was not kept. */
function boundCaptureTime(capturedAt, hubNow) {
    if (capturedAt === undefined || capturedAt - hubNow <= exports.FUTURE_CAPTURE_TOLERANCE_MS)
        return { capturedAt };
    return { capturedAt: hubNow, aheadMs: capturedAt - hubNow };
}
function describeClamp(sent, aheadMs, stored) {
    return `capture time ${new Date(sent).toISOString()} was ${Math.round(aheadMs / 1000)} s ahead of the hub's clock `
        + `(more than ${exports.FUTURE_CAPTURE_TOLERANCE_MS / 1000} s): stored as the hub's time of arrival ${new Date(stored).toISOString()}`;
}
//# sourceMappingURL=capture-time.js.map