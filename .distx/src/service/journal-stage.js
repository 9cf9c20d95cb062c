"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.journalEntryOf = journalEntryOf;
exports.batchPerTick = batchPerTick;
exports.journalStage = journalStage;
exports.startJournalStage = startJournalStage;
const rxjs_1 = require("rxjs");
/**
 * The journal entry for an authenticated CHANGE, however it arrived: live over a connection (`machine`
 * from its HELLO) or from the spool (`machine` from the record). The sealed part is stored as received.
 */
function journalEntryOf(change, machine, receivedAt) {
    return {
        eventId: change.eventId.toString('hex'),
        machine,
        account: change.account,
        accountId: change.accountId,
        capturedAt: change.capturedAt,
        receivedAt,
        encoding: change.encoding,
        sealed: change.sealed,
    };
}
/**
 * Collects everything that arrives within one turn of the event loop into one batch. Frames read in the
 * same I/O phase share one COMMIT (group commit): one fsync for many events instead of one each.
 */
function batchPerTick() {
    return (source) => new rxjs_1.Observable((subscriber) => {
        let buffer = [];
        let scheduled = false;
        const flush = () => {
            scheduled = false;
            if (buffer.length === 0)
                return;
            const batch = buffer;
            buffer = [];
            subscriber.next(batch);
        };
        const sub = source.subscribe({
            next(value) {
                buffer.push(value);
                if (!scheduled) {
                    scheduled = true;
                    setImmediate(flush);
                }
            },
            error: (err) => subscriber.error(err),
            complete: () => {
                flush();
                subscriber.complete();
            },
        });
        return () => sub.unsubscribe();
    });
}
/**
 * The journal stage: append each batch durably, then ack. If the append fails (disk full, I/O error) no
 * event of the batch is acked, so every capture keeps its event and sends it again later: nothing lost.
 * Emits the number of newly stored events, which wakes the journal processor.
 */
function journalStage(journal, onError) {
    return (batches$) => new rxjs_1.Observable((subscriber) => batches$.subscribe({
        next(batch) {
            let results;
            try {
                results = journal.append(batch.map((a) => a.entry));
            }
            catch (err) {
                onError(err, batch.length);
                for (const a of batch)
                    a.ack('failed');
                return;
            }
            batch.forEach((a, i) => a.ack(results[i]));
            subscriber.next(results.filter((r) => r === 'stored').length);
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
    }));
}
/** The journal stage for live captures; `onStored` runs after each batch that stored something new. */
function startJournalStage(journal, logger, onStored) {
    const accepted$ = new rxjs_1.Subject();
    const sub = accepted$
        .pipe(batchPerTick(), journalStage(journal, (err, count) => {
        logger.error({ err: { message: err.message }, count }, 'journal append failed: events not acked, captures will re-send');
    }))
        .subscribe((stored) => {
        if (stored > 0)
            onStored();
    });
    return {
        accept: (a) => accepted$.next(a),
        stop() {
            accepted$.complete();
            sub.unsubscribe();
        },
    };
}
//# sourceMappingURL=journal-stage.js.map