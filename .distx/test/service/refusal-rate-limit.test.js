"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const refusal_rate_limit_1 = require("../../src/service/refusal-rate-limit");
describe('service/refusal-rate-limit', () => {
    it('records the first of a kind at once and the rest of its window as one count', async () => {
        const recorded = [];
        const r = (0, refusal_rate_limit_1.rateLimitRefusals)((s) => recorded.push(s), 100);
        for (let i = 0; i < 1000; i++)
            r.note('peer-cap', `peer-cap: #${i}`);
        r.note('handshake', 'handshake: #0');
        node_assert_1.strict.deepEqual(recorded, ['peer-cap: #0', 'handshake: #0']);
        await new Promise((res) => setTimeout(res, 150));
        node_assert_1.strict.deepEqual(recorded.slice(2), ['999 more refused like this in the last 0.1 s (peer-cap; the last: peer-cap: #999)']);
        // A new window: the next one is recorded at once again.
        r.note('peer-cap', 'peer-cap: #1000');
        node_assert_1.strict.equal(recorded[3], 'peer-cap: #1000');
        r.stop();
        node_assert_1.strict.equal(recorded.length, 4, 'nothing counted, so stop records nothing more');
    });
    it('stop records what is still counted', () => {
        const recorded = [];
        const r = (0, refusal_rate_limit_1.rateLimitRefusals)((s) => recorded.push(s), 60_000);
        r.note('idle', 'idle: a');
        r.note('idle', 'idle: b');
        r.stop();
        node_assert_1.strict.deepEqual(recorded, ['idle: a', '1 more refused like this in the last 60 s (idle; the last: idle: b)']);
    });
});
//# sourceMappingURL=refusal-rate-limit.test.js.map