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
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const fixtures_1 = require("./fixtures");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('the journal keeps a bounded number of finished rows', () => {
        let tmp;
        let s;
        const file = () => path.join(tmp.dir, 'state.db');
        const rows = () => s.db.prepare('SELECT state, count(*) AS n FROM journal GROUP BY state').all();
        const count = (state) => rows().find((r) => r.state === state)?.n ?? 0;
        beforeEach(() => { tmp = (0, tmp_1.makeTempDir)('pwbridge-cap-'); });
        afterEach(() => { s.close(); tmp.cleanup(); });
        /** Append and finish `n` entries from `from`, in batches as the service does. */
        const churn = (from, n) => {
            for (let i = from; i < from + n; i += 500) {
                const batch = Array.from({ length: Math.min(500, from + n - i) }, (_, k) => (0, fixtures_1.entry)(i + k));
                s.journal.append(batch);
                for (const e of batch)
                    s.journal.markDone(e.eventId, 'synced');
                s.journal.flushMarks();
            }
        };
        it('drops the oldest done rows beyond the bound, never a pending or dead one, and the file stops growing', () => {
            s = (0, sqlite_state_1.openStateDb)(file(), { echoKey: fixtures_1.ECHO_KEY, sqlite, keepFinished: 2_000 });
            s.journal.append([(0, fixtures_1.entry)(1_000_000), (0, fixtures_1.entry)(1_000_001)]);
            s.journal.markDead((0, fixtures_1.eventId)(1_000_001), 'poison');
            churn(0, 10_000);
            const done = count('done');
            strict_1.default.ok(done <= 2_000 + 6_000 && done >= 2_000, `done rows kept: ${done}`);
            strict_1.default.equal(count('pending'), 1, 'the pending entry stays');
            strict_1.default.equal(count('dead'), 1, 'the dead entry stays (an operator may requeue it)');
            strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(9_999))?.state, 'done', 'the newest finished rows are kept');
            strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(0)), undefined, 'the oldest went');
            churn(10_000, 20_000);
            s.db.pragma('wal_checkpoint(TRUNCATE)');
            const mid = fs.statSync(file()).size;
            churn(30_000, 30_000);
            s.db.pragma('wal_checkpoint(TRUNCATE)');
            const end = fs.statSync(file()).size;
            strict_1.default.ok(count('done') <= 2_000 + 6_000, `done rows after 60k: ${count('done')}`);
            strict_1.default.ok(end <= mid * 1.1, `state.db grew from ${mid} to ${end} bytes with the number of rows bounded`);
        });
        it('rows still pending when the trim passed them are dropped once they finish (a backlog the soak had)', () => {
            s = (0, sqlite_state_1.openStateDb)(file(), { echoKey: fixtures_1.ECHO_KEY, sqlite, keepFinished: 2_000 });
            // A backlog of 3,000 entries waits while 20,000 newer ones come and finish: the trim walks past it.
            const backlog = Array.from({ length: 3_000 }, (_, k) => (0, fixtures_1.entry)(500_000 + k));
            s.journal.append(backlog);
            churn(0, 20_000);
            strict_1.default.equal(count('pending'), 3_000);
            // The backlog is worked off now, coalesced: superseded, and the last one done.
            s.journal.markSuperseded(backlog.slice(0, -1).map((e) => e.eventId), backlog.at(-1).eventId);
            s.journal.markDone(backlog.at(-1).eventId, 'synced');
            s.journal.flushMarks();
            churn(20_000, 20_000);
            const finished = count('done') + count('superseded');
            strict_1.default.ok(finished <= 2_000 + 6_000, `finished rows kept: ${finished} (superseded ${count('superseded')})`);
            strict_1.default.equal(count('superseded'), 0, 'the old backlog went once it finished');
        });
        it('the default bound leaves a small journal alone', () => {
            s = (0, sqlite_state_1.openStateDb)(file(), { echoKey: fixtures_1.ECHO_KEY, sqlite });
            churn(0, 5_000);
            strict_1.default.equal(count('done'), 5_000);
        });
        it('refuses a bound that is not a positive integer', () => {
            strict_1.default.throws(() => (0, sqlite_state_1.openStateDb)(file(), { echoKey: fixtures_1.ECHO_KEY, sqlite, keepFinished: 0 }), /keepFinished must be a positive integer/);
            s = (0, sqlite_state_1.openStateDb)(file(), { echoKey: fixtures_1.ECHO_KEY, sqlite });
        });
    });
});
//# sourceMappingURL=finished-cap.test.js.map