"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createJournalProcessor = createJournalProcessor;
const rxjs_1 = require("rxjs");
const act_1 = require("./act");
const classify_1 = require("./classify");
const coalesce_1 = require("./coalesce");
const password_1 = require("./password");
const retry_1 = require("./retry");
const serial_per_key_1 = require("./serial-per-key");
/**
 * The journal → vault pipeline.
 *   tick ─▶ due entries ─▶ one request per account ─▶ serialPerKey(concurrency, coalesce)
 *          └ skip entries already in flight            └▶ pendingFor ─▶ coalesceLatest ─▶ classify ─▶ act
 * An account is never worked on twice at once (serialPerKey), and a wake while it is worked on
 * queues one more look at it (coalesced), which reads only what is still pending then.
 */
function createJournalProcessor(deps, options) {
    const scheduler = deps.scheduler ?? rxjs_1.asyncScheduler;
    const batchSize = options.batchSize ?? 500;
    const retryAt$ = new rxjs_1.Subject();
    const outcomes$ = new rxjs_1.Subject();
    const requests$ = new rxjs_1.Subject();
    const ctx = { deps, options, retryAt: (at) => retryAt$.next(at) };
    /** Event ids being worked on now: a tick does not request their account again for them. */
    const inFlight = new Set();
    let idle = true;
    let idleWaiters = [];
    let backlog = false;
    /** Outcomes other than 'error' since the last backlog look: without progress, do not loop on a broken journal. */
    let progress = 0;
    let engine;
    const processAccount = (r) => (0, rxjs_1.defer)(() => {
        const pending = deps.journal.pendingFor(r.account);
        if (pending.length === 0)
            return rxjs_1.EMPTY;
        for (const e of pending)
            inFlight.add(e.eventId);
        return (0, rxjs_1.of)(pending).pipe((s) => (0, coalesce_1.coalesceLatest)(s, ctx), (s) => (0, classify_1.classify)(s, ctx), (s) => (0, act_1.act)(s, ctx), (0, rxjs_1.finalize)(() => { for (const e of pending)
            inFlight.delete(e.eventId); }));
    });
    const ensureEngine = () => {
        if (engine && !engine.closed)
            return;
        engine = requests$
            .pipe((0, serial_per_key_1.serialPerKey)({
            key: (r) => r.key,
            work: processAccount,
            concurrency: options.concurrency,
            coalesce: true,
            onError: (r, err) => {
                // pendingFor threw (journal unreadable): log; the entries stay pending for the next tick.
                deps.events.record({ kind: 'pipeline-error', outcome: 'failed', account: r.account, reason: (0, password_1.safeMessage)(err) });
                return undefined;
            },
            onIdle: () => {
                idle = true;
                const waiters = idleWaiters;
                idleWaiters = [];
                for (const w of waiters)
                    w();
                // The last poll hit the batch limit: there is more due than we looked at.
                if (backlog && progress > 0 && engine) {
                    progress = 0;
                    tick();
                }
            },
        }))
            .subscribe({
            next: (o) => {
                if (o.result !== 'error')
                    progress++;
                outcomes$.next(o);
            },
        });
    };
    /** Look at the journal once; returns the due entries it requested work for. */
    const tick = (exclude) => {
        let due;
        try {
            due = deps.journal.due(options.now(), batchSize);
        }
        catch (err) {
            deps.events.record({ kind: 'pipeline-error', outcome: 'failed', reason: `reading due entries: ${(0, password_1.safeMessage)(err)}` });
            return [];
        }
        backlog = due.length >= batchSize;
        const fresh = due.filter((e) => !inFlight.has(e.eventId) && !exclude?.has(e.eventId));
        const requested = new Set();
        for (const e of fresh) {
            const key = e.account.toLowerCase();
            if (requested.has(key))
                continue;
            requested.add(key);
            idle = false;
            requests$.next({ key, account: e.account });
        }
        return fresh;
    };
    const whenIdle = () => (idle ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)));
    return {
        outcomes$: outcomes$.asObservable(),
        run(wake$) {
            ensureEngine();
            const poll$ = options.pollMs === 0 ? rxjs_1.EMPTY : (0, rxjs_1.interval)(options.pollMs ?? 60_000, scheduler);
            // of(0): entries left pending by a previous run (a crash, a restart) are picked up at once.
            const wakes$ = wake$.pipe((0, rxjs_1.catchError)((err) => {
                // The ingest's stream failed: keep the timers going rather than stop processing altogether.
                deps.events.record({ kind: 'pipeline-error', outcome: 'failed', reason: `wake stream ended: ${(0, password_1.safeMessage)(err)}` });
                return rxjs_1.EMPTY;
            }));
            const triggers = (0, rxjs_1.merge)((0, rxjs_1.of)(0), wakes$, (0, retry_1.retryTicks)(retryAt$, options.now, scheduler), poll$).subscribe(() => tick());
            const sub = new rxjs_1.Subscription(() => {
                triggers.unsubscribe();
                engine?.unsubscribe();
                engine = undefined;
            });
            return sub;
        },
        async drain() {
            ensureEngine();
            // An entry that stays due after its turn (the journal could not record the outcome) is not taken
            // again in this drain: drain ends instead of spinning.
            const seen = new Set();
            for (;;) {
                const fresh = tick(seen);
                for (const e of fresh)
                    seen.add(e.eventId);
                await whenIdle();
                if (fresh.length === 0)
                    return;
            }
        },
    };
}
//# sourceMappingURL=process-journal.js.map