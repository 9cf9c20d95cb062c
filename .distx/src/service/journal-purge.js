"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startJournalPurge = startJournalPurge;
/**
 * Finished journal rows (their sealed part already emptied) are kept a while for `status` and audits,
 * then purged: hourly, those older than maxEventAge or a day, whichever is longer. A purged event id that
 * a capture re-sent would be accepted again, but the vault applies each event id once.
 */
const rxjs_1 = require("rxjs");
const PURGE_EVERY_MS = 3_600_000;
const KEEP_AT_LEAST_MS = 86_400_000;
function startJournalPurge(journal, maxEventAgeMs, logger) {
    const keepMs = Math.max(maxEventAgeMs, KEEP_AT_LEAST_MS);
    const sub = (0, rxjs_1.timer)(0, PURGE_EVERY_MS).subscribe(() => {
        try {
            const n = journal.purgeFinished(Date.now() - keepMs);
            if (n > 0)
                logger.info({ purged: n }, 'journal: purged finished entries');
        }
        catch (err) {
            logger.error({ err: { message: err.message } }, 'journal purge failed');
        }
    });
    return { stop: () => sub.unsubscribe() };
}
//# sourceMappingURL=journal-purge.js.map