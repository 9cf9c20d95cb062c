import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import type { ReconcileMemo } from '../../src/ports/journal.port';
import { ECHO_KEY } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

forEachSqliteDriver((sqlite) => {
  describe('SqliteStateStore', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let file: string;
    let s: StateDb;
    let clock = 10_000;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-state-');
      file = path.join(tmp.dir, 'state.db');
      clock = 10_000;
      s = openStateDb(file, { echoKey: ECHO_KEY, now: () => clock, sqlite });
    });
    afterEach(() => { s.close(); tmp.cleanup(); });

    const memo = (id: number, over: Partial<ReconcileMemo> = {}): ReconcileMemo => ({
      credentialId: id, vaultVersion: 1, localFingerprint: `fp${id}`, result: 'match', checkedAt: 100, ...over,
    });

    it('puts, replaces and lists reconcile memos', () => {
      assert.equal(s.state.getMemo(1), undefined);
      s.state.putMemo(memo(1));
      s.state.putMemo(memo(2, { result: 'mismatch' }));
      s.state.putMemo(memo(1, { vaultVersion: 4, result: 'set', checkedAt: 200 }));
      assert.deepEqual(s.state.getMemo(1), memo(1, { vaultVersion: 4, result: 'set', checkedAt: 200 }));
      const all = s.state.allMemos();
      assert.equal(all.size, 2);
      assert.deepEqual(all.get(2), memo(2, { result: 'mismatch' }));
    });

    it('round-trips JSON values, overwrites, and deletes on undefined', () => {
      const filter = { state: 'active', reason: 'module in /etc/pam.d/common-password', since: 5, nested: [1, 'ü', null] };
      assert.equal(s.state.getValue('filter'), undefined);
      s.state.setValue('filter', filter);
      assert.deepEqual(s.state.getValue('filter'), filter);
      s.state.setValue('filter', 'disabled');
      assert.equal(s.state.getValue<string>('filter'), 'disabled');
      s.state.setValue('n', 0);
      assert.equal(s.state.getValue('n'), 0);
      s.state.setValue('filter', undefined);
      assert.equal(s.state.getValue('filter'), undefined);
      assert.throws(() => s.state.setValue('f', () => 1), /cannot be stored as JSON/);
    });

    it('keeps memos and values across reopen', () => {
      s.state.putMemo(memo(7));
      s.state.setValue('last-reconcile', { ok: 3 });
      s.close();
      s = openStateDb(file, { echoKey: ECHO_KEY, sqlite });
      assert.deepEqual(s.state.getMemo(7), memo(7));
      assert.deepEqual(s.state.getValue('last-reconcile'), { ok: 3 });
    });
    it('a lease is held by one holder at a time, released only by its holder, and taken over once expired', () => {
      const st = s.state;
      assert.equal(st.tryLease('reconcile', 'A', 1000), true);
      assert.equal(st.tryLease('reconcile', 'B', 1000), false);
      assert.equal(st.tryLease('reconcile', 'A', 1000), true, 'the holder may renew');
      st.releaseLease('reconcile', 'B');
      assert.equal(st.tryLease('reconcile', 'B', 1000), false, 'B cannot release A\'s lease');
      st.releaseLease('reconcile', 'A');
      assert.equal(st.tryLease('reconcile', 'B', 1000), true);
      clock += 1001;
      assert.equal(st.tryLease('reconcile', 'A', 1000), true, 'a holder that never released (crashed) loses it at expiry');
    });
  });
});
