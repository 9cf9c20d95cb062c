"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.serialPerKey = serialPerKey;
const rxjs_1 = require("rxjs");
/**
 * Items of one key run one after another in arrival order; different keys run in parallel, at most
 * `concurrency` at a time. Why not groupBy + mergeMap(concatMap, n): groups never complete, so each
 * group would hold one of the n slots forever and account n+1 would never run.
 * Keys wait in first-come order, so a busy account cannot starve the others.
 */
function serialPerKey(opts) {
    const limit = Math.max(1, Math.floor(opts.concurrency));
    return (source) => new rxjs_1.Observable((subscriber) => {
        const waiting = new Map();
        const running = new Set();
        const inner = new rxjs_1.Subscription();
        let sourceDone = false;
        let pumping = false;
        let again = false;
        const start = (k, item) => {
            running.add(k);
            const slot = new rxjs_1.Subscription();
            inner.add(slot);
            let finished = false;
            const finish = () => {
                if (finished)
                    return;
                finished = true;
                running.delete(k);
                inner.remove(slot);
                pump();
            };
            slot.add((0, rxjs_1.defer)(() => (0, rxjs_1.from)(opts.work(item)))
                .pipe((0, rxjs_1.catchError)((err) => {
                const v = opts.onError?.(item, err);
                return v === undefined ? rxjs_1.EMPTY : (0, rxjs_1.of)(v);
            }))
                .subscribe({
                next: (v) => subscriber.next(v),
                // Only reachable if onError itself throws: a programming error, surface it.
                error: (err) => subscriber.error(err),
                complete: finish,
            }));
        };
        // Re-entrant calls (work that completes synchronously) set `again` instead of recursing.
        const pump = () => {
            if (pumping) {
                again = true;
                return;
            }
            pumping = true;
            try {
                do {
                    again = false;
                    for (const [k, queue] of waiting) {
                        if (running.size >= limit)
                            break;
                        if (running.has(k))
                            continue;
                        const item = queue.shift();
                        if (queue.length === 0)
                            waiting.delete(k);
                        start(k, item);
                    }
                } while (again && running.size < limit);
            }
            finally {
                pumping = false;
            }
            if (running.size === 0 && waiting.size === 0) {
                opts.onIdle?.();
                if (sourceDone)
                    subscriber.complete();
            }
        };
        inner.add(source.subscribe({
            next(item) {
                const k = opts.key(item);
                const queue = waiting.get(k);
                if (!queue)
                    waiting.set(k, [item]);
                else if (opts.coalesce)
                    queue[0] = item;
                else
                    queue.push(item);
                pump();
            },
            error: (err) => subscriber.error(err),
            complete() {
                sourceDone = true;
                pump();
            },
        }));
        return inner;
    });
}
//# sourceMappingURL=serial-per-key.js.map