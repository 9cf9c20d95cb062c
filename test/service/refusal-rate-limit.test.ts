import { strict as assert } from 'node:assert';
import { rateLimitRefusals } from '../../src/service/refusal-rate-limit';
import { ManualTimers } from '../helpers/manual-timers';

describe('service/refusal-rate-limit', () => {
  it('records the first of a kind at once and the rest of its window as one count', async () => {
    const recorded: string[] = [];
    const timers = new ManualTimers();
    const r = rateLimitRefusals((s) => recorded.push(s), { windowMs: 100, timers });
    for (let i = 0; i < 1000; i++) r.note('peer-cap', `peer-cap: #${i}`);
    r.note('handshake', 'handshake: #0');
    assert.deepEqual(recorded, ['peer-cap: #0', 'handshake: #0']);
    await timers.advance(99);
    assert.equal(recorded.length, 2, 'the window is not over yet');
    await timers.advance(1);
    assert.deepEqual(recorded.slice(2), ['999 more refused like this in the last 0.1 s (peer-cap; the last: peer-cap: #999)']);
    // A new window: the next one is recorded at once again.
    r.note('peer-cap', 'peer-cap: #1000');
    assert.equal(recorded[3], 'peer-cap: #1000');
    r.stop();
    assert.equal(recorded.length, 4, 'nothing counted, so stop records nothing more');
    assert.equal(timers.size, 0, 'stop forgets its timers');
  });

  it('with a burst, records that many of a kind one by one before counting', async () => {
    const recorded: string[] = [];
    const timers = new ManualTimers();
    const r = rateLimitRefusals((s) => recorded.push(s), { windowMs: 60_000, burst: 3, timers });
    for (let i = 0; i < 50; i++) r.note('frame', `frame: #${i}`);
    assert.deepEqual(recorded, ['frame: #0', 'frame: #1', 'frame: #2']);
    await timers.advance(60_000);
    assert.deepEqual(recorded.slice(3), ['47 more refused like this in the last 60 s (frame; the last: frame: #49)']);
    for (let i = 50; i < 53; i++) r.note('frame', `frame: #${i}`);
    assert.deepEqual(recorded.slice(4), ['frame: #50', 'frame: #51', 'frame: #52'], 'a new window has its own burst');
    r.stop();
  });

  it('stop records what is still counted', () => {
    const recorded: string[] = [];
    const r = rateLimitRefusals((s) => recorded.push(s), { windowMs: 60_000, timers: new ManualTimers() });
    r.note('idle', 'idle: a');
    r.note('idle', 'idle: b');
    r.stop();
    assert.deepEqual(recorded, ['idle: a', '1 more refused like this in the last 60 s (idle; the last: idle: b)']);
  });
});
