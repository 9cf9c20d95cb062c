// Durability did not change with the driver: every SQLite handle pwbridge opens (state.db, the vault, the
// hub's own handle on vault.db) is in WAL mode with synchronous=FULL, foreign keys on and a busy timeout,
// read back through the handle itself, on each driver.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { openHubDatabase } from '../../src/hub/server';
import { openStateDb } from '../../src/journal/sqlite.state';
import type { SqliteDatabase } from '../../src/sqlite/database';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

const DURABLE = { journal_mode: 'wal', synchronous: 2, foreign_keys: 1, busy_timeout: 5000 };

forEachSqliteDriver((sqlite) => {
  describe('durability settings of every handle', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    beforeEach(() => { tmp = makeTempDir('pwbridge-durable-'); });
    afterEach(() => tmp.cleanup());

    const pragmas = (db: SqliteDatabase) => ({
      journal_mode: db.pragma('journal_mode'), synchronous: db.pragma('synchronous'), foreign_keys: db.pragma('foreign_keys'),
      busy_timeout: db.pragma('busy_timeout'),
    });

    it('state.db (journal, echo, state)', () => {
      const s = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: Buffer.alloc(32, 7), sqlite });
      try {
        assert.equal(s.db.driver, sqlite.name);
        assert.deepEqual(pragmas(s.db), DURABLE);
      } finally {
        s.close();
      }
    });

    it('vault.db (the embedded vault)', async () => {
      const vault = await SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: crypto.randomBytes(32), sqlite });
      try {
        const db = (vault as unknown as { db: SqliteDatabase }).db;
        assert.equal(db.driver, sqlite.name);
        assert.deepEqual(pragmas(db), DURABLE);
      } finally {
        await vault.close();
      }
    });

    it('the hub: its vault handle and its own handle on vault.db', async () => {
      const { vault, store } = await openHubDatabase(tmp.dir, undefined, undefined, sqlite);
      try {
        assert.deepEqual(pragmas((vault as unknown as { db: SqliteDatabase }).db), DURABLE);
        const read = async (name: string) => Object.values((await store.sql.all<Record<string, unknown>>(`PRAGMA ${name}`))[0])[0];
        assert.deepEqual({
          journal_mode: await read('journal_mode'), synchronous: await read('synchronous'), foreign_keys: await read('foreign_keys'),
          busy_timeout: await read('busy_timeout'),
        }, DURABLE);
      } finally {
        await vault.close();
        await store.close();
      }
    });

    it('a plain handle opened later finds the file still in WAL mode (a property of the file, not of the handle)', () => {
      openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: Buffer.alloc(32, 7), sqlite }).close();
      const db = sqlite.open(path.join(tmp.dir, 'state.db'));
      try {
        assert.equal(db.pragma('journal_mode'), 'wal');
      } finally {
        db.close();
      }
    });
  });
});
