import { strict as assert } from 'node:assert';
import { FilterStateTracker, HELLO_REWRITE_MS, type FilterProbe } from '../../src/service/filter-state';
import { FakeEvents, FakeState } from '../helpers/fakes';

/** A state store that counts writes: each one is a commit (an fsync) in the real store. */
class CountingState extends FakeState {
  writes = 0;
  override setValue<T>(key: string, value: T): void {
    this.writes++;
    super.setValue(key, value);
  }
}

describe('FilterStateTracker', () => {
  let now = 1_000_000;
  const boot = 'b'.repeat(32);
  const notInstalled: FilterProbe = { state: 'not-installed', reason: 'not in the stack' };
  const make = (store = new CountingState()) => ({
    store,
    events: new FakeEvents(),
    tracker: new FilterStateTracker(store, () => notInstalled, new FakeEvents(), { captureEnabled: true, bootId: () => boot, now: () => now }),
  });

  it('a hello from this boot makes the state active, whatever the probe says', () => {
    const { tracker } = make();
    assert.equal(tracker.current().state, 'not-installed');
    const s = tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
    assert.equal(s.state, 'active');
    assert.match(s.reason, /pam capture 0\.1\.0 said hello in this boot/);
  });

  it('a hello from another boot does not', () => {
    const { tracker } = make();
    assert.equal(tracker.onHello({ kind: 'lsa', version: '0.1.0', bootId: 'a'.repeat(32), at: now }).state, 'not-installed');
  });

  it('repeated hellos of the same capture in the same boot are written once a minute, not once each', () => {
    const { tracker, store } = make();
    tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
    const afterFirst = store.writes;
    for (let i = 1; i <= 100; i++) tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now + i * 100 });
    assert.equal(store.writes, afterFirst, 'no write for a hello that changes nothing but its time');
    now += HELLO_REWRITE_MS;
    tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
    assert.equal(store.writes, afterFirst + 1, 'the time is refreshed once the interval has passed');
  });

  it('a hello that changes the version is written at once', () => {
    const { tracker, store } = make();
    tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
    const before = store.writes;
    const s = tracker.onHello({ kind: 'pam', version: '0.2.0', bootId: boot, at: now + 1 });
    assert.ok(store.writes > before);
    assert.equal(s.captureVersion, '0.2.0');
  });
});
