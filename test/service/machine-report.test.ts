// The machine report on its own: the heartbeat keeps "last seen" moving with no other trigger, pokes are
// coalesced, and a vault that fails never stops it (logged once per cause, delivered at the next try).
// The embedded vault gets the same row as the hub (one row, harmless).
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import pino from 'pino';
import { Writable } from 'node:stream';
import { startMachineReport } from '../../src/service/machine-report';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { startHarness } from '../helpers/bridge-harness';
import { ManualTimers } from '../helpers/manual-timers';
import { makeTempDir } from '../helpers/tmp';
import { pollUntil } from '../cli/cli';
import { EMBEDDED_CLIENT } from '../../src/domain/types';

function captureLog(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { out.push(String(chunk)); cb(); } });
  return { logger: pino({ level: 'debug' }, stream), lines: () => out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('service/machine-report', () => {
  it('the heartbeat alone keeps last seen moving in a real vault', async () => {
    const tmp = makeTempDir();
    const vault = await SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: randomBytes(32) });
    await vault.addClient(EMBEDDED_CLIENT);
    const r = startMachineReport({
      vault, logger: captureLog().logger, everyMs: 60, minGapMs: 0,
      read: () => ({ name: 'HOST1', client: 'local', filterState: 'pending-reboot', journalDepth: 3 }),
    });
    try {
      const first = await pollUntil('a row', () => vault.listMachines()[0], 2000, 10);
      assert.deepEqual({ ...first, lastSeen: 0 }, { name: 'HOST1', client: 'local', filterState: 'pending-reboot', journalDepth: 3, lastSeen: 0 });
      const later = await pollUntil('last seen moved', () => {
        const m = vault.listMachines()[0];
        return m.lastSeen > first.lastSeen ? m : undefined;
      }, 2000, 10);
      assert.ok(later.lastSeen > first.lastSeen);
    } finally {
      await r.stop();
      await vault.close();
      tmp.cleanup();
    }
  });

  it('a failing vault never stops it: logged once per cause, and the next try delivers', async () => {
    let fail = 3;
    const calls: number[] = [];
    const log = captureLog();
    const r = startMachineReport({
      vault: { recordMachine: async () => { calls.push(Date.now()); if (fail-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:8443'); } },
      logger: log.logger, everyMs: 3_600_000, minGapMs: 0,
      read: () => ({ name: 'HOST1', client: 'c', filterState: 'active', journalDepth: 0 }),
    });
    try {
      await pollUntil('the start report', () => calls.length >= 1 || undefined, 2000, 5);
      assert.equal(await r.reportNow(), false);
      assert.equal(await r.reportNow(), false);
      assert.equal(await r.reportNow(), true);
      const warns = log.lines().filter((l) => l.msg === 'machine report failed; retrying at the next heartbeat or change');
      assert.equal(warns.length, 1, 'one warning for one cause');
      assert.ok(log.lines().some((l) => l.msg === 'machine report delivered again'));
    } finally {
      await r.stop();
    }
  });

  it('pokes in a burst are coalesced and spaced: a burst of 100 costs two reports, the second a full gap later', async () => {
    const timers = new ManualTimers();
    const at: number[] = [];
    const r = startMachineReport({
      vault: { recordMachine: async () => { at.push(timers.now()); } },
      logger: captureLog().logger, everyMs: 3_600_000, minGapMs: 200, timers,
      read: () => ({ name: 'HOST1', client: 'c', filterState: 'active', journalDepth: 0 }),
    });
    try {
      // The start report is in flight: the burst arrives while it runs.
      for (let i = 0; i < 100; i++) r.poke();
      await timers.advance(199);
      assert.deepEqual(at, [0], 'the burst waits out the gap after the start report');
      await timers.advance(1);
      assert.deepEqual(at, [0, 200], 'one report for the whole burst, 200 ms after the last');
      await timers.advance(10_000);
      assert.deepEqual(at, [0, 200], 'nothing more until the heartbeat');
      r.poke();
      await timers.advance(0);
      assert.deepEqual(at, [0, 200, 10_200], 'a poke long after the gap reports at once');
    } finally {
      await r.stop();
    }
    assert.equal(timers.size, 0, 'stop cleared the heartbeat and any gap timer');
  });

  it('the embedded vault gets this machine\'s row from the running bridge', async () => {
    const h = await startHarness();
    try {
      const rows = await pollUntil('a row', () => {
        const ms = (h.install.vault as SqliteVault).listMachines();
        return ms.length ? ms : undefined;
      }, 5000);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].name, 'TESTHOST');
      assert.equal(rows[0].client, 'local');
      assert.equal(rows[0].filterState, h.install.filter.current().state);
    } finally {
      await h.destroy();
    }
  });
});
