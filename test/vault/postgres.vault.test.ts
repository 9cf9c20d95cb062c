import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { VaultConflictError, VaultNotFoundError, type NewCredential } from '../../src/ports/vault.port';
import { defaultSqliteDriver } from '../../src/sqlite/drivers';
import { vaultMigrations } from '../../src/vault/migrations';
import { PostgresVault } from '../../src/vault/postgres.vault';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { liveFileContents, makeTempDir } from '../helpers/tmp';
import { testPostgres, type TestPostgres } from '../helpers/postgres';
import { describeVaultContract } from './vault.contract';

// One database for this file, a fresh schema per test (the first test also starts the cluster).
let database: Promise<string> | undefined;
const vaultDatabase = (): Promise<string> => (database ??= testPostgres().then((pg) => pg.createDatabase('vault')));

describeVaultContract('PostgresVault', async () => {
  const pg = await testPostgres();
  const schema = await pg.createSchema(await vaultDatabase());
  const vault = await PostgresVault.open({ url: schema.url, key: crypto.randomBytes(32) });
  return { vault, cleanup: async () => { await vault.close(); await schema.drop(); } };
});

// These write bare `user` credentials from captures: the client lets agents write shared ones (the contract tests the rule).
const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' as const, agentsWriteShared: true };
const cred = (username: string, password: string): NewCredential => ({
  client: 'Acme', username, password: Buffer.from(password, 'utf8'), windowsSync: true, mode: 'change',
});
const poolOf = (v: PostgresVault): Pool => (v as unknown as { pool: Pool }).pool;

/** Every value of every row of every table in `schema`, as the server stores it (BYTEA as Buffers). */
async function rawTableData(pg: TestPostgres, db: string, schema: string): Promise<Array<string | Buffer>> {
  const tables = (await pg.query(db, 'SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema])).rows
    .map((r: { table_name: string }) => r.table_name);
  assert.ok(tables.includes('credentials') && tables.includes('events'), `tables in ${schema}: ${tables.join(', ')}`);
  const out: Array<string | Buffer> = [];
  for (const t of tables) {
    for (const row of (await pg.query(db, `SELECT * FROM ${schema}.${t}`)).rows as Array<Record<string, unknown>>) {
      for (const v of Object.values(row)) {
        if (Buffer.isBuffer(v) || typeof v === 'string') out.push(v);
        else if (Array.isArray(v)) out.push(JSON.stringify(v));
      }
    }
  }
  return out;
}

const holds = (v: string | Buffer, needle: string): boolean => (Buffer.isBuffer(v)
  ? v.includes(Buffer.from(needle, 'utf8')) || v.includes(Buffer.from(needle, 'utf16le'))
  : v.includes(needle));

/** Wait until `n` of the vault's connections are blocked on a lock (so the race really overlaps). */
async function waitForLockWaiters(pg: TestPostgres, db: string, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await pg.query(db, `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = $1 AND application_name = 'pwbridge' AND wait_event_type = 'Lock'`, [db]);
    if (rows[0].n >= n) return;
    if (Date.now() > deadline) assert.fail(`expected ${n} vault connections waiting on a lock, saw ${rows[0].n}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Settled<T> = PromiseSettledResult<T>;
const fulfilled = <T>(rs: Array<Settled<T>>): T[] => rs.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled').map((r) => r.value);
const rejected = <T>(rs: Array<Settled<T>>): unknown[] => rs.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);

describe('PostgresVault (PostgreSQL specifics)', () => {
  let pg: TestPostgres;
  let db: string;
  let schema: { schema: string; url: string; drop(): Promise<void> };
  let key: Buffer;
  const open: PostgresVault[] = [];
  const openVault = async (over: Partial<Parameters<typeof PostgresVault.open>[0]> = {}): Promise<PostgresVault> => {
    const v = await PostgresVault.open({ url: schema.url, key, ...over });
    open.push(v);
    return v;
  };

  before(async () => {
    pg = await testPostgres();
    db = await vaultDatabase();
  });
  beforeEach(async () => {
    schema = await pg.createSchema(db);
    key = crypto.randomBytes(32);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
    await schema.drop();
  });

  it('keeps no password in clear: not in any column of any table, not in the cluster\'s files or its log', async () => {
    const canaryUser = 'canary-user-3e8a';
    const canaryPw = 'canary-pass-d41f';
    const vault = await openVault();
    await vault.addClient(acme);
    const c = await vault.addCredential(cred(canaryUser, canaryPw));
    await vault.updateCredential('Acme', canaryUser, { password: Buffer.from(`${canaryPw}-2`) });
    await vault.setPasswordFromCapture(c.id, Buffer.from(`${canaryPw}-3`), 2, 'e1');
    await vault.createFromCapture(cred(`${canaryUser}-new`, `${canaryPw}-4`), 'e2');
    await assert.rejects(vault.setPasswordFromCapture(c.id, Buffer.from(`${canaryPw}-5`), 1, 'e3'), VaultConflictError);

    const values = await rawTableData(pg, db, schema.schema);
    assert.ok(values.some((v) => holds(v, canaryUser)), 'the username is found: the scan reads the rows');
    assert.ok(values.some((v) => Buffer.isBuffer(v) && v.length > 16), 'the sealed records are read as bytes');
    for (const v of values) assert.ok(!holds(v, canaryPw), 'password in clear in a table');

    // And on disk: data files, WAL and the server log, once the data is written out.
    await pg.query(db, 'CHECKPOINT');
    // The cluster keeps running, so a file may vanish between listing and reading (it then holds nothing).
    const files = liveFileContents(pg.dir).map((f) => f.bytes);
    assert.ok(files.some((bytes) => bytes.includes(Buffer.from(canaryUser))), 'the username is found on disk');
    for (const bytes of files) assert.ok(!holds(bytes, canaryPw), 'password in clear in a cluster file');
  });

  it('keeps data across close and reopen, in another process\'s pool', async () => {
    const v1 = await openVault();
    await v1.addClient(acme);
    const c = await v1.addCredential(cred('alice', 'pässwort'));
    await v1.setFlag(c.id, 'mismatch', true);
    await v1.setPasswordFromCapture(c.id, Buffer.from('captured'), 1, 'ev1', 1_700_000_000_123);
    await v1.appendEvents([{ time: 1, machine: 'WS01', kind: 'capture', outcome: 'ok' }]);
    await v1.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 2 });
    await v1.close();
    const v2 = await openVault();
    const back = await v2.findCredential('Acme', 'ALICE');
    assert.equal(back?.version, 2);
    assert.equal(back?.passwordSetAt, 1_700_000_000_123);
    assert.deepEqual(back?.flags, ['mismatch']);
    assert.equal((await v2.readPassword(c.id)).toString(), 'captured');
    assert.equal((await v2.setPasswordFromCapture(c.id, Buffer.from('again'), 2, 'ev1')).applied, false, 'applied ids persist');
    assert.equal((await v2.queryEvents({})).length, 1);
    assert.deepEqual((await v2.listMachines()).map((m) => m.name), ['WS01']);
  });

  it('refuses to open with another key, naming the database but neither key nor the URL\'s password', async () => {
    await (await openVault()).close();
    const other = crypto.randomBytes(32);
    // Trust authentication ignores the password, so the URL connects, and the message must not show it.
    const secretUrl = schema.url.replace('postgresql://postgres@', 'postgresql://postgres:url-secret-61c2@');
    await assert.rejects(PostgresVault.open({ url: secretUrl, key: other }), (err: Error) => {
      assert.match(err.message, /vault key does not open postgres:\/\/postgres@/);
      assert.ok(err.message.includes(db), 'names the database');
      const text = `${err.message}\n${err.stack ?? ''}`;
      for (const secret of [key.toString('hex'), other.toString('hex'), key.toString('base64'), other.toString('base64'), 'url-secret-61c2']) {
        assert.ok(!text.includes(secret), 'no key and no URL password in the error');
      }
      return true;
    });
  });

  it('a server that is not there is a clear error without the URL\'s password', async () => {
    const url = `postgresql://postgres:url-secret-77aa@/nowhere?host=${encodeURIComponent(path.join(pg.dir, 'no-such-dir'))}`;
    await assert.rejects(PostgresVault.open({ url, key }), (err: Error) => {
      assert.match(err.message, /^PostgreSQL vault postgres:\/\/postgres@.*\/nowhere: /);
      assert.ok(!`${err.message}\n${err.stack}`.includes('url-secret-77aa'));
      return true;
    });
  });

  it('binds each sealed password to its row: a record copied into another row does not open', async () => {
    const vault = await openVault();
    await vault.addClient(acme);
    const a = await vault.addCredential(cred('alice', 'alice-pw'));
    const b = await vault.addCredential(cred('bob', 'bob-pw'));
    await pg.query(db, `UPDATE ${schema.schema}.credentials SET password_enc = (SELECT password_enc FROM ${schema.schema}.credentials WHERE id = $1) WHERE id = $2`, [a.id, b.id]);
    await assert.rejects(vault.readPassword(b.id), new RegExp(`credential ${b.id}: sealed record does not authenticate`));
    assert.equal((await vault.readPassword(a.id)).toString(), 'alice-pw');
  });

  it('returns BIGINT columns as exact numbers', async () => {
    const vault = await openVault();
    const time = 1_790_000_000_123;
    await vault.appendEvents([{ time, machine: 'WS01', kind: 'capture', outcome: 'ok', credentialId: 2 ** 40 + 3 }]);
    const [e] = await vault.queryEvents({ sinceMs: time });
    assert.strictEqual(e.time, time);
    assert.strictEqual(e.credentialId, 2 ** 40 + 3);
    assert.strictEqual(typeof e.id, 'number');
  });

  it('refuses an event text PostgreSQL cannot store (NUL), naming the field, and stores none of the batch', async () => {
    const vault = await openVault();
    await assert.rejects(vault.appendEvents([
      { time: 1, machine: 'WS01', kind: 'capture', outcome: 'ok' },
      { time: 2, machine: 'WS01', kind: 'capture', outcome: 'failed', reason: 'bad\u0000byte' },
    ]), /event 1: reason contains a NUL character/);
    assert.deepEqual(await vault.queryEvents({}), []);
  });

  it('upserts machines by name (any case) and lists them', async () => {
    const vault = await openVault({ now: () => 42 });
    await vault.addClient(acme);
    await vault.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 1 });
    await vault.recordMachine({ name: 'ws01', client: 'acme', filterState: 'faulted', journalDepth: 5 });
    await vault.recordMachine({ name: 'Ab', client: 'Acme', filterState: 'active', journalDepth: 0 });
    assert.deepEqual(await vault.listMachines(), [
      { name: 'Ab', client: 'Acme', filterState: 'active', journalDepth: 0, lastSeen: 42 },
      { name: 'ws01', client: 'Acme', filterState: 'faulted', journalDepth: 5, lastSeen: 42 },
    ]);
  });

  describe('migrations', () => {
    it('records the applied steps, and a second open changes nothing', async () => {
      await (await openVault()).close();
      await (await openVault()).close();
      const { rows } = await pg.query(db, `SELECT version, name FROM ${schema.schema}.schema_version ORDER BY version`);
      assert.deepEqual(rows, vaultMigrations('postgres').map((m) => ({ version: m.version, name: m.name })));
    });

    it('processes opening a new database at once apply the steps once and share one key check', async () => {
      const vaults = await Promise.all([openVault(), openVault(), openVault()]);
      assert.equal(vaults.length, 3);
      const { rows } = await pg.query(db, `SELECT count(*)::int AS n FROM ${schema.schema}.schema_version`);
      assert.equal(rows[0].n, vaultMigrations('postgres').length);
      assert.equal((await pg.query(db, `SELECT count(*)::int AS n FROM ${schema.schema}.vault_meta`)).rows[0].n, 1);
    });

    it('refuses a database with a newer schema than it knows', async () => {
      await (await openVault()).close();
      await pg.query(db, `INSERT INTO ${schema.schema}.schema_version (version, name, applied_at) VALUES (99, 'future', 0)`);
      await assert.rejects(openVault(), /schema version 99, newer than this pwbridge knows/);
    });

    it('builds the same tables and columns as on SQLite, from the one migration set', async () => {
      await (await openVault()).close();
      const { rows } = await pg.query(db, `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = $1 ORDER BY table_name, ordinal_position`, [schema.schema]);
      const onPostgres = rows.map((r: { table_name: string; column_name: string }) => `${r.table_name}.${r.column_name}`);
      const tmp = makeTempDir('pwbridge-vault-');
      try {
        const file = path.join(tmp.dir, 'vault.db');
        await (await SqliteVault.open({ path: file, key })).close();
        const lite = defaultSqliteDriver().open(file, { readonly: true });
        const tables = (lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
        const columns = lite.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck();
        const onSqlite = tables.flatMap((t) => (columns.all(t) as string[]).map((c) => `${t}.${c}`));
        lite.close();
        assert.deepEqual(onPostgres, onSqlite);
      } finally {
        tmp.cleanup();
      }
    });

    it('turns synchronous_commit back on when the database defaults it off: a resolved write is durable', async () => {
      const own = await pg.createDatabase('nosync');
      await pg.query('postgres', `ALTER DATABASE ${own} SET synchronous_commit = off`);
      const vault = await openVault({ url: pg.url(own) });
      const { rows } = await poolOf(vault).query('SHOW synchronous_commit');
      assert.equal(rows[0].synchronous_commit, 'on');
      await vault.close();
      await pg.query('postgres', `DROP DATABASE ${own}`);
    });
  });

  describe('two processes on one database', () => {
    let a: PostgresVault;
    let b: PostgresVault;
    beforeEach(async () => {
      [a, b] = [await openVault(), await openVault()];
      await a.addClient(acme);
    });

    /** Hold the credential's row so both writes start, block, and then race when it is released. */
    async function raceOnRow<T>(credentialId: number, writes: () => Array<Promise<T>>): Promise<Array<Settled<T>>> {
      const holder = await poolOf(a).connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM credentials WHERE id = $1 FOR UPDATE', [credentialId]);
        const racing = Promise.allSettled(writes());
        await waitForLockWaiters(pg, db, 2);
        await holder.query('COMMIT');
        return await racing;
      } finally {
        holder.release();
      }
    }

    it('racing the same credential from the same base version: exactly one wins, the other gets VaultConflictError', async () => {
      const c = await a.addCredential(cred('alice', 'v1'));
      const results = await raceOnRow(c.id, () => [
        a.setPasswordFromCapture(c.id, Buffer.from('from-a'), 1, 'ea'),
        b.setPasswordFromCapture(c.id, Buffer.from('from-b'), 1, 'eb'),
      ]);
      const won = fulfilled(results);
      const lost = rejected(results);
      assert.equal(won.length, 1, 'exactly one write applies');
      assert.equal(won[0].applied, true);
      assert.equal(won[0].credential.version, 2);
      assert.equal(lost.length, 1);
      assert.ok(lost[0] instanceof VaultConflictError, `the other is a conflict, got ${String(lost[0])}`);
      assert.equal((lost[0] as VaultConflictError).expected, 1);
      assert.equal((lost[0] as VaultConflictError).actual, 2);
      const winner = results[0].status === 'fulfilled' ? 'from-a' : 'from-b';
      assert.equal((await b.readPassword(c.id)).toString(), winner);
      assert.equal((await a.findCredential('Acme', 'alice'))?.version, 2);
    });

    it('the same event delivered to both at once applies once; the other answers applied: false, not a conflict', async () => {
      const c = await a.addCredential(cred('alice', 'v1'));
      const results = await raceOnRow(c.id, () => [
        a.setPasswordFromCapture(c.id, Buffer.from('same'), 1, 'e-same'),
        b.setPasswordFromCapture(c.id, Buffer.from('same'), 1, 'E-SAME'),
      ]);
      const done = fulfilled(results);
      assert.equal(done.length, 2, `both answer: ${rejected(results).map(String).join('; ')}`);
      assert.deepEqual(done.map((r) => r.applied).sort(), [false, true]);
      assert.deepEqual(done.map((r) => r.credential.version), [2, 2]);
      assert.equal((await a.findCredential('Acme', 'alice'))?.version, 2);
    });

    it('many concurrent creates of the same accounts from both: one credential each, each created once', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `user${i}`);
      const results = await Promise.all(names.flatMap((n, i) => [
        a.createFromCapture(cred(n, `pw-a-${i}`), `a${i}`),
        b.createFromCapture(cred(n.toUpperCase(), `pw-b-${i}`), `b${i}`),
      ]));
      const list = await a.listCredentials('Acme');
      assert.equal(list.length, names.length);
      for (const [i, n] of names.entries()) {
        const pair = results.slice(2 * i, 2 * i + 2);
        assert.deepEqual(pair.map((r) => r.applied).sort(), [false, true], `${n} created once`);
        assert.equal(pair[0].credential.id, pair[1].credential.id, `${n}: both answer the same credential`);
      }
      // A re-delivery of either event, to either process, has no effect.
      assert.equal((await b.createFromCapture(cred('user0', 'x'), 'a0')).applied, false);
      assert.equal((await a.listCredentials('Acme')).length, names.length);
    });

    it('concurrent writes with the right versions all apply, in turn', async () => {
      const c = await a.addCredential(cred('alice', 'v1'));
      // Each writer retries on conflict with the version it is told, as the pipeline does.
      const writer = async (v: PostgresVault, tag: string, n: number): Promise<void> => {
        for (let i = 0; i < n; i++) {
          let base = (await v.findCredential('Acme', 'alice'))!.version;
          for (;;) {
            try {
              await v.setPasswordFromCapture(c.id, Buffer.from(`${tag}${i}`), base, `${tag}${i}`);
              break;
            } catch (err) {
              if (!(err instanceof VaultConflictError)) throw err;
              base = err.actual;
            }
          }
        }
      };
      await Promise.all([writer(a, 'a', 15), writer(b, 'b', 15)]);
      assert.equal((await a.findCredential('Acme', 'alice'))?.version, 31, 'every write applied once, none lost');
    });

    it('a duplicate client added by both at once: one succeeds, the other is told it exists', async () => {
      const results = await Promise.allSettled([a.addClient({ ...acme, name: 'Globex' }), b.addClient({ ...acme, name: 'GLOBEX' })]);
      assert.equal(fulfilled(results).length, 1);
      assert.match(String((rejected(results)[0] as Error).message), /already exists/);
      assert.equal((await b.listClients()).length, 2);
    });

    it('a client deleted while a credential is added to it in another process: one of the two wins, never both, never a raw error', async () => {
      await a.addClient({ ...acme, name: 'Globex' });
      const holder = await poolOf(a).connect();
      let results: Array<Settled<unknown>>;
      try {
        // Both writes reach the client's row and wait on it, then race when it is released.
        await holder.query('BEGIN');
        await holder.query("SELECT 1 FROM clients WHERE name_key = 'globex' FOR UPDATE");
        const racing = Promise.allSettled<unknown>([
          a.addCredential({ ...cred('WS01\\alice', 'pw'), client: 'Globex' }),
          b.deleteClient('Globex'),
        ]);
        await waitForLockWaiters(pg, db, 2);
        await holder.query('COMMIT');
        results = await racing;
      } finally {
        holder.release();
      }
      const [added, deleted] = results;
      if (deleted.status === 'fulfilled') {
        assert.equal(added.status, 'rejected');
        assert.ok(added.reason instanceof VaultNotFoundError, `the add is told the client is gone, got ${String(added.reason)}`);
        assert.equal(await a.getClient('Globex'), undefined);
      } else {
        assert.equal(added.status, 'fulfilled', String((added as PromiseRejectedResult).reason));
        assert.match(String(deleted.reason), /client "Globex" is not empty: it still has 1 credential/);
        assert.equal((await b.listCredentials('Globex')).length, 1);
      }
    });

    it('an event append waits for any other in flight, so ids appear in commit order; readers do not wait', async () => {
      await a.appendEvents([{ time: 1, machine: 'WS01', kind: 'first', outcome: 'ok' }]);
      const holder = await poolOf(a).connect();
      let appended = false;
      let pending: Promise<void> | undefined;
      try {
        // Another writer has taken the next id and not committed yet.
        await holder.query('BEGIN');
        await holder.query("INSERT INTO events (time, machine, kind, outcome) VALUES (2, 'WS01', 'in-flight', 'ok')");
        pending = b.appendEvents([{ time: 3, machine: 'WS02', kind: 'later', outcome: 'ok' }]).then(() => { appended = true; });
        await waitForLockWaiters(pg, db, 1);
        assert.equal(appended, false, 'the append waits for the one in flight');
        // Had it not waited, a reader would now see 'later' and page past the id of 'in-flight' for good.
        assert.deepEqual((await a.queryEvents({})).map((e) => e.kind), ['first'], 'a reader is not blocked, and sees no gap');
        await holder.query('COMMIT');
      } finally {
        holder.release();
      }
      await pending;
      assert.deepEqual((await b.queryEvents({})).map((e) => e.kind), ['first', 'in-flight', 'later']);
    });
  });
});
