import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import type { SqliteDatabase } from '../../src/sqlite/database';
import { ECHO_KEY, entry, eventId } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A commit of the journal's marks can fail: the disk is full, or another process holds the write lock
// past the busy timeout. The deferred commit runs on a timer, where a throw would end the service.
forEachSqliteDriver((sqlite) => {
  describe('journal marks whose commit fails', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let s: StateDb;
    let other: SqliteDatabase | undefined;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-marks-');
      s = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: ECHO_KEY, sqlite });
    });
    afterEach(() => {
      if (other?.inTransaction) other.exec('ROLLBACK');
      other?.close();
      other = undefined;
      s.close();
      tmp.cleanup();
    });

    it('the deferred commit meets a locked file: no crash, the mark stays queued and lands once the lock goes', async function () {
      this.timeout(10_000);
      s.journal.append([entry(1), entry(2)]);
      other = sqlite.open(path.join(tmp.dir, 'state.db'));
      other.exec('BEGIN IMMEDIATE');
      s.db.pragma('busy_timeout = 20');
      s.journal.markDone(eventId(1), 'synced');
      await sleep(200); // the 2 ms timer ran and failed (SQLITE_BUSY); a throw there would be an uncaught exception
      assert.deepEqual(s.journal.pendingFor('alice').map((e) => e.eventId), [eventId(2)], 'still finished in memory: not handed out again');
      assert.throws(() => s.journal.depth(), /lock|busy/i, 'a read meets the same error, for its caller to log');
      other.exec('COMMIT');
      await sleep(1_300); // the retry timer
      assert.equal(other.prepare('SELECT state FROM journal WHERE event_id = ?').pluck().get(eventId(1)), 'done', 'committed by the retry, with no read to push it');
    });

    it('an append that fails (SQLITE_FULL) keeps the marks that were to ride along in its transaction', () => {
      s.journal.append([entry(1)]);
      s.journal.markDone(eventId(1), 'synced');
      const pages = s.db.pragma('page_count') as number;
      s.db.pragma(`max_page_count = ${pages}`);
      const big = Array.from({ length: 200 }, (_, i) => entry(100 + i, { sealed: Buffer.alloc(3000, 1) }));
      assert.throws(() => s.journal.append(big), (err: Error & { code?: string }) => err.code === 'SQLITE_FULL');
      s.db.pragma('max_page_count = 1073741823');
      assert.equal(s.journal.get(eventId(1))?.state, 'done', 'the mark was queued again, not dropped with the rolled-back append');
      assert.equal(s.journal.get(eventId(100)), undefined, 'nothing of the failed batch is stored');
    });
  });
});
