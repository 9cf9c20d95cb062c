// Conflicted captures in the real state.db: kept sealed out of the pending work, out of reach of the
// finished-row cap and the age purge, made pending again (resend) or wiped (drop) only from 'conflicted';
// and the upgrade of a state.db made before them (migration 3 rebuilds the journal table): every row, its
// state and sealed part kept, and the seq numbering goes on past the highest ever given, even one purged.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import { STATE_MIGRATIONS } from '../../src/journal/state-schema';
import { openDatabase } from '../../src/sqlite/open-database';
import { ECHO_KEY, entry, eventId } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

forEachSqliteDriver((sqlite) => {
  describe('the journal\'s conflicted captures', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let s: StateDb;
    let clock: number;
    const file = () => path.join(tmp.dir, 'state.db');
    const open = (keepFinished?: number) => openStateDb(file(), { echoKey: ECHO_KEY, now: () => clock, sqlite, keepFinished });
    beforeEach(() => { tmp = makeTempDir('pwbridge-conflicted-'); clock = 50_000; });
    afterEach(() => { s?.close(); tmp.cleanup(); });

    it('a conflicted entry keeps its sealed part, leaves the pending work, and outlives the cap, the purge and a reopen', () => {
      s = open(3);
      const kept = entry(1);
      s.journal.append([kept]);
      s.journal.markConflicted(eventId(1), 'conflict');
      s.journal.flushMarks();
      assert.equal(s.journal.depth(), 0);
      assert.deepEqual(s.journal.due(1e12, 10), []);
      for (let n = 2; n < 40; n++) {
        s.journal.append([entry(n)]);
        s.journal.markDone(eventId(n), 'synced');
      }
      s.journal.flushMarks();
      clock += 10 * 86_400_000;
      s.journal.purgeFinished(clock);
      s.close();
      s = open(3);
      const got = s.journal.get(eventId(1))!;
      assert.equal(got.state, 'conflicted');
      assert.ok(got.sealed.equals(kept.sealed));
      assert.deepEqual(s.journal.conflicted('ALICE').map((e) => e.eventId), [eventId(1)]);
      assert.deepEqual(s.journal.conflicted('bob'), []);
    });

    it('resend makes it pending and due, marked resend; drop wipes it; neither touches an entry that is not conflicted', () => {
      s = open();
      s.journal.append([entry(1), entry(2), entry(3)]);
      s.journal.markConflicted(eventId(1), 'conflict');
      s.journal.markConflicted(eventId(2), 'conflict');
      assert.equal(s.journal.resendConflicted(eventId(3), clock), false, 'pending, not conflicted');
      assert.equal(s.journal.dropConflicted(eventId(3), 'x'), false);
      assert.equal(s.journal.resendConflicted(eventId(1), clock), true);
      const again = s.journal.get(eventId(1))!;
      assert.equal(again.state, 'pending');
      assert.equal(again.resend, true);
      assert.equal(again.attempts, 0);
      assert.deepEqual(s.journal.due(clock, 10).map((e) => e.eventId).sort(), [eventId(1), eventId(3)]);
      assert.equal(s.journal.dropConflicted(eventId(2), 'conflict resolved: vault kept'), true);
      const dropped = s.journal.get(eventId(2))!;
      assert.equal(dropped.state, 'done');
      assert.equal(dropped.sealed.length, 0, 'the sealed password is wiped');
      assert.equal(dropped.outcome, 'conflict resolved: vault kept');
      assert.equal(s.journal.dropConflicted(eventId(2), 'again'), false);
      // A late mark cannot bring a resent entry back to conflicted twice, nor a done one.
      s.journal.markConflicted(eventId(2), 'conflict');
      s.journal.flushMarks();
      assert.equal(s.journal.get(eventId(2))!.state, 'done');
    });

    it('upgrades a state.db made before conflicted captures: rows, states and sealed parts kept; seq goes on past the highest given', () => {
      const old = openDatabase(file(), STATE_MIGRATIONS.filter((m) => m.version <= 2), sqlite);
      const insert = old.prepare(`INSERT INTO journal (event_id, machine, account, account_key, account_id, captured_at, received_at, encoding, sealed,
        next_attempt_at, state) VALUES (?, 'WS01', 'alice', 'alice', 1000, 1, 2, 1, ?, 0, ?)`);
      const sealed = [Buffer.from('s1'), Buffer.from('s2'), Buffer.from('s3'), Buffer.from('s4')];
      insert.run(eventId(1), sealed[0], 'pending');
      insert.run(eventId(2), sealed[1], 'dead');
      insert.run(eventId(3), sealed[2], 'done');
      insert.run(eventId(4), sealed[3], 'done');
      old.prepare('DELETE FROM journal WHERE event_id = ?').run(eventId(4)); // purged: its seq 4 is never given again
      old.close();
      s = open();
      assert.equal(s.journal.get(eventId(1))!.state, 'pending');
      assert.ok(s.journal.get(eventId(1))!.sealed.equals(sealed[0]));
      assert.equal(s.journal.get(eventId(2))!.state, 'dead');
      assert.ok(s.journal.get(eventId(2))!.sealed.equals(sealed[1]));
      assert.equal(s.journal.get(eventId(3))!.seq, 3);
      s.journal.append([entry(5)]);
      assert.equal(s.journal.get(eventId(5))!.seq, 5);
      s.journal.markConflicted(eventId(1), 'conflict');
      s.journal.flushMarks();
      assert.equal(s.journal.get(eventId(1))!.state, 'conflicted');
    });
  });
});
