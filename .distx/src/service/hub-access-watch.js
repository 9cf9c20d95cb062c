"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HUB_ACCESS_KEY = void 0;
exports.watchHubAccess = watchHubAccess;
/** The state db key `pwbridge status` reads. */
exports.HUB_ACCESS_KEY = 'hubAccess';
function watchHubAccess(gate, o) {
    const onRefused = (r) => {
        o.logger.error({ status: r.status, retryAt: new Date(r.retryAt).toISOString() }, r.reason);
        o.events.record({ kind: 'hub-refused', outcome: 'failed', reason: r.reason });
        o.store.setValue(exports.HUB_ACCESS_KEY, r);
    };
    const restored = () => {
        if (!o.store.getValue(exports.HUB_ACCESS_KEY))
            return;
        o.store.setValue(exports.HUB_ACCESS_KEY, null);
        const n = o.journal.dueNow?.(Date.now()) ?? 0;
        const reason = `the hub accepts this machine's agent token again; ${n} held journal entr${n === 1 ? 'y' : 'ies'} retried now`;
        o.logger.info(reason);
        o.events.record({ kind: 'hub-access-restored', outcome: 'ok', reason });
        o.wake();
    };
    gate?.onChange((r) => (r ? onRefused(r) : restored()));
    gate?.onReturn(() => {
        const n = o.journal.dueNow?.(Date.now()) ?? 0;
        const reason = `the hub answers again; ${n} journal entr${n === 1 ? 'y' : 'ies'} waiting out a backoff retried now`;
        // Logged, not an event: an outage ends on every hub restart, and the deliveries are the events.
        o.logger.info({ retriedNow: n }, reason);
        o.wake();
    });
    // A refusal that happened while the install opened (before this listener) is reported now.
    const now = gate?.current();
    if (now)
        onRefused(now);
    return {
        accepted: () => {
            if (!gate?.current())
                restored();
        },
    };
}
//# sourceMappingURL=hub-access-watch.js.map