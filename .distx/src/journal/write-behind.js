"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WriteBehind = void 0;
const SOON_MS = 2;
const LAZY_MS = 1000;
const RETRY_MS = 1000;
class WriteBehind {
    db;
    opts;
    writes = [];
    committed = [];
    timer;
    timerAt = Infinity;
    constructor(db, opts = {}) {
        this.db = db;
        this.opts = opts;
    }
    /** Run `write` in the next commit; `lazy`: no hurry, wait for another write's commit (or lazyMs). */
    queue(write, lazy = false) {
        this.writes.push(write);
        this.schedule(lazy ? this.opts.lazyMs ?? LAZY_MS : this.opts.soonMs ?? SOON_MS, lazy);
    }
    /** Called after every commit that ran queued writes (the journal then stops hiding what it finished). */
    onCommit(fn) {
        this.committed.push(fn);
    }
    /** Writes queued and not yet committed. */
    get pending() {
        return this.writes.length;
    }
    /** Commit everything queued in a transaction of its own. Throws when the commit fails (the writes stay queued). */
    flush() {
        this.clearTimer();
        if (this.writes.length === 0 || !this.db.open)
            return;
        this.transaction(() => undefined);
    }
    /**
     * The caller's transaction, with every queued write run first inside it. When it rolls back, the
     * writes are queued again (first) and retried later, and the error is thrown to the caller.
     */
    transaction(fn, mode = 'immediate') {
        this.clearTimer();
        const writes = this.writes;
        this.writes = [];
        let out;
        try {
            out = this.db.transaction(() => {
                for (const w of writes)
                    w();
                return fn();
            }, mode);
        }
        catch (err) {
            if (writes.length > 0) {
                this.writes = [...writes, ...this.writes];
                this.schedule(this.opts.retryMs ?? RETRY_MS, false);
            }
            throw err;
        }
        if (writes.length > 0)
            for (const c of this.committed)
                c();
        return out;
    }
    schedule(ms, lazy) {
        const at = Date.now() + ms;
        if (at >= this.timerAt)
            return;
        this.clearTimer();
        this.timerAt = at;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.timerAt = Infinity;
            const n = this.writes.length;
            try {
                if (this.db.open)
                    this.flush();
            }
            catch (err) {
                // A timer has no caller to tell, and a throw here would end the process: report it; the
                // writes are queued again and the retry is scheduled.
                this.opts.onError?.(err, n);
            }
        }, ms);
        // A lazy delete alone must not keep a process alive; close() flushes it anyway.
        if (lazy)
            this.timer.unref();
    }
    clearTimer() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = undefined;
        this.timerAt = Infinity;
    }
}
exports.WriteBehind = WriteBehind;
//# sourceMappingURL=write-behind.js.map