"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.coalesceLatest = coalesceLatest;
exports.captureOrder = captureOrder;
const rxjs_1 = require("rxjs");
const record_1 = require("./record");
const password_1 = require("./password");
/**
 * One account's pending entries → the one to act on.
 * Latest wins: only the newest change is the account's password now, so pushing an older one would be
 * wrong even for a moment. "Newest" is the capture's own time (capturedAt), then journal order (seq)
 * for changes captured in the same ms. Not journal order alone: a change a capture spooled (the bridge
 * did not answer in time) reaches the journal at the next spool drain, after newer changes that went
 * through live; ordered by arrival, the spooled one would win and put an older password in the vault.
 * Each older entry is marked superseded and logged, so every change still leaves a trace.
 * The winner is emitted only when due: if it is waiting out a retry backoff, it keeps waiting.
 */
function coalesceLatest(pending$, ctx) {
    return pending$.pipe((0, rxjs_1.concatMap)((pending) => (0, rxjs_1.defer)(() => {
        if (pending.length === 0)
            return rxjs_1.EMPTY;
        const ordered = [...pending].sort(captureOrder);
        const winner = ordered[ordered.length - 1];
        const older = ordered.slice(0, -1);
        if (older.length > 0) {
            ctx.deps.journal.markSuperseded(older.map((e) => e.eventId), winner.eventId);
            for (const e of older)
                (0, record_1.recordFor)(ctx, e, 'change-superseded', 'skipped', `superseded by a later change (${winner.eventId})`);
        }
        return winner.nextAttemptAt <= ctx.options.now() ? (0, rxjs_1.of)(winner) : rxjs_1.EMPTY;
    }).pipe((0, rxjs_1.catchError)((err) => {
        // The journal refused the write: leave everything pending, the next tick tries again.
        (0, record_1.recordFor)(ctx, pending[pending.length - 1], 'pipeline-error', 'failed', `coalesce: ${(0, password_1.safeMessage)(err)}`);
        return rxjs_1.EMPTY;
    }))));
}
/** Oldest capture first; the journal's order for changes captured in the same ms. */
function captureOrder(a, b) {
    return a.capturedAt - b.capturedAt || a.seq - b.seq;
}
//# sourceMappingURL=coalesce.js.map