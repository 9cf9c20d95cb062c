// The one place that picks the SQLite driver (src/sqlite/drivers.ts): which it picks, that it loads only
// that one, what it says when none loads, and that node:sqlite's own warning stays off the service's stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultSqliteDriver, probeSqliteDriver, sqliteDriver } from '../../src/sqlite/drivers';
import { requiredSqliteDrivers } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

const DIST_SRC = path.resolve(__dirname, '../../src');
const mod = (rel: string) => JSON.stringify(path.join(DIST_SRC, rel));
const nodeSqliteLoads = 'driver' in probeSqliteDriver('node:sqlite');

/** Run a script on this Node; stdout's last line parsed as JSON when asked. */
function child(script: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...args, '-e', script], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('SQLite driver choice (src/sqlite/drivers.ts)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => { tmp = makeTempDir('pwbridge-drivers-'); });
  afterEach(() => tmp.cleanup());

  it('picks node:sqlite where it loads, better-sqlite3 otherwise (Node 20.20: better-sqlite3; the pinned 22.23: node:sqlite)', () => {
    const expected = nodeSqliteLoads ? 'node:sqlite' : 'better-sqlite3';
    assert.equal(defaultSqliteDriver().name, expected);
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major === 20) assert.equal(expected, 'better-sqlite3', 'Node 20 has no node:sqlite');
    if (major === 22 && minor >= 23) assert.equal(expected, 'node:sqlite', 'the pinned Node 22 has a complete node:sqlite');
    if (requiredSqliteDrivers().includes('node:sqlite')) assert.equal(defaultSqliteDriver().name, 'node:sqlite');
  });

  it('a process on node:sqlite never loads better-sqlite3; one on better-sqlite3 does (so the check can see it)', () => {
    const r = child(`
      const { openStateDb } = require(${mod('journal/sqlite.state.js')});
      const s = openStateDb(${JSON.stringify(path.join(tmp.dir, 'state.db'))}, { echoKey: Buffer.alloc(32, 7) });
      s.journal.append([{ eventId: '0'.repeat(32), machine: 'M', account: 'a', accountId: 1, capturedAt: 1, receivedAt: 1,
        encoding: 1, sealed: Buffer.alloc(10, 1) }]);
      const loaded = Object.keys(require.cache).some((k) => k.includes(require('node:path').sep + 'better-sqlite3' + require('node:path').sep));
      process.stdout.write(JSON.stringify({ driver: s.db.driver, depth: s.journal.depth(), loaded }));
      s.close();
    `);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { driver: string; depth: number; loaded: boolean };
    assert.equal(out.driver, defaultSqliteDriver().name);
    assert.equal(out.depth, 1);
    assert.equal(out.loaded, out.driver === 'better-sqlite3');
  });

  it('when no driver loads, opening a store fails with an error naming both drivers, why, and the Node version', () => {
    // A preload that makes both packages fail to load, the way a missing addon or an old Node would.
    const preload = path.join(tmp.dir, 'block.js');
    fs.writeFileSync(preload, `
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === 'node:sqlite' || request === 'better-sqlite3') throw new Error('blocked for the test: ' + request);
        return load.call(this, request, ...rest);
      };
    `);
    const r = child(`
      const { openStateDb } = require(${mod('journal/sqlite.state.js')});
      try { openStateDb(${JSON.stringify(path.join(tmp.dir, 'state.db'))}, { echoKey: Buffer.alloc(32, 7) }); }
      catch (e) { process.stdout.write(e.message); process.exit(3); }
    `, ['--require', preload]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, `no SQLite driver loads on Node ${process.version} `
      + '(node:sqlite: blocked for the test: node:sqlite; better-sqlite3: blocked for the test: better-sqlite3)');
  });

  it('asking for a driver that does not load says which, on which Node, and why', function () {
    const absent = (['node:sqlite', 'better-sqlite3'] as const).find((n) => !('driver' in probeSqliteDriver(n)));
    if (!absent) skipBecause(this, 'both load on this Node: nothing to refuse');
    assert.throws(() => sqliteDriver(absent!), new RegExp(`SQLite driver ${absent} does not load on Node ${process.version.replace(/\./g, '\\.')}: .+`));
  });

  describe('node:sqlite\'s ExperimentalWarning', () => {
    before(function () {
      if (!nodeSqliteLoads) skipBecause(this, 'node:sqlite does not load on this Node (the Node 22 run covers it)');
    });

    it('is printed by Node when node:sqlite is required directly (what the driver has to keep off stderr)', () => {
      const r = child(`require('node:sqlite'); setImmediate(() => {});`);
      assert.match(r.stderr, /ExperimentalWarning: SQLite is an experimental feature/);
    });

    it('is not printed through the driver, while every other warning still is', () => {
      const r = child(`
        const db = require(${mod('sqlite/drivers.js')}).sqliteDriver('node:sqlite').open(':memory:');
        db.exec('CREATE TABLE t (a)');
        db.close();
        process.emitWarning('another experiment', 'ExperimentalWarning');
        process.emitWarning('a plain warning');
        setImmediate(() => {});
      `);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /SQLite is an experimental feature/);
      assert.match(r.stderr, /ExperimentalWarning: another experiment/);
      assert.match(r.stderr, /Warning: a plain warning/);
    });
  });
});
