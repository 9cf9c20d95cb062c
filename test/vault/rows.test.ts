// The row mappers both vault adapters share (src/vault/rows.ts). The contract suite runs them through real
// SQLite and PostgreSQL; this pins what each engine's encoding must come to: the same Credential from
// SQLite's raw tuple with group_concat flags as from PostgreSQL's named row with a text[].
import assert from 'node:assert/strict';
import { postgresCredential, smallintOf, sqliteCredential, toClient, toEvent, toMachineRecord } from '../../src/vault/rows';

describe('vault rows (one mapper for both engines)', () => {
  it('reads a credential the same from SQLite\'s tuple and PostgreSQL\'s row, flags in FLAGS order', () => {
    const fromSqlite = sqliteCredential([7, 'Acme', 'Admin', 1, 'change', 3, 1_700_000_000_123, 1_700_000_000_000, 'policy-refused,mismatch']);
    const fromPostgres = postgresCredential({
      id: 7, client: 'Acme', username: 'Admin', windows_sync: 1, mode: 'change', version: 3, updated_at: 1_700_000_000_123,
      password_set_at: 1_700_000_000_000, flags: ['policy-refused', 'mismatch'],
    });
    assert.deepEqual(fromSqlite, {
      id: 7, client: 'Acme', username: 'Admin', windowsSync: true, mode: 'change', version: 3, flags: ['mismatch', 'policy-refused'],
      updatedAt: 1_700_000_000_123, passwordSetAt: 1_700_000_000_000,
    });
    assert.deepEqual(fromPostgres, fromSqlite);
  });

  it('reads no flags from SQLite\'s NULL and PostgreSQL\'s empty array; 0 is false', () => {
    const s = sqliteCredential([1, 'c', 'u', 0, 'report', 1, 2, 2, null]);
    const p = postgresCredential({ id: 1, client: 'c', username: 'u', windows_sync: 0, mode: 'report', version: 1, updated_at: 2, password_set_at: 2, flags: [] });
    assert.deepEqual(s.flags, []);
    assert.equal(s.windowsSync, false);
    assert.deepEqual(p, s);
  });

  it('maps a client\'s SMALLINT 0/1 columns to booleans, and back', () => {
    assert.deepEqual(toClient({ name: 'Acme', windows_sync: 1, two_way_sync: 0, auto_create: 1, default_mode: 'report', agents_write_shared: 0 }),
      { name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: true, defaultMode: 'report', agentsWriteShared: false });
    assert.deepEqual([smallintOf(true), smallintOf(false)], [1, 0]);
  });

  it('leaves an event\'s NULL columns out rather than setting them to null', () => {
    const e = toEvent({ id: 5, time: 9, machine: 'PC1', account: null, credential_id: null, kind: 'capture', outcome: 'ok', reason: null, trace_id: 't', uid: null });
    assert.deepEqual(e, { id: 5, time: 9, machine: 'PC1', kind: 'capture', outcome: 'ok', traceId: 't' });
    assert.ok(!('account' in e) && !('credentialId' in e) && !('uid' in e));
    assert.deepEqual(toEvent({ id: 6, time: 9, machine: 'PC1', account: 'bob', credential_id: 3, kind: 'k', outcome: 'failed', reason: 'r', trace_id: null, uid: 'x' }),
      { id: 6, time: 9, machine: 'PC1', kind: 'k', outcome: 'failed', account: 'bob', credentialId: 3, reason: 'r', uid: 'x' });
  });

  it('maps a machine row to the listing\'s record', () => {
    assert.deepEqual(toMachineRecord({ name: 'PC1', client: 'Acme', filter_state: 'ok', journal_depth: 2, last_seen: 10 }),
      { name: 'PC1', client: 'Acme', filterState: 'ok', journalDepth: 2, lastSeen: 10 });
  });
});
