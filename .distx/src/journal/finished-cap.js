"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FinishedCap = exports.DEFAULT_KEEP_FINISHED = void 0;
/** Finished rows kept whatever their age: months of an ordinary machine's changes, some 20 MB. */
exports.DEFAULT_KEEP_FINISHED = 100_000;
/** The stretch of seq numbers one trim looks at: a few ms, in a transaction that commits anyway. */
const WINDOW = 2_000;
class FinishedCap {
    keep;
    st;
    /**
     * Every row at or below this seq has been looked at by the walk (finished ones dropped). A row that
     * was still pending (a backlog) when the walk went by is dropped when it finishes: the journal hands
     * each finished row's seq to finished(). Rows of a trim whose transaction rolled back are left to the
     * age purge.
     */
    walked = 0;
    constructor(db, keep = exports.DEFAULT_KEEP_FINISHED) {
        this.keep = keep;
        if (!Number.isSafeInteger(keep) || keep < 1)
            throw new Error(`keepFinished must be a positive integer, got ${keep}`);
        this.st = {
            maxSeq: db.prepare('SELECT max(seq) FROM journal').pluck(),
            minSeq: db.prepare('SELECT min(seq) FROM journal').pluck(),
            // Finished rows in a stretch of the primary key: pending and dead rows in it are kept.
            trim: db.prepare(`DELETE FROM journal WHERE seq > ? AND seq <= ? AND state IN ('done', 'superseded')`),
            dropOne: db.prepare(`DELETE FROM journal WHERE seq = ? AND state IN ('done', 'superseded')`),
        };
    }
    /** Inside the transaction that commits marks: walk one more stretch of the rows older than the newest `keep`. */
    trim() {
        const max = this.st.maxSeq.get() ?? 0;
        const bound = max - this.keep;
        if (bound <= this.walked)
            return 0;
        if (this.walked === 0)
            this.walked = (this.st.minSeq.get() ?? 1) - 1;
        const to = Math.min(this.walked + WINDOW, bound);
        const dropped = this.st.trim.run(this.walked, to).changes;
        this.walked = to;
        return dropped;
    }
    /** Inside the same transaction: a row just marked done or superseded. Behind the walk, it goes now. */
    finished(seq) {
        if (seq !== undefined && seq <= this.walked)
            this.st.dropOne.run(seq);
    }
}
exports.FinishedCap = FinishedCap;
//# sourceMappingURL=finished-cap.js.map