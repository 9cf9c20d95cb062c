import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import { ECHO_KEY, entry, eventId } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

forEachSqliteDriver((sqlite) => {
  describe('SqliteJournal', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let s: StateDb;
    let clock: number;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-journal-');
      clock = 50_000;
      s = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: ECHO_KEY, now: () => clock, sqlite });
    });
    afterEach(() => { s.close(); tmp.cleanup(); });

    describe('append', () => {
      it('stores a batch, reports re-sent ids as duplicates, and keeps the sealed bytes exactly', () => {
        const batch = [entry(1), entry(2), entry(3)];
        assert.deepEqual(s.journal.append(batch), ['stored', 'stored', 'stored']);
        assert.deepEqual(s.journal.append([entry(2), entry(4), entry(4)]), ['duplicate', 'stored', 'duplicate']);
        const got = s.journal.get(eventId(1))!;
        assert.ok(got.sealed.equals(batch[0].sealed));
        assert.equal(got.state, 'pending');
        assert.equal(got.attempts, 0);
        assert.equal(got.nextAttemptAt, batch[0].receivedAt, 'due as soon as received');
        assert.deepEqual({ ...got, seq: 0, state: 'pending', attempts: 0, nextAttemptAt: 0 },
          { ...batch[0], seq: 0, state: 'pending', attempts: 0, nextAttemptAt: 0 });
        assert.equal(s.journal.depth(), 4);
      });

      it('a re-sent duplicate does not replace the stored entry', () => {
        const first = entry(1);
        s.journal.append([first]);
        assert.deepEqual(s.journal.append([entry(1, { account: 'mallory' })]), ['duplicate']);
        assert.equal(s.journal.get(eventId(1))?.account, 'alice');
        assert.ok(s.journal.get(eventId(1))?.sealed.equals(first.sealed));
      });

      it('treats event ids case-insensitively (they are hex)', () => {
        const id = 'ABCDEF0123456789ABCDEF0123456789';
        assert.deepEqual(s.journal.append([entry(0, { eventId: id })]), ['stored']);
        assert.deepEqual(s.journal.append([entry(0, { eventId: id.toLowerCase() })]), ['duplicate']);
        assert.equal(s.journal.get(id.toLowerCase())?.eventId, id.toLowerCase());
      });

      it('refuses a malformed entry and stores none of its batch', () => {
        assert.throws(() => s.journal.append([entry(1), entry(2, { encoding: 3 })]), /journal entry 1 .*encoding/);
        assert.throws(() => s.journal.append([entry(1, { eventId: 'xyz' })]), /32 hex characters/);
        assert.throws(() => s.journal.append([entry(1, { sealed: Buffer.alloc(0) })]), /sealed/);
        assert.equal(s.journal.depth(), 0);
        assert.equal(s.journal.get(eventId(1)), undefined);
      });

      // Speed is the bench's business (pipeline_events_per_s); here only what a batch stores.
      it('appends a 500-entry batch, then single entries, all stored', () => {
        const batch = Array.from({ length: 500 }, (_, i) => entry(i + 1));
        s.journal.append([entry(100_000)]);
        const r = s.journal.append(batch);
        for (let i = 0; i < 20; i++) s.journal.append([entry(200_000 + i)]);
        assert.equal(r.filter((x) => x === 'stored').length, 500);
        assert.equal(s.journal.depth(), 521);
      });
    });

    describe('write-behind marks', () => {
      it('a queued mark is invisible to pendingFor and due before it is committed, and committed by a read that counts', () => {
        s.journal.append([entry(1), entry(2), entry(3)]);
        s.journal.markDone(eventId(1), 'synced');
        s.journal.markSuperseded([eventId(2)], eventId(3));
        assert.deepEqual(s.journal.pendingFor('alice').map((e) => e.eventId), [eventId(3)]);
        assert.deepEqual(s.journal.due(clock + 1_000_000, 10).map((e) => e.eventId), [eventId(3)]);
        assert.equal(s.journal.depth(), 1);
        assert.equal(s.journal.get(eventId(1))?.state, 'done');
        assert.equal(s.journal.get(eventId(2))?.state, 'superseded');
      });

      // Regression: due() once filtered queued marks after its LIMIT, returned a short page while more was
      // due, and the processor took the short page for "no backlog" and waited for its 60 s poll.
      it('due() returns a full page while more than `limit` entries are due, even with marks queued', () => {
        s.journal.append(Array.from({ length: 30 }, (_, i) => entry(i + 1)));
        for (let i = 1; i <= 8; i++) s.journal.markDone(eventId(i), 'synced');
        const page = s.journal.due(clock + 1_000_000, 10);
        assert.equal(page.length, 10);
        assert.ok(page.every((e) => e.state === 'pending'));
        assert.equal(page[0].eventId, eventId(9));
      });

      it('nextDueAt is the earliest pending due time, retries included, and undefined when nothing is pending', () => {
        assert.equal(s.journal.nextDueAt(), undefined);
        s.journal.append([entry(1, { receivedAt: 500 }), entry(2, { receivedAt: 700 })]);
        assert.equal(s.journal.nextDueAt(), 500);
        s.journal.markRetry(eventId(1), 1, 9_000, 'vault timeout');
        assert.equal(s.journal.nextDueAt(), 700);
        s.journal.markDone(eventId(2), 'synced');
        assert.equal(s.journal.nextDueAt(), 9_000);
        s.journal.markDead(eventId(1), 'too old');
        assert.equal(s.journal.nextDueAt(), undefined);
      });

      it('a mark on an event id the journal does not hold throws at once', () => {
        assert.throws(() => s.journal.markDone(eventId(77), 'synced'), /no event/);
      });

      it('queued marks survive close (flushed) and are seen by the next open', () => {
        s.journal.append([entry(1)]);
        s.journal.markDone(eventId(1), 'synced');
        s.close();
        s = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: ECHO_KEY, now: () => clock, sqlite });
        assert.equal(s.journal.get(eventId(1))?.state, 'done');
        assert.equal(s.journal.depth(), 0);
      });
    });

    describe('scheduling', () => {
      it('due() returns pending entries due at now, earliest first, in journal order, up to limit', () => {
        s.journal.append([entry(1, { receivedAt: 100 }), entry(2, { receivedAt: 100 }), entry(3, { receivedAt: 300 }),
          entry(4, { receivedAt: 200 })]);
        const ids = (xs: { eventId: string }[]) => xs.map((x) => x.eventId);
        assert.deepEqual(ids(s.journal.due(99, 10)), []);
        assert.deepEqual(ids(s.journal.due(250, 10)), [eventId(1), eventId(2), eventId(4)]);
        assert.deepEqual(ids(s.journal.due(1_000, 2)), [eventId(1), eventId(2)]);
        const seqs = s.journal.due(1_000, 10).map((e) => e.seq);
        assert.ok(seqs[0] < seqs[1], 'seq follows append order');
      });

      it('markRetry pushes an entry back and records attempts and the error', () => {
        s.journal.append([entry(1, { receivedAt: 100 }), entry(2, { receivedAt: 100 })]);
        s.journal.markRetry(eventId(1), 1, 5_000, 'vault unreachable');
        assert.deepEqual(s.journal.due(1_000, 10).map((e) => e.eventId), [eventId(2)]);
        assert.deepEqual(s.journal.due(5_000, 10).map((e) => e.eventId), [eventId(2), eventId(1)]);
        const e = s.journal.get(eventId(1))!;
        assert.equal(e.attempts, 1);
        assert.equal(e.nextAttemptAt, 5_000);
        assert.equal(e.lastError, 'vault unreachable');
        assert.equal(e.state, 'pending');
        assert.equal(s.journal.depth(), 2, 'a retried entry is still pending');
      });

      it('markDone finishes an entry, drops its sealed part, and takes it off the queue', () => {
        s.journal.append([entry(1), entry(2)]);
        s.journal.markDone(eventId(1), 'synced');
        const e = s.journal.get(eventId(1))!;
        assert.equal(e.state, 'done');
        assert.equal(e.outcome, 'synced');
        assert.equal(e.sealed.length, 0);
        assert.equal(s.journal.depth(), 1);
        assert.deepEqual(s.journal.due(1e12, 10).map((x) => x.eventId), [eventId(2)]);
      });

      it('markSuperseded replaces earlier changes, and a late retry cannot bring one back', () => {
        s.journal.append([entry(1), entry(2), entry(3)]);
        s.journal.markSuperseded([eventId(1), eventId(2)], eventId(3));
        for (const n of [1, 2]) {
          const e = s.journal.get(eventId(n))!;
          assert.equal(e.state, 'superseded');
          assert.equal(e.outcome, `superseded by ${eventId(3)}`);
          assert.equal(e.sealed.length, 0);
        }
        // workers that had them in flight report late: no mark moves an entry that left 'pending'
        s.journal.markRetry(eventId(1), 1, 0, 'late');
        s.journal.markDone(eventId(2), 'synced');
        s.journal.markDead(eventId(2), 'late');
        const late1 = s.journal.get(eventId(1))!;
        assert.equal(late1.state, 'superseded');
        assert.equal(late1.attempts, 0);
        assert.equal(late1.lastError, undefined);
        assert.equal(s.journal.get(eventId(2))?.state, 'superseded');
        assert.equal(s.journal.get(eventId(2))?.outcome, `superseded by ${eventId(3)}`);
        assert.deepEqual(s.journal.pendingFor('alice').map((e) => e.eventId), [eventId(3)]);
        assert.equal(s.journal.depth(), 1);
      });

      it('markSuperseded is all or nothing', () => {
        s.journal.append([entry(1)]);
        assert.throws(() => s.journal.markSuperseded([eventId(1), eventId(99)], eventId(3)), /no event/);
        assert.equal(s.journal.get(eventId(1))?.state, 'pending');
      });

      it('markDead moves an entry to the dead letters, keeping its sealed part', () => {
        const batch = [entry(1), entry(2), entry(3)];
        s.journal.append(batch);
        s.journal.markDead(eventId(2), 'password-unrepresentable');
        s.journal.markDead(eventId(1), 'vault refused');
        const dead = s.journal.deadLetters();
        assert.deepEqual(dead.map((e) => e.eventId), [eventId(1), eventId(2)]);
        assert.equal(dead[1].outcome, 'password-unrepresentable');
        assert.ok(dead[1].sealed.equals(batch[1].sealed));
        assert.deepEqual(s.journal.deadLetters(1).map((e) => e.eventId), [eventId(1)]);
        assert.equal(s.journal.depth(), 1);
      });

      it('a mark on an unknown event id throws, naming it', () => {
        assert.throws(() => s.journal.markDone(eventId(42), 'synced'), new RegExp(`no event ${eventId(42)}`));
        assert.throws(() => s.journal.markDead(eventId(42), 'x'), /no event/);
        assert.throws(() => s.journal.markRetry(eventId(42), 1, 1, 'x'), /no event/);
        assert.equal(s.journal.get(eventId(42)), undefined);
      });

      it('pendingFor() matches the account case-insensitively, pending only, oldest first', () => {
        s.journal.append([entry(1, { account: 'Alice' }), entry(2, { account: 'bob' }), entry(3, { account: 'ALICE' }),
          entry(4, { account: 'alice' })]);
        s.journal.markDone(eventId(4), 'synced');
        assert.deepEqual(s.journal.pendingFor('aLiCe').map((e) => e.eventId), [eventId(1), eventId(3)]);
        assert.deepEqual(s.journal.pendingFor('carol'), []);
      });

      it('purgeFinished deletes old done/superseded entries only', () => {
        s.journal.append([entry(1), entry(2), entry(3), entry(4)]);
        clock = 1_000;
        s.journal.markDone(eventId(1), 'synced');
        s.journal.markSuperseded([eventId(2)], eventId(4));
        s.journal.markDead(eventId(3), 'x');
        clock = 9_000;
        assert.equal(s.journal.purgeFinished(5_000), 2);
        assert.equal(s.journal.get(eventId(1)), undefined);
        assert.equal(s.journal.get(eventId(3))?.state, 'dead');
        assert.equal(s.journal.get(eventId(4))?.state, 'pending');
        // A purged id is no longer known: that is why purge windows must exceed the capture's re-send window.
        assert.deepEqual(s.journal.append([entry(5)]), ['stored']);
        assert.ok(s.journal.get(eventId(5))!.seq > s.journal.get(eventId(4))!.seq, 'seq never reused');
      });
    });

    it('uses the due index for due() and depth()', () => {
      const plan = (sql: string) => (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
      assert.match(plan(`SELECT * FROM journal WHERE state = 'pending' AND next_attempt_at <= 5 ORDER BY next_attempt_at, seq LIMIT 5`),
        /USING INDEX journal_due/);
      assert.doesNotMatch(plan(`SELECT * FROM journal WHERE state = 'pending' AND next_attempt_at <= 5 ORDER BY next_attempt_at, seq LIMIT 5`),
        /TEMP B-TREE/);
      assert.match(plan(`SELECT count(*) FROM journal WHERE state = 'pending'`), /COVERING INDEX journal_due/);
      assert.match(plan(`SELECT * FROM journal WHERE account_key = 'a' AND state = 'pending' ORDER BY seq`), /INDEX journal_account/);
    });
  });
});
