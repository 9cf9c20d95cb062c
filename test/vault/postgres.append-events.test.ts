/**
 * PostgresVault.appendEvents sends BEGIN, LOCK, INSERT and COMMIT as one simple query, with the batch as
 * one quoted JSON literal. These check what that way of sending could get wrong: a batch that fails on
 * the server half-way (the session must not go back to the pool inside an aborted transaction, and must
 * not keep the table lock), text that could break out of the literal, order within a large batch, and
 * text the JSON route would otherwise treat differently from a bind parameter.
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { EventRecord } from '../../src/domain/types';
import { PostgresVault } from '../../src/vault/postgres.vault';
import { testPostgres, type TestPostgres } from '../helpers/postgres';

const poolOf = (v: PostgresVault): Pool => (v as unknown as { pool: Pool }).pool;
const ev = (kind: string, over: Partial<EventRecord> = {}): EventRecord => ({ time: 1, machine: 'WS01', kind, outcome: 'ok', ...over });

describe('PostgresVault.appendEvents in one round trip', function () {
  this.timeout(60_000);
  let pg: TestPostgres;
  let db: string;
  let schema: Awaited<ReturnType<TestPostgres['createSchema']>>;
  let open: PostgresVault[] = [];
  const key = crypto.randomBytes(32);
  const openVault = async (maxConnections?: number): Promise<PostgresVault> => {
    const v = await PostgresVault.open({ url: schema.url, key, maxConnections });
    open.push(v);
    return v;
  };

  before(async () => {
    pg = await testPostgres();
    db = await pg.createDatabase('append');
  });
  beforeEach(async () => { schema = await pg.createSchema(db); });
  afterEach(async () => {
    for (const v of open) await v.close();
    open = [];
    await schema.drop();
  });

  it('a batch that fails on the server half-way stores none of it, and leaves the pooled connection usable and unlocked', async () => {
    // One connection, so the next calls run on the very session the failure happened on.
    const vault = await openVault(1);
    // A refusal the vault's own checks do not know about, hit by the second row after the first was inserted.
    await pg.query(db, `ALTER TABLE ${schema.schema}.events ADD CONSTRAINT test_no_boom CHECK (kind <> 'boom')`);
    await assert.rejects(vault.appendEvents([ev('before'), ev('boom'), ev('after')]), (err: Error & { code?: string }) => {
      assert.equal(err.code, '23514', err.message); // check_violation, not "current transaction is aborted"
      return true;
    });
    // Still in an aborted transaction, this would fail with 25P02; still holding the lock, the next would hang.
    const { rows } = await poolOf(vault).query<{ in_tx: boolean }>('SELECT now() <> statement_timestamp() AS in_tx');
    assert.equal(rows[0].in_tx, false, 'the session is outside any transaction');
    const other = await openVault();
    await other.appendEvents([ev('from another process')]);
    await vault.appendEvents([ev('next')]);
    assert.deepEqual((await vault.queryEvents({})).map((e) => e.kind), ['from another process', 'next']);
  });

  it('a batch refused for U+0000 names the field, stores nothing, and the connection serves the next append', async () => {
    const vault = await openVault(1);
    await assert.rejects(vault.appendEvents([ev('capture'), ev('capture', { traceId: 't\u0000' })]),
      /event 1: traceId contains a NUL character/);
    await vault.appendEvents([ev('next')]);
    assert.deepEqual((await vault.queryEvents({})).map((e) => e.kind), ['next']);
  });

  it('text that could end the literal is stored as given, and nothing else runs', async () => {
    const vault = await openVault();
    const nasty = [
      "'); DROP TABLE events; --", "\\'; SELECT 1; --", 'back\\slash \\u0041 \\\\', '"quoted"', '$$ $tag$ E\'x\'',
      'tab\there\nnew line \u0001', 'ümlaut Ω 😀',
    ];
    const batch = nasty.map((t, i) => ev(`k${i}`, { account: t, reason: t, traceId: t }));
    await vault.appendEvents(batch);
    const got = await vault.queryEvents({});
    assert.deepEqual(got.map((e) => [e.account, e.reason, e.traceId]), nasty.map((t) => [t, t, t]));
  });

  it('keeps a large batch in order, with account_key folded as queries fold it', async () => {
    const vault = await openVault();
    const batch = Array.from({ length: 2500 }, (_, i) => ev(`e${i}`, {
      time: i, account: i % 2 ? 'WS01\\Admin' : 'ws01\\ADMIN', credentialId: 2 ** 40 + i,
    }));
    await vault.appendEvents(batch);
    const got = await vault.queryEvents({ limit: 3000 });
    assert.deepEqual(got.map((e) => e.kind), batch.map((e) => e.kind));
    assert.deepEqual(got.map((e) => e.credentialId), batch.map((e) => e.credentialId));
    const ids = got.map((e) => e.id as number);
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), 'ids rise in batch order');
    assert.equal((await vault.queryEvents({ account: 'Ws01\\admin', limit: 3000 })).length, 2500);
  });

  it('stores a lone surrogate as U+FFFD, as a bind parameter did, instead of failing the batch', async () => {
    const vault = await openVault();
    await vault.appendEvents([ev('capture', { reason: 'half \ud800 pair' })]);
    assert.equal((await vault.queryEvents({}))[0].reason, 'half \ufffd pair');
  });
});
