import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import { ECHO_KEY, entry, eventId } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

forEachSqliteDriver((sqlite) => {
  describe('the journal keeps a bounded number of finished rows', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let s: StateDb;
    const file = () => path.join(tmp.dir, 'state.db');
    const rows = () => s.db.prepare('SELECT state, count(*) AS n FROM journal GROUP BY state').all() as Array<{ state: string; n: number }>;
    const count = (state: string) => rows().find((r) => r.state === state)?.n ?? 0;
    beforeEach(() => { tmp = makeTempDir('pwbridge-cap-'); });
    afterEach(() => { s.close(); tmp.cleanup(); });

    /** Append and finish `n` entries from `from`, in batches as the service does. */
    const churn = (from: number, n: number) => {
      for (let i = from; i < from + n; i += 500) {
        const batch = Array.from({ length: Math.min(500, from + n - i) }, (_, k) => entry(i + k));
        s.journal.append(batch);
        for (const e of batch) s.journal.markDone(e.eventId, 'synced');
        s.journal.flushMarks();
      }
    };

    it('drops the oldest done rows beyond the bound, never a pending or dead one, and the file stops growing', () => {
      s = openStateDb(file(), { echoKey: ECHO_KEY, sqlite, keepFinished: 2_000 });
      s.journal.append([entry(1_000_000), entry(1_000_001)]);
      s.journal.markDead(eventId(1_000_001), 'poison');
      churn(0, 10_000);
      const done = count('done');
      assert.ok(done <= 2_000 + 6_000 && done >= 2_000, `done rows kept: ${done}`);
      assert.equal(count('pending'), 1, 'the pending entry stays');
      assert.equal(count('dead'), 1, 'the dead entry stays (an operator may requeue it)');
      assert.equal(s.journal.get(eventId(9_999))?.state, 'done', 'the newest finished rows are kept');
      assert.equal(s.journal.get(eventId(0)), undefined, 'the oldest went');
      churn(10_000, 20_000);
      s.db.pragma('wal_checkpoint(TRUNCATE)');
      const mid = fs.statSync(file()).size;
      churn(30_000, 30_000);
      s.db.pragma('wal_checkpoint(TRUNCATE)');
      const end = fs.statSync(file()).size;
      assert.ok(count('done') <= 2_000 + 6_000, `done rows after 60k: ${count('done')}`);
      assert.ok(end <= mid * 1.1, `state.db grew from ${mid} to ${end} bytes with the number of rows bounded`);
    });

    it('rows still pending when the trim passed them are dropped once they finish (a backlog the soak had)', () => {
      s = openStateDb(file(), { echoKey: ECHO_KEY, sqlite, keepFinished: 2_000 });
      // A backlog of 3,000 entries waits while 20,000 newer ones come and finish: the trim walks past it.
      const backlog = Array.from({ length: 3_000 }, (_, k) => entry(500_000 + k));
      s.journal.append(backlog);
      churn(0, 20_000);
      assert.equal(count('pending'), 3_000);
      // The backlog is worked off now, coalesced: superseded, and the last one done.
      s.journal.markSuperseded(backlog.slice(0, -1).map((e) => e.eventId), backlog.at(-1)!.eventId);
      s.journal.markDone(backlog.at(-1)!.eventId, 'synced');
      s.journal.flushMarks();
      churn(20_000, 20_000);
      const finished = count('done') + count('superseded');
      assert.ok(finished <= 2_000 + 6_000, `finished rows kept: ${finished} (superseded ${count('superseded')})`);
      assert.equal(count('superseded'), 0, 'the old backlog went once it finished');
    });

    it('the default bound leaves a small journal alone', () => {
      s = openStateDb(file(), { echoKey: ECHO_KEY, sqlite });
      churn(0, 5_000);
      assert.equal(count('done'), 5_000);
    });

    it('refuses a bound that is not a positive integer', () => {
      assert.throws(() => openStateDb(file(), { echoKey: ECHO_KEY, sqlite, keepFinished: 0 }), /keepFinished must be a positive integer/);
      s = openStateDb(file(), { echoKey: ECHO_KEY, sqlite });
    });
  });
});
