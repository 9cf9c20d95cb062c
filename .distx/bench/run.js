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
// npm run bench: one JSON object per line {"name", "value", "unit"}. Not part of the tests; the README's
// table holds the figures measured on the project's 2-core machine.
//
// The capture load scenarios run against the real service: `bin/pwbridge run` in its own process with its
// own data dir, fed by a load generator in a third process speaking the real protocol over the real
// socket. The bench process only prepares data dirs and reads the results from the service's SQLite files.
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const node_perf_hooks_1 = require("node:perf_hooks");
const linux_accounts_1 = require("../src/platform/linux/linux.accounts");
const pam_stack_1 = require("../src/platform/linux/pam-stack");
const keys_1 = require("../src/protocol/keys");
const reconcile_1 = require("../src/reconcile");
const open_1 = require("../src/service/open");
const drivers_1 = require("../src/sqlite/drivers");
const bridge_harness_1 = require("../test/helpers/bridge-harness");
const lsa_1 = require("../test/helpers/lsa");
const tmp_1 = require("../test/helpers/tmp");
const wine_1 = require("../test/helpers/wine");
const repo_root_1 = require("../test/vectors/repo-root");
const hub_agents_1 = require("./hub-agents");
const journal_append_1 = require("./journal-append");
const windows_capture_1 = require("./windows-capture");
const win_pipe_1 = require("./win-pipe");
const types_1 = require("../src/domain/types");
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.some((o) => name.startsWith(o));
/** The V8 flags the service runs with (bin/pwbridge's shebang line; keep the two the same). */
const SERVICE_NODE_FLAGS = (process.env.PWBRIDGE_BENCH_NODE_FLAGS ?? '--max-semi-space-size=4 --max-old-space-size=256').split(' ').filter(Boolean);
function emit(name, value, unit, extra = {}) {
    process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}
const progress = (msg) => process.stderr.write(`bench: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A fresh data dir with `accounts` credentials BENCH\userN (two-way sync on), and `pwbridge run` on it.
 * With `reuse`, `pwbridge run` again on a data dir an earlier startService made and stopped with
 * `{ keep: true }` (same keys, journal and spool). */
async function startService(accounts, reuse) {
    const tmp = reuse ? { dir: reuse, cleanup: () => fs.rmSync(reuse, { recursive: true, force: true }) } : (0, tmp_1.makeTempDir)('pwbridge-bench-');
    if (!reuse) {
        fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({
            machine: 'BENCH', reconcileInterval: '1h', pamDir: path.join(tmp.dir, 'none'),
        }));
    }
    if (accounts > 0 && !reuse) {
        const vault = (await (0, open_1.openVaultAt)(tmp.dir));
        await vault.addClient(types_1.EMBEDDED_CLIENT);
        vault.bulkAddCredentials(Array.from({ length: accounts }, (_, i) => ({
            client: 'local', username: `BENCH\\user${i}`, password: Buffer.from(`initial-${i}`), windowsSync: true, mode: 'report',
        })));
        await vault.close();
    }
    const child = (0, node_child_process_1.spawn)(process.execPath, [...SERVICE_NODE_FLAGS, path.join((0, repo_root_1.repoRoot)(), 'bin/pwbridge'), '--data-dir', tmp.dir, 'run'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((r) => child.once('exit', () => r()));
    const socketPath = path.join(tmp.dir, 'run', 'capture.sock');
    for (let i = 0; !fs.existsSync(socketPath); i++) {
        if (i > 400 || child.exitCode !== null)
            throw new Error(`the service did not open its socket: ${stderr}`);
        await sleep(50);
    }
    const handles = [];
    const open = (file) => {
        const db = (0, drivers_1.defaultSqliteDriver)().open(path.join(tmp.dir, file), { readonly: true });
        handles.push(db);
        return db;
    };
    let stateDb;
    const svc = {
        dataDir: tmp.dir,
        socketPath,
        process: child,
        state: () => (stateDb ??= open('state.db')),
        vault: () => open('vault.db'),
        async drained(timeoutMs) {
            const depth = svc.state().prepare("SELECT count(*) FROM journal WHERE state = 'pending'").pluck();
            const until = Date.now() + timeoutMs;
            while (depth.get() > 0) {
                if (Date.now() > until)
                    throw new Error(`the journal did not drain in ${timeoutMs / 1000} s`);
                await sleep(20);
            }
        },
        peakRss() {
            const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            return m ? Number(m[1]) * 1024 : 0;
        },
        async stop(opts) {
            for (const h of handles.splice(0))
                h.close();
            stateDb = undefined;
            child.kill('SIGTERM');
            await exited;
            if (!opts?.keep)
                tmp.cleanup();
        },
    };
    return svc;
}
/** Run the load generator against a service; the install secret crosses to it over IPC, never argv or env. */
function load(svc, spec) {
    const keys = (0, keys_1.loadKeys)(path.join(svc.dataDir, 'keys'));
    const child = (0, node_child_process_1.fork)(path.join(__dirname, 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send({
        socketPath: svc.socketPath,
        secret: keys.secret.toString('hex'),
        bridgePub: keys.publicKey.toString('hex'),
        bootId: (0, pam_stack_1.readBootId)().replace(/-/g, ''),
        machine: 'BENCH',
        ...spec,
    });
    (0, keys_1.wipeKeys)(keys);
    return new Promise((resolve, reject) => {
        child.once('message', (m) => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
        child.once('error', reject);
        child.once('exit', (code) => { if (code)
            reject(new Error(`load generator exited with ${code}`)); });
    });
}
let servicePeakRss = 0;
async function benchThroughput() {
    const count = 50_000;
    progress(`pipeline: ${count} authenticated frames over 2,000 accounts, as fast as they are acked, until all are processed`);
    const svc = await startService(2000);
    try {
        const t0 = node_perf_hooks_1.performance.now();
        const r = await load(svc, { count, accounts: 2000, rate: 0, window: 4000 });
        await svc.drained(120_000);
        const secs = (node_perf_hooks_1.performance.now() - t0) / 1000;
        if (r.failed)
            throw new Error(`${r.failed} events were not acked`);
        emit('pipeline_events_per_s', count / secs, 'events/s', { ingest_acked_per_s: Math.round(r.acked / (r.elapsedMs / 1000)) });
        servicePeakRss = Math.max(servicePeakRss, svc.peakRss());
    }
    finally {
        await svc.stop();
    }
}
async function benchLatency() {
    const rate = 1000;
    const seconds = 10;
    progress(`latency: ${rate} events/s for ${seconds} s, from the capture's send to the vault write`);
    const svc = await startService(5000);
    try {
        const r = await load(svc, { count: rate * seconds, accounts: 5000, rate, window: 10_000 });
        await svc.drained(60_000);
        await sleep(200); // the event log is written a tick after the vault
        // The event log's time of each event's vault write (ms), by trace id.
        const rows = svc.vault().prepare(`SELECT trace_id, time FROM events
      WHERE kind IN ('change-synced', 'credential-created', 'change-superseded') AND trace_id IS NOT NULL`).all();
        const applied = new Map(rows.map((x) => [x.trace_id, x.time]));
        const lat = [];
        r.sent.forEach((id, i) => {
            const at = applied.get(id);
            if (at !== undefined)
                lat.push(at - r.sentAt[i]);
        });
        if (lat.length < r.sent.length)
            throw new Error(`${r.sent.length - lat.length} events never reached the vault`);
        lat.sort((a, b) => a - b);
        emit('capture_to_vault_p50_ms', lat[Math.floor(lat.length * 0.5)], 'ms');
        emit('capture_to_vault_p99_ms', lat[Math.floor(lat.length * 0.99)], 'ms');
        servicePeakRss = Math.max(servicePeakRss, svc.peakRss());
    }
    finally {
        await svc.stop();
    }
}
async function benchBurst() {
    const count = 100_000;
    progress(`burst: ${count} events at once over 10,000 accounts; every acked event must be journaled and processed`);
    const svc = await startService(0);
    try {
        const r = await load(svc, { count, accounts: 10_000, rate: 0, window: 20_000 });
        await svc.drained(180_000);
        const stateOf = svc.state().prepare('SELECT state FROM journal WHERE event_id = ?').pluck();
        let lost = count - r.acked;
        for (const id of r.sent) {
            const st = stateOf.get(id);
            if (st === undefined || st === 'pending')
                lost++;
        }
        emit('burst_100k_lost', lost, 'events', { acked: r.acked });
        servicePeakRss = Math.max(servicePeakRss, svc.peakRss());
    }
    finally {
        await svc.stop();
    }
}
async function benchReconcile() {
    const n = 10_000;
    progress(`reconcile: ${n} credentials against ${n} local accounts (generated passwd/shadow), nothing changed`);
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-bench-');
    const h = await (0, bridge_harness_1.startHarness)({ config: { machine: 'BENCH', logLevel: 'warn' } });
    try {
        // MD5-crypt keeps the one-off first pass (which verifies every credential) short; the measured pass verifies none.
        const hash = (0, node_child_process_1.execFileSync)('openssl', ['passwd', '-1', '-salt', 'benchslt', '-stdin'], { input: 'bench-password\n' }).toString().trim();
        const passwd = [];
        const shadow = [];
        for (let i = 0; i < n; i++) {
            passwd.push(`buser${i}:x:${20000 + i}:${20000 + i}::/nonexistent:/usr/sbin/nologin`);
            shadow.push(`buser${i}:${hash}:20000:0:99999:7:::`);
        }
        fs.writeFileSync(path.join(tmp.dir, 'passwd'), `${passwd.join('\n')}\n`);
        fs.writeFileSync(path.join(tmp.dir, 'shadow'), `${shadow.join('\n')}\n`, { mode: 0o600 });
        const accounts = new linux_accounts_1.LinuxAccounts({ machine: 'BENCH', passwdPath: path.join(tmp.dir, 'passwd'), shadowPath: path.join(tmp.dir, 'shadow'), fingerprintKey: Buffer.alloc(32, 7) });
        h.install.vault.bulkAddCredentials(Array.from({ length: n }, (_, i) => ({
            client: 'local', username: `BENCH\\buser${i}`, password: Buffer.from('bench-password'), windowsSync: true, mode: 'report',
        })));
        const s = h.install.state;
        const deps = { vault: h.install.vault, accounts, state: s.state, echo: s.echo, events: h.install.events, journal: s.journal };
        const opts = { machine: 'BENCH', client: 'local', echoTtlMs: 60_000, now: Date.now };
        const first = await (0, reconcile_1.reconcileOnce)(deps, opts);
        if (first.matched !== n)
            throw new Error(`first pass matched ${first.matched} of ${n}`);
        const t0 = node_perf_hooks_1.performance.now();
        const second = await (0, reconcile_1.reconcileOnce)(deps, opts);
        const secs = (node_perf_hooks_1.performance.now() - t0) / 1000;
        if (second.unchanged !== n)
            throw new Error(`second pass: ${second.unchanged} of ${n} unchanged`);
        emit('reconcile_10k_unchanged_s', secs, 's');
    }
    finally {
        await h.destroy();
        tmp.cleanup();
    }
}
// ---- pam: the time pam_pwbridge.so adds to one password change, next to a pam_exec hook ----------------
//
// native/build/bench/pam_bench (pam_start once, then N timed pam_chauthtok calls) runs under pam_wrapper
// against service files in a private folder; /etc/pam.d is never read. Stacks: `baseline` is pam_matrix
// alone (it plays pam_unix: it checks the old password and writes the new one to its own file); `ours`
// adds `password optional pam_pwbridge.so dir=<data dir of a real pwbridge run>`; `pamexec` adds the
// do-it-yourself hook instead. Added time = percentile(stack) − percentile(baseline), same run.
const PAM_MATRIX = '/usr/lib/x86_64-linux-gnu/pam_wrapper/pam_matrix.so';
const PAM_EXEC = '/lib/x86_64-linux-gnu/security/pam_exec.so';
/** An account that exists (in /etc/passwd on any Debian): the module looks its uid up, as it would for a
 * real change; an unknown name would time NSS's whole fall-through instead. pam_matrix changes only its
 * own password file, never the account. */
const PAM_USER = 'nobody';
const PAM_PASSWORDS = ['bench-pass-A-1', 'bench-pass-B-2'];
/** The time of each of `n` password changes (ms) by one pam_bench process (one pam handle), `gapMs`
 * apart, and the time its pam_start took (which loads the stack's modules). */
function pamBench(serviceDir, service, n, gapMs) {
    const exe = path.join((0, repo_root_1.repoRoot)(), 'native', 'build', 'bench', 'pam_bench');
    const env = { PATH: process.env.PATH, LD_PRELOAD: 'libpam_wrapper.so', PAM_WRAPPER: '1', PAM_WRAPPER_SERVICE_DIR: serviceDir };
    return new Promise((resolve, reject) => {
        // Spawned, not execFileSync'd: this process's event loop serves the pam_exec hook's socket meanwhile.
        const child = (0, node_child_process_1.spawn)(exe, [service, PAM_USER, String(n), ...PAM_PASSWORDS, String(gapMs)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d.toString()));
        child.stderr.on('data', (d) => (err += d.toString()));
        child.once('error', reject);
        child.once('close', (code) => {
            const lines = out.split('\n').filter(Boolean);
            const start = /^start (\d+)$/.exec(lines.shift() ?? '');
            const us = lines.map(Number);
            if (code !== 0 || !start || us.length !== n || us.some((u) => !Number.isFinite(u))) {
                reject(new Error(`pam_bench ${service} exited with ${code}, ${us.length} of ${n} timings: ${err.trim()}`));
            }
            else {
                resolve({ startMs: Number(start[1]) / 1000, ms: us.map((u) => u / 1000) });
            }
        });
    });
}
/** Microseconds some task waited for a CPU, so far (/proc/pressure/cpu), or undefined without PSI. */
function cpuPressureUs() {
    try {
        const m = /^some .* total=(\d+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
        return m ? Number(m[1]) : undefined;
    }
    catch {
        return undefined;
    }
}
const intEnv = (name, dflt, min, max) => {
    const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
    if (!Number.isInteger(v) || v < min || v > max)
        throw new Error(`${name} must be an integer ${min}..${max}`);
    return v;
};
async function benchPam() {
    const rounds = intEnv('PWB_BENCH_PAM_ROUNDS', 10, 1, 1000);
    // pam_matrix leaks a descriptor per change: a process stays well under the 1,024 limit.
    const calls = intEnv('PWB_BENCH_PAM_CALLS', 200, 10, 800);
    // A pause between changes (outside the timed call): each change finds the bridge done with the last one
    // and idle, as a real (rare) password change does; back to back, the bridge's work after its ack and
    // warm caches would both skew the figure.
    const gapMs = intEnv('PWB_BENCH_PAM_GAP_MS', 10, 0, 1000);
    const warmup = 20; // the first changes of each pam_bench process (module load, OpenSSL's first use): discarded
    const coldRuns = 4; // per stack and round: one-change processes, for the passwd-like figure
    const missing = [
        ['libpam_wrapper.so', '/usr/lib/x86_64-linux-gnu/libpam_wrapper.so', 'libpam-wrapper'],
        ['pam_matrix.so', PAM_MATRIX, 'libpam-wrapper'],
        ['pam_exec.so', PAM_EXEC, 'libpam-modules'],
        ['nc.openbsd', '/bin/nc.openbsd', 'netcat-openbsd'],
    ].filter(([, file]) => !fs.existsSync(file));
    if (missing.length)
        throw new Error(`the pam bench needs ${missing.map(([n, , pkg]) => `${n} (Debian: ${pkg})`).join(', ')}`);
    // npm run bench has built them; this covers `node dist/bench/run.js pam` after a change to the C.
    (0, node_child_process_1.execFileSync)('sh', [path.join((0, repo_root_1.repoRoot)(), 'native', 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const moduleSo = path.join((0, repo_root_1.repoRoot)(), 'native', 'build', 'pam', 'pam_pwbridge.so');
    progress(`pam: ${rounds} rounds × ${calls} password changes per stack (+${warmup} warm-up, ${gapMs} ms apart), interleaved`);
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-bench-pam-');
    // pam_matrix writes a temp file and renames it per change: on tmpfs, so that the baseline is not the
    // file system's inode allocator. The data dir (keys, spool) stays where startService puts it, on disk.
    const shm = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/pwbridge-bench-pam-') : tmp.dir;
    let svc = await startService(0);
    const dataDir = svc.dataDir;
    const spoolDir = path.join(dataDir, 'spool');
    const spooled = () => (fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir).filter((f) => f.endsWith('.chg')).length : 0);
    // The do-it-yourself hook: pam_exec runs a shell script that forwards the account name to a Unix socket
    // (linux-pam 1.5.2 cannot give pam_exec the new password for type password: expose_authtok is refused).
    const hookSocket = path.join(tmp.dir, 'hook.sock');
    let hookLines = 0;
    const listener = net.createServer((c) => {
        let got = '';
        c.on('data', (d) => (got += d.toString()));
        c.on('end', () => { hookLines += got.split('\n').filter(Boolean).length; c.end(); });
        c.on('error', () => undefined);
    });
    await new Promise((r) => listener.listen(hookSocket, r));
    const hook = path.join(tmp.dir, 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\nprintf '%s\\n' "$PAM_USER" | exec /bin/nc.openbsd -N -U '${hookSocket}'\n`, { mode: 0o700 });
    const serviceDir = path.join(tmp.dir, 'pam-services');
    fs.mkdirSync(serviceDir);
    const stack = {
        baseline: '',
        // shadow_check=off: pam_matrix plays pam_unix and never writes /etc/shadow, so the module's check
        // that the change happened there would (rightly) drop every change; the check's own cost is one
        // crypt verify, measured by test/native/pam-unix-root.test.ts against the real pam_unix.
        ours: `password optional ${moduleSo} dir=${dataDir} shadow_check=off\n`,
        pamexec: `password optional ${PAM_EXEC} ${hook}\n`,
    };
    for (const [service, extra] of Object.entries(stack)) {
        const passdb = path.join(shm, `passdb-${service}`);
        fs.writeFileSync(passdb, `${PAM_USER}:${PAM_PASSWORDS[0]}:${service}\n`, { mode: 0o600 });
        fs.writeFileSync(path.join(serviceDir, service), `password required ${PAM_MATRIX} passdb=${passdb}\n${extra}`);
    }
    const labels = ['baseline-up', 'baseline-down', 'up', 'down', 'pamexec'];
    const serviceOf = { 'baseline-up': 'baseline', 'baseline-down': 'baseline', up: 'ours', down: 'ours', pamexec: 'pamexec' };
    const samples = Object.fromEntries(labels.map((l) => [l, []]));
    const cold = Object.fromEntries(labels.map((l) => [l, []]));
    const n = warmup + calls + ((warmup + calls) % 2); // even: every run leaves pam_matrix at the first password
    let changes = 0; // through our module: each one must end up in the journal
    /** One stack: the long run (warm changes), then one-change processes (pam_start + the change). */
    const run = async (label) => {
        const service = serviceOf[label];
        const hooked = hookLines;
        const spoolBefore = spooled();
        const { ms } = await pamBench(serviceDir, service, n, gapMs);
        samples[label].push(...ms.slice(n - calls));
        for (let i = 0; i < coldRuns; i++) {
            const r = await pamBench(serviceDir, service, 2, 0);
            cold[label].push(r.startMs + r.ms[0]);
        }
        const made = n + 2 * coldRuns;
        if (service === 'ours')
            changes += made;
        if (label === 'up' && spooled() !== 0)
            throw new Error(`bridge up, yet ${spooled()} changes were spooled`);
        if (label === 'down' && spooled() - spoolBefore !== made)
            throw new Error(`bridge down: ${spooled() - spoolBefore} of ${made} changes spooled`);
        if (label === 'pamexec' && hookLines - hooked !== made)
            throw new Error(`the hook delivered ${hookLines - hooked} of ${made} changes`);
    };
    const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);
    const pressure0 = cpuPressureUs();
    const t0 = node_perf_hooks_1.performance.now();
    try {
        for (let r = 0; r < rounds; r++) {
            if (r > 0)
                svc = await startService(0, dataDir); // it drains what the down phase spooled, before it listens
            if (spooled() !== 0)
                throw new Error(`the bridge left ${spooled()} spooled events after its start`);
            // Bridge up: three stacks, in an order that rotates every round.
            for (const label of rotate(['baseline-up', 'up', 'pamexec'], r))
                await run(label);
            // Bridge down: the same data dir, the service stopped (so its socket is gone); the module spools
            // each change. The spool grows through the phase and the bridge's next start drains it.
            await svc.stop({ keep: true });
            for (const label of rotate(['baseline-down', 'down'], r))
                await run(label);
            const thisRound = (k) => median(samples[k].slice(-calls)).toFixed(3);
            progress(`pam: round ${r + 1}/${rounds}, p50 ms: baseline ${thisRound('baseline-up')} (bridge up) ${thisRound('baseline-down')} (down), `
                + `ours up ${thisRound('up')}, ours down ${thisRound('down')}, pam_exec ${thisRound('pamexec')}`);
        }
        // Every change the module handled, delivered or spooled, is in the journal once the spool is drained.
        svc = await startService(0, dataDir);
        const journaled = svc.state().prepare('SELECT count(*) FROM journal').pluck().get();
        if (journaled !== changes)
            throw new Error(`the journal holds ${journaled} of the ${changes} changes`);
    }
    finally {
        await svc.stop();
        await new Promise((r) => listener.close(() => r()));
        tmp.cleanup();
        if (shm !== tmp.dir)
            fs.rmSync(shm, { recursive: true, force: true });
    }
    const pressure1 = cpuPressureUs();
    const context = { gap_ms: gapMs };
    if (pressure0 !== undefined && pressure1 !== undefined) {
        // Share of the run's wall time in which some task waited for a CPU: near 0 on a quiet machine.
        context.cpu_pressure_pct = Math.round(((pressure1 - pressure0) / 1000 / (node_perf_hooks_1.performance.now() - t0)) * 1000) / 10;
    }
    const sorted = Object.fromEntries(labels.map((l) => [l, [...samples[l]].sort((a, b) => a - b)]));
    const pct = (l, q) => sorted[l][Math.min(sorted[l].length - 1, Math.floor(sorted[l].length * q))];
    const report = (name, label, base, extra) => {
        for (const [suffix, q] of [['p50', 0.5], ['p99', 0.99]]) {
            emit(`${name}_${suffix}`, pct(label, q) - pct(base, q), 'ms', {
                ...extra, [`${suffix}_ms`]: round3(pct(label, q)), [`baseline_${suffix}_ms`]: round3(pct(base, q)), changes: sorted[label].length, ...context,
            });
        }
    };
    report('pam_added_ms', 'up', 'baseline-up', { bridge: 'up' });
    report('pam_added_ms', 'down', 'baseline-down', { bridge: 'down' });
    report('pam_exec_added_ms', 'pamexec', 'baseline-up', { hook: 'sh | nc -U' });
    // A process that makes one change and exits, as passwd does: pam_start (which loads the modules, and
    // so libcrypto) + that change, OpenSSL's first use included.
    const coldAdded = (l, base) => median(cold[l]) - median(cold[base]);
    const coldExtra = { of: 'pam_start + the first change of a process', processes: rounds * coldRuns, ...context };
    emit('pam_one_change_process_added_ms_p50', coldAdded('up', 'baseline-up'), 'ms', { bridge: 'up', ...coldExtra });
    emit('pam_one_change_process_added_ms_p50', coldAdded('down', 'baseline-down'), 'ms', { bridge: 'down', ...coldExtra });
    emit('pam_exec_one_change_process_added_ms_p50', coldAdded('pamexec', 'baseline-up'), 'ms', { hook: 'sh | nc -U', ...coldExtra });
}
const round3 = (x) => Math.round(x * 1000) / 1000;
function median(xs) {
    if (xs.length === 0)
        return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}
// ---- lsa: the time PasswordChangeNotify keeps LSA's thread, bridge up and down ----------------------------
//
// The real pwbridge_filter.dll in harness.exe (native/lsa/test/harness.c) under Wine, which times each call
// with QueryPerformanceCounter around PasswordChangeNotify alone. Bridge up: a real `pwbridge run` at the
// end of the pipe (harness.exe serves the pipe and relays to TCP, a relay here carries it to the service's
// Unix socket). Bridge down: no pipe at all, so the DLL spools. After every burst of 100 calls the harness
// waits until the DLL delivered them (up: all ACKed) or spooled them (down: all on disk, then removed), so
// each timed call finds room in the queue as a rare real change does: a full queue is another, cheaper path
// (count and return) that this does not time. The service's journal must hold every delivered change.
async function benchLsa() {
    const calls = intEnv('PWB_BENCH_LSA_CALLS', 100_000, 1_000, 10_000_000);
    const burst = 100;
    const warmup = 2_000;
    const missing = (0, wine_1.windowsPartsMissing)();
    if (missing.fail || missing.skip)
        throw new Error(`the lsa bench needs the Windows filter and Wine: ${missing.fail ?? missing.skip}`);
    // npm run bench has built it; this covers `node dist/bench/run.js lsa` after a change to the C.
    (0, node_child_process_1.execFileSync)('sh', [path.join((0, repo_root_1.repoRoot)(), 'native', 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const wine = (0, node_child_process_1.execFileSync)(wine_1.WINE, ['--version'], { encoding: 'utf8' }).trim();
    progress(`lsa: ${calls} PasswordChangeNotify calls per mode (+${warmup} warm-up), in bursts of ${burst}, under ${wine}`);
    (0, wine_1.winePrefix)();
    const svc = await startService(0);
    const relay = await (0, lsa_1.startRelay)((0, lsa_1.toSocket)(svc.socketPath));
    const h = await lsa_1.LsaHarness.start();
    const results = { up: [], down: [] };
    const pressure0 = cpuPressureUs();
    const t0 = node_perf_hooks_1.performance.now();
    try {
        await h.cmd(`load ${(0, wine_1.winPath)(wine_1.FILTER_DLL)}`);
        await h.cmd('reg clear');
        const sid = (await h.cmd('sid')).split(' ')[1];
        await h.reg('DataDir', 'sz', (0, wine_1.winPath)(svc.dataDir));
        await h.reg('PipeName', 'sz', `\\\\.\\pipe\\pwbridge-bench-${process.pid}`);
        await h.reg('ServiceSid', 'sz', sid);
        await h.reg('SpoolMax', 'dword', 1_000_000); // the bench removes what it spooled, the DLL keeps counting
        await h.cmd(`serve relay ${relay.port}`);
        await h.cmd('init');
        for (let i = 0; (await h.stats()).hello === 0; i++) {
            if (i > 400)
                throw new Error(`the filter never said hello to the service: ${JSON.stringify(await h.stats())}, spooled ${await h.spooled()}`);
            await sleep(50);
        }
        const run = async (mode, n) => {
            const [, p50, p99, max, mean] = (await h.cmd(`bench ${n} ${burst} ${mode}`, 3_600_000)).split(' ').map(Number);
            return { p50, p99, max, mean };
        };
        await run('up', warmup);
        const up = await run('up', calls);
        progress(`lsa: bridge up, p50 ${(up.p50 / 1000).toFixed(2)} µs, p99 ${(up.p99 / 1000).toFixed(2)} µs (${((node_perf_hooks_1.performance.now() - t0) / 1000).toFixed(0)} s)`);
        const journaled = svc.state().prepare('SELECT count(*) FROM journal').pluck().get();
        if (journaled !== calls + warmup)
            throw new Error(`the service journaled ${journaled} of the ${calls + warmup} changes`);
        await h.cmd('serve off'); // the service is still running; the pipe is gone, as when it is stopped
        await run('down', warmup);
        const down = await run('down', calls);
        progress(`lsa: bridge down, p50 ${(down.p50 / 1000).toFixed(2)} µs, p99 ${(down.p99 / 1000).toFixed(2)} µs (${((node_perf_hooks_1.performance.now() - t0) / 1000).toFixed(0)} s)`);
        results.up = [up.p50, up.p99, up.max, up.mean];
        results.down = [down.p50, down.p99, down.max, down.mean];
    }
    finally {
        h.kill();
        await h.exited;
        await relay.close();
        await svc.stop();
    }
    const pressure1 = cpuPressureUs();
    const context = { calls, burst, runtime: wine, target_p99_us: 20 };
    if (pressure0 !== undefined && pressure1 !== undefined) {
        context.cpu_pressure_pct = Math.round(((pressure1 - pressure0) / 1000 / (node_perf_hooks_1.performance.now() - t0)) * 1000) / 10;
    }
    for (const mode of ['up', 'down']) {
        const [p50, p99, max, mean] = results[mode].map((ns) => round3(ns / 1000));
        emit('lsa_notify_us_p50', p50, 'us', { bridge: mode, mean_us: mean, ...context });
        emit('lsa_notify_us_p99', p99, 'us', { bridge: mode, max_us: max, ...context });
    }
}
async function main() {
    if (want('pipeline'))
        await benchThroughput();
    if (want('latency'))
        await benchLatency();
    if (want('burst'))
        await benchBurst();
    if (want('reconcile'))
        await benchReconcile();
    if (want('pam'))
        await benchPam();
    if (want('lsa'))
        await benchLsa();
    if (want('hub_agents'))
        await (0, hub_agents_1.benchHubAgents)(emit, SERVICE_NODE_FLAGS, cpuPressureUs);
    if (want('journal'))
        await (0, journal_append_1.benchJournalAppend)(emit, progress);
    if (want('windows'))
        await (0, windows_capture_1.benchWindowsCapture)(emit, progress);
    if (want('win_pipe'))
        await (0, win_pipe_1.benchWinPipe)(emit, progress);
    if (servicePeakRss)
        emit('rss_mb', servicePeakRss / 1024 / 1024, 'MB', { of: 'the pwbridge run process, peak (VmHWM) over the load scenarios' });
}
// Exit when done: the hub scenario's PostgreSQL cluster is shared by the process and stops when it ends.
main().then(() => process.exit(0), (err) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    // Exit now: a scenario that failed half way may leave a child or a Wine server holding the event loop,
    // and the exit handlers are what end them (a lingering one would load the machine for the next run).
    process.exit(1);
});
//# sourceMappingURL=run.js.map