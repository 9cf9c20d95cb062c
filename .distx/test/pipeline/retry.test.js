"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const testing_1 = require("rxjs/testing");
const retry_1 = require("../../src/pipeline/retry");
describe('retry scheduling', () => {
    it('doubles the delay per failed attempt and caps it', () => {
        const o = { retryBaseMs: 1000, retryMaxMs: 8000 };
        node_assert_1.strict.deepEqual([0, 1, 2, 3, 4, 10, 5000].map((n) => (0, retry_1.backoffDelay)(n, o)), [1000, 2000, 4000, 8000, 8000, 8000, 8000]);
    });
    it('adds jitter as a fraction of the capped delay', () => {
        const o = { retryBaseMs: 1000, retryMaxMs: 8000, retryJitter: 0.2 };
        node_assert_1.strict.equal((0, retry_1.backoffDelay)(1, o, () => 0.5), 2200);
        node_assert_1.strict.equal((0, retry_1.backoffDelay)(9, o, () => 0.999), 8000 + 1598);
    });
    it('ticks at each retry time, and at once for a time already past (marbles)', () => {
        const ts = new testing_1.TestScheduler((a, e) => node_assert_1.strict.deepEqual(a, e));
        ts.run(({ hot, expectObservable }) => {
            const at = hot('-a-b---|', { a: 6, b: 2 });
            const expected = '      ---b--a|';
            expectObservable((0, retry_1.retryTicks)(at, () => ts.now(), ts)).toBe(expected, { a: 6, b: 2 });
        });
    });
});
//# sourceMappingURL=retry.test.js.map