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
// The SQLite seam's contract (src/sqlite/database.ts), met by every driver this Node loads: what comes
// back (Buffers, plain rows, numbers), how values bind, what errors say, and transaction() semantics.
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const database_1 = require("../../src/sqlite/database");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
const fixtures_1 = require("./fixtures");
const errCode = (fn) => {
    try {
        fn();
    }
    catch (err) {
        return (0, database_1.sqliteCode)(err) ?? `not an SQLite error: ${err.message}`;
    }
    return undefined;
};
(0, sqlite_drivers_1.forEachSqliteDriver)((driver) => {
    describe('SQLite seam contract', () => {
        let tmp;
        let file;
        let db;
        const others = [];
        const another = () => {
            const h = driver.open(file);
            others.push(h);
            return h;
        };
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-seam-');
            file = path.join(tmp.dir, 'seam.db');
            db = driver.open(file);
            db.exec(`PRAGMA journal_mode = WAL;
        CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT UNIQUE, n INTEGER, r REAL);
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED,
          CHECK (id > 0));`);
        });
        afterEach(() => {
            for (const h of others.splice(0))
                h.close();
            db.close();
            tmp.cleanup();
        });
        it('is the driver it was opened with, open until closed (twice is harmless)', () => {
            strict_1.default.equal(db.driver, driver.name);
            strict_1.default.equal(db.open, true);
            db.close();
            strict_1.default.equal(db.open, false);
            strict_1.default.equal(db.inTransaction, false, 'a closed database is in no transaction (asked, not thrown)');
            db.close();
        });
        describe('what comes back', () => {
            it('a BLOB is a Buffer with the same bytes, through get, all, raw and pluck; an empty one too', () => {
                const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
                db.prepare('INSERT INTO t (b, s) VALUES (?, ?), (?, ?)').run(bytes, 'x', Buffer.alloc(0), 'empty');
                const row = db.prepare('SELECT b FROM t WHERE s = ?').get('x');
                strict_1.default.ok(Buffer.isBuffer(row.b));
                strict_1.default.ok(row.b.equals(bytes));
                const all = db.prepare('SELECT b FROM t ORDER BY id').all();
                strict_1.default.ok(all.every((r) => Buffer.isBuffer(r.b)));
                strict_1.default.equal(all[1].b.length, 0);
                const raw = db.prepare('SELECT s, b FROM t ORDER BY id').raw().all();
                strict_1.default.ok(Buffer.isBuffer(raw[0][1]) && raw[0][1].equals(bytes));
                const plucked = db.prepare('SELECT b FROM t ORDER BY id').pluck().get();
                strict_1.default.ok(Buffer.isBuffer(plucked) && plucked.equals(bytes));
                strict_1.default.ok(Buffer.isBuffer(db.prepare("SELECT X''").pluck().get()));
            });
            it('rows are plain objects, equal to literals under deepStrictEqual', () => {
                db.prepare('INSERT INTO t (s, n, r) VALUES (?, ?, ?)').run('a', 5, 1.5);
                const row = db.prepare('SELECT s, n, r, NULL AS z FROM t').get();
                strict_1.default.equal(Object.getPrototypeOf(row), Object.prototype);
                strict_1.default.deepStrictEqual(row, { s: 'a', n: 5, r: 1.5, z: null });
                strict_1.default.deepStrictEqual(db.prepare('SELECT s, n FROM t').raw().all(), [['a', 5]]);
                strict_1.default.equal(db.prepare('SELECT s FROM t WHERE n = 99').get(), undefined);
            });
            it('integers are numbers, reals stay reals, a bigint binds as an integer', () => {
                const r = db.prepare('INSERT INTO t (s, n, r) VALUES (?, ?, ?)').run('a', 2 ** 52, 2.5);
                strict_1.default.deepStrictEqual(Object.keys(r).sort(), ['changes', 'lastInsertRowid']);
                strict_1.default.equal(r.changes, 1);
                strict_1.default.equal(r.lastInsertRowid, 1);
                strict_1.default.equal(typeof r.lastInsertRowid, 'number');
                strict_1.default.deepStrictEqual(db.prepare('SELECT n, r, typeof(n) AS tn, typeof(?) AS tb FROM t').get(10n), { n: 2 ** 52, r: 2.5, tn: 'integer', tb: 'integer' });
                strict_1.default.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 1);
                strict_1.default.equal(db.prepare('UPDATE t SET n = n + 1').run().changes, 1);
            });
        });
        describe('binding', () => {
            it('named values bind from one object by bare name, whatever the prefix; extra keys are ignored', () => {
                db.prepare('INSERT INTO t (s, n, r) VALUES (@s, :n, $r)').run({ s: 'a', n: 1, r: 0.5, unused: 'x' });
                strict_1.default.deepStrictEqual(db.prepare('SELECT s, n, r FROM t WHERE s = @s AND n = @n').get({ n: 1, s: 'a' }), { s: 'a', n: 1, r: 0.5 });
            });
            it('a missing named value, too few or too many positional ones are errors, never a silent NULL', () => {
                strict_1.default.throws(() => db.prepare('INSERT INTO t (s, n) VALUES (@s, @n)').run({ s: 'a' }), RangeError);
                strict_1.default.throws(() => db.prepare('INSERT INTO t (s, n) VALUES (?, ?)').run('a'), RangeError);
                strict_1.default.throws(() => db.prepare('INSERT INTO t (s, n) VALUES (?, ?)').run('a', 1, 2), RangeError);
                strict_1.default.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 0);
            });
            it('undefined binds as NULL, positional or named', () => {
                db.prepare('INSERT INTO t (s, n) VALUES (?, ?)').run('a', undefined);
                db.prepare('INSERT INTO t (s, n) VALUES (@s, @n)').run({ s: 'b', n: undefined });
                strict_1.default.deepStrictEqual(db.prepare('SELECT n FROM t ORDER BY id').pluck().all(), [null, null]);
            });
            for (const c of fixtures_1.PARAMETER_CASES) {
                it(`binds exactly the parameters SQLite sees in ${JSON.stringify(c.sql)}`, () => {
                    const bag = Object.fromEntries(c.named.map((n) => [n, 1]));
                    const values = (k) => [...(c.named.length ? [bag] : []), ...Array.from({ length: k }, () => 1)];
                    const st = db.prepare(c.sql);
                    strict_1.default.doesNotThrow(() => st.get(...values(c.anonymous)));
                    strict_1.default.throws(() => st.get(...values(c.anonymous + 1)), RangeError);
                    if (c.anonymous > 0)
                        strict_1.default.throws(() => st.get(...values(c.anonymous - 1)), RangeError);
                    if (c.named.length)
                        strict_1.default.throws(() => st.get(...values(c.anonymous).slice(1)), TypeError, 'no object for the named ones');
                });
            }
            it('prepare() refuses two statements in one string; exec() runs them', () => {
                strict_1.default.throws(() => db.prepare("INSERT INTO t (s) VALUES ('a'); INSERT INTO t (s) VALUES ('b')"), RangeError);
                strict_1.default.doesNotThrow(() => db.prepare("SELECT 1; -- done\n  /* really */ ;"));
                db.exec("INSERT INTO t (s) VALUES ('a'); INSERT INTO t (s) VALUES ('b')");
                strict_1.default.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 2);
            });
        });
        describe('errors', () => {
            it('carry the SQLite result code name and SQLite\'s message', () => {
                db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
                strict_1.default.throws(() => db.prepare('INSERT INTO t (s) VALUES (?)').run('a'), (err) => {
                    strict_1.default.equal(err.code, 'SQLITE_CONSTRAINT_UNIQUE');
                    strict_1.default.equal((0, database_1.sqliteCode)(err), 'SQLITE_CONSTRAINT_UNIQUE');
                    strict_1.default.match(err.message, /UNIQUE constraint failed: t\.s/);
                    return true;
                });
                strict_1.default.equal(errCode(() => db.prepare('INSERT INTO t (id) VALUES (1), (1)').run()), 'SQLITE_CONSTRAINT_PRIMARYKEY');
                strict_1.default.equal(errCode(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (1, NULL)').run()), 'SQLITE_CONSTRAINT_NOTNULL');
                strict_1.default.equal(errCode(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (-1, 1)').run()), 'SQLITE_CONSTRAINT_CHECK');
                strict_1.default.equal(errCode(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (1, 42)').run()), 'SQLITE_CONSTRAINT_FOREIGNKEY');
                strict_1.default.equal(errCode(() => db.prepare('SELEC 1')), 'SQLITE_ERROR');
                strict_1.default.equal(errCode(() => db.exec('INSERT INTO nowhere VALUES (1)')), 'SQLITE_ERROR');
            });
            it('a write lock held elsewhere is SQLITE_BUSY once busy_timeout has passed', () => {
                const other = another();
                other.pragma('busy_timeout = 50');
                db.transaction(() => {
                    const t0 = Date.now();
                    strict_1.default.equal(errCode(() => other.transaction(() => undefined, 'immediate')), 'SQLITE_BUSY');
                    strict_1.default.ok(Date.now() - t0 >= 40, 'it waited for the busy timeout first');
                    strict_1.default.equal(other.inTransaction, false);
                }, 'immediate');
            });
            it('read-only: a write is SQLITE_READONLY, a missing file SQLITE_CANTOPEN', () => {
                db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
                const ro = driver.open(file, { readonly: true });
                others.push(ro);
                strict_1.default.equal(ro.prepare('SELECT s FROM t').pluck().get(), 'a');
                strict_1.default.equal(errCode(() => ro.prepare('INSERT INTO t (s) VALUES (?)').run('b')), 'SQLITE_READONLY');
                strict_1.default.equal(errCode(() => driver.open(path.join(tmp.dir, 'missing.db'), { readonly: true })), 'SQLITE_CANTOPEN');
            });
        });
        describe('transaction()', () => {
            const count = () => db.prepare('SELECT count(*) FROM t').pluck().get();
            it('commits what fn wrote and returns what it returned', () => {
                strict_1.default.equal(db.transaction(() => db.prepare('INSERT INTO t (s) VALUES (?)').run('a').changes), 1);
                strict_1.default.equal(db.inTransaction, false);
                strict_1.default.equal(another().prepare('SELECT count(*) FROM t').pluck().get(), 1, 'another connection sees it: committed');
            });
            it('rolls back on a throw and rethrows the same error', () => {
                const boom = new Error('boom');
                strict_1.default.throws(() => db.transaction(() => {
                    db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
                    throw boom;
                }), (err) => err === boom);
                strict_1.default.equal(db.inTransaction, false);
                strict_1.default.equal(count(), 0);
            });
            it('nested is a savepoint: its throw undoes only its own writes, the outer one commits', () => {
                db.transaction(() => {
                    db.prepare('INSERT INTO t (s) VALUES (?)').run('outer');
                    strict_1.default.throws(() => db.transaction(() => {
                        db.prepare('INSERT INTO t (s) VALUES (?)').run('inner');
                        db.prepare('INSERT INTO t (s) VALUES (?)').run('outer'); // UNIQUE
                    }), /UNIQUE/);
                    strict_1.default.equal(db.inTransaction, true, 'the outer transaction is still open');
                    db.transaction(() => db.prepare('INSERT INTO t (s) VALUES (?)').run('inner ok'));
                }, 'immediate');
                strict_1.default.deepEqual(db.prepare('SELECT s FROM t ORDER BY id').pluck().all(), ['outer', 'inner ok']);
            });
            it("immediate takes the write lock at BEGIN, before fn writes; deferred does not", () => {
                const other = another();
                other.pragma('busy_timeout = 0');
                db.transaction(() => {
                    strict_1.default.equal(errCode(() => other.exec('BEGIN IMMEDIATE')), 'SQLITE_BUSY');
                }, 'immediate');
                db.transaction(() => {
                    other.exec('BEGIN IMMEDIATE');
                    other.exec('ROLLBACK');
                });
            });
            it('a COMMIT that fails (a deferred foreign key) rolls everything back and throws', () => {
                strict_1.default.throws(() => db.transaction(() => {
                    db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
                    db.prepare('INSERT INTO child (id, parent_id) VALUES (1, 42)').run();
                }), (err) => (0, database_1.sqliteCode)(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY');
                strict_1.default.equal(db.inTransaction, false);
                strict_1.default.equal(count(), 0);
            });
            it('refuses an async fn (a transaction never spans an await) and rolls back', async () => {
                strict_1.default.throws(() => db.transaction(async () => {
                    db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
                }), /must be synchronous/);
                strict_1.default.equal(db.inTransaction, false);
                strict_1.default.equal(count(), 0);
            });
        });
        it('pragma() returns the first value, or undefined for a pragma that returns none', () => {
            strict_1.default.equal(db.pragma('journal_mode'), 'wal');
            strict_1.default.equal(db.pragma('synchronous = NORMAL'), undefined);
            strict_1.default.equal(db.pragma('synchronous'), 1);
            strict_1.default.equal(db.pragma('busy_timeout'), 5000, 'both drivers open with a 5 s busy timeout');
        });
    });
});
//# sourceMappingURL=driver.contract.test.js.map