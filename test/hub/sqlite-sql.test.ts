// The hub's SQLite engine (src/hub/sql.ts) and HubStore on it, on every SQLite driver this Node loads:
// `$n` parameters, the in-process lock that keeps one request's statement out of another's open
// transaction, commit and rollback, and the store's upserts with RETURNING.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { sqliteSql, type Sql } from '../../src/hub/sql';
import { HubStore } from '../../src/hub/store';
import { vaultMigrations } from '../../src/vault/migrations';
import { openDatabase } from '../../src/sqlite/open-database';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

forEachSqliteDriver((sqlite) => {
  describe('hub SQL on SQLite', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let sql: Sql;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-hubsql-');
      const db = openDatabase(path.join(tmp.dir, 'vault.db'), vaultMigrations('sqlite'), sqlite);
      assert.equal(db.driver, sqlite.name);
      sql = sqliteSql(db);
    });
    afterEach(async () => { await sql.close(); tmp.cleanup(); });

    it('binds $n parameters in any order and more than once; undefined is NULL; rows are plain objects', async () => {
      const rows = await sql.all('SELECT $2 AS b, $1 AS a, $2 AS again, $3 AS absent, $4 AS bytes', [7, 'x', undefined, Buffer.from([1, 2])]);
      assert.deepStrictEqual(rows, [{ b: 'x', a: 7, again: 'x', absent: null, bytes: Buffer.from([1, 2]) }]);
      assert.ok(Buffer.isBuffer((rows[0] as { bytes: unknown }).bytes));
    });

    it('run() returns the rows changed', async () => {
      await sql.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
      assert.equal(await sql.run('INSERT INTO t (k, v) VALUES ($1, $2), ($3, $2)', ['a', 1, 'b']), 2);
      assert.equal(await sql.run('UPDATE t SET v = v + 1 WHERE v = $1', [1]), 2);
      assert.equal(await sql.run('DELETE FROM t WHERE k = $1', ['zzz']), 0);
    });

    it('tx() commits what it wrote, and a throw inside rolls all of it back and rejects with that error', async () => {
      await sql.run('CREATE TABLE t (k TEXT PRIMARY KEY)');
      await sql.tx(async (q) => { await q.run('INSERT INTO t VALUES ($1)', ['kept']); });
      await assert.rejects(sql.tx(async (q) => {
        await q.run('INSERT INTO t VALUES ($1)', ['gone']);
        await q.run('INSERT INTO t VALUES ($1)', ['kept']); // UNIQUE: SQLite's own error ends it
      }), (err: Error & { code?: string }) => err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
      assert.deepEqual((await sql.all<{ k: string }>('SELECT k FROM t ORDER BY k')).map((r) => r.k), ['kept']);
    });

    it('a statement from outside waits for an open tx() and then sees its commit, not its middle', async () => {
      await sql.run('CREATE TABLE t (n INTEGER)');
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const tx = sql.tx(async (q) => {
        await q.run('INSERT INTO t VALUES (1)');
        await gate;
        await q.run('INSERT INTO t VALUES (2)');
      });
      const outside = sql.all<{ c: number }>('SELECT count(*) AS c FROM t');
      let answered = false;
      void outside.then(() => { answered = true; });
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(answered, false, 'the outside read waited');
      release();
      await tx;
      assert.deepEqual(await outside, [{ c: 2 }]);
    });

    it('HubStore works on it: first admin once, users with RETURNING, login attempts claimed in one upsert, sessions', async () => {
      const store = new HubStore(sql, () => 1_000_000);
      assert.equal(await store.hasUsers(), false);
      const [a, b] = await Promise.all([store.createFirstAdmin('admin', 'h1'), store.createFirstAdmin('root', 'h2')]);
      assert.deepEqual([a, b].sort(), [false, true], 'one first admin between two racing calls');
      const u = await store.createUser({ name: 'Olga', role: 'operator', permissions: [] }, 'h3');
      assert.deepStrictEqual(u, { id: u.id, name: 'Olga', role: 'operator', permissions: [], disabled: false, createdAt: 1_000_000, mfa: false });
      await assert.rejects(store.createUser({ name: 'OLGA', role: 'viewer', permissions: [] }, 'h4'), /already exists/);
      const limits = { perUser: 2, perAddress: 2, baseDelayMs: 1000, maxDelayMs: 60_000, windowMs: 600_000 };
      assert.deepEqual(await store.throttle.claim([{ key: 'user:olga', free: 2 }], limits), { allowed: true });
      assert.deepEqual(await store.throttle.claim([{ key: 'user:olga', free: 2 }], limits), { allowed: true });
      assert.deepEqual(await store.throttle.claim([{ key: 'user:olga', free: 2 }], limits), { allowed: false, key: 'user:olga', retryAfterMs: 1000 });
      assert.deepEqual(await store.sql.all('SELECT failures FROM hub_login_failures'), [{ failures: 2 }], 'the refused claim counted nothing');
      await store.createSession(u.id, 'tok', 60_000);
      assert.equal((await store.sessionUser('tok'))?.name, 'Olga');
      await store.deleteSession('tok');
      assert.equal(await store.sessionUser('tok'), undefined);
    });
  });
});
