"use strict";
// "Spool over threshold": a capture's heartbeat says how many events wait in its spool (the LSA filter's
// DPAPI spool). Past the threshold that is worth an event, once per crossing: again only after the spool
// has fallen below half the threshold, so a spool hovering at the line does not log every heartbeat.
Object.defineProperty(exports, "__esModule", { value: true });
exports.SPOOL_WARN_THRESHOLD = void 0;
exports.spoolThresholdWatch = spoolThresholdWatch;
/** A tenth of the filter's default SpoolMax (10,000): time to look, long before events are dropped. */
exports.SPOOL_WARN_THRESHOLD = 1000;
function spoolThresholdWatch(threshold, onOver) {
    let over = false;
    return (spooled) => {
        if (!over && spooled >= threshold) {
            over = true;
            onOver(spooled);
        }
        else if (over && spooled < threshold / 2) {
            over = false;
        }
    };
}
//# sourceMappingURL=spool-threshold.js.map