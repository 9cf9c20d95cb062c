// Issue 11, "events are never lost", with real processes: a `pwbridge hub`, an agent enrolled with
// `pwbridge setup` and `pwbridge run`. The hub is stopped; the agent records events (captured changes it
// cannot deliver, its own stop and start: the service is restarted while the hub is away); the hub comes
// back on the same port. Every event the agent recorded (its pino log, which has each event's uid) is
// then in the hub's event log exactly once, in the order recorded.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { dataPaths } from '../../src/config/paths';
import type { EventRecord } from '../../src/domain/types';
import { Encoding } from '../../src/protocol/constants';
import { pollUntil, sleep } from '../cli/cli';
import { startHubAgent, type HubAgent } from '../helpers/hub-agent';

const ADMIN_PW = `admin-canary-${randomBytes(8).toString('hex')}`;
const MACHINE = 'WS01';

/** The events the agent recorded, in order, as its log has them (both runs append to one file). */
function recordedEvents(agentDir: string): EventRecord[] {
  return fs.readFileSync(dataPaths(agentDir).logFile, 'utf8').split('\n').filter((l) => l.includes('"event":'))
    .map((l) => (JSON.parse(l) as { event?: EventRecord }).event).filter((e): e is EventRecord => e?.uid !== undefined);
}

/** The hub's events of this machine that an agent recorded (the hub's own carry no uid), by id. */
async function hubEvents(a: HubAgent): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for (let afterId = 0; ;) {
    const page = await a.admin().queryEvents({ machine: MACHINE, afterId, limit: 1000 });
    out.push(...page.filter((e) => e.uid !== undefined));
    if (page.length < 1000) return out;
    afterId = page[page.length - 1].id!;
  }
}

describe('event outbox: events recorded while the hub is away reach it exactly once, in order (hub, setup, run; real processes)', function () {
  this.timeout(180_000);
  let a: HubAgent | undefined;

  after(async () => a?.cleanup());

  it('hub stopped, events recorded, the service restarted, the hub back: each event once, in order', async () => {
    a = await startHubAgent({ adminPassword: ADMIN_PW, machine: MACHINE, client: 'Acme', config: { retryBase: '100ms', retryMax: '1s' } });
    await a.startService();
    await pollUntil('the first start on the hub', async () => (await hubEvents(a!)).find((e) => e.kind === 'service-started'), 15_000);

    await a.stopHub();
    const sendChanges = async (n: number) => {
      const c = await a!.capture();
      for (let i = 0; i < n; i++) {
        const s = c.send({ account: `nobody${i}`, encoding: Encoding.raw, password: Buffer.from(`pw-${randomBytes(4).toString('hex')}`) });
        assert.equal((await s.acked).status, 0, 'journaled while the hub is away');
      }
      c.destroy();
    };
    await sendChanges(3);
    await sleep(1500); // retries fail, and say so in events
    await a.stopService();
    const whileAway = recordedEvents(a.agentDir).length;
    await a.startService(); // starts with the hub away, and keeps what the last run could not deliver
    await sendChanges(2);
    await sleep(1000);
    assert.ok(recordedEvents(a.agentDir).length > whileAway, 'the second run recorded events too');

    await a.startHub();
    const recorded = () => recordedEvents(a!.agentDir).map((e) => e.uid);
    await pollUntil('every recorded event on the hub', async () => {
      const want = recorded();
      const got = (await hubEvents(a!)).map((e) => e.uid);
      return got.length >= want.length && want.every((u) => got.includes(u)) ? true : undefined;
    }, 30_000);
    await a.stopService(); // its last events go with the shutdown's flush

    const want = recorded();
    const got = await hubEvents(a);
    assert.equal(new Set(want).size, want.length, 'each recorded event has its own uid');
    assert.deepEqual(got.map((e) => e.uid), want, 'every event once, in the order recorded');
    // Fields arrive as recorded (time included), not as the hub saw them arrive.
    const byUid = new Map(recordedEvents(a.agentDir).map((e) => [e.uid, e]));
    for (const e of got) {
      const r = byUid.get(e.uid)!;
      assert.deepEqual([e.kind, e.time, e.outcome, e.reason, e.traceId], [r.kind, r.time, r.outcome, r.reason, r.traceId]);
    }
    const kinds = got.map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'service-started').length, 2);
    assert.equal(kinds.filter((k) => k === 'service-stopped').length, 2);
  });
});
