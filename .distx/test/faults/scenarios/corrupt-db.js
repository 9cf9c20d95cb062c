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
// corrupt-db: state.db or vault.db overwritten at its header or cut short, then `pwbridge run`. The start
// must stop at once with the do-not-restart status (65), a message naming the file and the way to
// recover, and no other file of the data dir touched; after the recovery step the message names, the
// service serves again.
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_perf_hooks_1 = require("node:perf_hooks");
const tmp_1 = require("../../helpers/tmp");
const ledger_capture_1 = require("../ledger-capture");
const service_process_1 = require("../service-process");
const ACCOUNTS = 50;
const CHANGES = 500;
/** The exit status `pwbridge run` gives a damaged data file (src/cli/main.ts EXIT_DATA_FILE). */
const EXIT_DATA_FILE = 65;
const moveAside = (dir) => {
    for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) {
        const p = path.join(dir, f);
        if (fs.existsSync(p))
            fs.renameSync(p, `${p}.damaged`);
    }
};
const restoreVault = (dir, pristine) => fs.copyFileSync(path.join(pristine, 'vault.db'), path.join(dir, 'vault.db'));
const garbleHeader = (file) => {
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, (0, node_crypto_1.randomBytes)(100), 0, 100, 0);
    fs.closeSync(fd);
};
const truncateHalf = (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2 / 4096) * 4096);
const CASES = [
    { name: 'state.db header overwritten', file: 'state.db', damage: garbleHeader, recover: moveAside, says: /move the file aside/ },
    { name: 'state.db truncated to half', file: 'state.db', damage: truncateHalf, recover: moveAside, says: /move the file aside/ },
    { name: 'vault.db header overwritten', file: 'vault.db', damage: garbleHeader, recover: restoreVault, says: /restore the file/ },
    { name: 'vault.db truncated to half', file: 'vault.db', damage: truncateHalf, recover: restoreVault, says: /restore the file/ },
];
exports.scenario = {
    name: 'corrupt-db',
    fault: 'state.db or vault.db with a garbled header or cut to half its size, then pwbridge run',
    ci: true,
    missing: () => (process.platform === 'linux' ? undefined : 'needs Linux'),
    run,
};
function hashes(dir) {
    return new Map((0, tmp_1.filesUnder)(dir).map((f) => [path.relative(dir, f), (0, node_crypto_1.createHash)('sha256').update(fs.readFileSync(f)).digest('hex')]));
}
function copyDataDir(from, to) {
    fs.cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.sock') });
}
async function run(progress) {
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-faults-corrupt-');
    const pristine = path.join(tmp.dir, 'pristine');
    fs.mkdirSync(pristine, { mode: 0o700 });
    let svc;
    const tallies = [];
    try {
        await (0, service_process_1.prepareDataDir)(pristine, ACCOUNTS);
        svc = await (0, service_process_1.startService)(pristine);
        const capture = new ledger_capture_1.LedgerCapture(svc.socketPath, (0, service_process_1.captureIdentity)(pristine));
        for (let i = 0; i < ACCOUNTS; i++)
            capture.ledger.base((0, service_process_1.accountName)(i), 1);
        progress(`${CHANGES} changes through the service, drained, stopped: the data dir every case starts from`);
        await Promise.all(Array.from({ length: CHANGES }, (_, i) => capture.send((0, service_process_1.accountName)(i % ACCOUNTS), `before-${i}`)));
        await (0, service_process_1.waitDrained)(pristine, 60_000);
        capture.destroy();
        await svc.stop();
        svc = undefined;
        const view = await (0, service_process_1.openVaultView)(pristine);
        try {
            tallies.push(await capture.ledger.settle((a) => view.read(a)));
        }
        finally {
            await view.close();
        }
        const cases = [];
        let allGood = true;
        let slowestRefusal = 0;
        for (const [k, c] of CASES.entries()) {
            const dir = path.join(tmp.dir, `case-${k}`);
            copyDataDir(pristine, dir);
            const target = path.join(dir, c.file);
            c.damage(target);
            const before = hashes(dir);
            const t0 = node_perf_hooks_1.performance.now();
            svc = await (0, service_process_1.startService)(dir, { waitForSocket: false });
            const dead = svc;
            const timeout = new Promise((r) => setTimeout(() => r('still running'), 30_000).unref());
            const outcome = await Promise.race([svc.exited, timeout]);
            const refusedInS = (node_perf_hooks_1.performance.now() - t0) / 1000;
            slowestRefusal = Math.max(slowestRefusal, refusedInS);
            if (outcome === 'still running')
                await dead.kill();
            svc = undefined;
            const stderr = dead.stderr().trim();
            const after = hashes(dir);
            const changed = [...before.keys()].filter((f) => after.get(f) !== before.get(f) && f !== c.file);
            const added = [...after.keys()].filter((f) => !before.has(f));
            const exit = outcome === 'still running' ? outcome : outcome.code;
            const namesFile = stderr.includes(target);
            const saysStep = c.says.test(stderr);
            // The step the message names, then a start that must serve.
            c.recover(dir, pristine);
            svc = await (0, service_process_1.startService)(dir);
            const probe = new ledger_capture_1.LedgerCapture(svc.socketPath, (0, service_process_1.captureIdentity)(dir));
            probe.ledger.base((0, service_process_1.accountName)(0), (await baseVersionOf(dir)) ?? 0);
            const acked = await probe.send((0, service_process_1.accountName)(0), `after-${k}`);
            await (0, service_process_1.waitDrained)(dir, 30_000);
            probe.destroy();
            await svc.stop();
            svc = undefined;
            const v = await (0, service_process_1.openVaultView)(dir);
            try {
                tallies.push(await probe.ledger.settle((a) => v.read(a)));
            }
            finally {
                await v.close();
            }
            const good = exit === EXIT_DATA_FILE && namesFile && saysStep && changed.length === 0 && acked;
            allGood &&= good;
            const r = {
                case: c.name, exit, refused_in_s: (0, service_process_1.round)(refusedInS), names_file: namesFile, names_recovery: saysStep,
                other_files_changed: changed, files_added: added, damaged_file_changed: after.get(c.file) !== before.get(c.file),
                served_after_recovery: acked, message: stderr.slice(0, 400),
            };
            cases.push(r);
            progress(JSON.stringify(r));
        }
        const sum = (k) => tallies.reduce((n, t) => n + t[k], 0);
        return {
            scenario: 'corrupt-db',
            sent: sum('sent'),
            acked: sum('acked'),
            exactly_once: sum('exactly_once'),
            lost: sum('lost'),
            applied_twice: sum('applied_twice'),
            recover_s: (0, service_process_1.round)(slowestRefusal),
            served_throughout: allGood,
            detail: {
                served_means: `every damaged start exited promptly with status ${EXIT_DATA_FILE} (RestartPreventExitStatus), its message named the file and the recovery step, no other file changed; after that step the service acked and applied a probe change`,
                recover_s_means: 'the slowest damaged start, from spawn to exit',
                cases,
                problems: tallies.flatMap((t) => t.problems),
            },
        };
    }
    finally {
        await svc?.kill();
        tmp.cleanup();
    }
}
async function baseVersionOf(dir) {
    const v = await (0, service_process_1.openVaultView)(dir);
    try {
        return await v.baseVersion((0, service_process_1.accountName)(0));
    }
    finally {
        await v.close();
    }
}
//# sourceMappingURL=corrupt-db.js.map