"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const fault_result_1 = require("./fault-result");
const run_1 = require("./run");
// The scenarios short enough for CI run here too, judged as `npm run faults` judges them.
describe('faults (the scenarios that fit in CI; all of them: npm run faults)', function () {
    this.timeout(600_000);
    for (const s of (0, run_1.loadScenarios)().filter((x) => x.ci)) {
        it(`${s.name}: ${s.fault}`, async function () {
            const why = s.missing?.();
            if (why)
                this.skip();
            const r = await s.run(() => undefined);
            node_assert_1.strict.ok((0, fault_result_1.faultPassed)(r), `${s.name}: ${JSON.stringify(r)}`);
        });
    }
});
//# sourceMappingURL=faults.test.js.map