"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GroupCommit = void 0;
/**
 * Group commit for a SQLite handle: writes submitted in the same turn of the event loop run in one
 * transaction (one fsync under synchronous=FULL), each inside its own savepoint so one that throws (a
 * conflict, a bad argument) is rolled back alone and rejects alone. Every promise settles only after the
 * COMMIT, so "resolved" still means "durable". Concurrent callers (the pipeline works on many accounts at
 * once) share the fsync instead of queueing behind one each.
 */
class GroupCommit {
    db;
    queue = [];
    scheduled = false;
    constructor(db) {
        this.db = db;
    }
    submit(run) {
        return new Promise((resolve, reject) => {
            this.queue.push({ run, resolve: resolve, reject });
            if (!this.scheduled) {
                this.scheduled = true;
                setTimeout(() => this.flush(), 2);
            }
        });
    }
    /** Run and commit everything queued now (also called before close). */
    flush() {
        this.scheduled = false;
        if (this.queue.length === 0)
            return;
        const batch = this.queue;
        this.queue = [];
        const results = [];
        try {
            this.db.transaction(() => {
                for (const q of batch) {
                    try {
                        // A nested transaction is a savepoint: its failure undoes only its own writes.
                        results.push({ ok: true, value: this.db.transaction(() => q.run()) });
                    }
                    catch (err) {
                        results.push({ ok: false, value: err });
                    }
                }
            }, 'immediate');
        }
        catch (err) {
            for (const q of batch)
                q.reject(err); // the COMMIT itself failed: nothing of the batch is stored
            return;
        }
        batch.forEach((q, i) => (results[i].ok ? q.resolve(results[i].value) : q.reject(results[i].value)));
    }
}
exports.GroupCommit = GroupCommit;
//# sourceMappingURL=group-commit.js.map