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
// disk-full: the data dir on a small tmpfs, its spool folder on a second, smaller one. The data dir is
// filled to the last byte while a capture keeps sending: the service must ack nothing it has not
// journaled, keep running, and deliver everything once the space is back. The real PAM module (under
// pam_wrapper) meanwhile spools the change the service could not ack, and, once the spool is full too,
// logs the change as LOST with the reason.
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_perf_hooks_1 = require("node:perf_hooks");
const keys_1 = require("../../../src/protocol/keys");
const spool_record_1 = require("../../../src/protocol/spool-record");
const pam_1 = require("../../helpers/pam");
const tmp_1 = require("../../helpers/tmp");
const ledger_capture_1 = require("../ledger-capture");
const mounts_1 = require("../mounts");
const service_process_1 = require("../service-process");
const ACCOUNTS = 50;
const DATA_FS = '24m';
const SPOOL_FS = '256k';
/** How long captures keep sending into the full disk… */
const FULL_FOR_MS = 4_000;
/**
 * …and at most this many changes: each is re-sent once space returns, and 14,500 of them (what 4 s of
 * refusals let through) with their WAL pages need more than the 24 MB the data dir has, so the re-send
 * filled it again and the journal could not drain by design of the test, not of the service.
 */
const MAX_SENT_WHILE_FULL = 2_000;
/** Big passwords (the protocol takes up to 1,024 bytes) eat the last free pages of the WAL quickly. */
const PASSWORD_PAD = 'x'.repeat(900);
const PAM_SERVICE = 'pwfault';
const PAM_USER = 'faultuser';
exports.scenario = {
    name: 'disk-full',
    fault: 'the data dir (a small tmpfs) filled to the last byte while captures send, the PAM module spooling, then its spool full too; space freed',
    ci: true,
    missing() {
        if (process.platform !== 'linux')
            return 'needs Linux';
        for (const [f, pkg] of [[pam_1.PAM_MODULE, 'npm run build:native'], [pam_1.PAM_MATRIX, 'Debian: libpam-wrapper'], ['/usr/bin/pamtester', 'Debian: pamtester']]) {
            if (!fs.existsSync(f))
                return `${f} is missing (${pkg})`;
        }
        return (0, mounts_1.tmpfsProblem)();
    },
    run,
};
async function run(progress) {
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-faults-diskfull-');
    const scratch = path.join(tmp.dir, 'scratch');
    let data;
    let spoolFs;
    let svc;
    let capture;
    try {
        data = (0, mounts_1.mountTmpfs)(path.join(tmp.dir, 'data'), DATA_FS);
        const dir = data.dir;
        // Short retries: vault writes that failed on the full disk come back within seconds of the space.
        await (0, service_process_1.prepareDataDir)(dir, ACCOUNTS, { retryBase: '100ms', retryMax: '2s' });
        spoolFs = (0, mounts_1.mountTmpfs)(path.join(dir, 'spool'), SPOOL_FS);
        svc = await (0, service_process_1.startService)(dir);
        const id = (0, service_process_1.captureIdentity)(dir);
        capture = new ledger_capture_1.LedgerCapture(svc.socketPath, id);
        const { ledger } = capture;
        for (let i = 0; i < ACCOUNTS; i++)
            ledger.base((0, service_process_1.accountName)(i), 1);
        ledger.base(PAM_USER, 0);
        progress('200 changes with space to spare');
        await Promise.all(Array.from({ length: 200 }, (_, i) => capture.send((0, service_process_1.accountName)(i % ACCOUNTS), `roomy-${i}`)));
        await (0, service_process_1.waitDrained)(dir, 30_000);
        const filled = (0, mounts_1.fill)(dir, 'filler');
        progress(`data dir filled: ${filled} bytes of filler, ${(0, mounts_1.freeBytes)(dir)} bytes free; captures send for ${FULL_FOR_MS / 1000} s`);
        const fullSent0 = ledger.sentCount;
        const fullAcked0 = ledger.ackedCount;
        const until = Date.now() + FULL_FOR_MS;
        let connectFailures = 0;
        let lastConnectError = '';
        for (let i = 0; Date.now() < until && ledger.sentCount - fullSent0 < MAX_SENT_WHILE_FULL; i++) {
            if (!svc.alive())
                throw new Error(`the service died on the full disk: ${svc.stderr()}`);
            try {
                await Promise.all(Array.from({ length: 20 }, (_, k) => capture.send((0, service_process_1.accountName)((i * 20 + k) % ACCOUNTS), `full-${i}-${k}-${PASSWORD_PAD}`)));
            }
            catch (err) {
                connectFailures++;
                lastConnectError = err.message;
                await (0, service_process_1.sleep)(50);
            }
        }
        const whileFull = { sent: ledger.sentCount - fullSent0, acked: ledger.ackedCount - fullAcked0, unacked: capture.unackedCount, connect_failures: connectFailures, last_connect_error: lastConnectError };
        progress(`while full: ${JSON.stringify(whileFull)}`);
        // No ack without durability: every acked change is in the journal file (committed) right now.
        const journaled = (0, service_process_1.journalIdsOfCopy)(dir, scratch);
        const ackedNotJournaled = capture.ackedIds().filter((hex) => !journaled.has(hex));
        // The real PAM module while the service cannot ack: it spools.
        const pamDir = path.join(tmp.dir, 'pam');
        fs.mkdirSync(pamDir);
        const pam = (0, pam_1.writeMatrixService)(pamDir, PAM_SERVICE, { [PAM_USER]: 'old-pass' }, [`dir=${dir}`, 'timeout=2000']);
        const pamPassword = `pam-full-${Date.now()}`;
        const run1 = await (0, pam_1.pamtester)({ serviceDir: pam.serviceDir, service: PAM_SERVICE, user: PAM_USER, op: 'chauthtok', answers: ['old-pass', pamPassword, pamPassword] });
        const pamSpooled = (0, pam_1.spooled)(dir);
        const pamLog1 = run1.syslog.join(' | ');
        progress(`PAM module, data dir full: exit ${run1.code}; ${pamSpooled.length} spooled; log: ${pamLog1}`);
        // The spooled record is in pwbridge's custody: in the books as acked, judged by the vault at the end.
        for (const f of pamSpooled) {
            const rec = (0, spool_record_1.decodeSpoolRecord)(fs.readFileSync(path.join(dir, 'spool', f)), (0, keys_1.spoolKey)(id.secret));
            ledger.sent({ account: PAM_USER, password: pamPassword, eventIdHex: rec.change.eventId.toString('hex'), capturedAt: rec.change.capturedAt });
            ledger.acked(rec.change.eventId.toString('hex'));
        }
        // …and once the spool is full as well: LOST, with the reason, in its log.
        const spoolFilled = (0, mounts_1.fill)(path.join(dir, 'spool'), 'filler');
        const lostPassword = `pam-lost-${Date.now()}`;
        const run2 = await (0, pam_1.pamtester)({ serviceDir: pam.serviceDir, service: PAM_SERVICE, user: PAM_USER, op: 'chauthtok', answers: [pamPassword, lostPassword, lostPassword] });
        const pamLog2 = run2.syslog.join(' | ');
        const lostLogged = /spool failed \(.*No space left on device.*\): change for faultuser LOST/.test(pamLog2);
        progress(`PAM module, spool full too (${spoolFilled} bytes of filler): exit ${run2.code}; log: ${pamLog2}`);
        const serviceAliveWhenFull = svc.alive();
        // Space back: the fillers go, the capture re-sends what got no ack, delivery resumes by itself.
        fs.rmSync(path.join(dir, 'filler'));
        fs.rmSync(path.join(dir, 'spool', 'filler'));
        const tFree = node_perf_hooks_1.performance.now();
        const resent = await capture.resendUnacked();
        const probeAcked = await capture.send((0, service_process_1.accountName)(0), `after-space-${Date.now()}`);
        await (0, service_process_1.waitDrained)(dir, 60_000);
        const recoverS = (node_perf_hooks_1.performance.now() - tFree) / 1000;
        progress(`space back: re-sent ${resent.acked} acked (${resent.failed} not), probe ${probeAcked ? 'acked' : 'NOT acked'}, journal drained in ${(0, service_process_1.round)(recoverS)} s; waiting for the spool timer`);
        // The PAM module's spooled change comes in with the service's next spool pass (every 30 s).
        await (0, service_process_1.waitFor)(() => (0, pam_1.spooled)(dir).length === 0, 45_000, 'the spool drained by the 30 s pass', 200);
        const spoolDrainedS = (node_perf_hooks_1.performance.now() - tFree) / 1000;
        await (0, service_process_1.waitDrained)(dir, 30_000);
        const aliveAtEnd = svc.alive();
        capture.destroy();
        await svc.stop();
        svc = undefined;
        const integrity = { state: (0, service_process_1.integrityCheck)(path.join(dir, 'state.db')), vault: (0, service_process_1.integrityCheck)(path.join(dir, 'vault.db')) };
        const tally = await (0, service_process_1.settleInVault)(dir, ledger);
        const served = serviceAliveWhenFull && aliveAtEnd && probeAcked && ackedNotJournaled.length === 0 && integrity.state === 'ok'
            && integrity.vault === 'ok' && pamSpooled.length === 1 && lostLogged && resent.failed === 0;
        return {
            scenario: 'disk-full',
            sent: tally.sent,
            acked: tally.acked,
            exactly_once: tally.exactly_once,
            lost: tally.lost,
            applied_twice: tally.applied_twice,
            recover_s: (0, service_process_1.round)(recoverS),
            served_throughout: served,
            detail: {
                served_means: 'the service stayed up on the full disk, acked nothing it had not journaled, both files pass integrity_check, a probe was acked once space returned; the PAM module spooled the change the service could not ack and logged LOST with the reason once the spool was full too',
                while_full: whileFull,
                acked_not_journaled: ackedNotJournaled.length,
                resent_after_space: resent,
                integrity_check: integrity,
                pam_spooled_while_full: pamSpooled.length,
                pam_log_while_full: pamLog1.slice(0, 300),
                pam_lost_logged: lostLogged,
                pam_log_spool_full: pamLog2.slice(0, 300),
                spool_drained_after_s: (0, service_process_1.round)(spoolDrainedS),
                refused: capture.refused,
                service_log_tail: svcTail(dir),
                problems: tally.problems,
            },
        };
    }
    catch (err) {
        // The service's last words are the clue when it died on the full disk.
        throw new Error(`${err.message}; service ${svc?.alive() ? 'running' : 'exited'}, its stderr: ${svc?.stderr().trim().slice(-1500)}`);
    }
    finally {
        capture?.destroy();
        await svc?.kill();
        spoolFs?.unmount();
        data?.unmount();
        tmp.cleanup();
    }
}
/** The service's own log lines about the full disk (the last few), so a reader sees what it said. */
function svcTail(dir) {
    try {
        return fs.readFileSync(path.join(dir, 'log', 'pwbridge.log'), 'utf8').split('\n').filter((l) => /ENOSPC|full|SQLITE_FULL|not acked/i.test(l)).slice(-3).map((l) => l.slice(0, 300));
    }
    catch {
        return [];
    }
}
//# sourceMappingURL=disk-full.js.map