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
// The service's event delivery on a real state.db and a real embedded vault behind a switch: events
// recorded through the EventLog reach the vault a few ms later without anyone flushing, wait while the
// vault is away (recording never blocks or throws), and go in order once it is back.
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const pino_1 = __importDefault(require("pino"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const event_log_1 = require("../../src/log/event-log");
const outbox_delivery_1 = require("../../src/log/outbox-delivery");
const event_delivery_1 = require("../../src/service/event-delivery");
const sqlite_vault_1 = require("../../src/vault/sqlite.vault");
const cli_1 = require("../cli/cli");
const fixtures_1 = require("../journal/fixtures");
const tmp_1 = require("../helpers/tmp");
describe('event delivery (service): outbox → vault on its own, with backoff while the vault is away', () => {
    let tmp;
    let s;
    let vault;
    let away = false;
    let slowMs = 0;
    let attempts = 0;
    let events;
    let running;
    const log = (0, pino_1.default)({ level: 'silent' });
    beforeEach(async () => {
        tmp = (0, tmp_1.makeTempDir)('pwbridge-delivery-');
        s = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: fixtures_1.ECHO_KEY });
        vault = await sqlite_vault_1.SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: Buffer.alloc(32, 5) });
        away = false;
        slowMs = 0;
        attempts = 0;
        const switched = {
            appendEvents: async (es) => {
                attempts++;
                if (slowMs)
                    await new Promise((r) => setTimeout(r, slowMs));
                if (away)
                    throw new Error('connect ECONNREFUSED 127.0.0.1:8443');
                await vault.appendEvents(es);
            },
        };
        events = new event_log_1.EventLog(s.outbox, new outbox_delivery_1.OutboxDelivery(s.outbox, switched, log), 'WS01', log);
        running = (0, event_delivery_1.startEventDelivery)({ delivery: events.delivery, logger: log, retryBaseMs: 20, retryMaxMs: 80 });
    });
    afterEach(async () => {
        await running?.stop();
        s.close();
        await vault.close();
        tmp.cleanup();
    });
    const stored = async () => (await vault.queryEvents({})).map((e) => e.reason);
    it('delivers recorded events without a flush, each with its own uid', async () => {
        for (let i = 0; i < 5; i++)
            events.record({ kind: 'test', outcome: 'info', reason: `e${i}` });
        await (0, cli_1.pollUntil)('all five in the vault', async () => ((await stored()).length === 5 ? true : undefined), 5_000, 10);
        strict_1.default.deepEqual(await stored(), ['e0', 'e1', 'e2', 'e3', 'e4']);
        const uids = (await vault.queryEvents({})).map((e) => e.uid);
        strict_1.default.equal(new Set(uids).size, 5);
    });
    it('an event committed while a batch is on its way goes too, with nothing recorded after it', async () => {
        slowMs = 50;
        events.record({ kind: 'test', outcome: 'info', reason: 'first' });
        await (0, cli_1.pollUntil)('the first batch on its way', () => (attempts > 0 ? true : undefined), 5_000, 1);
        events.record({ kind: 'test', outcome: 'info', reason: 'during' });
        await (0, cli_1.pollUntil)('both in the vault', async () => ((await stored()).length === 2 ? true : undefined), 5_000, 10);
        strict_1.default.deepEqual(await stored(), ['first', 'during']);
    });
    it('while the vault is away: recording goes on, attempts back off, and everything arrives in order when it returns', async () => {
        away = true;
        for (let i = 0; i < 3; i++)
            events.record({ kind: 'test', outcome: 'info', reason: `e${i}` });
        await new Promise((r) => setTimeout(r, 400));
        // 20, 40, 80, 80, 80 ms…: a handful of attempts in 400 ms, not one per event or per ms.
        strict_1.default.ok(attempts >= 2 && attempts <= 12, `${attempts} attempts`);
        for (let i = 3; i < 6; i++)
            events.record({ kind: 'test', outcome: 'info', reason: `e${i}` });
        strict_1.default.deepEqual(await stored(), []);
        away = false;
        await (0, cli_1.pollUntil)('all six in the vault', async () => ((await stored()).length === 6 ? true : undefined), 5_000, 10);
        strict_1.default.deepEqual(await stored(), ['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
    });
    it('stop() leaves what the vault did not take for the shutdown flush, which delivers it once the vault answers', async () => {
        away = true;
        events.record({ kind: 'test', outcome: 'info', reason: 'kept' });
        await running.stop();
        running = undefined;
        await events.flush();
        strict_1.default.deepEqual(await stored(), [], 'the vault was away');
        away = false;
        await events.flush();
        strict_1.default.deepEqual(await stored(), ['kept']);
    });
});
//# sourceMappingURL=event-delivery.test.js.map