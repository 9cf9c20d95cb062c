import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VaultPolicyError, type NewCredential } from '../../src/ports/vault.port';
import type { SqliteDatabase } from '../../src/sqlite/database';
import { renderSql, vaultMigrations } from '../../src/vault/migrations';
import { openDatabase } from '../../src/sqlite/open-database';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';
import { describeVaultContract } from './vault.contract';

forEachSqliteDriver((sqlite) => {
  describeVaultContract('SqliteVault', async () => {
    const tmp = makeTempDir('pwbridge-vault-');
    const vault = await SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: crypto.randomBytes(32), sqlite });
    return { vault, cleanup: async () => { await vault.close(); tmp.cleanup(); } };
  });

  // These write bare `user` credentials from captures: the client lets agents write shared ones (the contract tests the rule).
  const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' as const, agentsWriteShared: true };
  const cred = (username: string, password: string): NewCredential => ({
    client: 'Acme', username, password: Buffer.from(password, 'utf8'), windowsSync: true, mode: 'change',
  });

  describe('SqliteVault (SQLite specifics)', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let file: string;
    let key: Buffer;
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-vault-');
      file = path.join(tmp.dir, 'vault.db');
      key = crypto.randomBytes(32);
    });
    afterEach(() => tmp.cleanup());

    it('keeps no password in clear on disk (db and wal, UTF-8 and UTF-16)', async () => {
      const canaryUser = 'canary-user-5c1d';
      const canaryPw = 'canary-pass-9b2e';
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      await vault.addClient(acme);
      const c = await vault.addCredential(cred(canaryUser, canaryPw));
      await vault.updateCredential('Acme', canaryUser, { password: Buffer.from(`${canaryPw}-2`) });
      await vault.setPasswordFromCapture(c.id, Buffer.from(`${canaryPw}-3`), 2, 'e1');
      const scan = () => ['vault.db', 'vault.db-wal']
        .filter((f) => fs.existsSync(path.join(tmp.dir, f)))
        .map((f) => fs.readFileSync(path.join(tmp.dir, f)));
      const check = (files: Buffer[]) => {
        assert.ok(files.length > 0);
        // The search works: the username (not a secret) is found in clear.
        assert.ok(files.some((b) => b.includes(Buffer.from(canaryUser))), 'username found: the scan reads the data');
        for (const bytes of files) {
          assert.ok(!bytes.includes(Buffer.from(canaryPw, 'utf8')), 'password in clear (UTF-8)');
          assert.ok(!bytes.includes(Buffer.from(canaryPw, 'utf16le')), 'password in clear (UTF-16LE)');
        }
      };
      check(scan()); // while open: the data is in the WAL
      await vault.close();
      check(scan()); // after close: checkpointed into the main file
    });

    it('keeps data across close and reopen', async () => {
      const v1 = await SqliteVault.open({ path: file, key, sqlite });
      await v1.addClient(acme);
      const c = await v1.addCredential(cred('alice', 'pässwort'));
      await v1.setFlag(c.id, 'mismatch', true);
      await v1.setPasswordFromCapture(c.id, Buffer.from('captured'), 1, 'ev1');
      await v1.appendEvents([{ time: 1, machine: 'WS01', kind: 'capture', outcome: 'ok' }]);
      await v1.close();
      const v2 = await SqliteVault.open({ path: file, key, sqlite });
      try {
        const back = await v2.findCredential('Acme', 'ALICE');
        assert.equal(back?.version, 2);
        assert.deepEqual(back?.flags, ['mismatch']);
        assert.equal((await v2.readPassword(c.id)).toString(), 'captured');
        assert.equal((await v2.setPasswordFromCapture(c.id, Buffer.from('again'), 2, 'ev1')).applied, false, 'applied ids persist');
        assert.equal((await v2.queryEvents({})).length, 1);
      } finally {
        await v2.close();
      }
    });

    it('refuses to open with another key, without printing either key', async () => {
      const v1 = await SqliteVault.open({ path: file, key, sqlite });
      await v1.close();
      const other = crypto.randomBytes(32);
      await assert.rejects(SqliteVault.open({ path: file, key: other, sqlite }), (err: Error) => {
        assert.match(err.message, /vault key does not open/);
        assert.ok(err.message.includes(file));
        assert.ok(!err.message.includes(key.toString('hex')) && !err.message.includes(other.toString('hex')));
        return true;
      });
    });

    it('binds each sealed password to its row: a record copied into another row does not open', async () => {
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      await vault.addClient(acme);
      const a = await vault.addCredential(cred('alice', 'alice-pw'));
      const b = await vault.addCredential(cred('bob', 'bob-pw'));
      const raw = sqlite.open(file);
      raw.prepare('UPDATE credentials SET password_enc = (SELECT password_enc FROM credentials WHERE id = ?) WHERE id = ?').run(a.id, b.id);
      raw.close();
      await assert.rejects(vault.readPassword(b.id), new RegExp(`credential ${b.id}: sealed record does not authenticate`));
      assert.equal((await vault.readPassword(a.id)).toString(), 'alice-pw');
      await vault.close();
    });

    it('opens on the driver asked for, in WAL mode with synchronous=FULL, foreign keys and a busy timeout, files private', async () => {
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      const db = (vault as unknown as { db: SqliteDatabase }).db;
      assert.equal(db.driver, sqlite.name);
      assert.equal(db.pragma('journal_mode'), 'wal');
      assert.equal(db.pragma('synchronous'), 2);
      assert.equal(db.pragma('foreign_keys'), 1);
      assert.equal(db.pragma('busy_timeout'), 5000);
      await vault.addClient(acme);
      if (process.platform !== 'win32') {
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.equal(fs.statSync(`${file}-wal`).mode & 0o777, 0o600);
      }
      await vault.close();
    });

    it('upserts machines by name (any case)', async () => {
      const vault = await SqliteVault.open({ path: file, key, now: () => 42, sqlite });
      await vault.addClient(acme);
      await vault.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 1 });
      await vault.recordMachine({ name: 'ws01', client: 'acme', filterState: 'faulted', journalDepth: 5 });
      assert.deepEqual(vault.listMachines(), [{ name: 'ws01', client: 'Acme', filterState: 'faulted', journalDepth: 5, lastSeen: 42 }]);
      await vault.close();
    });

    it('refuses a database with a newer schema than it knows', async () => {
      (await SqliteVault.open({ path: file, key, sqlite })).close();
      const raw = sqlite.open(file);
      raw.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (99, ?, 0)').run('future');
      raw.close();
      await assert.rejects(SqliteVault.open({ path: file, key, sqlite }), /schema version 99, newer than this pwbridge knows/);
    });

    it('migration 4 gives the clients of an older vault the new option, off: their shared credentials stop taking captures', async () => {
      const old = openDatabase(file, vaultMigrations('sqlite').filter((m) => m.version <= 3), sqlite);
      old.prepare(`INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode)
        VALUES ('Acme', 'acme', 1, 1, 0, 'report')`).run();
      old.close();
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      try {
        assert.deepEqual(await vault.getClient('Acme'), { ...acme, agentsWriteShared: false });
        const shared = await vault.addCredential(cred('alice', 'vault-pw'));
        await assert.rejects(vault.setPasswordFromCapture(shared.id, Buffer.from('pushed'), 1, 'e1'), VaultPolicyError);
      } finally {
        await vault.close();
      }
    });

    // How fast is the bench's business (reconcile_10k_unchanged_s); here, that one listing returns them all.
    it('lists 10,000 credentials with their flags in one call', async function () {
      this.timeout(60_000);
      const vault = await SqliteVault.open({ path: file, key, sqlite });
      await vault.addClient(acme);
      const made = vault.bulkAddCredentials(Array.from({ length: 10_000 }, (_, i) => cred(`user${i}`, `pw-${i}`)));
      for (const id of [made[1].id, made[500].id]) await vault.setFlag(id, 'mismatch', true);
      const list = await vault.listCredentials('Acme');
      assert.equal(list.length, 10_000);
      assert.deepEqual(list[1].flags, ['mismatch']);
      assert.equal(list[9999].username, 'user9999');
      await vault.close();
    });
  });
});

describe('vault migrations', () => {
  it('renders the migrations for PostgreSQL without SQLite-only spellings', () => {
    const sql = vaultMigrations('postgres').map((m) => m.sql).join('\n');
    assert.doesNotMatch(sql, /\{\{|BLOB|AUTOINCREMENT|NOCASE|INTEGER PRIMARY KEY/);
    assert.match(sql, /BYTEA/);
    assert.match(sql, /GENERATED BY DEFAULT AS IDENTITY/);
    assert.throws(() => renderSql('x {{nope}}', 'sqlite'), /unknown SQL token/);
  });
});
