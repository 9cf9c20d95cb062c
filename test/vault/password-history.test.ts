// Password history on the embedded SQLite vault beyond the contract: migration 6 on a vault made before it,
// the historyKeep option, the sealing of earlier passwords (bound to their version, never in clear on disk).
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NewCredential } from '../../src/ports/vault.port';
import { vaultMigrations } from '../../src/vault/migrations';
import { openPool, runPostgresMigrations } from '../../src/vault/postgres-open';
import { PostgresVault } from '../../src/vault/postgres.vault';
import { SecretBox } from '../../src/vault/secret-box';
import { KEY_CHECK_NAME, credentialContext, sealKeyCheck } from '../../src/vault/sealing';
import { openDatabase } from '../../src/sqlite/open-database';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { testPostgres } from '../helpers/postgres';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' as const, agentsWriteShared: true };
const cred = (username: string, password: string): NewCredential => ({
  client: 'Acme', username, password: Buffer.from(password, 'utf8'), windowsSync: true, mode: 'change',
});

forEachSqliteDriver((sqlite) => {
  describe('SqliteVault password history', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let file: string;
    let key: Buffer;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-history-');
      file = path.join(tmp.dir, 'vault.db');
      key = crypto.randomBytes(32);
    });
    afterEach(() => tmp.cleanup());

    it('migration 6 on a vault of version 5: its credentials keep their passwords, with no source, and start a history', async () => {
      // A vault as version 5 left it: a credential at version 3 whose password was sealed then.
      const old = openDatabase(file, vaultMigrations('sqlite').filter((m) => m.version <= 5), sqlite);
      const box = new SecretBox(key);
      old.prepare('INSERT INTO vault_meta (name, value) VALUES (?, ?)').run(KEY_CHECK_NAME, sealKeyCheck(box));
      old.prepare(`INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared)
        VALUES ('Acme', 'acme', 1, 1, 0, 'report', 1)`).run();
      old.prepare(`INSERT INTO credentials (id, client_id, username, username_key, password_enc, windows_sync, mode, version, updated_at, password_set_at)
        VALUES (7, 1, 'WS01\\svc', 'ws01\\svc', ?, 1, 'change', 3, 1000, 900)`).run(box.seal(Buffer.from('from-v4'), credentialContext(7, 'ws01\\svc')));
      old.close();

      const vault = await SqliteVault.open({ path: file, key, sqlite });
      try {
        assert.deepEqual(await vault.listPasswordHistory(7), [{ version: 3, setAt: 900, current: true }]);
        await vault.setPasswordFromCapture(7, Buffer.from('captured'), 3, 'e'.repeat(32), 2000, { kind: 'capture', machine: 'WS01' });
        const h = await vault.listPasswordHistory(7);
        assert.deepEqual(h.map((e) => [e.version, e.setAt, e.source?.kind]), [[4, 2000, 'capture'], [3, 900, undefined]]);
        const restored = await vault.restorePassword(7, 3, 'alice');
        assert.equal(restored.version, 5);
        assert.equal((await vault.readPassword(7)).toString(), 'from-v4');
      } finally {
        await vault.close();
      }
      const check = sqlite.open(file);
      // Every later step runs too (6 and those after it).
      assert.equal(check.prepare('SELECT max(version) AS v FROM schema_version').pluck().get(), Math.max(...vaultMigrations().map((m) => m.version)));
      check.close();
    });

    it('keeps as many earlier passwords as historyKeep says, none at 0, and refuses a bad number at open', async () => {
      const two = await SqliteVault.open({ path: file, key, sqlite, historyKeep: 2 });
      await two.addClient(acme);
      const c = await two.addCredential(cred('alice', 'p1'));
      for (let v = 2; v <= 5; v++) await two.updateCredential('Acme', 'alice', { password: Buffer.from(`p${v}`) });
      assert.deepEqual((await two.listPasswordHistory(c.id)).map((e) => e.version), [5, 4, 3]);
      await two.close();
      // Reopened with 0: the next write empties the history.
      const none = await SqliteVault.open({ path: file, key, sqlite, historyKeep: 0 });
      await none.updateCredential('Acme', 'alice', { password: Buffer.from('p6') });
      assert.deepEqual((await none.listPasswordHistory(c.id)).map((e) => e.version), [6]);
      await none.close();
      for (const bad of [-1, 1.5, 100_000]) {
        assert.throws(() => new SqliteVault({ path: file, key, sqlite, historyKeep: bad }), /historyKeep must be a whole number from 0 to 1000/);
      }
    });

    it('binds an earlier password to its version: a record copied to another version does not open, and says so without the password', async () => {
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      await vault.addClient(acme);
      const c = await vault.addCredential(cred('bob', 'Secret-v1-4d1f'));
      await vault.updateCredential('Acme', 'bob', { password: Buffer.from('Secret-v2-8e2a') });
      await vault.updateCredential('Acme', 'bob', { password: Buffer.from('Secret-v3-1b7c') });
      const raw = sqlite.open(file);
      raw.prepare('UPDATE password_history SET password_enc = (SELECT password_enc FROM password_history WHERE version = 1) WHERE version = 2').run();
      raw.close();
      const err = await vault.restorePassword(c.id, 2, 'carol').then(() => assert.fail('restored a moved record'), (e: Error) => e);
      assert.match(err.message, new RegExp(`credential ${c.id} history version 2: sealed record does not authenticate`));
      assert.ok(!/Secret-v/.test(`${err.message}${err.stack}`));
      assert.equal((await vault.readPassword(c.id)).toString(), 'Secret-v3-1b7c', 'a failed restore changes nothing');
      assert.equal((await vault.restorePassword(c.id, 1, 'carol')).version, 4);
      await vault.close();
    });

    it('a current password that does not open is not kept, and does not stop the write that replaces it', async () => {
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      await vault.addClient(acme);
      const a = await vault.addCredential(cred('erin', 'erin-pw'));
      const b = await vault.addCredential(cred('frank', 'frank-pw'));
      const raw = sqlite.open(file);
      raw.prepare('UPDATE credentials SET password_enc = (SELECT password_enc FROM credentials WHERE id = ?) WHERE id = ?').run(a.id, b.id);
      raw.close();
      const r = await vault.setPasswordFromCapture(b.id, Buffer.from('frank-new'), 1, 'f'.repeat(32), undefined, { kind: 'capture', machine: 'WS01' });
      assert.equal(r.credential.version, 2);
      assert.equal((await vault.readPassword(b.id)).toString(), 'frank-new');
      assert.deepEqual((await vault.listPasswordHistory(b.id)).map((e) => e.version), [2], 'the damaged version 1 is not in the history');
      await vault.close();
    });

    it('keeps no earlier password in clear on disk', async () => {
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      await vault.addClient(acme);
      await vault.addCredential(cred('dave', 'Earlier-canary-5e9d'));
      await vault.updateCredential('Acme', 'dave', { password: Buffer.from('Later-canary-0a3c') });
      const files = [file, `${file}-wal`].filter((f) => fs.existsSync(f));
      for (const f of files) {
        const bytes = fs.readFileSync(f);
        for (const enc of ['utf8', 'utf16le'] as const) assert.equal(bytes.indexOf(Buffer.from('Earlier-canary-5e9d', enc)), -1, `${path.basename(f)} ${enc}`);
      }
      await vault.close();
    });
  });
});

describe('PostgresVault password history', function () {
  this.timeout(60_000);

  it('migration 6 on a vault of version 5: its credentials keep their passwords, with no source, and start a history', async () => {
    const pg = await testPostgres();
    const schema = await pg.createSchema(await pg.createDatabase('history'));
    const key = crypto.randomBytes(32);
    const box = new SecretBox(key);
    const pool = openPool({ url: schema.url });
    try {
      await runPostgresMigrations(pool, 'the test database', vaultMigrations('postgres').filter((m) => m.version <= 5));
      await pool.query('INSERT INTO vault_meta (name, value) VALUES ($1, $2)', [KEY_CHECK_NAME, sealKeyCheck(box)]);
      const client = await pool.query<{ id: number }>(`INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared)
        VALUES ('Acme', 'acme', 1, 1, 0, 'report', 1) RETURNING id`);
      await pool.query(`INSERT INTO credentials (id, client_id, username, username_key, password_enc, windows_sync, mode, version, updated_at, password_set_at)
        VALUES (7, $1, 'WS01\\svc', 'ws01\\svc', $2, 1, 'change', 3, 1000, 900)`,
      [client.rows[0].id, box.seal(Buffer.from('from-v4'), credentialContext(7, 'ws01\\svc'))]);
    } finally {
      await pool.end();
    }
    const vault = await PostgresVault.open({ url: schema.url, key });
    try {
      assert.deepEqual(await vault.listPasswordHistory(7), [{ version: 3, setAt: 900, current: true }]);
      await vault.updateCredential('Acme', 'WS01\\svc', { password: Buffer.from('set-by-user') }, { kind: 'user', user: 'alice' });
      assert.deepEqual((await vault.listPasswordHistory(7)).map((e) => [e.version, e.setAt === 900, e.source]),
        [[4, false, { kind: 'user', user: 'alice' }], [3, true, undefined]]);
      assert.equal((await vault.restorePassword(7, 3, 'bob')).version, 5);
      assert.equal((await vault.readPassword(7)).toString(), 'from-v4');
    } finally {
      await vault.close();
      await schema.drop();
    }
  });
});
