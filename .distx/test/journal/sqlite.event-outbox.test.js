"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// The event outbox in a real state.db, delivered to a real embedded vault: order, restarts, a crash
// between the vault's commit and the outbox's delete (no second copy), the bound with its one summary
// event, and a vault that is away (nothing lost, nothing out of order).
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const sqlite_event_outbox_1 = require("../../src/journal/sqlite.event-outbox");
const event_uid_1 = require("../../src/log/event-uid");
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const outbox_delivery_1 = require("../../src/log/outbox-delivery");
const errors_1 = require("../../src/vault/errors");
const sqlite_vault_1 = require("../../src/vault/sqlite.vault");
const fixtures_1 = require("./fixtures");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
const quietLog = { error: () => undefined, warn: () => undefined };
const ev = (n, over = {}) => ({ time: 1_000 + n, machine: 'WS01', kind: 'test', outcome: 'info', reason: `event ${n}`, uid: (0, event_uid_1.newEventUid)(), ...over });
const reasons = (rows) => rows.map((r) => r.reason);
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('event outbox (state.db) → vault', () => {
        let tmp;
        let s;
        let vault;
        const open = (maxEvents) => (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: fixtures_1.ECHO_KEY, sqlite, outbox: { maxEvents } });
        /** One event per commit, as when events come far apart. */
        const addEach = (from, to) => { for (let i = from; i < to; i++) {
            s.outbox.add(ev(i));
            s.outbox.commit();
        } };
        beforeEach(async () => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-outbox-');
            s = open();
            vault = await sqlite_vault_1.SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: Buffer.alloc(32, 3), sqlite });
        });
        afterEach(async () => {
            s.close();
            await vault.close();
            tmp.cleanup();
        });
        it('writes the events of one commit as one row, and delivers every event once, in the order recorded, emptying itself', async () => {
            const d = new outbox_delivery_1.OutboxDelivery(s.outbox, vault, quietLog, 4);
            for (let i = 0; i < 10; i++)
                s.outbox.add(ev(i));
            strict_1.default.equal(s.outbox.depth(), 10);
            strict_1.default.equal(s.db.prepare('SELECT count(*) FROM event_outbox').pluck().get(), 1, 'one row for one commit');
            addEach(10, 12);
            strict_1.default.equal(await d.drain(), true);
            const stored = await vault.queryEvents({});
            strict_1.default.deepEqual(reasons(stored), Array.from({ length: 12 }, (_, i) => `event ${i}`));
            strict_1.default.ok(stored.every((e) => /^[0-9a-f]{32}$/.test(e.uid ?? '')), 'each event keeps its uid');
            strict_1.default.equal(s.outbox.depth(), 0);
            s.journal.flushMarks(); // the lazy delete
            strict_1.default.equal(s.db.prepare('SELECT count(*) FROM event_outbox').pluck().get(), 0);
        });
        it('keeps what the vault did not take, across a restart, and sends it in order once the vault takes it', async () => {
            let away = true;
            const flaky = { appendEvents: async (es) => { if (away)
                    throw new Error('connect ECONNREFUSED'); await vault.appendEvents(es); } };
            let d = new outbox_delivery_1.OutboxDelivery(s.outbox, flaky, quietLog, 3);
            for (let i = 0; i < 5; i++)
                s.outbox.add(ev(i));
            strict_1.default.equal(await d.drain(), false);
            s.close(); // the service stops with the hub away
            s = open();
            d = new outbox_delivery_1.OutboxDelivery(s.outbox, flaky, quietLog, 3);
            for (let i = 5; i < 8; i++)
                s.outbox.add(ev(i));
            strict_1.default.equal(await d.drain(), false, 'still away');
            strict_1.default.equal(s.outbox.depth(), 8);
            away = false;
            strict_1.default.equal(await d.drain(), true);
            strict_1.default.deepEqual(reasons(await vault.queryEvents({})), Array.from({ length: 8 }, (_, i) => `event ${i}`));
        });
        it('a crash after the vault took a batch but before the delete committed sends it again, and the vault keeps one copy', async () => {
            const d = new outbox_delivery_1.OutboxDelivery(s.outbox, vault, quietLog);
            for (let i = 0; i < 6; i++)
                s.outbox.add(ev(i));
            s.journal.flushMarks();
            strict_1.default.equal(await d.drain(), true);
            // The process dies: the handle goes without the write-behind's commit (the delete is lost).
            s.db.close();
            s = open();
            strict_1.default.equal(s.outbox.depth(), 6, 'the rows are still there after the crash');
            strict_1.default.equal(await new outbox_delivery_1.OutboxDelivery(s.outbox, vault, quietLog).drain(), true);
            const stored = await vault.queryEvents({});
            strict_1.default.deepEqual(reasons(stored), Array.from({ length: 6 }, (_, i) => `event ${i}`), 'one copy each, in order');
        });
        it('is bounded: past maxEvents the oldest go, and one summary event in their place says how many', async () => {
            s.close();
            s = open(10);
            addEach(0, 25);
            strict_1.default.equal(s.db.prepare('SELECT count(*) FROM event_outbox').pluck().get(), 10);
            strict_1.default.equal(await new outbox_delivery_1.OutboxDelivery(s.outbox, vault, quietLog).drain(), true);
            const stored = await vault.queryEvents({});
            strict_1.default.equal(stored.length, 10);
            strict_1.default.equal(stored[0].kind, sqlite_event_outbox_1.EVENTS_DROPPED_KIND);
            strict_1.default.equal(stored[0].outcome, 'failed');
            strict_1.default.match(stored[0].reason ?? '', /^16 event\(s\) recorded up to .* were dropped/);
            strict_1.default.deepEqual(reasons(stored.slice(1)), Array.from({ length: 9 }, (_, i) => `event ${16 + i}`), 'the newest kept, in order');
        });
        it('never drops rows a delivery holds: they go first, then the summary, then the rest', async () => {
            s.close();
            s = open(6);
            let release;
            const held = new Promise((r) => { release = r; });
            const slow = { appendEvents: async (es) => { await held; await vault.appendEvents(es); } };
            const d = new outbox_delivery_1.OutboxDelivery(s.outbox, slow, quietLog, 3);
            for (let i = 0; i < 3; i++)
                s.outbox.add(ev(i));
            strict_1.default.deepEqual(await d.pass(), { sent: 0, more: false }, 'a pass sees committed rows only');
            s.outbox.commit();
            const first = d.pass(); // takes events 0..2 and waits on the vault
            await new Promise((r) => setImmediate(r));
            addEach(3, 12);
            release();
            strict_1.default.deepEqual(await first, { sent: 3, more: true });
            strict_1.default.equal(await d.drain(), true);
            const stored = await vault.queryEvents({});
            strict_1.default.deepEqual(reasons(stored.slice(0, 3)), ['event 0', 'event 1', 'event 2']);
            strict_1.default.equal(stored[3].kind, sqlite_event_outbox_1.EVENTS_DROPPED_KIND);
            const dropped = Number(/^(\d+) event/.exec(stored[3].reason ?? '')[1]);
            strict_1.default.deepEqual(reasons(stored.slice(4)), Array.from({ length: 9 - dropped }, (_, i) => `event ${3 + dropped + i}`));
            strict_1.default.ok(dropped > 0);
        });
        it('a pass says there is more when rows were committed while its batch was on its way (no poke is left for them)', async () => {
            let release;
            const held = new Promise((r) => { release = r; });
            const slow = { appendEvents: async (es) => { await held; await vault.appendEvents(es); } };
            const d = new outbox_delivery_1.OutboxDelivery(s.outbox, slow, quietLog);
            s.outbox.add(ev(0));
            s.outbox.commit();
            const first = d.pass();
            await new Promise((r) => setImmediate(r));
            s.outbox.add(ev(1));
            s.outbox.commit();
            release();
            strict_1.default.deepEqual(await first, { sent: 1, more: true });
            strict_1.default.deepEqual(await d.pass(), { sent: 1, more: false });
            strict_1.default.deepEqual(reasons(await vault.queryEvents({})), ['event 0', 'event 1']);
        });
        it('a batch the vault refuses as malformed: the bad event is dropped (logged), the others delivered in order', async () => {
            const logged = [];
            const picky = {
                appendEvents: async (es) => {
                    if (es.some((e) => e.reason === 'event 2'))
                        throw new errors_1.VaultInputError('event 0: reason is not acceptable');
                    await vault.appendEvents(es);
                },
            };
            const log = { error: (...args) => { logged.push(String(args[1])); }, warn: () => undefined };
            const d = new outbox_delivery_1.OutboxDelivery(s.outbox, picky, log);
            for (let i = 0; i < 5; i++)
                s.outbox.add(ev(i));
            strict_1.default.equal(await d.drain(), true);
            strict_1.default.deepEqual(reasons(await vault.queryEvents({})), ['event 0', 'event 1', 'event 3', 'event 4']);
            strict_1.default.equal(logged.length, 1);
            strict_1.default.equal(s.outbox.depth(), 0);
        });
        it('refuses an event without a proper uid when it is queued, not when it is delivered', () => {
            strict_1.default.throws(() => s.outbox.add(ev(1, { uid: 'nope' })), /uid of 32 lowercase hex/);
            strict_1.default.throws(() => s.outbox.add(ev(1, { uid: undefined })), /uid/);
        });
    });
});
//# sourceMappingURL=sqlite.event-outbox.test.js.map