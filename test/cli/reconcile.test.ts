import { strict as assert } from 'node:assert';
import { makeTempDir } from '../helpers/tmp';
import { assertExit, assertRefused, jsonLines, listing, runCli, tempDataDir } from './cli';

interface ReportJson {
  checked: number; unchanged: number; matched: number; flagged: number; cleared: number; set: number; failed: number; skipped: number;
  durationMs: number; reason?: string; items: unknown[];
}
const COUNTS = ['checked', 'unchanged', 'matched', 'flagged', 'cleared', 'set', 'failed', 'skipped'] as const;

describe('pwbridge reconcile (CLI, real child process)', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => void;
  let pam: { dir: string; cleanup(): void };
  const cli = (args: string[]) => runCli(args, { dataDir: dir });

  beforeEach(() => {
    pam = makeTempDir('pwbridge-cli-pam-');
    ({ dir, cleanup } = tempDataDir({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: pam.dir }));
  });
  afterEach(() => {
    cleanup();
    pam.cleanup();
  });

  it('--once --json on a client with no credentials: exit 0, one JSON report with zero counts', async () => {
    const r = await cli(['reconcile', '--once', '--json']);
    assertExit(r, 0, 'reconcile --once --json');
    const rows = jsonLines<ReportJson>(r);
    assert.equal(rows.length, 1, r.stdout);
    const rep = rows[0];
    for (const k of COUNTS) assert.equal(rep[k], 0, `${k} in ${r.stdout}`);
    assert.deepEqual(rep.items, []);
    assert.equal(typeof rep.durationMs, 'number');
    // The pass is remembered for `status`.
    const s = jsonLines<{ lastReconcile?: { at: number; checked: number } }>(await cli(['status', '--json']))[0];
    assert.ok(s.lastReconcile, 'status has no lastReconcile');
    assert.equal(s.lastReconcile.checked, 0);
    assert.ok(Math.abs(s.lastReconcile.at - Date.now()) < 60_000);
  });

  it('--once (text) prints the summary line', async () => {
    const r = await cli(['reconcile', '--once']);
    assertExit(r, 0, 'reconcile --once');
    assert.match(r.stdout, /^0 checked, 0 unchanged, 0 matched, 0 flagged, 0 cleared, 0 set, 0 failed, 0 skipped in \d+ ms$/m);
  });

  it('--once --json --client of a client with Windows Sync off: exit 0, the report says why nothing ran', async () => {
    assertExit(await cli(['vault', 'client', 'add', 'Quiet']), 0, 'client add');
    const r = await cli(['reconcile', '--once', '--json', '--client', 'Quiet']);
    assertExit(r, 0, 'reconcile --client Quiet');
    const rep = jsonLines<ReportJson>(r)[0];
    assert.equal(rep.checked, 0);
    assert.match(rep.reason ?? '', /windows sync/i);
  });

  it('--once --client of an unknown client: exit 2, with the command that adds it', async () => {
    const r = await cli(['reconcile', '--once', '--json', '--client', 'Ghost']);
    assertRefused(r, 'reconcile --client Ghost', /"Ghost" does not exist/, /vault client add "Ghost"/);
  });

  it('without --once: exit 2 naming --once, and the data dir is untouched', async () => {
    const before = listing(dir);
    const r = await cli(['reconcile', '--json']);
    assertRefused(r, 'reconcile without --once', /--once/);
    assert.deepEqual(listing(dir), before);
  });
});
