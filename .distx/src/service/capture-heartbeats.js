"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.watchCaptureHeartbeats = watchCaptureHeartbeats;
const spool_threshold_1 = require("./spool-threshold");
/** Sessions remembered before the oldest are forgotten: old sessions are long gone. */
const MAX_SESSIONS = 1024;
function watchCaptureHeartbeats(events) {
    const watchSpool = (0, spool_threshold_1.spoolThresholdWatch)(spool_threshold_1.SPOOL_WARN_THRESHOLD, (spooled) => events.record({
        kind: 'spool-over-threshold', outcome: 'info',
        reason: `the capture reports ${spooled} events waiting in its spool (threshold ${spool_threshold_1.SPOOL_WARN_THRESHOLD}); they are delivered as the service takes them`,
    }));
    const droppedSeen = new Map();
    return (session, h) => {
        watchSpool(h.spooled);
        const before = droppedSeen.get(session) ?? 0;
        if (h.dropped > before) {
            if (droppedSeen.size >= MAX_SESSIONS && !droppedSeen.has(session))
                droppedSeen.clear();
            droppedSeen.set(session, h.dropped);
            events.record({ kind: 'capture-dropped', outcome: 'failed', reason: `the capture could not keep ${h.dropped - before} events (queue or spool full, or a spool file set aside; ${h.dropped} since it loaded)` });
        }
    };
}
//# sourceMappingURL=capture-heartbeats.js.map