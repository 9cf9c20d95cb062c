import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import { ECHO_KEY } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

forEachSqliteDriver((sqlite) => {
  describe('SqliteEchoStore', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let file: string;
    let s: StateDb;
    const pw = Buffer.from('Echo-Pässword-3f9c', 'utf8');
    beforeEach(() => {
      tmp = makeTempDir('pwbridge-echo-');
      file = path.join(tmp.dir, 'state.db');
      s = openStateDb(file, { echoKey: ECHO_KEY, sqlite });
    });
    afterEach(() => { s.close(); tmp.cleanup(); });

    it('consumes a remembered password once', () => {
      s.echo.remember('alice', pw, 10_000);
      assert.equal(s.echo.consume('alice', pw, 5_000), true);
      assert.equal(s.echo.consume('alice', pw, 5_001), false);
    });

    it('does not match another password or another account', () => {
      s.echo.remember('alice', pw, 10_000);
      assert.equal(s.echo.consume('alice', Buffer.from('other'), 5_000), false);
      assert.equal(s.echo.consume('bob', pw, 5_000), false);
      assert.equal(s.echo.consume('alice', pw, 5_000), true, 'misses did not use it up');
    });

    it('matches the account case-insensitively', () => {
      s.echo.remember('WS01\\Alice', pw, 10_000);
      assert.equal(s.echo.consume('ws01\\ALICE', pw, 5_000), true);
    });

    it('an expired echo is not a match, and is used up anyway', () => {
      s.echo.remember('alice', pw, 10_000);
      assert.equal(s.echo.consume('alice', pw, 10_000), false);
      s.echo.remember('alice', pw, 10_000);
      s.echo.remember('alice', pw, 20_000); // remembering again extends
      s.echo.remember('alice', pw, 15_000); // and never shortens
      assert.equal(s.echo.consume('alice', pw, 19_999), true);
    });

    it('purges expired rows', () => {
      s.echo.remember('a', pw, 100);
      s.echo.remember('b', pw, 200);
      s.echo.remember('c', pw, 300);
      assert.equal(s.echo.purgeExpired(200), 2);
      assert.equal(s.db.prepare('SELECT count(*) FROM echo').pluck().get(), 1);
      assert.equal(s.echo.consume('c', pw, 250), true);
    });

    it('consume() purges expired rows now and then', () => {
      s.echo.remember('a', pw, 100);
      s.echo.remember('b', pw, 1_000_000);
      s.echo.consume('zzz', pw, 500);
      assert.equal(s.db.prepare('SELECT count(*) FROM echo').pluck().get(), 1);
    });

    it('stores only a keyed hash: another echo key does not match, and the password is not on disk', () => {
      s.echo.remember('alice', pw, 10_000);
      s.close();
      const other = openStateDb(file, { echoKey: Buffer.alloc(32, 8), sqlite });
      assert.equal(other.echo.consume('alice', pw, 5_000), false);
      other.close();
      s = openStateDb(file, { echoKey: ECHO_KEY, sqlite });
      for (const f of fs.readdirSync(tmp.dir)) {
        const bytes = fs.readFileSync(path.join(tmp.dir, f));
        assert.ok(!bytes.includes(pw), `${f} holds the password`);
      }
      assert.equal(s.echo.consume('alice', pw, 5_000), true, 'survives reopen with the same key');
    });

    it('refuses a short echo key', () => {
      assert.throws(() => openStateDb(path.join(tmp.dir, 'x.db'), { echoKey: Buffer.alloc(8), sqlite }), /at least 16 bytes/);
    });
  });
});
