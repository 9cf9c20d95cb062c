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
// The machine report on its own: the heartbeat keeps "last seen" moving with no other trigger, pokes are
// coalesced, and a vault that fails never stops it (logged once per cause, delivered at the next try).
// The embedded vault gets the same row as the hub (one row, harmless).
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const path = __importStar(require("node:path"));
const pino_1 = __importDefault(require("pino"));
const node_stream_1 = require("node:stream");
const machine_report_1 = require("../../src/service/machine-report");
const sqlite_vault_1 = require("../../src/vault/sqlite.vault");
const bridge_harness_1 = require("../helpers/bridge-harness");
const tmp_1 = require("../helpers/tmp");
const cli_1 = require("../cli/cli");
const types_1 = require("../../src/domain/types");
function captureLog() {
    const out = [];
    const stream = new node_stream_1.Writable({ write(chunk, _enc, cb) { out.push(String(chunk)); cb(); } });
    return { logger: (0, pino_1.default)({ level: 'debug' }, stream), lines: () => out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}
describe('service/machine-report', () => {
    it('the heartbeat alone keeps last seen moving in a real vault', async () => {
        const tmp = (0, tmp_1.makeTempDir)();
        const vault = await sqlite_vault_1.SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: (0, node_crypto_1.randomBytes)(32) });
        await vault.addClient(types_1.EMBEDDED_CLIENT);
        const r = (0, machine_report_1.startMachineReport)({
            vault, logger: captureLog().logger, everyMs: 60, minGapMs: 0,
            read: () => ({ name: 'HOST1', client: 'local', filterState: 'pending-reboot', journalDepth: 3 }),
        });
        try {
            const first = await (0, cli_1.pollUntil)('a row', () => vault.listMachines()[0], 2000, 10);
            node_assert_1.strict.deepEqual({ ...first, lastSeen: 0 }, { name: 'HOST1', client: 'local', filterState: 'pending-reboot', journalDepth: 3, lastSeen: 0 });
            const later = await (0, cli_1.pollUntil)('last seen moved', () => {
                const m = vault.listMachines()[0];
                return m.lastSeen > first.lastSeen ? m : undefined;
            }, 2000, 10);
            node_assert_1.strict.ok(later.lastSeen > first.lastSeen);
        }
        finally {
            await r.stop();
            await vault.close();
            tmp.cleanup();
        }
    });
    it('a failing vault never stops it: logged once per cause, and the next try delivers', async () => {
        let fail = 3;
        const calls = [];
        const log = captureLog();
        const r = (0, machine_report_1.startMachineReport)({
            vault: { recordMachine: async () => { calls.push(Date.now()); if (fail-- > 0)
                    throw new Error('connect ECONNREFUSED 127.0.0.1:8443'); } },
            logger: log.logger, everyMs: 3_600_000, minGapMs: 0,
            read: () => ({ name: 'HOST1', client: 'c', filterState: 'active', journalDepth: 0 }),
        });
        try {
            await (0, cli_1.pollUntil)('the start report', () => calls.length >= 1 || undefined, 2000, 5);
            node_assert_1.strict.equal(await r.reportNow(), false);
            node_assert_1.strict.equal(await r.reportNow(), false);
            node_assert_1.strict.equal(await r.reportNow(), true);
            const warns = log.lines().filter((l) => l.msg === 'machine report failed; retrying at the next heartbeat or change');
            node_assert_1.strict.equal(warns.length, 1, 'one warning for one cause');
            node_assert_1.strict.ok(log.lines().some((l) => l.msg === 'machine report delivered again'));
        }
        finally {
            await r.stop();
        }
    });
    it('pokes in a burst are coalesced and spaced: a burst of 100 costs a couple of reports, not 100', async () => {
        let n = 0;
        const r = (0, machine_report_1.startMachineReport)({
            vault: { recordMachine: async () => { n++; await (0, cli_1.sleep)(5); } },
            logger: captureLog().logger, everyMs: 3_600_000, minGapMs: 200,
            read: () => ({ name: 'HOST1', client: 'c', filterState: 'active', journalDepth: 0 }),
        });
        try {
            await (0, cli_1.pollUntil)('the start report', () => n >= 1 || undefined, 2000, 5);
            for (let i = 0; i < 100; i++)
                r.poke();
            await (0, cli_1.sleep)(400);
            node_assert_1.strict.ok(n >= 2 && n <= 3, `${n} reports`);
        }
        finally {
            await r.stop();
        }
    });
    it('the embedded vault gets this machine\'s row from the running bridge', async () => {
        const h = await (0, bridge_harness_1.startHarness)();
        try {
            const rows = await (0, cli_1.pollUntil)('a row', () => {
                const ms = h.install.vault.listMachines();
                return ms.length ? ms : undefined;
            }, 5000);
            node_assert_1.strict.equal(rows.length, 1);
            node_assert_1.strict.equal(rows[0].name, 'TESTHOST');
            node_assert_1.strict.equal(rows[0].client, 'local');
            node_assert_1.strict.equal(rows[0].filterState, h.install.filter.current().state);
        }
        finally {
            await h.destroy();
        }
    });
});
//# sourceMappingURL=machine-report.test.js.map