// GroupCommit's contract (src/vault/group-commit.ts) on each SQLite driver: writes submitted in one turn of
// the event loop share one transaction; one that throws is rolled back and rejected alone; every promise
// settles only after the COMMIT (another connection already sees the write); a failed COMMIT rejects all.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { SqliteDatabase, TransactionMode } from '../../src/sqlite/database';
import { GroupCommit } from '../../src/vault/group-commit';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

forEachSqliteDriver((sqlite) => {
  describe('GroupCommit', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let db: SqliteDatabase;
    let reader: SqliteDatabase;
    /** Outermost transactions begun on `db` (each is one COMMIT, one fsync). */
    let commits: number;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-group-');
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
      db.transaction = <T>(fn: () => T, mode?: TransactionMode): T => {
        if (!db.inTransaction) commits++;
        return transaction(fn, mode);
      };
    });
    afterEach(() => { reader.close(); db.close(); tmp.cleanup(); });

    const insert = (k: string) => () => db.prepare('INSERT INTO t (k) VALUES (?)').run(k).changes;
    const seen = () => reader.prepare('SELECT k FROM t ORDER BY k').pluck().all();

    it('writes submitted in one turn share one transaction, and each promise settles only once it is committed', async () => {
      const group = new GroupCommit(db);
      const settledSeeing: unknown[][] = [];
      const all = ['a', 'b', 'c'].map((k) => group.submit(insert(k)).then((v) => { settledSeeing.push(seen()); return v; }));
      assert.deepEqual(seen(), [], 'nothing is written before the flush');
      assert.deepEqual(await Promise.all(all), [1, 1, 1]);
      assert.equal(commits, 1);
      for (const s of settledSeeing) assert.deepEqual(s, ['a', 'b', 'c'], 'another connection saw every write when a promise settled');
    });

    it('a write that throws is rolled back and rejected alone; the others commit', async () => {
      const group = new GroupCommit(db);
      const results = await Promise.allSettled([
        group.submit(insert('a')),
        group.submit(() => { insert('b')(); insert('a')(); }), // b, then a duplicate: both of its writes go
        group.submit(insert('c')),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE constraint failed/);
      assert.deepEqual(seen(), ['a', 'c']);
      assert.equal(commits, 1);
    });

    it('when the COMMIT itself fails, every write of the batch is rejected and none is stored', async () => {
      const group = new GroupCommit(db);
      const results = await Promise.allSettled([
        group.submit(insert('a')),
        group.submit(() => db.prepare('INSERT INTO child (id, parent_id) VALUES (1, 42)').run()), // checked at COMMIT
      ]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
      assert.match(String((results[0] as PromiseRejectedResult).reason), /FOREIGN KEY constraint failed/);
      assert.deepEqual(seen(), []);
      assert.equal(db.inTransaction, false);
    });

    it('flush() commits what is queued at once (what close() relies on)', () => {
      const group = new GroupCommit(db);
      void group.submit(insert('a'));
      group.flush();
      assert.deepEqual(seen(), ['a']);
    });
  });
});
