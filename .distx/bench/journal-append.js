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
exports.benchJournalAppend = benchJournalAppend;
// `npm run bench -- journal`: the journal's append+ack path (batchPerTick → journalStage → SqliteJournal.append,
// one COMMIT under synchronous=FULL per batch, then the acks) in this process, on every SQLite driver this
// Node loads. On Node 20 that is better-sqlite3; node:sqlite is measured by running this bench with Node 22:
//   "$(node packaging/fetch-node.js linux-x64)" dist/bench/run.js journal
const crypto = __importStar(require("node:crypto"));
const path = __importStar(require("node:path"));
const node_perf_hooks_1 = require("node:perf_hooks");
const rxjs_1 = require("rxjs");
const sqlite_state_1 = require("../src/journal/sqlite.state");
const journal_stage_1 = require("../src/service/journal-stage");
const drivers_1 = require("../src/sqlite/drivers");
const tmp_1 = require("../test/helpers/tmp");
/** Events per burst: what one turn of the event loop collects from busy connections. */
const BURST = 100;
const BURST_EVENTS = 20_000;
/** One event at a time, each waiting for its ack: the latency a lone password change sees. */
const SINGLE_EVENTS = 1_000;
let next = 0;
function entry() {
    next++;
    return {
        eventId: crypto.randomBytes(16).toString('hex'), machine: 'BENCH', account: `BENCH\\user${next % 2000}`, accountId: 1000 + (next % 2000),
        capturedAt: next, receivedAt: Date.now(), encoding: 1, sealed: crypto.randomBytes(65 + 12 + 2 + 24 + 16),
    };
}
/** A journal stage on a fresh state.db; `send` resolves with the ack ('failed' when the append threw). */
function stage(driver) {
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-bench-journal-');
    const db = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: crypto.randomBytes(32), sqlite: driver });
    const in$ = new rxjs_1.Subject();
    const sub = in$.pipe((0, journal_stage_1.batchPerTick)(), (0, journal_stage_1.journalStage)(db.journal, () => undefined)).subscribe();
    const send = (e) => new Promise((resolve) => in$.next({ entry: e, ack: resolve }));
    return { send, close: () => { sub.unsubscribe(); db.close(); tmp.cleanup(); } };
}
async function measure(driver, emit) {
    const context = { driver: driver.name, node: process.version };
    const s = stage(driver);
    try {
        const t0 = node_perf_hooks_1.performance.now();
        for (let sent = 0; sent < BURST_EVENTS; sent += BURST) {
            const acks = await Promise.all(Array.from({ length: BURST }, () => s.send(entry())));
            if (acks.some((a) => a !== 'stored'))
                throw new Error(`an event was not stored: ${acks.find((a) => a !== 'stored')}`);
        }
        emit('journal_append_ack_per_s', BURST_EVENTS / ((node_perf_hooks_1.performance.now() - t0) / 1000), 'events/s', { ...context, burst: BURST });
        const lat = [];
        for (let i = 0; i < SINGLE_EVENTS; i++) {
            const t = node_perf_hooks_1.performance.now();
            if ((await s.send(entry())) !== 'stored')
                throw new Error('an event was not stored');
            lat.push((node_perf_hooks_1.performance.now() - t) * 1000);
        }
        lat.sort((a, b) => a - b);
        emit('journal_append_ack_us_p50', lat[Math.floor(lat.length * 0.5)], 'us', { ...context, burst: 1 });
        emit('journal_append_ack_us_p99', lat[Math.floor(lat.length * 0.99)], 'us', { ...context, burst: 1 });
    }
    finally {
        s.close();
    }
}
async function benchJournalAppend(emit, progress) {
    for (const probe of (0, drivers_1.probeSqliteDrivers)()) {
        if (!('driver' in probe)) {
            progress(`journal: ${probe.name} does not load on Node ${process.version}, not measured here (${probe.reason})`);
            continue;
        }
        progress(`journal: append+ack on ${probe.name} (Node ${process.version}): ${BURST_EVENTS} events in bursts of ${BURST}, then ${SINGLE_EVENTS} one at a time`);
        await measure(probe.driver, emit);
    }
}
//# sourceMappingURL=journal-append.js.map