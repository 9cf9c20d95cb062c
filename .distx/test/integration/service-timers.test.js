"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const bridge_harness_1 = require("../helpers/bridge-harness");
describe('the running service on its own timers', function () {
    this.timeout(30_000);
    let h;
    afterEach(async () => h?.destroy());
    it('reconciles by itself soon after start (at the interval, when shorter than 30 s) and records the machine', async () => {
        const started = Date.now();
        h = await (0, bridge_harness_1.startHarness)({ config: { reconcileInterval: '10s' } });
        let last;
        for (let i = 0; i < 150 && !last; i++) {
            await new Promise((r) => setTimeout(r, 100));
            last = h.install.state.state.getValue('lastReconcile');
        }
        node_assert_1.strict.ok(last, 'no reconcile pass within 15 s of start');
        node_assert_1.strict.ok(last.at >= started + 9_000, `the first pass ran ${last.at - started} ms after start, before the interval`);
        await new Promise((r) => setTimeout(r, 200)); // the machine record follows the pass
        const machines = h.install.vault.listMachines();
        node_assert_1.strict.deepEqual(machines.map((m) => [m.name, m.client, m.filterState]), [['TESTHOST', 'local', 'not-installed']]);
    });
});
//# sourceMappingURL=service-timers.test.js.map