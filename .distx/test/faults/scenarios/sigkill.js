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
exports.scenario = void 0;
// sigkill: the real service SIGKILLed twice, once while it works through a journal full of acked changes
// and once while it drains the capture spool at start, each time restarted on the same data dir. The
// vault must then show every acked (or spooled) change exactly once.
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_perf_hooks_1 = require("node:perf_hooks");
const spool_1 = require("../../helpers/spool");
const tmp_1 = require("../../helpers/tmp");
const ledger_capture_1 = require("../ledger-capture");
const service_process_1 = require("../service-process");
const ACCOUNTS = 400;
/** Changes offered while the first kill is awaited; the kill comes once KILL_AFTER_ACKED are acked. */
const LIVE_CHANGES = 40_000;
const KILL_AFTER_ACKED = 5_000;
const WINDOW = 2_000;
/** Spooled changes for the second kill: enough that the drain at start takes a while here. */
const SPOOLED = 5_000;
exports.scenario = {
    name: 'sigkill',
    fault: 'SIGKILL of the real service mid-processing (journal both done and pending), then during the spool drain at start; restarted each time',
    ci: true,
    missing: () => (process.platform === 'linux' ? undefined : 'needs Linux (a Unix socket and SIGKILL)'),
    run,
};
async function run(progress) {
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-faults-sigkill-');
    const dir = path.join(tmp.dir, 'data');
    const scratch = path.join(tmp.dir, 'scratch');
    fs.mkdirSync(dir, { mode: 0o700 });
    let svc;
    let capture;
    try {
        await (0, service_process_1.prepareDataDir)(dir, ACCOUNTS);
        svc = await (0, service_process_1.startService)(dir);
        const id = (0, service_process_1.captureIdentity)(dir);
        capture = new ledger_capture_1.LedgerCapture(svc.socketPath, id);
        const { ledger } = capture;
        for (let i = 0; i < ACCOUNTS; i++)
            ledger.base((0, service_process_1.accountName)(i), 1);
        // ---- kill 1: mid-processing -------------------------------------------------------------------
        progress(`kill 1: up to ${LIVE_CHANGES} changes over ${ACCOUNTS} accounts, SIGKILL once ${KILL_AFTER_ACKED} are acked`);
        let acked = 0;
        let killed = false;
        const sends = [];
        const live = svc;
        const killOnce = async () => {
            if (killed)
                return;
            killed = true;
            await live.kill();
        };
        let killing;
        for (let i = 0; i < LIVE_CHANGES && !killed; i++) {
            while (capture.pending >= WINDOW && !killed)
                await (0, service_process_1.sleep)(1);
            if (killed)
                break;
            const account = (0, service_process_1.accountName)(i % ACCOUNTS);
            const p = capture.send(account, `k1-${i}-${account}`).then((ok) => {
                if (ok && ++acked === KILL_AFTER_ACKED)
                    killing = killOnce();
                return ok;
            }, () => false);
            sends.push(p);
            if (i % 256 === 255)
                await new Promise((r) => setImmediate(r));
        }
        if (!killing)
            killing = killOnce(); // every change acked before the threshold: still a kill, judged below
        await killing;
        await Promise.all(sends);
        const atKill = (0, service_process_1.journalCountsOfCopy)(dir, scratch);
        const kill1 = { sent: ledger.sentCount, acked_before_kill: ledger.ackedCount, unacked: capture.unackedCount, journal_at_kill: atKill };
        progress(`kill 1: ${JSON.stringify(kill1)}`);
        if (atKill.done + atKill.superseded === 0 || atKill.pending === 0) {
            throw new Error(`the kill did not land mid-processing: the journal held ${atKill.done} done, ${atKill.superseded} superseded, ${atKill.pending} pending (${JSON.stringify(kill1)})`);
        }
        // Restart; the capture re-sends what got no ack (some of it was journaled before the kill: a duplicate).
        let t0 = node_perf_hooks_1.performance.now();
        svc = await (0, service_process_1.startService)(dir);
        capture.destroy();
        const resent = await capture.resendUnacked();
        await (0, service_process_1.waitDrained)(dir, 120_000);
        const recover1 = (node_perf_hooks_1.performance.now() - t0) / 1000;
        const probe1 = await probe(capture, 'k1');
        progress(`kill 1: restart to drained ${(0, service_process_1.round)(recover1)} s; re-sent ${resent.acked} acked, ${resent.failed} not; probe ${probe1}`);
        // ---- kill 2: during the spool drain at start ----------------------------------------------------
        await svc.stop();
        capture.destroy();
        progress(`kill 2: ${SPOOLED} changes spooled as the PAM module spools them, SIGKILL while the drain at start runs`);
        const spoolDir = path.join(dir, 'spool');
        for (let i = 0; i < SPOOLED; i++) {
            const account = (0, service_process_1.accountName)(i % ACCOUNTS);
            const password = `k2-${i}-${account}`;
            // Later than anything sent live for the account: these are its newest changes.
            const capturedAt = capture.nextCapturedAt(account);
            const s = (0, spool_1.spoolEvent)(spoolDir, id.secret, id.bridgePub, { account, password: Buffer.from(password), capturedAt }, id.machine);
            ledger.sent({ account, password, eventIdHex: s.eventIdHex, capturedAt });
            ledger.acked(s.eventIdHex); // durably in the spool: in pwbridge's custody as much as an acked change
        }
        const before2 = (0, service_process_1.journalCountsOfCopy)(dir, scratch).total;
        const spooledNow = () => fs.readdirSync(spoolDir).filter((f) => f.endsWith('.chg')).length;
        svc = await (0, service_process_1.startService)(dir, { waitForSocket: false });
        const draining = svc;
        await (0, service_process_1.waitFor)(() => {
            if (!draining.alive())
                throw new Error(`the service exited during the spool drain: ${draining.stderr()}`);
            return spooledNow() < SPOOLED;
        }, 60_000, 'the spool drain deleting its first files', 2);
        const socketDuringDrain = fs.existsSync(svc.socketPath);
        await svc.kill();
        const leftInSpool = spooledNow();
        const journaled2 = (0, service_process_1.journalCountsOfCopy)(dir, scratch).total - before2;
        const kill2 = { spooled: SPOOLED, journaled_before_kill: journaled2, left_in_spool: leftInSpool, socket_listening_at_kill: socketDuringDrain };
        progress(`kill 2: ${JSON.stringify(kill2)}`);
        if (journaled2 === 0 || leftInSpool === 0 || socketDuringDrain) {
            throw new Error(`the kill did not land during the drain at start: ${JSON.stringify(kill2)}`);
        }
        t0 = node_perf_hooks_1.performance.now();
        svc = await (0, service_process_1.startService)(dir);
        await (0, service_process_1.waitDrained)(dir, 120_000);
        const recover2 = (node_perf_hooks_1.performance.now() - t0) / 1000;
        const spoolAfter = spooledNow();
        const probe2 = await probe(capture, 'k2');
        await (0, service_process_1.waitDrained)(dir, 30_000);
        progress(`kill 2: restart to drained ${(0, service_process_1.round)(recover2)} s; ${spoolAfter} spool files left; probe ${probe2}`);
        await svc.stop();
        capture.destroy();
        const tally = await (0, service_process_1.settleInVault)(dir, ledger);
        const served = probe1 === 'acked' && probe2 === 'acked' && spoolAfter === 0;
        return {
            scenario: 'sigkill',
            sent: tally.sent,
            acked: tally.acked,
            exactly_once: tally.exactly_once,
            lost: tally.lost,
            applied_twice: tally.applied_twice,
            recover_s: (0, service_process_1.round)(Math.max(recover1, recover2)),
            served_throughout: served,
            detail: {
                served_means: 'after each SIGKILL the restarted service listened, drained its journal (and spool) and acked and applied a new probe change',
                kill_mid_processing: { ...kill1, restart_to_drained_s: (0, service_process_1.round)(recover1), resent_acked: resent.acked, resent_failed: resent.failed, probe: probe1 },
                kill_during_spool_drain: { ...kill2, restart_to_drained_s: (0, service_process_1.round)(recover2), spool_files_after: spoolAfter, probe: probe2 },
                refused: capture.refused,
                problems: tally.problems,
            },
        };
    }
    finally {
        capture?.destroy();
        await svc?.kill();
        tmp.cleanup();
    }
}
/** One new change through the restarted service; the ledger then judges whether the vault has it. */
async function probe(capture, tag) {
    const account = (0, service_process_1.accountName)(0);
    let ok;
    try {
        ok = await capture.send(account, `probe-${tag}-${Date.now()}`);
    }
    catch (err) {
        return `no connection: ${err.message}`;
    }
    return ok ? 'acked' : 'not acked';
}
//# sourceMappingURL=sigkill.js.map