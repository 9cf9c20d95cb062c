// state.db as the Windows package runs it: the pinned Windows node.exe (Node 22, under Wine here) opens it
// through src/sqlite/, which must pick node:sqlite (the package has no better-sqlite3 for Windows), keep the
// durability settings, never load better-sqlite3, and print nothing on stderr (no ExperimentalWarning).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp';
import { runWindowsNode } from '../helpers/windows-node';
import { windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

const STATE_MODULE = path.resolve(__dirname, '../../src/journal/sqlite.state.js');

/** Appends one entry (unless told to only read), then prints what it sees as JSON. */
const SCRIPT = `
const [stateModule, file, mode] = process.argv.slice(2);
const { openStateDb } = require(stateModule);
const s = openStateDb(file, { echoKey: Buffer.alloc(32, 7) });
const id = 'ab'.repeat(16);
const appended = mode === 'append'
  ? s.journal.append([{ eventId: id, machine: 'WS01', account: 'WS01\\\\alice', accountId: 1001, capturedAt: 1, receivedAt: 2,
      encoding: 2, sealed: Buffer.from('sealed bytes') }])
  : undefined;
const got = s.journal.get(id);
const out = {
  platform: process.platform, driver: s.db.driver, appended, depth: s.journal.depth(),
  sealed: got && Buffer.isBuffer(got.sealed) ? got.sealed.toString() : null,
  pragmas: ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout'].map((p) => s.db.pragma(p)),
  betterSqlite3Loaded: Object.keys(require.cache).some((k) => k.includes('better-sqlite3')),
};
s.close();
process.stdout.write(JSON.stringify(out));
`;

describe('state.db on the Windows node.exe (node:sqlite, under Wine)', function () {
  this.timeout(180_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(function () {
    // Here only: on Windows the workflow's MSI step runs the packaged node.exe itself.
    if (process.platform === 'win32') skipBecause(this, 'not on Windows (Wine stands in for it here; the Windows workflow runs the real thing)');
    const missing = windowsPartsMissing();
    if (missing.fail) throw new Error(missing.fail);
    if (missing.skip) skipBecause(this, missing.skip);
    tmp = makeTempDir('pwbridge-winsqlite-');
    fs.writeFileSync(path.join(tmp.dir, 'check.js'), SCRIPT);
  });
  after(() => tmp?.cleanup());

  const run = async (mode: 'append' | 'read') => {
    const r = await runWindowsNode([winPath(path.join(tmp.dir, 'check.js')), winPath(STATE_MODULE), winPath(path.join(tmp.dir, 'state.db')), mode],
      { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `node.exe failed: ${r.stdout}\n${r.stderr}`);
    assert.equal(r.stderr, '', 'nothing on stderr: no ExperimentalWarning, no error');
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it('appends on node:sqlite with WAL, synchronous=FULL, foreign keys and a busy timeout, without better-sqlite3', async () => {
    const out = await run('append');
    assert.deepEqual(out, {
      platform: 'win32', driver: 'node:sqlite', appended: ['stored'], depth: 1, sealed: 'sealed bytes',
      pragmas: ['wal', 2, 1, 5000], betterSqlite3Loaded: false,
    });
  });

  it('a second node.exe process reads what the first committed', async () => {
    const out = await run('read');
    assert.equal(out.depth, 1);
    assert.equal(out.sealed, 'sealed bytes');
  });
});
