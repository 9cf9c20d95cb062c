// The event outbox in a real state.db, delivered to a real embedded vault: order, restarts, a crash
// between the vault's commit and the outbox's delete (no second copy), the bound with its one summary
// event, and a vault that is away (nothing lost, nothing out of order).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { EventRecord } from '../../src/domain/types';
import { EVENTS_DROPPED_KIND } from '../../src/journal/sqlite.event-outbox';
import { newEventUid } from '../../src/log/event-uid';
import { openStateDb, type StateDb } from '../../src/journal/sqlite.state';
import { OutboxDelivery } from '../../src/log/outbox-delivery';
import { VaultInputError } from '../../src/vault/errors';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { ECHO_KEY } from './fixtures';
import { forEachSqliteDriver } from '../helpers/sqlite-drivers';
import { makeTempDir } from '../helpers/tmp';

const quietLog = { error: () => undefined, warn: () => undefined } as unknown as Pick<import('pino').Logger, 'error' | 'warn'>;
const ev = (n: number, over: Partial<EventRecord> = {}): EventRecord =>
  ({ time: 1_000 + n, machine: 'WS01', kind: 'test', outcome: 'info', reason: `event ${n}`, uid: newEventUid(), ...over });
const reasons = (rows: Array<{ reason?: string }>) => rows.map((r) => r.reason);

forEachSqliteDriver((sqlite) => {
  describe('event outbox (state.db) → vault', () => {
    let tmp: ReturnType<typeof makeTempDir>;
    let s: StateDb;
    let vault: SqliteVault;
    const open = (maxEvents?: number) => openStateDb(path.join(tmp.dir, 'state.db'), { echoKey: ECHO_KEY, sqlite, outbox: { maxEvents } });
    /** One event per commit, as when events come far apart. */
    const addEach = (from: number, to: number) => { for (let i = from; i < to; i++) { s.outbox.add(ev(i)); s.outbox.commit(); } };

    beforeEach(async () => {
      tmp = makeTempDir('pwbridge-outbox-');
      s = open();
      vault = await SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: Buffer.alloc(32, 3), sqlite });
    });
    afterEach(async () => {
      s.close();
      await vault.close();
      tmp.cleanup();
    });

    it('writes the events of one commit as one row, and delivers every event once, in the order recorded, emptying itself', async () => {
      const d = new OutboxDelivery(s.outbox, vault, quietLog, 4);
      for (let i = 0; i < 10; i++) s.outbox.add(ev(i));
      assert.equal(s.outbox.depth(), 10);
      assert.equal(s.db.prepare('SELECT count(*) FROM event_outbox').pluck().get(), 1, 'one row for one commit');
      addEach(10, 12);
      assert.equal(await d.drain(), true);
      const stored = await vault.queryEvents({});
      assert.deepEqual(reasons(stored), Array.from({ length: 12 }, (_, i) => `event ${i}`));
      assert.ok(stored.every((e) => /^[0-9a-f]{32}$/.test(e.uid ?? '')), 'each event keeps its uid');
      assert.equal(s.outbox.depth(), 0);
      s.journal.flushMarks(); // the lazy delete
      assert.equal(s.db.prepare('SELECT count(*) FROM event_outbox').pluck().get(), 0);
    });

    it('keeps what the vault did not take, across a restart, and sends it in order once the vault takes it', async () => {
      let away = true;
      const flaky = { appendEvents: async (es: EventRecord[]) => { if (away) throw new Error('connect ECONNREFUSED'); await vault.appendEvents(es); } };
      let d = new OutboxDelivery(s.outbox, flaky, quietLog, 3);
      for (let i = 0; i < 5; i++) s.outbox.add(ev(i));
      assert.equal(await d.drain(), false);
      s.close(); // the service stops with the hub away
      s = open();
      d = new OutboxDelivery(s.outbox, flaky, quietLog, 3);
      for (let i = 5; i < 8; i++) s.outbox.add(ev(i));
      assert.equal(await d.drain(), false, 'still away');
      assert.equal(s.outbox.depth(), 8);
      away = false;
      assert.equal(await d.drain(), true);
      assert.deepEqual(reasons(await vault.queryEvents({})), Array.from({ length: 8 }, (_, i) => `event ${i}`));
    });

    it('a crash after the vault took a batch but before the delete committed sends it again, and the vault keeps one copy', async () => {
      const d = new OutboxDelivery(s.outbox, vault, quietLog);
      for (let i = 0; i < 6; i++) s.outbox.add(ev(i));
      s.journal.flushMarks();
      assert.equal(await d.drain(), true);
      // The process dies: the handle goes without the write-behind's commit (the delete is lost).
      s.db.close();
      s = open();
      assert.equal(s.outbox.depth(), 6, 'the rows are still there after the crash');
      assert.equal(await new OutboxDelivery(s.outbox, vault, quietLog).drain(), true);
      const stored = await vault.queryEvents({});
      assert.deepEqual(reasons(stored), Array.from({ length: 6 }, (_, i) => `event ${i}`), 'one copy each, in order');
    });

    it('is bounded: past maxEvents the oldest go, and one summary event in their place says how many', async () => {
      s.close();
      s = open(10);
      addEach(0, 25);
      assert.equal(s.db.prepare('SELECT count(*) FROM event_outbox').pluck().get(), 10);
      assert.equal(await new OutboxDelivery(s.outbox, vault, quietLog).drain(), true);
      const stored = await vault.queryEvents({});
      assert.equal(stored.length, 10);
      assert.equal(stored[0].kind, EVENTS_DROPPED_KIND);
      assert.equal(stored[0].outcome, 'failed');
      assert.match(stored[0].reason ?? '', /^16 event\(s\) recorded up to .* were dropped/);
      assert.deepEqual(reasons(stored.slice(1)), Array.from({ length: 9 }, (_, i) => `event ${16 + i}`), 'the newest kept, in order');
    });

    it('never drops rows a delivery holds: they go first, then the summary, then the rest', async () => {
      s.close();
      s = open(6);
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      const slow = { appendEvents: async (es: EventRecord[]) => { await held; await vault.appendEvents(es); } };
      const d = new OutboxDelivery(s.outbox, slow, quietLog, 3);
      for (let i = 0; i < 3; i++) s.outbox.add(ev(i));
      assert.deepEqual(await d.pass(), { sent: 0, more: false }, 'a pass sees committed rows only');
      s.outbox.commit();
      const first = d.pass(); // takes events 0..2 and waits on the vault
      await new Promise((r) => setImmediate(r));
      addEach(3, 12);
      release();
      assert.deepEqual(await first, { sent: 3, more: true });
      assert.equal(await d.drain(), true);
      const stored = await vault.queryEvents({});
      assert.deepEqual(reasons(stored.slice(0, 3)), ['event 0', 'event 1', 'event 2']);
      assert.equal(stored[3].kind, EVENTS_DROPPED_KIND);
      const dropped = Number(/^(\d+) event/.exec(stored[3].reason ?? '')![1]);
      assert.deepEqual(reasons(stored.slice(4)), Array.from({ length: 9 - dropped }, (_, i) => `event ${3 + dropped + i}`));
      assert.ok(dropped > 0);
    });

    it('a pass says there is more when rows were committed while its batch was on its way (no poke is left for them)', async () => {
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      const slow = { appendEvents: async (es: EventRecord[]) => { await held; await vault.appendEvents(es); } };
      const d = new OutboxDelivery(s.outbox, slow, quietLog);
      s.outbox.add(ev(0));
      s.outbox.commit();
      const first = d.pass();
      await new Promise((r) => setImmediate(r));
      s.outbox.add(ev(1));
      s.outbox.commit();
      release();
      assert.deepEqual(await first, { sent: 1, more: true });
      assert.deepEqual(await d.pass(), { sent: 1, more: false });
      assert.deepEqual(reasons(await vault.queryEvents({})), ['event 0', 'event 1']);
    });

    it('a batch the vault refuses as malformed: the bad event is dropped (logged), the others delivered in order', async () => {
      const logged: string[] = [];
      const picky = {
        appendEvents: async (es: EventRecord[]) => {
          if (es.some((e) => e.reason === 'event 2')) throw new VaultInputError('event 0: reason is not acceptable');
          await vault.appendEvents(es);
        },
      };
      const log = { error: (...args: unknown[]) => { logged.push(String(args[1])); }, warn: () => undefined };
      const d = new OutboxDelivery(s.outbox, picky, log as unknown as typeof quietLog);
      for (let i = 0; i < 5; i++) s.outbox.add(ev(i));
      assert.equal(await d.drain(), true);
      assert.deepEqual(reasons(await vault.queryEvents({})), ['event 0', 'event 1', 'event 3', 'event 4']);
      assert.equal(logged.length, 1);
      assert.equal(s.outbox.depth(), 0);
    });

    it('refuses an event without a proper uid when it is queued, not when it is delivered', () => {
      assert.throws(() => s.outbox.add(ev(1, { uid: 'nope' })), /uid of 32 lowercase hex/);
      assert.throws(() => s.outbox.add(ev(1, { uid: undefined })), /uid/);
    });
  });
});
