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
Object.defineProperty(exports, "__esModule", { value: true });
// Issue 11, "events are never lost", with real processes: a `pwbridge hub`, an agent enrolled with
// `pwbridge setup` and `pwbridge run`. The hub is stopped; the agent records events (captured changes it
// cannot deliver, its own stop and start: the service is restarted while the hub is away); the hub comes
// back on the same port. Every event the agent recorded (its pino log, which has each event's uid) is
// then in the hub's event log exactly once, in the order recorded.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const paths_1 = require("../../src/config/paths");
const constants_1 = require("../../src/protocol/constants");
const cli_1 = require("../cli/cli");
const hub_agent_1 = require("../helpers/hub-agent");
const ADMIN_PW = `admin-canary-${(0, node_crypto_1.randomBytes)(8).toString('hex')}`;
const MACHINE = 'WS01';
/** The events the agent recorded, in order, as its log has them (both runs append to one file). */
function recordedEvents(agentDir) {
    return fs.readFileSync((0, paths_1.dataPaths)(agentDir).logFile, 'utf8').split('\n').filter((l) => l.includes('"event":'))
        .map((l) => JSON.parse(l).event).filter((e) => e?.uid !== undefined);
}
/** The hub's events of this machine that an agent recorded (the hub's own carry no uid), by id. */
async function hubEvents(a) {
    const out = [];
    for (let afterId = 0;;) {
        const page = await a.admin().queryEvents({ machine: MACHINE, afterId, limit: 1000 });
        out.push(...page.filter((e) => e.uid !== undefined));
        if (page.length < 1000)
            return out;
        afterId = page[page.length - 1].id;
    }
}
describe('event outbox: events recorded while the hub is away reach it exactly once, in order (hub, setup, run; real processes)', function () {
    this.timeout(180_000);
    let a;
    after(async () => a?.cleanup());
    it('hub stopped, events recorded, the service restarted, the hub back: each event once, in order', async () => {
        a = await (0, hub_agent_1.startHubAgent)({ adminPassword: ADMIN_PW, machine: MACHINE, client: 'Acme', config: { retryBase: '100ms', retryMax: '1s' } });
        await a.startService();
        await (0, cli_1.pollUntil)('the first start on the hub', async () => (await hubEvents(a)).find((e) => e.kind === 'service-started'), 15_000);
        await a.stopHub();
        const sendChanges = async (n) => {
            const c = await a.capture();
            for (let i = 0; i < n; i++) {
                const s = c.send({ account: `nobody${i}`, encoding: constants_1.Encoding.raw, password: Buffer.from(`pw-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`) });
                node_assert_1.strict.equal((await s.acked).status, 0, 'journaled while the hub is away');
            }
            c.destroy();
        };
        await sendChanges(3);
        await (0, cli_1.sleep)(1500); // retries fail, and say so in events
        await a.stopService();
        const whileAway = recordedEvents(a.agentDir).length;
        await a.startService(); // starts with the hub away, and keeps what the last run could not deliver
        await sendChanges(2);
        await (0, cli_1.sleep)(1000);
        node_assert_1.strict.ok(recordedEvents(a.agentDir).length > whileAway, 'the second run recorded events too');
        await a.startHub();
        const recorded = () => recordedEvents(a.agentDir).map((e) => e.uid);
        await (0, cli_1.pollUntil)('every recorded event on the hub', async () => {
            const want = recorded();
            const got = (await hubEvents(a)).map((e) => e.uid);
            return got.length >= want.length && want.every((u) => got.includes(u)) ? true : undefined;
        }, 30_000);
        await a.stopService(); // its last events go with the shutdown's flush
        const want = recorded();
        const got = await hubEvents(a);
        node_assert_1.strict.equal(new Set(want).size, want.length, 'each recorded event has its own uid');
        node_assert_1.strict.deepEqual(got.map((e) => e.uid), want, 'every event once, in the order recorded');
        // Fields arrive as recorded (time included), not as the hub saw them arrive.
        const byUid = new Map(recordedEvents(a.agentDir).map((e) => [e.uid, e]));
        for (const e of got) {
            const r = byUid.get(e.uid);
            node_assert_1.strict.deepEqual([e.kind, e.time, e.outcome, e.reason, e.traceId], [r.kind, r.time, r.outcome, r.reason, r.traceId]);
        }
        const kinds = got.map((e) => e.kind);
        node_assert_1.strict.equal(kinds.filter((k) => k === 'service-started').length, 2);
        node_assert_1.strict.equal(kinds.filter((k) => k === 'service-stopped').length, 2);
    });
});
//# sourceMappingURL=event-outbox-e2e.test.js.map