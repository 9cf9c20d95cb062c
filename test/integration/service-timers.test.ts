import { strict as assert } from 'node:assert';
import type { SqliteVault } from '../../src/vault/sqlite.vault';
import { startHarness, type Harness } from '../helpers/bridge-harness';

describe('the running service on its own timers', function () {
  this.timeout(30_000);
  let h: Harness;
  afterEach(async () => h?.destroy());

  it('reconciles by itself soon after start (at the interval, when shorter than 30 s) and records the machine', async () => {
    const started = Date.now();
    h = await startHarness({ config: { reconcileInterval: '10s' } });
    let last: { at: number; checked: number } | undefined;
    for (let i = 0; i < 150 && !last; i++) {
      await new Promise((r) => setTimeout(r, 100));
      last = h.install.state.state.getValue('lastReconcile');
    }
    assert.ok(last, 'no reconcile pass within 15 s of start');
    assert.ok(last.at >= started + 9_000, `the first pass ran ${last.at - started} ms after start, before the interval`);
    await new Promise((r) => setTimeout(r, 200)); // the machine record follows the pass
    const machines = (h.install.vault as SqliteVault).listMachines();
    assert.deepEqual(machines.map((m) => [m.name, m.client, m.filterState]), [['TESTHOST', 'local', 'not-installed']]);
  });
});
