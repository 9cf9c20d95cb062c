// The SQLite seam's contract (src/sqlite/database.ts), met by every driver this Node loads: what comes
// back (Buffers, plain rows, numbers), how values bind, what errors say, and transaction() semantics.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { sqliteCode, type SqliteDatabase } from '../../src/sqlite/database';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';
import { PARAMETER_CASES } from './fixtures';

const errCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return sqliteCode(err) ?? `not an SQLite error: ${(err as Error).message}`;
  }
  return undefined;
};

forEachSqliteDriver((driver) => {
  describe('SQLite seam contract', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let file: string;
    let db: SqliteDatabase;
    const others: SqliteDatabase[] = [];
    const another = () => {
      const h = driver.open(file);
      others.push(h);
      return h;
    };
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-seam-');
      file = path.join(tmp.dir, 'seam.db');
      db = driver.open(file);
      db.exec(`PRAGMA journal_mode = WAL;
        CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT UNIQUE, n INTEGER, r REAL);
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED,
          CHECK (id > 0));`);
    });
    afterEach(() => {
      for (const h of others.splice(0)) h.close();
      db.close();
      tmp.cleanup();
    });

    it('is the driver it was opened with, open until closed (twice is harmless)', () => {
      assert.equal(db.driver, driver.name);
      assert.equal(db.open, true);
      db.close();
      assert.equal(db.open, false);
      assert.equal(db.inTransaction, false, 'a closed database is in no transaction (asked, not thrown)');
      db.close();
    });

    describe('what comes back', () => {
      it('a BLOB is a Buffer with the same bytes, through get, all, raw and pluck; an empty one too', () => {
        const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
        db.prepare('INSERT INTO t (b, s) VALUES (?, ?), (?, ?)').run(bytes, 'x', Buffer.alloc(0), 'empty');
        const row = db.prepare('SELECT b FROM t WHERE s = ?').get('x') as { b: Buffer };
        assert.ok(Buffer.isBuffer(row.b));
        assert.ok(row.b.equals(bytes));
        const all = db.prepare('SELECT b FROM t ORDER BY id').all() as Array<{ b: Buffer }>;
        assert.ok(all.every((r) => Buffer.isBuffer(r.b)));
        assert.equal(all[1].b.length, 0);
        const raw = db.prepare('SELECT s, b FROM t ORDER BY id').raw().all() as Array<[string, Buffer]>;
        assert.ok(Buffer.isBuffer(raw[0][1]) && raw[0][1].equals(bytes));
        const plucked = db.prepare('SELECT b FROM t ORDER BY id').pluck().get();
        assert.ok(Buffer.isBuffer(plucked) && plucked.equals(bytes));
        assert.ok(Buffer.isBuffer(db.prepare("SELECT X''").pluck().get()));
      });

      it('rows are plain objects, equal to literals under deepStrictEqual', () => {
        db.prepare('INSERT INTO t (s, n, r) VALUES (?, ?, ?)').run('a', 5, 1.5);
        const row = db.prepare('SELECT s, n, r, NULL AS z FROM t').get();
        assert.equal(Object.getPrototypeOf(row), Object.prototype);
        assert.deepStrictEqual(row, { s: 'a', n: 5, r: 1.5, z: null });
        assert.deepStrictEqual(db.prepare('SELECT s, n FROM t').raw().all(), [['a', 5]]);
        assert.equal(db.prepare('SELECT s FROM t WHERE n = 99').get(), undefined);
      });

      it('integers are numbers, reals stay reals, a bigint binds as an integer', () => {
        const r = db.prepare('INSERT INTO t (s, n, r) VALUES (?, ?, ?)').run('a', 2 ** 52, 2.5);
        assert.deepStrictEqual(Object.keys(r).sort(), ['changes', 'lastInsertRowid']);
        assert.equal(r.changes, 1);
        assert.equal(r.lastInsertRowid, 1);
        assert.equal(typeof r.lastInsertRowid, 'number');
        assert.deepStrictEqual(db.prepare('SELECT n, r, typeof(n) AS tn, typeof(?) AS tb FROM t').get(10n), { n: 2 ** 52, r: 2.5, tn: 'integer', tb: 'integer' });
        assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 1);
        assert.equal(db.prepare('UPDATE t SET n = n + 1').run().changes, 1);
      });
    });

    describe('binding', () => {
      it('named values bind from one object by bare name, whatever the prefix; extra keys are ignored', () => {
        db.prepare('INSERT INTO t (s, n, r) VALUES (@s, :n, $r)').run({ s: 'a', n: 1, r: 0.5, unused: 'x' });
        assert.deepStrictEqual(db.prepare('SELECT s, n, r FROM t WHERE s = @s AND n = @n').get({ n: 1, s: 'a' }), { s: 'a', n: 1, r: 0.5 });
      });

      it('a missing named value, too few or too many positional ones are errors, never a silent NULL', () => {
        assert.throws(() => db.prepare('INSERT INTO t (s, n) VALUES (@s, @n)').run({ s: 'a' }), RangeError);
        assert.throws(() => db.prepare('INSERT INTO t (s, n) VALUES (?, ?)').run('a'), RangeError);
        assert.throws(() => db.prepare('INSERT INTO t (s, n) VALUES (?, ?)').run('a', 1, 2), RangeError);
        assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 0);
      });

      it('undefined binds as NULL, positional or named', () => {
        db.prepare('INSERT INTO t (s, n) VALUES (?, ?)').run('a', undefined);
        db.prepare('INSERT INTO t (s, n) VALUES (@s, @n)').run({ s: 'b', n: undefined });
        assert.deepStrictEqual(db.prepare('SELECT n FROM t ORDER BY id').pluck().all(), [null, null]);
      });

      for (const c of PARAMETER_CASES) {
        it(`binds exactly the parameters SQLite sees in ${JSON.stringify(c.sql)}`, () => {
          const bag = Object.fromEntries(c.named.map((n) => [n, 1]));
          const values = (k: number) => [...(c.named.length ? [bag] : []), ...Array.from({ length: k }, () => 1)];
          const st = db.prepare(c.sql);
          assert.doesNotThrow(() => st.get(...values(c.anonymous)));
          assert.throws(() => st.get(...values(c.anonymous + 1)), RangeError);
          if (c.anonymous > 0) assert.throws(() => st.get(...values(c.anonymous - 1)), RangeError);
          if (c.named.length) assert.throws(() => st.get(...values(c.anonymous).slice(1)), TypeError, 'no object for the named ones');
        });
      }

      it('prepare() refuses two statements in one string; exec() runs them', () => {
        assert.throws(() => db.prepare("INSERT INTO t (s) VALUES ('a'); INSERT INTO t (s) VALUES ('b')"), RangeError);
        assert.doesNotThrow(() => db.prepare("SELECT 1; -- done\n  /* really */ ;"));
        db.exec("INSERT INTO t (s) VALUES ('a'); INSERT INTO t (s) VALUES ('b')");
        assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 2);
      });
    });

    describe('errors', () => {
      it('carry the SQLite result code name and SQLite\'s message', () => {
        db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
        assert.throws(() => db.prepare('INSERT INTO t (s) VALUES (?)').run('a'), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'SQLITE_CONSTRAINT_UNIQUE');
          assert.equal(sqliteCode(err), 'SQLITE_CONSTRAINT_UNIQUE');
          assert.match(err.message, /UNIQUE constraint failed: t\.s/);
          return true;
        });
        assert.equal(errCode(() => db.prepare('INSERT INTO t (id) VALUES (1), (1)').run()), 'SQLITE_CONSTRAINT_PRIMARYKEY');
        assert.equal(errCode(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (1, NULL)').run()), 'SQLITE_CONSTRAINT_NOTNULL');
        assert.equal(errCode(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (-1, 1)').run()), 'SQLITE_CONSTRAINT_CHECK');
        assert.equal(errCode(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (1, 42)').run()), 'SQLITE_CONSTRAINT_FOREIGNKEY');
        assert.equal(errCode(() => db.prepare('SELEC 1')), 'SQLITE_ERROR');
        assert.equal(errCode(() => db.exec('INSERT INTO nowhere VALUES (1)')), 'SQLITE_ERROR');
      });

      it('a write lock held elsewhere is SQLITE_BUSY once busy_timeout has passed', () => {
        const other = another();
        other.pragma('busy_timeout = 50');
        db.transaction(() => {
          const t0 = Date.now();
          assert.equal(errCode(() => other.transaction(() => undefined, 'immediate')), 'SQLITE_BUSY');
          assert.ok(Date.now() - t0 >= 40, 'it waited for the busy timeout first');
          assert.equal(other.inTransaction, false);
        }, 'immediate');
      });

      it('read-only: a write is SQLITE_READONLY, a missing file SQLITE_CANTOPEN', () => {
        db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
        const ro = driver.open(file, { readonly: true });
        others.push(ro);
        assert.equal(ro.prepare('SELECT s FROM t').pluck().get(), 'a');
        assert.equal(errCode(() => ro.prepare('INSERT INTO t (s) VALUES (?)').run('b')), 'SQLITE_READONLY');
        assert.equal(errCode(() => driver.open(path.join(tmp.dir, 'missing.db'), { readonly: true })), 'SQLITE_CANTOPEN');
      });
    });

    describe('transaction()', () => {
      const count = () => db.prepare('SELECT count(*) FROM t').pluck().get();

      it('commits what fn wrote and returns what it returned', () => {
        assert.equal(db.transaction(() => db.prepare('INSERT INTO t (s) VALUES (?)').run('a').changes), 1);
        assert.equal(db.inTransaction, false);
        assert.equal(another().prepare('SELECT count(*) FROM t').pluck().get(), 1, 'another connection sees it: committed');
      });

      it('rolls back on a throw and rethrows the same error', () => {
        const boom = new Error('boom');
        assert.throws(() => db.transaction(() => {
          db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
          throw boom;
        }), (err) => err === boom);
        assert.equal(db.inTransaction, false);
        assert.equal(count(), 0);
      });

      it('nested is a savepoint: its throw undoes only its own writes, the outer one commits', () => {
        db.transaction(() => {
          db.prepare('INSERT INTO t (s) VALUES (?)').run('outer');
          assert.throws(() => db.transaction(() => {
            db.prepare('INSERT INTO t (s) VALUES (?)').run('inner');
            db.prepare('INSERT INTO t (s) VALUES (?)').run('outer'); // UNIQUE
          }), /UNIQUE/);
          assert.equal(db.inTransaction, true, 'the outer transaction is still open');
          db.transaction(() => db.prepare('INSERT INTO t (s) VALUES (?)').run('inner ok'));
        }, 'immediate');
        assert.deepEqual(db.prepare('SELECT s FROM t ORDER BY id').pluck().all(), ['outer', 'inner ok']);
      });

      it("immediate takes the write lock at BEGIN, before fn writes; deferred does not", () => {
        const other = another();
        other.pragma('busy_timeout = 0');
        db.transaction(() => {
          assert.equal(errCode(() => other.exec('BEGIN IMMEDIATE')), 'SQLITE_BUSY');
        }, 'immediate');
        db.transaction(() => {
          other.exec('BEGIN IMMEDIATE');
          other.exec('ROLLBACK');
        });
      });

      it('a COMMIT that fails (a deferred foreign key) rolls everything back and throws', () => {
        assert.throws(() => db.transaction(() => {
          db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
          db.prepare('INSERT INTO child (id, parent_id) VALUES (1, 42)').run();
        }), (err) => sqliteCode(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY');
        assert.equal(db.inTransaction, false);
        assert.equal(count(), 0);
      });

      it('refuses an async fn (a transaction never spans an await) and rolls back', async () => {
        assert.throws(() => db.transaction(async () => {
          db.prepare('INSERT INTO t (s) VALUES (?)').run('a');
        }), /must be synchronous/);
        assert.equal(db.inTransaction, false);
        assert.equal(count(), 0);
      });
    });

    it('pragma() returns the first value, or undefined for a pragma that returns none', () => {
      assert.equal(db.pragma('journal_mode'), 'wal');
      assert.equal(db.pragma('synchronous = NORMAL'), undefined);
      assert.equal(db.pragma('synchronous'), 1);
      assert.equal(db.pragma('busy_timeout'), 5000, 'both drivers open with a 5 s busy timeout');
    });
  });
});
