import { strict as assert } from 'node:assert';
import { rateLimitRefusals } from '../../src/service/refusal-rate-limit';

describe('service/refusal-rate-limit', () => {
  it('records the first of a kind at once and the rest of its window as one count', async () => {
    const recorded: string[] = [];
    const r = rateLimitRefusals((s) => recorded.push(s), 100);
    for (let i = 0; i < 1000; i++) r.note('peer-cap', `peer-cap: #${i}`);
    r.note('handshake', 'handshake: #0');
    assert.deepEqual(recorded, ['peer-cap: #0', 'handshake: #0']);
    await new Promise((res) => setTimeout(res, 150));
    assert.deepEqual(recorded.slice(2), ['999 more refused like this in the last 0.1 s (peer-cap; the last: peer-cap: #999)']);
    // A new window: the next one is recorded at once again.
    r.note('peer-cap', 'peer-cap: #1000');
    assert.equal(recorded[3], 'peer-cap: #1000');
    r.stop();
    assert.equal(recorded.length, 4, 'nothing counted, so stop records nothing more');
  });

  it('stop records what is still counted', () => {
    const recorded: string[] = [];
    const r = rateLimitRefusals((s) => recorded.push(s), 60_000);
    r.note('idle', 'idle: a');
    r.note('idle', 'idle: b');
    r.stop();
    assert.deepEqual(recorded, ['idle: a', '1 more refused like this in the last 60 s (idle; the last: idle: b)']);
  });
});
