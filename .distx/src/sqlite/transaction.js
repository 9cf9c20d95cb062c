"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Transactions = void 0;
const SAVEPOINT = 'pwbridge_tx';
class Transactions {
    host;
    begin;
    beginImmediate;
    commit;
    rollback;
    savepoint;
    release;
    rollbackTo;
    constructor(host) {
        this.host = host;
        // Prepared once per handle: a transaction costs no SQL parsing.
        this.begin = host.prepare('BEGIN');
        this.beginImmediate = host.prepare('BEGIN IMMEDIATE');
        this.commit = host.prepare('COMMIT');
        this.rollback = host.prepare('ROLLBACK');
        this.savepoint = host.prepare(`SAVEPOINT ${SAVEPOINT}`);
        this.release = host.prepare(`RELEASE ${SAVEPOINT}`);
        this.rollbackTo = host.prepare(`ROLLBACK TO ${SAVEPOINT}`);
    }
    run(fn, mode = 'deferred') {
        const nested = this.host.inTransaction;
        if (nested)
            this.savepoint.run();
        else
            (mode === 'immediate' ? this.beginImmediate : this.begin).run();
        try {
            const result = fn();
            if (isThenable(result)) {
                throw new TypeError('a transaction function must be synchronous (it returned a promise): a transaction never spans an await');
            }
            (nested ? this.release : this.commit).run();
            return result;
        }
        catch (err) {
            // fn may have ended the transaction itself (a ROLLBACK in its SQL, or SQLite rolled back on an error).
            if (this.host.inTransaction) {
                if (nested) {
                    this.rollbackTo.run();
                    this.release.run();
                }
                else {
                    this.rollback.run();
                }
            }
            throw err;
        }
    }
}
exports.Transactions = Transactions;
function isThenable(value) {
    return typeof value === 'object' && value !== null && typeof value.then === 'function';
}
//# sourceMappingURL=transaction.js.map