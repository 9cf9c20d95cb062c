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
// soak: a million changes (PWB_FAULTS_SOAK_CHANGES) over a few thousand accounts through the real
// service at a pace it sustains. The fault is time and volume: memory must not creep and state.db must
// stop growing once the journal's bound on finished rows is reached (src/journal/finished-cap.ts).
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const finished_cap_1 = require("../../../src/journal/finished-cap");
const tmp_1 = require("../../helpers/tmp");
const worker_phases_1 = require("../worker-phases");
const drivers_1 = require("../../../src/sqlite/drivers");
const service_process_1 = require("../service-process");
/** Journal rows by state in the live state.db (a WAL reader beside the service). */
function journalRowsNow(dir) {
    const db = (0, drivers_1.defaultSqliteDriver)().open(path.join(dir, 'state.db'), { readonly: true });
    try {
        return (0, service_process_1.countJournal)(db);
    }
    finally {
        db.close();
    }
}
const intEnv = (name, dflt) => {
    const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
    if (!Number.isInteger(v) || v < 1)
        throw new Error(`${name} must be a positive whole number`);
    return v;
};
const CHANGES = intEnv('PWB_FAULTS_SOAK_CHANGES', 1_000_000);
const RATE = intEnv('PWB_FAULTS_SOAK_RATE', 6_000);
const ACCOUNTS = 3_000;
const SAMPLE_MS = 5_000;
exports.scenario = {
    name: 'soak',
    fault: `${CHANGES.toLocaleString('en')} changes over ${ACCOUNTS.toLocaleString('en')} accounts through the real service at ${RATE}/s: memory and state.db over the run`,
    ci: false,
    missing: () => (process.platform === 'linux' ? undefined : 'needs Linux'),
    run,
};
const mb = (b) => (0, service_process_1.round)(b / 2 ** 20, 1);
const sizeOf = (f) => { try {
    return fs.statSync(f).size;
}
catch {
    return 0;
} };
async function run(progress) {
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-faults-soak-');
    const dir = path.join(tmp.dir, 'data');
    fs.mkdirSync(dir, { mode: 0o700 });
    let svc;
    let child;
    try {
        await (0, service_process_1.prepareDataDir)(dir, ACCOUNTS);
        svc = await (0, service_process_1.startService)(dir);
        const live = svc;
        const samples = [];
        const t0 = Date.now();
        let sent = 0;
        const sample = () => {
            const m = live.memory();
            let pending = -1;
            try {
                pending = (0, service_process_1.pendingNow)(dir);
            }
            catch { /* busy: next time */ }
            samples.push({
                t_s: (0, service_process_1.round)((Date.now() - t0) / 1000, 1), sent, pending,
                state_db_mb: mb(sizeOf(path.join(dir, 'state.db'))), state_wal_mb: mb(sizeOf(path.join(dir, 'state.db-wal'))),
                vault_db_mb: mb(sizeOf(path.join(dir, 'vault.db'))), rss_mb: m ? mb(m.rss) : -1, hwm_mb: m ? mb(m.hwm) : -1,
            });
        };
        sample();
        const start = samples[0];
        progress(`start: ${JSON.stringify(start)}`);
        const id = (0, service_process_1.captureIdentity)(dir);
        child = (0, node_child_process_1.fork)(path.join(__dirname, '..', 'soak-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
        const worker = child;
        const { next } = (0, worker_phases_1.workerPhases)(worker, 'soak', { phases: ['progress'], on: (m) => { sent = m.sent; } });
        worker.send({
            socketPath: svc.socketPath, dataDir: dir, secret: id.secret.toString('hex'), bridgePub: id.bridgePub.toString('hex'),
            bootId: id.bootId.toString('hex'), machine: id.machine, count: CHANGES, accounts: ACCOUNTS, rate: RATE, window: 4000,
        });
        const timer = setInterval(() => {
            sample();
            const s = samples.at(-1);
            progress(`${s.t_s} s: ${s.sent} sent, ${s.pending} pending, state.db ${s.state_db_mb} MB (+wal ${s.state_wal_mb}), vault.db ${s.vault_db_mb} MB, RSS ${s.rss_mb} MB (peak ${s.hwm_mb})`);
        }, SAMPLE_MS);
        let load;
        try {
            load = (await next('loaded')).result;
            sent = load.sent;
            await (0, service_process_1.waitDrained)(dir, 600_000);
        }
        finally {
            clearInterval(timer);
        }
        sample();
        const end = samples.at(-1);
        const aliveAtEnd = svc.alive();
        const rowsAtEnd = journalRowsNow(dir);
        progress(`end: ${JSON.stringify(end)}; load ${JSON.stringify(load)}`);
        await svc.stop();
        svc = undefined;
        worker.send('settle');
        const tally = (await next('settled')).tally;
        // Bounded: the finished rows kept are the cap's (plus one trim step), however many went through; the
        // file's size follows them and the backlog's high-water mark (pending rows still hold their sealed
        // part), which is load, not retention: it is reported, the rows are judged. Judged only once the run
        // went well past the cap.
        const capReachedAt = samples.find((s) => s.sent >= 2 * finished_cap_1.DEFAULT_KEEP_FINISHED);
        const judged = CHANGES >= 2 * finished_cap_1.DEFAULT_KEEP_FINISHED;
        const finishedAtEnd = rowsAtEnd.done + rowsAtEnd.superseded;
        const bounded = judged ? finishedAtEnd <= finished_cap_1.DEFAULT_KEEP_FINISHED + 2_000 : undefined;
        const growthAfterCap = capReachedAt ? (0, service_process_1.round)(end.state_db_mb / Math.max(capReachedAt.state_db_mb, 0.001), 3) : undefined;
        const maxPending = Math.max(...samples.map((s) => s.pending));
        const maxState = Math.max(...samples.map((s) => s.state_db_mb));
        const served = aliveAtEnd && load.notAcked === 0 && bounded !== false;
        return {
            scenario: 'soak',
            sent: tally.sent,
            acked: tally.acked,
            exactly_once: tally.exactly_once,
            lost: tally.lost,
            applied_twice: tally.applied_twice,
            recover_s: 0,
            served_throughout: served,
            detail: {
                served_means: `the service stayed up, acked every change, and (runs of ${2 * finished_cap_1.DEFAULT_KEEP_FINISHED} changes or more) the journal kept no more finished rows than its bound`,
                changes_per_s: (0, service_process_1.round)(load.sent / (load.elapsedMs / 1000), 0),
                ack_ms: { p50: (0, service_process_1.round)(load.ackP50, 2), p99: (0, service_process_1.round)(load.ackP99, 2), max: (0, service_process_1.round)(load.ackMax, 2) },
                rss_mb: { start: start.rss_mb, end: end.rss_mb, peak_end: end.hwm_mb },
                state_db_mb: { start: start.state_db_mb, max_during: maxState, end: end.state_db_mb, at_cap: capReachedAt?.state_db_mb, end_over_at_cap: growthAfterCap },
                state_db_bounded: bounded ?? `not judged (${CHANGES} changes; needs ${2 * finished_cap_1.DEFAULT_KEEP_FINISHED})`,
                pending_max: maxPending,
                keep_finished_rows: finished_cap_1.DEFAULT_KEEP_FINISHED,
                journal_rows_at_end: rowsAtEnd,
                vault_db_mb: { start: start.vault_db_mb, end: end.vault_db_mb },
                samples: samples.length > 40 ? samples.filter((_, i) => i % Math.ceil(samples.length / 40) === 0 || i === samples.length - 1) : samples,
                problems: tally.problems,
            },
        };
    }
    finally {
        child?.kill();
        await svc?.kill();
        tmp.cleanup();
    }
}
//# sourceMappingURL=soak.js.map