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
// The hub's SQLite engine (src/hub/sql.ts) and HubStore on it, on every SQLite driver this Node loads:
// `$n` parameters, the in-process lock that keeps one request's statement out of another's open
// transaction, commit and rollback, and the store's upserts with RETURNING.
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const sql_1 = require("../../src/hub/sql");
const store_1 = require("../../src/hub/store");
const migrations_1 = require("../../src/vault/migrations");
const sqlite_open_1 = require("../../src/vault/sqlite-open");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('hub SQL on SQLite', () => {
        let tmp;
        let sql;
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-hubsql-');
            const db = (0, sqlite_open_1.openDatabase)(path.join(tmp.dir, 'vault.db'), (0, migrations_1.vaultMigrations)('sqlite'), sqlite);
            strict_1.default.equal(db.driver, sqlite.name);
            sql = (0, sql_1.sqliteSql)(db);
        });
        afterEach(async () => { await sql.close(); tmp.cleanup(); });
        it('binds $n parameters in any order and more than once; undefined is NULL; rows are plain objects', async () => {
            const rows = await sql.all('SELECT $2 AS b, $1 AS a, $2 AS again, $3 AS absent, $4 AS bytes', [7, 'x', undefined, Buffer.from([1, 2])]);
            strict_1.default.deepStrictEqual(rows, [{ b: 'x', a: 7, again: 'x', absent: null, bytes: Buffer.from([1, 2]) }]);
            strict_1.default.ok(Buffer.isBuffer(rows[0].bytes));
        });
        it('run() returns the rows changed', async () => {
            await sql.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
            strict_1.default.equal(await sql.run('INSERT INTO t (k, v) VALUES ($1, $2), ($3, $2)', ['a', 1, 'b']), 2);
            strict_1.default.equal(await sql.run('UPDATE t SET v = v + 1 WHERE v = $1', [1]), 2);
            strict_1.default.equal(await sql.run('DELETE FROM t WHERE k = $1', ['zzz']), 0);
        });
        it('tx() commits what it wrote, and a throw inside rolls all of it back and rejects with that error', async () => {
            await sql.run('CREATE TABLE t (k TEXT PRIMARY KEY)');
            await sql.tx(async (q) => { await q.run('INSERT INTO t VALUES ($1)', ['kept']); });
            await strict_1.default.rejects(sql.tx(async (q) => {
                await q.run('INSERT INTO t VALUES ($1)', ['gone']);
                await q.run('INSERT INTO t VALUES ($1)', ['kept']); // UNIQUE: SQLite's own error ends it
            }), (err) => err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
            strict_1.default.deepEqual((await sql.all('SELECT k FROM t ORDER BY k')).map((r) => r.k), ['kept']);
        });
        it('a statement from outside waits for an open tx() and then sees its commit, not its middle', async () => {
            await sql.run('CREATE TABLE t (n INTEGER)');
            let release;
            const gate = new Promise((r) => { release = r; });
            const tx = sql.tx(async (q) => {
                await q.run('INSERT INTO t VALUES (1)');
                await gate;
                await q.run('INSERT INTO t VALUES (2)');
            });
            const outside = sql.all('SELECT count(*) AS c FROM t');
            let answered = false;
            void outside.then(() => { answered = true; });
            await new Promise((r) => setTimeout(r, 20));
            strict_1.default.equal(answered, false, 'the outside read waited');
            release();
            await tx;
            strict_1.default.deepEqual(await outside, [{ c: 2 }]);
        });
        it('HubStore works on it: first admin once, users with RETURNING, login attempts claimed in one upsert, sessions', async () => {
            const store = new store_1.HubStore(sql, () => 1_000_000);
            strict_1.default.equal(await store.hasUsers(), false);
            const [a, b] = await Promise.all([store.createFirstAdmin('admin', 'h1'), store.createFirstAdmin('root', 'h2')]);
            strict_1.default.deepEqual([a, b].sort(), [false, true], 'one first admin between two racing calls');
            const u = await store.createUser({ name: 'Olga', role: 'operator', permissions: [] }, 'h3');
            strict_1.default.deepStrictEqual(u, { id: u.id, name: 'Olga', role: 'operator', permissions: [], disabled: false, createdAt: 1_000_000 });
            await strict_1.default.rejects(store.createUser({ name: 'OLGA', role: 'viewer', permissions: [] }, 'h4'), /already exists/);
            const limits = { perUser: 2, perAddress: 2, baseDelayMs: 1000, maxDelayMs: 60_000, windowMs: 600_000 };
            strict_1.default.deepEqual(await store.throttle.claim([{ key: 'user:olga', free: 2 }], limits), { allowed: true });
            strict_1.default.deepEqual(await store.throttle.claim([{ key: 'user:olga', free: 2 }], limits), { allowed: true });
            strict_1.default.deepEqual(await store.throttle.claim([{ key: 'user:olga', free: 2 }], limits), { allowed: false, key: 'user:olga', retryAfterMs: 1000 });
            strict_1.default.deepEqual(await store.sql.all('SELECT failures FROM hub_login_failures'), [{ failures: 2 }], 'the refused claim counted nothing');
            await store.createSession(u.id, 'tok', 60_000);
            strict_1.default.equal((await store.sessionUser('tok'))?.name, 'Olga');
            await store.deleteSession('tok');
            strict_1.default.equal(await store.sessionUser('tok'), undefined);
        });
    });
});
//# sourceMappingURL=sqlite-sql.test.js.map