"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startJournalProcessing = startJournalProcessing;
/**
 * The journal processor (journal → vault) running for the service: woken after every journal append,
 * after a spool pass and when a retry from before a restart falls due.
 */
const rxjs_1 = require("rxjs");
const pipeline_1 = require("../pipeline");
function startJournalProcessing(install, opener, onOutcome) {
    const { config, state, vault, events, filter } = install;
    const wake$ = new rxjs_1.Subject();
    const processor = (0, pipeline_1.createJournalProcessor)({
        journal: state.journal,
        vault,
        echo: state.echo,
        events,
        open: (entry) => opener.open(entry.sealed, Buffer.from(entry.eventId, 'hex'), Buffer.from(entry.account, 'utf8'), entry.encoding),
        filterActive: () => filter.isActive(),
        filterState: () => filter.current().state,
    }, {
        machine: config.machine,
        client: config.client,
        serviceAccount: config.serviceAccount,
        exclude: config.excludeAccounts,
        concurrency: config.concurrency,
        retryBaseMs: config.retryBaseMs,
        retryMaxMs: config.retryMaxMs,
        maxEventAgeMs: config.maxEventAgeMs,
        echoTtlMs: config.echoTtlMs,
        now: Date.now,
    });
    const subs = [processor.run(wake$), processor.outcomes$.subscribe(() => onOutcome())];
    return {
        processor,
        wake: () => wake$.next(),
        resumeLeftovers() {
            wake$.next();
            const nextDue = state.journal.nextDueAt();
            if (nextDue !== undefined && nextDue > Date.now())
                subs.push((0, rxjs_1.timer)(nextDue - Date.now() + 5).subscribe(() => wake$.next()));
        },
        stop() {
            for (const s of subs)
                s.unsubscribe();
        },
    };
}
//# sourceMappingURL=journal-processing.js.map