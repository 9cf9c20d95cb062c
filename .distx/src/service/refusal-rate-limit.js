"use strict";
/**
 * Refusals a hostile or broken local peer can cause by the thousand (connections over the cap, peers that
 * never say HELLO, idle ones): the first of a kind in a window is recorded at once, the rest of that
 * window are counted and recorded as one summary when the window ends. The event log shows that it
 * happened and how often, without 1,000 rows for 1,000 connections.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.REFUSAL_WINDOW_MS = void 0;
exports.rateLimitRefusals = rateLimitRefusals;
exports.REFUSAL_WINDOW_MS = 60_000;
function rateLimitRefusals(record, windowMs = exports.REFUSAL_WINDOW_MS) {
    const windows = new Map();
    const close = (kind) => {
        const w = windows.get(kind);
        if (!w)
            return;
        clearTimeout(w.timer);
        windows.delete(kind);
        if (w.suppressed > 0)
            record(`${w.suppressed} more refused like this in the last ${windowMs / 1000} s (${kind}; the last: ${w.last})`);
    };
    return {
        note(kind, reason) {
            const w = windows.get(kind);
            if (w) {
                w.suppressed++;
                w.last = reason;
                return;
            }
            record(reason);
            const timer = setTimeout(() => close(kind), windowMs);
            timer.unref();
            windows.set(kind, { suppressed: 0, last: reason, timer });
        },
        stop() {
            for (const kind of [...windows.keys()])
                close(kind);
        },
    };
}
//# sourceMappingURL=refusal-rate-limit.js.map