// The dashboard's event long polls share one watcher per hub process (src/hub/event-watch.ts), on both
// engines, with the real store and vault underneath and a counter in between: while nothing happens, ten
// open tabs cost one newest-id query per tick (the loop it replaced ran each tab's own query every 250 ms:
// ten per tick); a new event costs one read per distinct query, answers the tabs it matches, and leaves
// the others waiting without reading again until another event comes. Ticks are driven by manual timers.
import { strict as assert } from 'node:assert';
import type { EventQuery, EventRecord } from '../../src/domain/types';
import { EVENTS_POLL_MS } from '../../src/hub/api/dashboard-routes';
import { EventWatch, type EventSource } from '../../src/hub/event-watch';
import { ManualTimers } from '../helpers/manual-timers';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`hub: the dashboard's event watcher (${engine})`, function () {
    this.timeout(60_000);
    let t: TestHub;
    before(async () => { t = await startTestHub(engine); });
    after(async () => t?.close());

    function counted() {
      const n = { latest: 0, queries: 0 };
      const source: EventSource = {
        latestEventId: () => { n.latest++; return t.hub.store.latestEventId(); },
        queryEvents: (q: EventQuery) => { n.queries++; return t.hub.vault.queryEvents(q); },
      };
      return { n, source };
    }
    /** `count` ticks, each run to its end before the next (a database slower than the manual clock would skip ticks). */
    async function ticks(watch: EventWatch, timers: ManualTimers, count: number) {
      for (let i = 0; i < count; i++) {
        await timers.advance(EVENTS_POLL_MS);
        await watch.idle();
      }
    }
    const event = (kind: string, reason: string): EventRecord => ({ time: Date.now(), machine: 'WS01', account: 'alice', kind, outcome: 'ok', reason });

    it('ten waiting tabs cost one query per tick while nothing happens; an event costs one read per distinct query', async () => {
      const timers = new ManualTimers(1_000_000);
      const { n, source } = counted();
      const watch = new EventWatch(source, EVENTS_POLL_MS, timers);
      const after = await t.hub.store.latestEventId();
      const results: Array<EventRecord[] | undefined> = [];
      const open = (kind: string) => {
        const i = results.push(undefined) - 1;
        void watch.wait({ kind, limit: 100, afterId: after }, 20_000, () => false).then((r) => { results[i] = r; });
      };
      for (let i = 0; i < 7; i++) open('password-set');
      for (let i = 0; i < 3; i++) open('mismatch-flagged');
      assert.equal(watch.size, 10);

      await ticks(watch, timers, 10);
      assert.deepEqual(n, { latest: 10, queries: 0 }, 'ten ticks, one newest-id query each, no tab\'s query (the old loop: 100)');

      await t.hub.vault.appendEvents([event('password-set', 'watch-test 1')]);
      await ticks(watch, timers, 1);
      assert.deepEqual(n, { latest: 11, queries: 2 }, 'one read for the seven password-set tabs, one for the three others');
      assert.equal(watch.size, 3, 'the non-matching tabs still wait');
      for (let i = 0; i < 7; i++) assert.deepEqual(results[i]?.map((e) => e.reason), ['watch-test 1'], `tab ${i}`);
      for (let i = 7; i < 10; i++) assert.equal(results[i], undefined, `tab ${i} waits`);

      await ticks(watch, timers, 4);
      assert.deepEqual(n, { latest: 15, queries: 2 }, 'no new event: the waiting tabs are not read again');

      await t.hub.vault.appendEvents([event('mismatch-flagged', 'watch-test 2')]);
      await ticks(watch, timers, 1);
      assert.equal(n.queries, 3);
      for (let i = 7; i < 10; i++) assert.deepEqual(results[i]?.map((e) => e.reason), ['watch-test 2'], `tab ${i}`);
      assert.equal(watch.size, 0);
      assert.equal(timers.size, 0, 'no poll, no timer: the watcher stops looking');
    });

    it('a poll ends empty at its deadline or once its peer has gone, within a tick, and a closed peer is never read for', async () => {
      const timers = new ManualTimers(2_000_000);
      const { n, source } = counted();
      const watch = new EventWatch(source, EVENTS_POLL_MS, timers);
      const after = await t.hub.store.latestEventId();
      let gone = false;
      let leaving: EventRecord[] | undefined;
      let timed: EventRecord[] | undefined;
      void watch.wait({ kind: 'nothing-like-it', afterId: after }, 60_000, () => gone).then((r) => { leaving = r; });
      void watch.wait({ kind: 'nothing-like-it', afterId: after }, 3 * EVENTS_POLL_MS, () => false).then((r) => { timed = r; });
      gone = true;
      await ticks(watch, timers, 1);
      assert.deepEqual(leaving, []);
      assert.equal(timed, undefined);
      await ticks(watch, timers, 2);
      assert.deepEqual(timed, []);
      assert.equal(n.queries, 0);
      assert.equal(timers.size, 0);
      assert.deepEqual(await watch.wait({ afterId: after }, 0, () => false), [], 'no wait: answered at once');
    });
  });
}
