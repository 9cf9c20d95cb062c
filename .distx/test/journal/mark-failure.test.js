"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const fixtures_1 = require("./fixtures");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A commit of the journal's marks can fail: the disk is full, or another process holds the write lock
// past the busy timeout. The deferred commit runs on a timer, where a throw would end the service.
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('journal marks whose commit fails', () => {
        let tmp;
        let s;
        let other;
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-marks-');
            s = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: fixtures_1.ECHO_KEY, sqlite });
        });
        afterEach(() => {
            if (other?.inTransaction)
                other.exec('ROLLBACK');
            other?.close();
            other = undefined;
            s.close();
            tmp.cleanup();
        });
        it('the deferred commit meets a locked file: no crash, the mark stays queued and lands once the lock goes', async function () {
            this.timeout(10_000);
            s.journal.append([(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2)]);
            other = sqlite.open(path.join(tmp.dir, 'state.db'));
            other.exec('BEGIN IMMEDIATE');
            s.db.pragma('busy_timeout = 20');
            s.journal.markDone((0, fixtures_1.eventId)(1), 'synced');
            await sleep(200); // the 2 ms timer ran and failed (SQLITE_BUSY); a throw there would be an uncaught exception
            strict_1.default.deepEqual(s.journal.pendingFor('alice').map((e) => e.eventId), [(0, fixtures_1.eventId)(2)], 'still finished in memory: not handed out again');
            strict_1.default.throws(() => s.journal.depth(), /lock|busy/i, 'a read meets the same error, for its caller to log');
            other.exec('COMMIT');
            await sleep(1_300); // the retry timer
            strict_1.default.equal(other.prepare('SELECT state FROM journal WHERE event_id = ?').pluck().get((0, fixtures_1.eventId)(1)), 'done', 'committed by the retry, with no read to push it');
        });
        it('an append that fails (SQLITE_FULL) keeps the marks that were to ride along in its transaction', () => {
            s.journal.append([(0, fixtures_1.entry)(1)]);
            s.journal.markDone((0, fixtures_1.eventId)(1), 'synced');
            const pages = s.db.pragma('page_count');
            s.db.pragma(`max_page_count = ${pages}`);
            const big = Array.from({ length: 200 }, (_, i) => (0, fixtures_1.entry)(100 + i, { sealed: Buffer.alloc(3000, 1) }));
            strict_1.default.throws(() => s.journal.append(big), (err) => err.code === 'SQLITE_FULL');
            s.db.pragma('max_page_count = 1073741823');
            strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(1))?.state, 'done', 'the mark was queued again, not dropped with the rolled-back append');
            strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(100)), undefined, 'nothing of the failed batch is stored');
        });
    });
});
//# sourceMappingURL=mark-failure.test.js.map