"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const filter_state_1 = require("../../src/service/filter-state");
const fakes_1 = require("../helpers/fakes");
/** A state store that counts writes: each one is a commit (an fsync) in the real store. */
class CountingState extends fakes_1.FakeState {
    writes = 0;
    setValue(key, value) {
        this.writes++;
        super.setValue(key, value);
    }
}
describe('FilterStateTracker', () => {
    let now = 1_000_000;
    const boot = 'b'.repeat(32);
    const notInstalled = { state: 'not-installed', reason: 'not in the stack' };
    const make = (store = new CountingState()) => ({
        store,
        events: new fakes_1.FakeEvents(),
        tracker: new filter_state_1.FilterStateTracker(store, () => notInstalled, new fakes_1.FakeEvents(), { captureEnabled: true, bootId: () => boot, now: () => now }),
    });
    it('a hello from this boot makes the state active, whatever the probe says', () => {
        const { tracker } = make();
        node_assert_1.strict.equal(tracker.current().state, 'not-installed');
        const s = tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
        node_assert_1.strict.equal(s.state, 'active');
        node_assert_1.strict.match(s.reason, /pam capture 0\.1\.0 said hello in this boot/);
    });
    it('a hello from another boot does not', () => {
        const { tracker } = make();
        node_assert_1.strict.equal(tracker.onHello({ kind: 'lsa', version: '0.1.0', bootId: 'a'.repeat(32), at: now }).state, 'not-installed');
    });
    it('repeated hellos of the same capture in the same boot are written once a minute, not once each', () => {
        const { tracker, store } = make();
        tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
        const afterFirst = store.writes;
        for (let i = 1; i <= 100; i++)
            tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now + i * 100 });
        node_assert_1.strict.equal(store.writes, afterFirst, 'no write for a hello that changes nothing but its time');
        now += filter_state_1.HELLO_REWRITE_MS;
        tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
        node_assert_1.strict.equal(store.writes, afterFirst + 1, 'the time is refreshed once the interval has passed');
    });
    it('a hello that changes the version is written at once', () => {
        const { tracker, store } = make();
        tracker.onHello({ kind: 'pam', version: '0.1.0', bootId: boot, at: now });
        const before = store.writes;
        const s = tracker.onHello({ kind: 'pam', version: '0.2.0', bootId: boot, at: now + 1 });
        node_assert_1.strict.ok(store.writes > before);
        node_assert_1.strict.equal(s.captureVersion, '0.2.0');
    });
});
//# sourceMappingURL=filter-state.test.js.map