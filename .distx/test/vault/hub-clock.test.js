"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const hub_clock_1 = require("../../src/vault/hub-clock");
describe('the hub\'s clock as an agent sees it (X-Pwbridge-Time)', () => {
    it('a hub 10 minutes ahead: capture times go onto its clock and its times come back onto ours', () => {
        let now = 1_000_000;
        const c = new hub_clock_1.HubClock(() => now);
        c.observe(String(now + 600_000));
        node_assert_1.strict.equal(c.offsetMs, 600_000);
        node_assert_1.strict.equal(c.toHub(now), now + 600_000);
        node_assert_1.strict.equal(c.toLocal(now + 600_000 - 60_000), now - 60_000, 'a vault write a minute ago is a minute ago here too');
        now += 5_000;
        c.observe(String(now + 600_000 + 7)); // jitter: the offset stays put
        node_assert_1.strict.equal(c.offsetMs, 600_000);
    });
    it('a capture and its read-back compare equal after a jitter within the tolerance (a retried write is not a conflict)', () => {
        let now = 50_000_000;
        const c = new hub_clock_1.HubClock(() => now);
        c.observe(String(now - 600_000));
        const capturedAt = now;
        const stored = c.toHub(capturedAt);
        now += 1000;
        c.observe(String(now - 600_000 + hub_clock_1.CLOCK_TOLERANCE_MS)); // within the tolerance
        node_assert_1.strict.equal(c.toLocal(stored), capturedAt);
    });
    it('skews within the tolerance are left alone; a header that is not an integer is ignored', () => {
        const c = new hub_clock_1.HubClock(() => 1_000);
        c.observe(String(1_000 + hub_clock_1.CLOCK_TOLERANCE_MS));
        node_assert_1.strict.equal(c.offsetMs, 0);
        for (const bad of [undefined, '', 'soon', '-5', '1e9', ['1', '2']])
            c.observe(bad);
        node_assert_1.strict.equal(c.offsetMs, 0);
    });
    it('a step of the clock beyond the tolerance is adopted', () => {
        const c = new hub_clock_1.HubClock(() => 10_000_000);
        c.observe(String(10_000_000 + 120_000));
        c.observe(String(10_000_000 + 2_000));
        node_assert_1.strict.equal(c.offsetMs, 2_000);
    });
    it('a slow answer on a hub with the same time is no skew: the hub stamped it between send and read', () => {
        let now = 20_000_000;
        const c = new hub_clock_1.HubClock(() => now);
        const sentAt = now;
        const stamped = now + 5; // the hub answered at once…
        now += 1_500; // …and the answer waited 1.5 s to be read (a busy machine)
        c.observe(String(stamped), sentAt);
        node_assert_1.strict.equal(c.offsetMs, 0, 'a 1.5 s wait is not a 1.5 s offset');
        const back = now;
        now += 10;
        c.observe(String(back + 600_000), back); // a real step is still adopted: the middle of what it can be
        node_assert_1.strict.equal(c.offsetMs, 600_000 - 5);
    });
});
//# sourceMappingURL=hub-clock.test.js.map