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
exports.round = exports.socketPathOf = exports.vaultUsername = exports.accountName = exports.sleep = exports.FAULT_MACHINE = void 0;
exports.waitFor = waitFor;
exports.prepareDataDir = prepareDataDir;
exports.startService = startService;
exports.captureIdentity = captureIdentity;
exports.journalCountsOfCopy = journalCountsOfCopy;
exports.journalIdsOfCopy = journalIdsOfCopy;
exports.countJournal = countJournal;
exports.pendingNow = pendingNow;
exports.waitDrained = waitDrained;
exports.openVaultView = openVaultView;
exports.settleInVault = settleInVault;
exports.integrityCheck = integrityCheck;
exports.percentile = percentile;
// The real service for a fault scenario: `bin/pwbridge run` in its own process (as systemd runs it, with
// the same V8 flags), on a data dir this helper prepares, and read back only through its files. A scenario
// can SIGKILL it, restart it on the same data dir, and read its memory figures from /proc.
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const pam_stack_1 = require("../../src/platform/linux/pam-stack");
const keys_1 = require("../../src/protocol/keys");
const open_1 = require("../../src/service/open");
const drivers_1 = require("../../src/sqlite/drivers");
const systemd_unit_1 = require("../../src/platform/linux/systemd-unit");
const pam_1 = require("../helpers/pam");
const repo_root_1 = require("../vectors/repo-root");
const types_1 = require("../../src/domain/types");
exports.FAULT_MACHINE = 'FAULTS';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
/** Poll `cond` every `everyMs` until it holds; throws naming `what` after `timeoutMs`. */
async function waitFor(cond, timeoutMs, what, everyMs = 20) {
    const until = Date.now() + timeoutMs;
    while (!(await cond())) {
        if (Date.now() > until)
            throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
        await (0, exports.sleep)(everyMs);
    }
}
/** The account name a scenario uses for its i-th account, and its vault username. */
const accountName = (i) => `user${i}`;
exports.accountName = accountName;
const vaultUsername = (account) => `${exports.FAULT_MACHINE}\\${account}`;
exports.vaultUsername = vaultUsername;
/**
 * A data dir for `pwbridge run`: config (machine FAULTS, reconcile hourly so no pass runs during a
 * scenario), a pam.d with the module in the password stack (so the filter counts as active for spooled
 * changes too, which come with no hello), the embedded vault's client "local" and `accounts` credentials
 * user0… (created now, so every capture after this is newer than their passwordSetAt).
 */
async function prepareDataDir(dir, accounts, config = {}) {
    const pamDir = path.join(dir, 'pam.d');
    fs.mkdirSync(pamDir, { recursive: true });
    fs.writeFileSync(path.join(pamDir, 'common-password'), `password required pam_unix.so\npassword optional ${pam_1.PAM_MODULE} dir=${dir}\n`);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine: exports.FAULT_MACHINE, reconcileInterval: '1h', pamDir, ...config }));
    const vault = (await (0, open_1.openVaultAt)(dir));
    try {
        await vault.addClient(types_1.EMBEDDED_CLIENT);
        for (let i = 0; i < accounts; i += 1000) {
            vault.bulkAddCredentials(Array.from({ length: Math.min(1000, accounts - i) }, (_, k) => ({
                client: 'local', username: (0, exports.vaultUsername)((0, exports.accountName)(i + k)), password: Buffer.from(`initial-${i + k}`), windowsSync: true, mode: 'report',
            })));
        }
    }
    finally {
        await vault.close();
    }
}
const socketPathOf = (dataDir) => path.join(dataDir, 'run', 'capture.sock');
exports.socketPathOf = socketPathOf;
/**
 * Spawn `pwbridge run` on `dataDir`. With `waitForSocket` (the default), resolve once the socket exists
 * (the service drains its spool before it listens, so that is also "the drain at start is done").
 */
async function startService(dataDir, opts = {}) {
    const socketPath = (0, exports.socketPathOf)(dataDir);
    // A socket file left by a SIGKILLed run would read as "listening" below.
    fs.rmSync(socketPath, { force: true });
    const child = (0, node_child_process_1.spawn)(process.execPath, [...systemd_unit_1.SERVICE_NODE_FLAGS, path.join((0, repo_root_1.repoRoot)(), 'bin/pwbridge'), '--data-dir', dataDir, 'run'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr = (stderr + d.toString()).slice(-20_000); });
    const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
    let gone = false;
    void exited.then(() => { gone = true; });
    const svc = {
        dataDir,
        socketPath,
        child,
        pid: child.pid,
        stderr: () => stderr,
        exited,
        alive: () => !gone,
        memory() {
            try {
                const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
                const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
                return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
            }
            catch {
                return undefined;
            }
        },
        async kill() {
            if (!gone)
                child.kill('SIGKILL');
            await exited;
        },
        async stop() {
            if (!gone)
                child.kill('SIGTERM');
            await exited;
        },
    };
    if (opts.waitForSocket ?? true) {
        await waitFor(() => {
            if (gone)
                throw new Error(`pwbridge run exited before it listened: ${stderr.trim()}`);
            return fs.existsSync(socketPath);
        }, opts.socketTimeoutMs ?? 60_000, 'pwbridge run listening');
    }
    return svc;
}
/** What a capture on this machine knows: the install secret and bridge key (read from keys/), the boot id. */
function captureIdentity(dataDir) {
    const keys = (0, keys_1.loadKeys)(path.join(dataDir, 'keys'));
    const out = { secret: Buffer.from(keys.secret), bridgePub: Buffer.from(keys.publicKey), bootId: Buffer.from((0, pam_stack_1.readBootId)().replace(/-/g, ''), 'hex'), machine: exports.FAULT_MACHINE };
    (0, keys_1.wipeKeys)(keys);
    return out;
}
/**
 * Journal rows by state, read from a copy of state.db (and its WAL) so the read never disturbs the
 * file: after a SIGKILL the copy replays the WAL, as the next start would, and the original is untouched.
 */
function journalCountsOfCopy(dataDir, scratch) {
    return withStateCopy(dataDir, scratch, countJournal);
}
/** The event ids the journal holds (any state), read from a copy as journalCountsOfCopy does. */
function journalIdsOfCopy(dataDir, scratch) {
    return withStateCopy(dataDir, scratch, (db) => new Set(db.prepare('SELECT event_id FROM journal').pluck().all()));
}
function withStateCopy(dataDir, scratch, read) {
    fs.mkdirSync(scratch, { recursive: true });
    for (const f of ['state.db', 'state.db-wal']) {
        const from = path.join(dataDir, f);
        const to = path.join(scratch, f);
        fs.rmSync(to, { force: true });
        if (fs.existsSync(from))
            fs.copyFileSync(from, to);
    }
    fs.rmSync(path.join(scratch, 'state.db-shm'), { force: true });
    const db = (0, drivers_1.defaultSqliteDriver)().open(path.join(scratch, 'state.db'));
    try {
        return read(db);
    }
    finally {
        db.close();
    }
}
function countJournal(db) {
    const rows = db.prepare('SELECT state, count(*) AS n FROM journal GROUP BY state').all();
    const c = { pending: 0, done: 0, superseded: 0, dead: 0, total: 0 };
    for (const r of rows) {
        c[r.state] = r.n;
        c.total += r.n;
    }
    return c;
}
/** Pending journal rows right now, through a read-only handle on the live file (WAL readers never block the writer). */
function pendingNow(dataDir) {
    const db = (0, drivers_1.defaultSqliteDriver)().open(path.join(dataDir, 'state.db'), { readonly: true });
    try {
        return db.prepare("SELECT count(*) FROM journal WHERE state = 'pending'").pluck().get();
    }
    finally {
        db.close();
    }
}
/** Wait until the live service's journal holds no pending entry. */
async function waitDrained(dataDir, timeoutMs) {
    await waitFor(() => pendingNow(dataDir) === 0, timeoutMs, 'the journal drained', 100);
}
/** The vault's view of each account (version, passwordSetAt, password), for Ledger.settle. Close it after. */
async function openVaultView(dataDir) {
    const vault = await (0, open_1.openVaultAt)(dataDir);
    const find = (account) => vault.findCredential('local', (0, exports.vaultUsername)(account));
    return {
        async read(account) {
            const cred = await find(account);
            if (!cred)
                return undefined;
            const pw = await vault.readPassword(cred.id);
            const view = { version: cred.version, passwordSetAt: cred.passwordSetAt, password: pw.toString('utf8') };
            pw.fill(0);
            return view;
        },
        async baseVersion(account) {
            return (await find(account))?.version ?? 0;
        },
        close: () => vault.close(),
    };
}
/** The ledger judged by the vault of a stopped service's data dir (the view is closed after). */
async function settleInVault(dataDir, ledger) {
    const view = await openVaultView(dataDir);
    try {
        return await ledger.settle((a) => view.read(a));
    }
    finally {
        await view.close();
    }
}
/** PRAGMA integrity_check of a SQLite file: 'ok' or the first problems it lists. */
function integrityCheck(file) {
    const db = (0, drivers_1.defaultSqliteDriver)().open(file, { readonly: true });
    try {
        const rows = db.prepare('PRAGMA integrity_check(5)').pluck().all();
        return rows.join('; ');
    }
    finally {
        db.close();
    }
}
/** p-th percentile (0..100) of `xs` (sorted here), or 0 for none. */
function percentile(xs, p) {
    if (xs.length === 0)
        return 0;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}
const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
exports.round = round;
//# sourceMappingURL=service-process.js.map