// The service's event delivery on a real state.db and a real embedded vault behind a switch: events
// recorded through the EventLog reach the vault a few ms later without anyone flushing, wait while the
// vault is away (recording never blocks or throws), and go in order once it is back.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import pino from 'pino';
import type { EventRecord } from '../../src/domain/types';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import { EventLog } from '../../src/log/event-log';
import { OutboxDelivery } from '../../src/log/outbox-delivery';
import { startEventDelivery } from '../../src/service/event-delivery';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { pollUntil } from '../cli/cli';
import { ECHO_KEY } from '../journal/fixtures';
import { makeTempDir } from '../helpers/tmp';

describe('event delivery (service): outbox → vault on its own, with backoff while the vault is away', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let s: StateDb;
  let vault: SqliteVault;
  let away = false;
  let slowMs = 0;
  let attempts = 0;
  let events: EventLog;
  let running: { stop(): Promise<void> } | undefined;
  const log = pino({ level: 'silent' });

  beforeEach(async () => {
    tmp = makeTempDir('pwbridge-delivery-');
    s = openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: ECHO_KEY });
    vault = await SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: Buffer.alloc(32, 5) });
    away = false;
    slowMs = 0;
    attempts = 0;
    const switched = {
      appendEvents: async (es: EventRecord[]) => {
        attempts++;
        if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
        if (away) throw new Error('connect ECONNREFUSED 127.0.0.1:8443');
        await vault.appendEvents(es);
      },
    };
    events = new EventLog(s.outbox, new OutboxDelivery(s.outbox, switched, log), 'WS01', log);
    running = startEventDelivery({ delivery: events.delivery, logger: log, retryBaseMs: 20, retryMaxMs: 80 });
  });
  afterEach(async () => {
    await running?.stop();
    s.close();
    await vault.close();
    tmp.cleanup();
  });

  const stored = async () => (await vault.queryEvents({})).map((e) => e.reason);

  it('delivers recorded events without a flush, each with its own uid', async () => {
    for (let i = 0; i < 5; i++) events.record({ kind: 'test', outcome: 'info', reason: `e${i}` });
    await pollUntil('all five in the vault', async () => ((await stored()).length === 5 ? true : undefined), 5_000, 10);
    assert.deepEqual(await stored(), ['e0', 'e1', 'e2', 'e3', 'e4']);
    const uids = (await vault.queryEvents({})).map((e) => e.uid);
    assert.equal(new Set(uids).size, 5);
  });

  it('an event committed while a batch is on its way goes too, with nothing recorded after it', async () => {
    slowMs = 50;
    events.record({ kind: 'test', outcome: 'info', reason: 'first' });
    await pollUntil('the first batch on its way', () => (attempts > 0 ? true : undefined), 5_000, 1);
    events.record({ kind: 'test', outcome: 'info', reason: 'during' });
    await pollUntil('both in the vault', async () => ((await stored()).length === 2 ? true : undefined), 5_000, 10);
    assert.deepEqual(await stored(), ['first', 'during']);
  });

  it('while the vault is away: recording goes on, attempts back off, and everything arrives in order when it returns', async () => {
    away = true;
    for (let i = 0; i < 3; i++) events.record({ kind: 'test', outcome: 'info', reason: `e${i}` });
    await new Promise((r) => setTimeout(r, 400));
    // 20, 40, 80, 80, 80 ms…: a handful of attempts in 400 ms, not one per event or per ms.
    assert.ok(attempts >= 2 && attempts <= 12, `${attempts} attempts`);
    for (let i = 3; i < 6; i++) events.record({ kind: 'test', outcome: 'info', reason: `e${i}` });
    assert.deepEqual(await stored(), []);
    away = false;
    await pollUntil('all six in the vault', async () => ((await stored()).length === 6 ? true : undefined), 5_000, 10);
    assert.deepEqual(await stored(), ['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('stop() leaves what the vault did not take for the shutdown flush, which delivers it once the vault answers', async () => {
    away = true;
    events.record({ kind: 'test', outcome: 'info', reason: 'kept' });
    await running!.stop();
    running = undefined;
    await events.flush();
    assert.deepEqual(await stored(), [], 'the vault was away');
    away = false;
    await events.flush();
    assert.deepEqual(await stored(), ['kept']);
  });
});
