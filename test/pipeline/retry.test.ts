import { strict as assert } from 'node:assert';
import { TestScheduler } from 'rxjs/testing';
import { backoffDelay, retryTicks } from '../../src/pipeline/retry';

describe('retry scheduling', () => {
  it('doubles the delay per failed attempt and caps it', () => {
    const o = { retryBaseMs: 1000, retryMaxMs: 8000 };
    assert.deepEqual([0, 1, 2, 3, 4, 10, 5000].map((n) => backoffDelay(n, o)), [1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it('adds jitter as a fraction of the capped delay', () => {
    const o = { retryBaseMs: 1000, retryMaxMs: 8000, retryJitter: 0.2 };
    assert.equal(backoffDelay(1, o, () => 0.5), 2200);
    assert.equal(backoffDelay(9, o, () => 0.999), 8000 + 1598);
  });

  it('ticks at each retry time, and at once for a time already past (marbles)', () => {
    const ts = new TestScheduler((a, e) => assert.deepEqual(a, e));
    ts.run(({ hot, expectObservable }) => {
      const at = hot<number>('-a-b---|', { a: 6, b: 2 });
      const expected = '      ---b--a|';
      expectObservable(retryTicks(at, () => ts.now(), ts)).toBe(expected, { a: 6, b: 2 });
    });
  });
});
