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
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('SqliteJournal', () => {
        let tmp;
        let s;
        let clock;
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-journal-');
            clock = 50_000;
            s = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: fixtures_1.ECHO_KEY, now: () => clock, sqlite });
        });
        afterEach(() => { s.close(); tmp.cleanup(); });
        describe('append', () => {
            it('stores a batch, reports re-sent ids as duplicates, and keeps the sealed bytes exactly', () => {
                const batch = [(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2), (0, fixtures_1.entry)(3)];
                strict_1.default.deepEqual(s.journal.append(batch), ['stored', 'stored', 'stored']);
                strict_1.default.deepEqual(s.journal.append([(0, fixtures_1.entry)(2), (0, fixtures_1.entry)(4), (0, fixtures_1.entry)(4)]), ['duplicate', 'stored', 'duplicate']);
                const got = s.journal.get((0, fixtures_1.eventId)(1));
                strict_1.default.ok(got.sealed.equals(batch[0].sealed));
                strict_1.default.equal(got.state, 'pending');
                strict_1.default.equal(got.attempts, 0);
                strict_1.default.equal(got.nextAttemptAt, batch[0].receivedAt, 'due as soon as received');
                strict_1.default.deepEqual({ ...got, seq: 0, state: 'pending', attempts: 0, nextAttemptAt: 0 }, { ...batch[0], seq: 0, state: 'pending', attempts: 0, nextAttemptAt: 0 });
                strict_1.default.equal(s.journal.depth(), 4);
            });
            it('a re-sent duplicate does not replace the stored entry', () => {
                const first = (0, fixtures_1.entry)(1);
                s.journal.append([first]);
                strict_1.default.deepEqual(s.journal.append([(0, fixtures_1.entry)(1, { account: 'mallory' })]), ['duplicate']);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(1))?.account, 'alice');
                strict_1.default.ok(s.journal.get((0, fixtures_1.eventId)(1))?.sealed.equals(first.sealed));
            });
            it('treats event ids case-insensitively (they are hex)', () => {
                const id = 'ABCDEF0123456789ABCDEF0123456789';
                strict_1.default.deepEqual(s.journal.append([(0, fixtures_1.entry)(0, { eventId: id })]), ['stored']);
                strict_1.default.deepEqual(s.journal.append([(0, fixtures_1.entry)(0, { eventId: id.toLowerCase() })]), ['duplicate']);
                strict_1.default.equal(s.journal.get(id.toLowerCase())?.eventId, id.toLowerCase());
            });
            it('refuses a malformed entry and stores none of its batch', () => {
                strict_1.default.throws(() => s.journal.append([(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2, { encoding: 3 })]), /journal entry 1 .*encoding/);
                strict_1.default.throws(() => s.journal.append([(0, fixtures_1.entry)(1, { eventId: 'xyz' })]), /32 hex characters/);
                strict_1.default.throws(() => s.journal.append([(0, fixtures_1.entry)(1, { sealed: Buffer.alloc(0) })]), /sealed/);
                strict_1.default.equal(s.journal.depth(), 0);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(1)), undefined);
            });
            // Speed is the bench's business (pipeline_events_per_s); here only what a batch stores.
            it('appends a 500-entry batch, then single entries, all stored', () => {
                const batch = Array.from({ length: 500 }, (_, i) => (0, fixtures_1.entry)(i + 1));
                s.journal.append([(0, fixtures_1.entry)(100_000)]);
                const r = s.journal.append(batch);
                for (let i = 0; i < 20; i++)
                    s.journal.append([(0, fixtures_1.entry)(200_000 + i)]);
                strict_1.default.equal(r.filter((x) => x === 'stored').length, 500);
                strict_1.default.equal(s.journal.depth(), 521);
            });
        });
        describe('write-behind marks', () => {
            it('a queued mark is invisible to pendingFor and due before it is committed, and committed by a read that counts', () => {
                s.journal.append([(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2), (0, fixtures_1.entry)(3)]);
                s.journal.markDone((0, fixtures_1.eventId)(1), 'synced');
                s.journal.markSuperseded([(0, fixtures_1.eventId)(2)], (0, fixtures_1.eventId)(3));
                strict_1.default.deepEqual(s.journal.pendingFor('alice').map((e) => e.eventId), [(0, fixtures_1.eventId)(3)]);
                strict_1.default.deepEqual(s.journal.due(clock + 1_000_000, 10).map((e) => e.eventId), [(0, fixtures_1.eventId)(3)]);
                strict_1.default.equal(s.journal.depth(), 1);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(1))?.state, 'done');
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(2))?.state, 'superseded');
            });
            // Regression: due() once filtered queued marks after its LIMIT, returned a short page while more was
            // due, and the processor took the short page for "no backlog" and waited for its 60 s poll.
            it('due() returns a full page while more than `limit` entries are due, even with marks queued', () => {
                s.journal.append(Array.from({ length: 30 }, (_, i) => (0, fixtures_1.entry)(i + 1)));
                for (let i = 1; i <= 8; i++)
                    s.journal.markDone((0, fixtures_1.eventId)(i), 'synced');
                const page = s.journal.due(clock + 1_000_000, 10);
                strict_1.default.equal(page.length, 10);
                strict_1.default.ok(page.every((e) => e.state === 'pending'));
                strict_1.default.equal(page[0].eventId, (0, fixtures_1.eventId)(9));
            });
            it('nextDueAt is the earliest pending due time, retries included, and undefined when nothing is pending', () => {
                strict_1.default.equal(s.journal.nextDueAt(), undefined);
                s.journal.append([(0, fixtures_1.entry)(1, { receivedAt: 500 }), (0, fixtures_1.entry)(2, { receivedAt: 700 })]);
                strict_1.default.equal(s.journal.nextDueAt(), 500);
                s.journal.markRetry((0, fixtures_1.eventId)(1), 1, 9_000, 'vault timeout');
                strict_1.default.equal(s.journal.nextDueAt(), 700);
                s.journal.markDone((0, fixtures_1.eventId)(2), 'synced');
                strict_1.default.equal(s.journal.nextDueAt(), 9_000);
                s.journal.markDead((0, fixtures_1.eventId)(1), 'too old');
                strict_1.default.equal(s.journal.nextDueAt(), undefined);
            });
            it('a mark on an event id the journal does not hold throws at once', () => {
                strict_1.default.throws(() => s.journal.markDone((0, fixtures_1.eventId)(77), 'synced'), /no event/);
            });
            it('queued marks survive close (flushed) and are seen by the next open', () => {
                s.journal.append([(0, fixtures_1.entry)(1)]);
                s.journal.markDone((0, fixtures_1.eventId)(1), 'synced');
                s.close();
                s = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: fixtures_1.ECHO_KEY, now: () => clock, sqlite });
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(1))?.state, 'done');
                strict_1.default.equal(s.journal.depth(), 0);
            });
        });
        describe('scheduling', () => {
            it('due() returns pending entries due at now, earliest first, in journal order, up to limit', () => {
                s.journal.append([(0, fixtures_1.entry)(1, { receivedAt: 100 }), (0, fixtures_1.entry)(2, { receivedAt: 100 }), (0, fixtures_1.entry)(3, { receivedAt: 300 }),
                    (0, fixtures_1.entry)(4, { receivedAt: 200 })]);
                const ids = (xs) => xs.map((x) => x.eventId);
                strict_1.default.deepEqual(ids(s.journal.due(99, 10)), []);
                strict_1.default.deepEqual(ids(s.journal.due(250, 10)), [(0, fixtures_1.eventId)(1), (0, fixtures_1.eventId)(2), (0, fixtures_1.eventId)(4)]);
                strict_1.default.deepEqual(ids(s.journal.due(1_000, 2)), [(0, fixtures_1.eventId)(1), (0, fixtures_1.eventId)(2)]);
                const seqs = s.journal.due(1_000, 10).map((e) => e.seq);
                strict_1.default.ok(seqs[0] < seqs[1], 'seq follows append order');
            });
            it('markRetry pushes an entry back and records attempts and the error', () => {
                s.journal.append([(0, fixtures_1.entry)(1, { receivedAt: 100 }), (0, fixtures_1.entry)(2, { receivedAt: 100 })]);
                s.journal.markRetry((0, fixtures_1.eventId)(1), 1, 5_000, 'vault unreachable');
                strict_1.default.deepEqual(s.journal.due(1_000, 10).map((e) => e.eventId), [(0, fixtures_1.eventId)(2)]);
                strict_1.default.deepEqual(s.journal.due(5_000, 10).map((e) => e.eventId), [(0, fixtures_1.eventId)(2), (0, fixtures_1.eventId)(1)]);
                const e = s.journal.get((0, fixtures_1.eventId)(1));
                strict_1.default.equal(e.attempts, 1);
                strict_1.default.equal(e.nextAttemptAt, 5_000);
                strict_1.default.equal(e.lastError, 'vault unreachable');
                strict_1.default.equal(e.state, 'pending');
                strict_1.default.equal(s.journal.depth(), 2, 'a retried entry is still pending');
            });
            it('markDone finishes an entry, drops its sealed part, and takes it off the queue', () => {
                s.journal.append([(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2)]);
                s.journal.markDone((0, fixtures_1.eventId)(1), 'synced');
                const e = s.journal.get((0, fixtures_1.eventId)(1));
                strict_1.default.equal(e.state, 'done');
                strict_1.default.equal(e.outcome, 'synced');
                strict_1.default.equal(e.sealed.length, 0);
                strict_1.default.equal(s.journal.depth(), 1);
                strict_1.default.deepEqual(s.journal.due(1e12, 10).map((x) => x.eventId), [(0, fixtures_1.eventId)(2)]);
            });
            it('markSuperseded replaces earlier changes, and a late retry cannot bring one back', () => {
                s.journal.append([(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2), (0, fixtures_1.entry)(3)]);
                s.journal.markSuperseded([(0, fixtures_1.eventId)(1), (0, fixtures_1.eventId)(2)], (0, fixtures_1.eventId)(3));
                for (const n of [1, 2]) {
                    const e = s.journal.get((0, fixtures_1.eventId)(n));
                    strict_1.default.equal(e.state, 'superseded');
                    strict_1.default.equal(e.outcome, `superseded by ${(0, fixtures_1.eventId)(3)}`);
                    strict_1.default.equal(e.sealed.length, 0);
                }
                // workers that had them in flight report late: no mark moves an entry that left 'pending'
                s.journal.markRetry((0, fixtures_1.eventId)(1), 1, 0, 'late');
                s.journal.markDone((0, fixtures_1.eventId)(2), 'synced');
                s.journal.markDead((0, fixtures_1.eventId)(2), 'late');
                const late1 = s.journal.get((0, fixtures_1.eventId)(1));
                strict_1.default.equal(late1.state, 'superseded');
                strict_1.default.equal(late1.attempts, 0);
                strict_1.default.equal(late1.lastError, undefined);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(2))?.state, 'superseded');
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(2))?.outcome, `superseded by ${(0, fixtures_1.eventId)(3)}`);
                strict_1.default.deepEqual(s.journal.pendingFor('alice').map((e) => e.eventId), [(0, fixtures_1.eventId)(3)]);
                strict_1.default.equal(s.journal.depth(), 1);
            });
            it('markSuperseded is all or nothing', () => {
                s.journal.append([(0, fixtures_1.entry)(1)]);
                strict_1.default.throws(() => s.journal.markSuperseded([(0, fixtures_1.eventId)(1), (0, fixtures_1.eventId)(99)], (0, fixtures_1.eventId)(3)), /no event/);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(1))?.state, 'pending');
            });
            it('markDead moves an entry to the dead letters, keeping its sealed part', () => {
                const batch = [(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2), (0, fixtures_1.entry)(3)];
                s.journal.append(batch);
                s.journal.markDead((0, fixtures_1.eventId)(2), 'password-unrepresentable');
                s.journal.markDead((0, fixtures_1.eventId)(1), 'vault refused');
                const dead = s.journal.deadLetters();
                strict_1.default.deepEqual(dead.map((e) => e.eventId), [(0, fixtures_1.eventId)(1), (0, fixtures_1.eventId)(2)]);
                strict_1.default.equal(dead[1].outcome, 'password-unrepresentable');
                strict_1.default.ok(dead[1].sealed.equals(batch[1].sealed));
                strict_1.default.deepEqual(s.journal.deadLetters(1).map((e) => e.eventId), [(0, fixtures_1.eventId)(1)]);
                strict_1.default.equal(s.journal.depth(), 1);
            });
            it('a mark on an unknown event id throws, naming it', () => {
                strict_1.default.throws(() => s.journal.markDone((0, fixtures_1.eventId)(42), 'synced'), new RegExp(`no event ${(0, fixtures_1.eventId)(42)}`));
                strict_1.default.throws(() => s.journal.markDead((0, fixtures_1.eventId)(42), 'x'), /no event/);
                strict_1.default.throws(() => s.journal.markRetry((0, fixtures_1.eventId)(42), 1, 1, 'x'), /no event/);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(42)), undefined);
            });
            it('pendingFor() matches the account case-insensitively, pending only, oldest first', () => {
                s.journal.append([(0, fixtures_1.entry)(1, { account: 'Alice' }), (0, fixtures_1.entry)(2, { account: 'bob' }), (0, fixtures_1.entry)(3, { account: 'ALICE' }),
                    (0, fixtures_1.entry)(4, { account: 'alice' })]);
                s.journal.markDone((0, fixtures_1.eventId)(4), 'synced');
                strict_1.default.deepEqual(s.journal.pendingFor('aLiCe').map((e) => e.eventId), [(0, fixtures_1.eventId)(1), (0, fixtures_1.eventId)(3)]);
                strict_1.default.deepEqual(s.journal.pendingFor('carol'), []);
            });
            it('purgeFinished deletes old done/superseded entries only', () => {
                s.journal.append([(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2), (0, fixtures_1.entry)(3), (0, fixtures_1.entry)(4)]);
                clock = 1_000;
                s.journal.markDone((0, fixtures_1.eventId)(1), 'synced');
                s.journal.markSuperseded([(0, fixtures_1.eventId)(2)], (0, fixtures_1.eventId)(4));
                s.journal.markDead((0, fixtures_1.eventId)(3), 'x');
                clock = 9_000;
                strict_1.default.equal(s.journal.purgeFinished(5_000), 2);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(1)), undefined);
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(3))?.state, 'dead');
                strict_1.default.equal(s.journal.get((0, fixtures_1.eventId)(4))?.state, 'pending');
                // A purged id is no longer known: that is why purge windows must exceed the capture's re-send window.
                strict_1.default.deepEqual(s.journal.append([(0, fixtures_1.entry)(5)]), ['stored']);
                strict_1.default.ok(s.journal.get((0, fixtures_1.eventId)(5)).seq > s.journal.get((0, fixtures_1.eventId)(4)).seq, 'seq never reused');
            });
        });
        it('uses the due index for due() and depth()', () => {
            const plan = (sql) => s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((r) => r.detail).join('; ');
            strict_1.default.match(plan(`SELECT * FROM journal WHERE state = 'pending' AND next_attempt_at <= 5 ORDER BY next_attempt_at, seq LIMIT 5`), /USING INDEX journal_due/);
            strict_1.default.doesNotMatch(plan(`SELECT * FROM journal WHERE state = 'pending' AND next_attempt_at <= 5 ORDER BY next_attempt_at, seq LIMIT 5`), /TEMP B-TREE/);
            strict_1.default.match(plan(`SELECT count(*) FROM journal WHERE state = 'pending'`), /COVERING INDEX journal_due/);
            strict_1.default.match(plan(`SELECT * FROM journal WHERE account_key = 'a' AND state = 'pending' ORDER BY seq`), /INDEX journal_account/);
        });
    });
});
//# sourceMappingURL=sqlite.journal.test.js.map