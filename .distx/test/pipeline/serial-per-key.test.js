"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const testing_1 = require("rxjs/testing");
const serial_per_key_1 = require("../../src/pipeline/serial-per-key");
// A fresh scheduler per test, so no virtual time leaks between tests.
const scheduler = () => new testing_1.TestScheduler((actual, expected) => node_assert_1.strict.deepEqual(actual, expected));
describe('serialPerKey (marbles)', () => {
    it('runs one key strictly in arrival order while another key runs alongside', () => {
        scheduler().run(({ hot, cold, expectObservable }) => {
            const items = { a: { k: 'A', v: 'a' }, b: { k: 'A', v: 'b' }, c: { k: 'B', v: 'c' } };
            const src = hot('  a(bc|)     ', items);
            const expected = '       --ac(b|)    ';
            const out = src.pipe((0, serial_per_key_1.serialPerKey)({ key: (i) => i.k, work: (i) => cold('--(x|)', { x: i.v }), concurrency: 2 }));
            expectObservable(out).toBe(expected, { a: 'a', b: 'b', c: 'c' });
        });
    });
    it('never runs more keys at once than the bound', () => {
        scheduler().run(({ hot, cold, expectObservable }) => {
            const items = { a: { k: 'A', v: 'a' }, b: { k: 'B', v: 'b' }, c: { k: 'C', v: 'c' } };
            const src = hot('  (abc|)          ', items);
            const expected = '       ----(ab)(c|)    ';
            const out = src.pipe((0, serial_per_key_1.serialPerKey)({ key: (i) => i.k, work: (i) => cold('----(x|)', { x: i.v }), concurrency: 2 }));
            expectObservable(out).toBe(expected, { a: 'a', b: 'b', c: 'c' });
        });
    });
    it('with a bound of one, keys take turns in first-come order', () => {
        scheduler().run(({ hot, cold, expectObservable }) => {
            const items = { a: { k: 'A', v: 'a' }, b: { k: 'B', v: 'b' }, c: { k: 'C', v: 'c' } };
            const src = hot('  (abc|)     ', items);
            const expected = '       --a-b-(c|) ';
            const out = src.pipe((0, serial_per_key_1.serialPerKey)({ key: (i) => i.k, work: (i) => cold('--(x|)', { x: i.v }), concurrency: 1 }));
            expectObservable(out).toBe(expected, { a: 'a', b: 'b', c: 'c' });
        });
    });
    it('turns a failing item into a value and keeps going, for that key and the others', () => {
        scheduler().run(({ hot, cold, expectObservable }) => {
            const items = { a: { k: 'A', v: 'bad' }, b: { k: 'A', v: 'b' }, c: { k: 'B', v: 'c' } };
            const src = hot('  (abc|)    ', items);
            const expected = '       -ec(b|)   ';
            const out = src.pipe((0, serial_per_key_1.serialPerKey)({
                key: (i) => i.k,
                work: (i) => (i.v === 'bad' ? cold('-#') : cold('--(x|)', { x: i.v })),
                concurrency: 3,
                onError: (i) => `error:${i.v}`,
            }));
            // a fails at 1, then b (same key) runs 1..3; c runs 0..2 meanwhile.
            expectObservable(out).toBe(expected, { e: 'error:bad', b: 'b', c: 'c' });
        });
    });
    it('coalesce keeps only the latest waiting item per key', () => {
        scheduler().run(({ hot, cold, expectObservable }) => {
            const items = { a: { k: 'A', v: 'a' }, b: { k: 'A', v: 'b' }, c: { k: 'A', v: 'c' } };
            const src = hot('  abc|         ', items);
            const expected = '       ----a---(c|) ';
            const out = src.pipe((0, serial_per_key_1.serialPerKey)({ key: (i) => i.k, work: (i) => cold('----(x|)', { x: i.v }), concurrency: 4, coalesce: true }));
            expectObservable(out).toBe(expected, { a: 'a', c: 'c' });
        });
    });
    it('without coalesce every waiting item runs, in order', () => {
        scheduler().run(({ hot, cold, expectObservable }) => {
            const items = { a: { k: 'A', v: 'a' }, b: { k: 'A', v: 'b' }, c: { k: 'A', v: 'c' } };
            const src = hot('  abc|                 ', items);
            const expected = '       ----a---b---(c|)     ';
            const out = src.pipe((0, serial_per_key_1.serialPerKey)({ key: (i) => i.k, work: (i) => cold('----(x|)', { x: i.v }), concurrency: 4 }));
            expectObservable(out).toBe(expected, { a: 'a', b: 'b', c: 'c' });
        });
    });
});
//# sourceMappingURL=serial-per-key.test.js.map