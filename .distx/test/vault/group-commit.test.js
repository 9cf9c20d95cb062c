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
// GroupCommit's contract (src/vault/group-commit.ts) on each SQLite driver: writes submitted in one turn of
// the event loop share one transaction; one that throws is rolled back and rejected alone; every promise
// settles only after the COMMIT (another connection already sees the write); a failed COMMIT rejects all.
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const group_commit_1 = require("../../src/vault/group-commit");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('GroupCommit', () => {
        let tmp;
        let db;
        let reader;
        /** Outermost transactions begun on `db` (each is one COMMIT, one fsync). */
        let commits;
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-group-');
            const file = path.join(tmp.dir, 'g.db');
            db = sqlite.open(file);
            db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
        CREATE TABLE t (k TEXT PRIMARY KEY);
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
            reader = sqlite.open(file);
            commits = 0;
            // Count the outermost transactions: the real handle underneath, only observed.
            const transaction = db.transaction.bind(db);
            db.transaction = (fn, mode) => {
                if (!db.inTransaction)
                    commits++;
                return transaction(fn, mode);
            };
        });
        afterEach(() => { reader.close(); db.close(); tmp.cleanup(); });
        const insert = (k) => () => db.prepare('INSERT INTO t (k) VALUES (?)').run(k).changes;
        const seen = () => reader.prepare('SELECT k FROM t ORDER BY k').pluck().all();
        it('writes submitted in one turn share one transaction, and each promise settles only once it is committed', async () => {
            const group = new group_commit_1.GroupCommit(db);
            const settledSeeing = [];
            const all = ['a', 'b', 'c'].map((k) => group.submit(insert(k)).then((v) => { settledSeeing.push(seen()); return v; }));
            strict_1.default.deepEqual(seen(), [], 'nothing is written before the flush');
            strict_1.default.deepEqual(await Promise.all(all), [1, 1, 1]);
            strict_1.default.equal(commits, 1);
            for (const s of settledSeeing)
                strict_1.default.deepEqual(s, ['a', 'b', 'c'], 'another connection saw every write when a promise settled');
        });
        it('a write that throws is rolled back and rejected alone; the others commit', async () => {
            const group = new group_commit_1.GroupCommit(db);
            const results = await Promise.allSettled([
                group.submit(insert('a')),
                group.submit(() => { insert('b')(); insert('a')(); }), // b, then a duplicate: both of its writes go
                group.submit(insert('c')),
            ]);
            strict_1.default.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
            strict_1.default.match(String(results[1].reason), /UNIQUE constraint failed/);
            strict_1.default.deepEqual(seen(), ['a', 'c']);
            strict_1.default.equal(commits, 1);
        });
        it('when the COMMIT itself fails, every write of the batch is rejected and none is stored', async () => {
            const group = new group_commit_1.GroupCommit(db);
            const results = await Promise.allSettled([
                group.submit(insert('a')),
                group.submit(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (1, 42)').run()), // checked at COMMIT
            ]);
            strict_1.default.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
            strict_1.default.match(String(results[0].reason), /FOREIGN KEY constraint failed/);
            strict_1.default.deepEqual(seen(), []);
            strict_1.default.equal(db.inTransaction, false);
        });
        it('flush() commits what is queued at once (what close() relies on)', () => {
            const group = new group_commit_1.GroupCommit(db);
            void group.submit(insert('a'));
            group.flush();
            strict_1.default.deepEqual(seen(), ['a']);
        });
    });
});
//# sourceMappingURL=group-commit.test.js.map