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
exports.benchHubAgents = benchHubAgents;
// hub_agents (issue 5 item 7): a fleet of simulated agents reconciling against ONE hub process on a real
// PostgreSQL, with vault changes pushed down to them meanwhile.
//
// - PostgreSQL: the throwaway cluster of test/helpers/postgres.ts (fsync off: the figures leave out the
//   disk's flush time; the hub's sessions still commit synchronously).
// - The hub: `bin/pwbridge hub --db postgres://…` in its own process, as deployed (same V8 flags); its
//   peak RSS is its /proc/<pid>/status VmHWM at the end.
// - The fleet: AGENTS machines in clients of MACHINES_PER_CLIENT, each enrolled through POST /api/agents
//   with its own token; each machine sees CREDS credentials: SHARED bare `user`s of its client and the rest
//   its own `MACHINE\user`s; a fifth of each are Change Password. The agents run in worker processes
//   (bench/hub-agent-worker.ts) through the real HttpVault; every VaultPort call is timed client-side.
// - Push-down: WRITES_PER_S password changes through the admin API, alternately a shared Change Password
//   credential (reaches every machine of its client) and one machine's own. Per change and affected
//   machine, the time from the write's answer to that machine's long poll answering `changed` (0 when the
//   poll answered before the writer got its answer).
// Env: PWB_BENCH_HUB_AGENTS, _CREDS, _SHARED, _MACHINES_PER_CLIENT, _SECONDS (measured window),
// _INTERVAL_S, _WRITES_PER_S (×10 for tenths: 10 = 1/s), _WORKERS.
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_perf_hooks_1 = require("node:perf_hooks");
const paths_1 = require("../src/config/paths");
const http_vault_1 = require("../src/vault/http.vault");
const postgres_vault_1 = require("../src/vault/postgres.vault");
const secret_box_1 = require("../src/vault/secret-box");
const hub_client_1 = require("../src/vault/hub-client");
const postgres_1 = require("../test/helpers/postgres");
const tmp_1 = require("../test/helpers/tmp");
const repo_root_1 = require("../test/vectors/repo-root");
const intEnv = (name, dflt, min, max) => {
    const v = process.env[name] === undefined ? dflt : Number(process.env[name]);
    if (!Number.isInteger(v) || v < min || v > max)
        throw new Error(`${name} must be an integer ${min}..${max}`);
    return v;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallNow = () => node_perf_hooks_1.performance.timeOrigin + node_perf_hooks_1.performance.now();
const progress = (msg) => process.stderr.write(`bench: hub_agents: ${msg}\n`);
function pct(sorted, q) {
    return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}
/** `pwbridge hub` on `db`, the first admin's password on stdin; resolves once it listens. */
async function startHubProcess(dataDir, db, adminPassword, nodeFlags) {
    const child = (0, node_child_process_1.spawn)(process.execPath, [...nodeFlags, path.join((0, repo_root_1.repoRoot)(), 'bin/pwbridge'), '--data-dir', dataDir,
        'hub', '--db', db, '--listen', '127.0.0.1:0', '--admin-password-stdin'], { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stdin.end(Buffer.concat([adminPassword, Buffer.from('\n')]));
    let stderr = '';
    const exited = new Promise((r) => child.once('exit', () => r()));
    const listening = new Promise((resolve, reject) => {
        child.stderr.on('data', (d) => {
            stderr += d.toString();
            const url = /hub listening on (https:\/\/\S+)/.exec(stderr)?.[1];
            const fp = /fingerprint ([0-9A-F:]{95})/.exec(stderr)?.[1];
            if (url && fp)
                resolve({ url, fingerprint: fp });
        });
        child.once('exit', (code) => reject(new Error(`the hub exited with ${code} before it listened: ${stderr.trim()}`)));
    });
    const { url, fingerprint } = await Promise.race([listening, sleep(60_000).then(() => { throw new Error(`the hub did not listen in 60 s: ${stderr}`); })]);
    return {
        url, fingerprint, child,
        peakRssMb() {
            const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            return m ? Number(m[1]) / 1024 : NaN;
        },
        async stop() {
            child.kill('SIGTERM');
            await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
            await exited;
        },
    };
}
/** `n` calls of `fn`, at most `width` at a time. */
async function inParallel(n, width, fn) {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
        while (next < n)
            await fn(next++);
    }));
}
/** `cpuPressureUs`: microseconds some task waited for a CPU so far (PSI), for the window's context. */
async function benchHubAgents(emit, nodeFlags, cpuPressureUs) {
    const agentsN = intEnv('PWB_BENCH_HUB_AGENTS', 1000, 1, 100_000);
    const creds = intEnv('PWB_BENCH_HUB_CREDS', 50, 1, 10_000);
    const shared = intEnv('PWB_BENCH_HUB_SHARED', 10, 0, creds);
    const perClient = intEnv('PWB_BENCH_HUB_MACHINES_PER_CLIENT', 50, 1, 100_000);
    const seconds = intEnv('PWB_BENCH_HUB_SECONDS', 150, 5, 86_400);
    const intervalS = intEnv('PWB_BENCH_HUB_INTERVAL_S', 60, 1, 3600);
    const writesPer10s = intEnv('PWB_BENCH_HUB_WRITES_PER_S', 10, 1, 1000);
    const workersN = intEnv('PWB_BENCH_HUB_WORKERS', 2, 1, 64);
    const own = creds - shared;
    const clientsN = Math.ceil(agentsN / perClient);
    const clientName = (c) => `Client-${String(c).padStart(3, '0')}`;
    const machineName = (i) => `WS-${String(Math.floor(i / perClient)).padStart(3, '0')}-${String(i % perClient).padStart(4, '0')}`;
    const isChange = (k, of) => k < Math.max(1, Math.round(of / 5));
    progress(`${agentsN} agents × ${creds} credentials (${shared} shared), ${clientsN} clients, reconcile every ${intervalS} s, `
        + `${writesPer10s / 10} push-down writes/s, ${seconds} s measured, ${workersN} agent processes`);
    const pg = await (0, postgres_1.testPostgres)();
    const database = await pg.createDatabase('bench_hub');
    const tmp = (0, tmp_1.makeTempDir)('pwbridge-bench-hub-');
    const adminPassword = (0, node_crypto_1.randomBytes)(18);
    const adminPw = Buffer.from(adminPassword.toString('base64url'));
    adminPassword.fill(0);
    let hub;
    const workers = [];
    let admin;
    try {
        // PWB_BENCH_HUB_NODE_FLAGS: more V8 flags for the hub only (e.g. --cpu-prof --cpu-prof-dir=DIR).
        const hubFlags = [...nodeFlags, ...(process.env.PWB_BENCH_HUB_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
        hub = await startHubProcess(tmp.dir, pg.url(database), adminPw, hubFlags);
        const http = new hub_client_1.HubClient({ url: hub.url, fingerprint: hub.fingerprint });
        const login = await http.request('POST', '/api/login', { user: 'admin', password: adminPw.toString('base64'), bearer: true });
        adminPw.fill(0);
        if (login.status !== 200)
            throw new Error(`admin login: HTTP ${login.status}`);
        const adminToken = login.body.token;
        admin = http_vault_1.HttpVault.open({ url: hub.url, fingerprint: hub.fingerprint }, adminToken);
        // ---- the vault: clients and credentials, through the admin API -------------------------------------
        const t0 = Date.now();
        const todo = [];
        for (let c = 0; c < clientsN; c++) {
            await admin.addClient({ name: clientName(c), windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
            for (let k = 0; k < shared; k++)
                todo.push({ client: clientName(c), username: `shared${k}`, mode: isChange(k, shared) ? 'change' : 'report' });
            for (let i = c * perClient; i < Math.min(agentsN, (c + 1) * perClient); i++) {
                for (let k = 0; k < own; k++)
                    todo.push({ client: clientName(c), username: `${machineName(i)}\\user${k}`, mode: isChange(k, own) ? 'change' : 'report' });
            }
        }
        // Straight into the hub's database with the hub's own vault key (its data dir is this bench's): the
        // API would take minutes for tens of thousands, and setting up is not what is measured.
        const key = (0, secret_box_1.ensureVaultKey)((0, paths_1.dataPaths)(tmp.dir).vaultKey);
        const direct = await postgres_vault_1.PostgresVault.open({ url: pg.url(database), key, maxConnections: 8 });
        key.fill(0);
        try {
            await inParallel(todo.length, 8, async (i) => {
                await direct.addCredential({ ...todo[i], password: Buffer.from(`bench-initial-${i}`), windowsSync: true });
            });
        }
        finally {
            await direct.close();
        }
        progress(`${todo.length} credentials in ${clientsN} clients (straight into PostgreSQL) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        // ---- enrolment: one agent token per machine ------------------------------------------------------------
        const specs = [];
        await inParallel(agentsN, 8, async (i) => {
            const r = await http.request('POST', '/api/agents', { client: clientName(Math.floor(i / perClient)), machine: machineName(i) }, adminToken);
            if (r.status !== 200)
                throw new Error(`enrolling ${machineName(i)}: HTTP ${r.status} ${JSON.stringify(r.body?.error ?? {})}`);
            specs.push({ index: i, machine: machineName(i), client: clientName(Math.floor(i / perClient)), token: r.body.token });
        });
        http.close();
        progress(`${agentsN} agents enrolled (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        // ---- the fleet ---------------------------------------------------------------------------------------
        const intervalMs = intervalS * 1000;
        const rampMs = Math.min(20_000, intervalMs);
        const results = [];
        let readyCount = 0;
        const counters = new Map();
        let failed;
        const readyAll = new Promise((resolve, reject) => {
            // Rejections before or after the race below are read through `failed`.
            for (let w = 0; w < workersN; w++) {
                const child = (0, node_child_process_1.fork)(path.join(__dirname, 'hub-agent-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
                workers.push(child);
                child.on('message', (m) => {
                    if (m.type === 'ready' && ++readyCount === workersN)
                        resolve();
                    else if (m.type === 'progress')
                        counters.set(w, m);
                    else if (m.type === 'result')
                        results.push(m.result);
                    else if (m.type === 'failed')
                        reject((failed = new Error(`agent process ${w}: ${m.error}`)));
                });
                child.once('exit', (code) => { if (code)
                    reject((failed = new Error(`agent process ${w} exited with ${code}`))); });
                const mine = specs.filter((s) => s.index % workersN === w).sort((a, b) => a.index - b.index);
                child.send({ type: 'start', url: hub.url, fingerprint: hub.fingerprint, agents: mine, fleet: agentsN, intervalMs, rampMs, driftPerPass: 0.02 });
            }
        });
        for (const s of specs)
            s.token = ''; // the workers have them; drop this process's copies
        // A hub that cannot keep up never lets the whole fleet through its first pass: measure it as it is then.
        const readyWithin = rampMs + intervalMs + 30_000;
        const settled = await Promise.race([readyAll.then(() => true), sleep(readyWithin).then(() => false)]);
        if (failed)
            throw failed;
        progress(settled
            ? `all agents connected, each did its first pass (${((Date.now() - t0) / 1000).toFixed(0)} s); measuring for ${seconds} s`
            : `the fleet did not settle within ${readyWithin / 1000} s (${readyCount} of ${workersN} agent processes ready); measuring for ${seconds} s anyway`);
        // ---- the measured window: steady reconciles, and push-down writes at a steady rate --------------------
        const from = wallNow();
        const pressure0 = cpuPressureUs();
        for (const w of workers)
            w.send({ type: 'measure', from });
        const writes = [];
        let writeErrors = 0;
        const gapMs = 10_000 / writesPer10s;
        const end = from + seconds * 1000;
        let lastProgress = from;
        const inflight = [];
        for (let k = 0; wallNow() < end && !failed; k++) {
            const due = from + k * gapMs;
            if (due > wallNow())
                await sleep(due - wallNow());
            const machineIdx = Math.floor(Math.random() * agentsN);
            const c = Math.floor(machineIdx / perClient);
            const sharedChange = Math.max(1, Math.round(shared / 5));
            const ownChange = Math.max(1, Math.round(own / 5));
            const target = k % 2 === 0 && shared > 0
                ? { username: `shared${k % sharedChange}`, machines: specs.filter((s) => Math.floor(s.index / perClient) === c).map((s) => s.machine) }
                : { username: `${machineName(machineIdx)}\\user${k % ownChange}`, machines: [machineName(machineIdx)] };
            const sent = wallNow();
            inflight.push(admin.updateCredential(clientName(c), target.username, { password: Buffer.from(`bench-pushed-${k}`) }).then(() => { writes.push({ sent, answered: wallNow(), machines: target.machines }); }, () => { writeErrors++; }));
            if (wallNow() - lastProgress >= 10_000) {
                lastProgress = wallNow();
                const sum = [...counters.values()].reduce((a, x) => ({ calls: a.calls + x.calls, errors: a.errors + x.errors, passes: a.passes + x.passes }), { calls: 0, errors: 0, passes: 0 });
                progress(`${((lastProgress - from) / 1000).toFixed(0)} s: ${writes.length} writes, agents: ${sum.passes} passes, ${sum.calls} calls, ${sum.errors} errors; hub RSS peak ${hub.peakRssMb().toFixed(0)} MB`);
            }
        }
        await Promise.all(inflight);
        if (failed)
            throw failed;
        // The last writes get their push-down a grace period (within the long polls' 25 s).
        await sleep(10_000);
        const collected = new Promise((resolve) => {
            const check = setInterval(() => { if (results.length === workersN) {
                clearInterval(check);
                resolve();
            } }, 100);
        });
        for (const w of workers)
            w.send({ type: 'stop' });
        await collected;
        const rssMb = hub.peakRssMb();
        const pressure1 = cpuPressureUs();
        // ---- figures ---------------------------------------------------------------------------------------
        const byMethod = {};
        for (const r of results)
            for (const [m, xs] of Object.entries(r.latency))
                (byMethod[m] ??= []).push(...xs);
        const all = Object.values(byMethod).flat().sort((a, b) => a - b);
        const methods = Object.fromEntries(Object.entries(byMethod).map(([m, xs]) => {
            xs.sort((a, b) => a - b);
            return [m, { calls: xs.length, p50_ms: Math.round(pct(xs, 0.5) * 10) / 10, p99_ms: Math.round(pct(xs, 0.99) * 10) / 10 }];
        }));
        const changedAt = {};
        for (const r of results)
            for (const [m, ts] of Object.entries(r.changedAt))
                (changedAt[m] ??= []).push(...ts);
        for (const ts of Object.values(changedAt))
            ts.sort((a, b) => a - b);
        const push = [];
        let missed = 0;
        for (const w of writes) {
            for (const m of w.machines) {
                const at = (changedAt[m] ?? []).find((t) => t >= w.sent);
                if (at === undefined)
                    missed++;
                else
                    push.push(Math.max(0, at - w.answered) / 1000);
            }
        }
        push.sort((a, b) => a - b);
        const errors = results.reduce((a, r) => a + r.errors, 0);
        const samples = results.flatMap((r) => r.errorSamples).slice(0, 5);
        if (samples.length)
            progress(`agent errors (first ${samples.length}): ${samples.join(' | ')}`);
        const context = { agents: agentsN, credentials_per_agent: creds, clients: clientsN, interval_s: intervalS, window_s: seconds };
        // Share of the window in which some task waited for a CPU: near 0 on a quiet machine.
        if (pressure0 !== undefined && pressure1 !== undefined)
            context.cpu_pressure_pct = Math.round(((pressure1 - pressure0) / 1000 / (wallNow() - from)) * 1000) / 10;
        emit('hub_api_p50_ms', pct(all, 0.5), 'ms', { calls: all.length, ...context });
        emit('hub_api_p99_ms', pct(all, 0.99), 'ms', { calls: all.length, errors, target: 100, by_method: methods, ...context });
        emit('pushdown_p50_s', pct(push, 0.5), 's', { deliveries: push.length, ...context });
        emit('pushdown_p99_s', pct(push, 0.99), 's', { deliveries: push.length, writes: writes.length, write_errors: writeErrors, missed, target: 5, ...context });
        emit('hub_rss_mb', rssMb, 'MB', { of: 'the pwbridge hub process, peak (VmHWM)', ...context });
        if (!settled)
            throw new Error('the fleet never settled (see the figures above): the hub does not hold this load');
    }
    finally {
        for (const w of workers)
            if (w.exitCode === null)
                w.kill('SIGKILL');
        await admin?.close();
        await hub?.stop();
        tmp.cleanup();
        await pg.query('postgres', `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    }
}
//# sourceMappingURL=hub-agents.js.map