import { strict as assert } from 'node:assert';
import { faultPassed } from './fault-result';
import { loadScenarios } from './run';
import { skipBecause } from '../helpers/skip';

// The scenarios short enough for CI run here too, judged as `npm run faults` judges them.
describe('faults (the scenarios that fit in CI; all of them: npm run faults)', function () {
  this.timeout(600_000);
  for (const s of loadScenarios().filter((x) => x.ci)) {
    it(`${s.name}: ${s.fault}`, async function () {
      const why = s.missing?.();
      if (why) skipBecause(this, why);
      const r = await s.run(() => undefined);
      assert.ok(faultPassed(r), `${s.name}: ${JSON.stringify(r)}`);
    });
  }
});
