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
exports.CaptureLoad = exports.HubFleet = exports.Agent = exports.HubProc = exports.sleep = exports.CLIENT = void 0;
exports.freePort = freePort;
exports.startProc = startProc;
exports.pollUntil = pollUntil;
exports.hubFleetMissing = hubFleetMissing;
exports.knob = knob;
exports.fullRun = fullRun;
// The hub-side fault scenarios' world, all real processes: a PostgreSQL cluster of the scenario's own
// (pg-cluster.ts, so it may be restarted), one or more `pwbridge hub` processes on it, and agents, each a
// `pwbridge run` with its own data dir enrolled by `pwbridge setup` (as an administrator does), fed by a
// capture speaking the real protocol over its real socket (test/helpers/capture-client.ts).
//
// Every acked change goes into a Ledger; the judge is the vault, read through the hub's API as an admin.
// A hub listens on a port fixed at the start, so it can be stopped and started again where its agents
// (or haproxy) expect it. Each account is a machine's own credential `MACHINE\user` in Report Mismatches
// mode, made through the API before the agents start (version 1): captures change it, reconcile does not.
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const paths_1 = require("../../src/config/paths");
const pam_stack_1 = require("../../src/platform/linux/pam-stack");
const keys_1 = require("../../src/protocol/keys");
const drivers_1 = require("../../src/sqlite/drivers");
const hub_client_1 = require("../../src/vault/hub-client");
const http_vault_1 = require("../../src/vault/http.vault");
const capture_client_1 = require("../helpers/capture-client");
const tmp_1 = require("../helpers/tmp");
const repo_root_1 = require("../vectors/repo-root");
const ledger_1 = require("./ledger");
const pg_cluster_1 = require("./pg-cluster");
exports.CLIENT = 'Acme';
/** The service's V8 flags (bin/pwbridge's shebang line), which a spawn through process.execPath skips. */
const NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];
const BIN = () => path.join((0, repo_root_1.repoRoot)(), 'bin', 'pwbridge');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
/** Every child this process started, ended when it exits however it exits (a failed scenario included). */
const children = new Set();
process.once('exit', () => { for (const c of children)
    c.kill('SIGKILL'); });
/** A port the OS says is free now (bound and closed): a hub must come back on the same one. */
async function freePort() {
    const s = net.createServer();
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    const port = s.address().port;
    await new Promise((r) => s.close(() => r()));
    return port;
}
/** `stdin` (written, then closed) is the caller's copy to give away: it is wiped once written. */
function startProc(argv, opts = {}) {
    const child = (0, node_child_process_1.spawn)(argv[0], argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'], env: opts.env ?? process.env });
    children.add(child);
    let err = '';
    child.stderr.on('data', (d) => { err = (err + d.toString()).slice(-65536); });
    child.stdin.on('error', () => undefined);
    // A password on stdin is wiped once the pipe has taken it (not before: the write may be queued).
    child.stdin.end(opts.stdin, () => opts.stdin?.fill(0));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
        children.delete(child);
        resolve({ code, signal });
    }));
    return { child, stderr: () => err, exited };
}
async function waitFor(what, pred, proc, ms) {
    const until = Date.now() + ms;
    while (!pred()) {
        if (proc && proc.child.exitCode !== null)
            throw new Error(`${what}: the process exited (${proc.child.exitCode}): ${proc.stderr().slice(-2000)}`);
        if (Date.now() > until)
            throw new Error(`timed out waiting for ${what}${proc ? `: ${proc.stderr().slice(-2000)}` : ''}`);
        await (0, exports.sleep)(50);
    }
}
/** Poll `fn` until it returns something other than undefined. */
async function pollUntil(what, fn, ms, every = 250) {
    const until = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v !== undefined)
            return v;
        if (Date.now() > until)
            throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
        await (0, exports.sleep)(every);
    }
}
/** `fn` over `items`, at most four at a time (the machine has two cores). */
async function fourAtATime(items, fn) {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(4, items.length) }, async () => {
        while (next < items.length)
            await fn(items[next++]);
    }));
}
// ---- hubs -----------------------------------------------------------------------------------------------
class HubProc {
    name;
    dir;
    port;
    db;
    adminPassword;
    proc;
    fingerprint = '';
    /** Every start of this hub, for the scenario's detail. */
    starts = 0;
    /** How it ended when nobody stopped it (a crash), with the end of its stderr. */
    crashed;
    stopping = false;
    constructor(name, dir, port, db, adminPassword) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.db = db;
        this.adminPassword = adminPassword;
    }
    get url() {
        return `https://127.0.0.1:${this.port}`;
    }
    get running() {
        return this.proc !== undefined && this.proc.child.exitCode === null && this.proc.child.signalCode === null;
    }
    get pid() {
        return this.proc?.child.pid;
    }
    async start() {
        const stdin = Buffer.concat([this.adminPassword, Buffer.from('\n')]);
        const proc = startProc([process.execPath, BIN(), '--data-dir', this.dir, 'hub', '--db', this.db,
            '--listen', `127.0.0.1:${this.port}`, '--admin-password-stdin'], { stdin });
        this.proc = proc;
        this.stopping = false;
        void proc.exited.then((r) => {
            if (!this.stopping)
                this.crashed = { ...r, stderr: proc.stderr().slice(-3000) };
        });
        await waitFor(`hub ${this.name} to listen`, () => /certificate SHA-256 fingerprint/.test(proc.stderr()), proc, 60_000);
        this.fingerprint = /certificate SHA-256 fingerprint ([0-9A-F:]{95})/.exec(proc.stderr())[1];
        this.starts++;
    }
    /** SIGTERM and wait (the hub answers its open long polls and closes). */
    async stop() {
        if (!this.running)
            return;
        this.stopping = true;
        this.proc.child.kill('SIGTERM');
        await this.proc.exited;
    }
    /** SIGKILL: no goodbye to anyone. */
    async kill() {
        if (!this.running)
            return;
        this.stopping = true;
        this.proc.child.kill('SIGKILL');
        await this.proc.exited;
    }
    /** The hub's own log lines (pino JSON), e.g. the statuses it answered. */
    logLines() {
        const file = path.join(this.dir, 'log', 'hub.log');
        if (!fs.existsSync(file))
            return [];
        return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => { try {
            return JSON.parse(l);
        }
        catch {
            return {};
        } });
    }
}
exports.HubProc = HubProc;
class Agent {
    machine;
    dir;
    opts;
    proc;
    capture;
    accounts;
    constructor(machine, dir, accounts, opts = {}) {
        this.machine = machine;
        this.dir = dir;
        this.opts = opts;
        this.accounts = Array.from({ length: accounts }, (_, k) => `${machine.toLowerCase().replace(/[^a-z0-9]/g, '')}u${k}`);
    }
    get socketPath() {
        return path.join(this.dir, 'run', 'capture.sock');
    }
    /** Now, by this machine's clock. */
    now() {
        return Date.now() + (this.opts.clockOffsetMs ?? 0);
    }
    async start() {
        const preload = this.opts.clockOffsetMs ? ['--require', path.join(__dirname, 'skewed-clock.js')] : [];
        const env = { ...process.env, NO_COLOR: '1', PWB_FAULTS_CLOCK_OFFSET_MS: String(this.opts.clockOffsetMs ?? 0) };
        const proc = startProc([process.execPath, ...NODE_FLAGS, ...preload, BIN(), '--data-dir', this.dir, 'run'], { env });
        this.proc = proc;
        await waitFor(`the service ${this.machine} to serve`, () => /serving .*capture\.sock/.test(proc.stderr()), proc, 60_000);
        await this.connectCapture();
    }
    /**
     * The capture's connection, made again when the service closed it: it closes one idle for 30 s, and a
     * real capture connects per change anyway.
     */
    async connectCapture() {
        if (this.capture && this.capture.session.state === 'ready')
            return this.capture;
        this.capture?.destroy();
        const keys = (0, keys_1.loadKeys)((0, paths_1.dataPaths)(this.dir).keysDir);
        try {
            this.capture = await capture_client_1.CaptureClient.connect(this.socketPath, {
                secret: keys.secret, bridgePub: keys.publicKey, bootId: Buffer.from((0, pam_stack_1.readBootId)().replace(/-/g, ''), 'hex'),
                machine: this.machine, timeoutMs: 20_000, now: () => this.now(),
            });
            return this.capture;
        }
        finally {
            (0, keys_1.wipeKeys)(keys);
        }
    }
    async stop() {
        this.capture?.destroy();
        this.capture = undefined;
        if (!this.proc || this.proc.child.exitCode !== null)
            return;
        this.proc.child.kill('SIGTERM');
        await this.proc.exited;
    }
    /** The service's pino log, parsed. */
    logLines() {
        const file = (0, paths_1.dataPaths)(this.dir).logFile;
        if (!fs.existsSync(file))
            return [];
        return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => { try {
            return JSON.parse(l);
        }
        catch {
            return {};
        } });
    }
    db;
    /** The journal as the service keeps it (read-only): counts by state and outcome. */
    journal() {
        this.db ??= (0, drivers_1.defaultSqliteDriver)().open((0, paths_1.dataPaths)(this.dir).stateDb, { readonly: true });
        const rows = this.db.prepare('SELECT state, outcome, count(*) AS n, max(attempts) AS a FROM journal GROUP BY state, outcome').all();
        const out = { pending: 0, done: 0, superseded: 0, dead: 0, byOutcome: {}, maxAttempts: 0 };
        for (const r of rows) {
            out[r.state] += r.n;
            const k = r.outcome?.replace(/ by .*/, '');
            if (k)
                out.byOutcome[k] = (out.byOutcome[k] ?? 0) + r.n;
            out.maxAttempts = Math.max(out.maxAttempts, r.a ?? 0);
        }
        return out;
    }
    /** A few pending entries: attempts, when the next falls due, the last error. */
    pendingRows(limit) {
        this.db ??= (0, drivers_1.defaultSqliteDriver)().open((0, paths_1.dataPaths)(this.dir).stateDb, { readonly: true });
        return this.db.prepare(`SELECT account, attempts, next_attempt_at - ? AS next_in_ms, last_error FROM journal
      WHERE state = 'pending' LIMIT ${Math.floor(limit)}`).all(Date.now());
    }
    closeJournal() {
        this.db?.close();
        this.db = undefined;
    }
}
exports.Agent = Agent;
class HubFleet {
    opts;
    ledger = new ledger_1.Ledger();
    /** What went into the ledger, for scenarios that look at one account's changes. */
    sentLog = [];
    hubs = [];
    agents = [];
    admin;
    agentUrl = '';
    /** The scenario's own PostgreSQL (pg-cluster.ts): one a scenario may restart. */
    pg;
    database = 'faults';
    tmp = (0, tmp_1.makeTempDir)('pwbridge-faults-hub-');
    adminPassword = Buffer.from((0, node_crypto_1.randomBytes)(18).toString('base64url'));
    counter = 0;
    constructor(opts) {
        this.opts = opts;
    }
    get dbUrl() {
        return this.pg.url(this.database);
    }
    /** PostgreSQL, the hubs (the first makes the vault key and certificate, the others get copies), the vault's accounts, the agents. */
    static async start(opts) {
        const f = new HubFleet(opts);
        try {
            await f.init();
            return f;
        }
        catch (err) {
            await f.stop();
            throw err;
        }
    }
    async init() {
        const { progress } = this.opts;
        this.pg = await pg_cluster_1.PgCluster.start();
        for (let h = 0; h < this.opts.hubs; h++) {
            const dir = path.join(this.tmp.dir, `hub${h}`);
            fs.mkdirSync(dir, { mode: 0o700 });
            if (h > 0) {
                // A second hub machine gets the first one's vault key and TLS certificate (agents pin one certificate).
                for (const rel of ['keys/vault.key', 'keys/hub-tls.key', 'tls/hub.crt']) {
                    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true, mode: 0o700 });
                    fs.copyFileSync(path.join(this.tmp.dir, 'hub0', rel), path.join(dir, rel));
                }
            }
            const hub = new HubProc(`hub${h}`, dir, await freePort(), this.dbUrl, this.adminPassword);
            await hub.start();
            this.hubs.push(hub);
        }
        if (new Set(this.hubs.map((h) => h.fingerprint)).size !== 1)
            throw new Error('the hubs present different certificates');
        this.agentUrl = this.opts.agentUrl ? await this.opts.agentUrl(this.hubs, this.tmp.dir) : this.hubs[0].url;
        progress(`${this.hubs.length} hub process(es) on one PostgreSQL database; agents use ${this.agentUrl}`);
        // The admin goes where the agents go (through a proxy, when there is one).
        this.admin = http_vault_1.HttpVault.open({ url: this.agentUrl, fingerprint: this.hubs[0].fingerprint }, await this.login(this.hubs[0]));
        await this.admin.addClient({ name: exports.CLIENT, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
        for (let i = 0; i < this.opts.agents; i++) {
            const machine = `WS${String(i).padStart(3, '0')}`;
            const dir = path.join(this.tmp.dir, machine);
            fs.mkdirSync(path.join(dir, 'pam.d'), { recursive: true, mode: 0o700 });
            fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine, reconcileInterval: '1h', pamDir: path.join(dir, 'pam.d'), ...this.opts.agentConfig }));
            const agent = new Agent(machine, dir, this.opts.accountsPerAgent, this.opts.agentOptions?.(i));
            this.agents.push(agent);
            for (const account of agent.accounts) {
                const c = await this.admin.addCredential({ client: exports.CLIENT, username: `${machine}\\${account}`, password: Buffer.from(`initial-${account}`), windowsSync: true, mode: 'report' });
                this.ledger.base(account, c.version);
            }
        }
        // Enrolment, four at a time (each `pwbridge setup` logs in: a scrypt on the hub).
        await fourAtATime(this.agents, async (a) => {
            const stdin = Buffer.concat([Buffer.from('admin\n'), this.adminPassword, Buffer.from('\n')]);
            const setup = startProc([process.execPath, BIN(), '--data-dir', a.dir, 'setup', '--hub', this.agentUrl,
                '--insecure-fingerprint', this.hubs[0].fingerprint, '--client', exports.CLIENT], { stdin });
            const r = await setup.exited;
            if (r.code !== 0)
                throw new Error(`pwbridge setup of ${a.machine} failed (${r.code ?? r.signal}): ${setup.stderr()}`);
        });
        progress(`${this.agents.length} agents enrolled (pwbridge setup), ${this.opts.accountsPerAgent} accounts each`);
        await fourAtATime(this.agents, (a) => a.start());
        progress(`${this.agents.length} services running (pwbridge run), each with its capture connected`);
    }
    /** Admin requests that got no answer and were sent again (through a proxy during a failover). */
    adminRetries = 0;
    /**
     * An admin request, sent again (up to 5 times, 1 s apart) when it got no answer at all: the scenario's
     * own reads and writes go through the same proxy as the agents, and an agent retries too (its journal).
     */
    async retrying(fn) {
        for (let attempt = 1;; attempt++) {
            try {
                return await fn(this.admin);
            }
            catch (err) {
                const noAnswer = typeof err.code === 'string' || /socket disconnected|socket hang up/.test(err.message);
                if (!noAnswer || attempt >= 5)
                    throw err;
                this.adminRetries++;
                await (0, exports.sleep)(1000);
            }
        }
    }
    /** A session token for the admin on `hub`. */
    async login(hub) {
        const anon = new hub_client_1.HubClient({ url: hub.url, fingerprint: hub.fingerprint });
        try {
            const r = await anon.request('POST', '/api/login', { user: 'admin', password: this.adminPassword.toString('base64'), bearer: true });
            if (r.status !== 200)
                throw new Error(`admin login: HTTP ${r.status}`);
            return r.body.token;
        }
        finally {
            anon.close();
        }
    }
    /**
     * One captured change of `account` on `agent`, in the ledger; resolves with whether it was acked (an
     * ack is the service's promise that the change is durable in its journal).
     */
    async change(agent, account, opts = {}) {
        const password = `${account}-${++this.counter}-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
        const capturedAt = opts.capturedAt ?? agent.now();
        const t0 = Date.now();
        let s;
        try {
            s = (await agent.connectCapture()).send({ account, encoding: 1, password: Buffer.from(password), capturedAt });
        }
        catch {
            // The service is not there to take it (a real capture would spool it): not sent, not in the ledger.
            return { acked: false, ackMs: Date.now() - t0, eventIdHex: '', capturedAt };
        }
        // The ledger keeps true times (this machine's clock less its offset), so changes from machines with
        // different clocks and the hub's own writes compare as they happened.
        this.record({ account, password, eventIdHex: s.eventIdHex, capturedAt: capturedAt - (agent.opts.clockOffsetMs ?? 0) });
        const within = opts.ackWithinMs ?? 10_000;
        const acked = await Promise.race([s.acked.then(() => true, () => false), (0, exports.sleep)(within).then(() => false)]);
        if (acked)
            this.ledger.acked(s.eventIdHex);
        return { acked, ackMs: Date.now() - t0, eventIdHex: s.eventIdHex, capturedAt };
    }
    record(c) {
        this.ledger.sent(c);
        this.sentLog.push(c);
    }
    changesOf(account) {
        return this.sentLog.filter((c) => c.account === account);
    }
    /** A password set in the vault by the admin (through the hub's API), in the ledger with the hub's time of it. */
    async vaultWrite(account) {
        const agent = this.agents.find((a) => a.accounts.includes(account));
        const password = `${account}-admin-${++this.counter}-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
        const c = await this.retrying((v) => v.updateCredential(exports.CLIENT, `${agent.machine}\\${account}`, { password: Buffer.from(password) }));
        const id = `admin-${this.counter}`;
        this.record({ account, password, eventIdHex: id, capturedAt: c.passwordSetAt });
        this.ledger.acked(id);
        return c.passwordSetAt;
    }
    /** The vault's view of one account, through the hub's API as the admin. */
    async view(account) {
        const agent = this.agents.find((a) => a.accounts.includes(account));
        const c = await this.retrying((v) => v.findCredential(exports.CLIENT, `${agent.machine}\\${account}`));
        if (!c)
            return undefined;
        const pw = await this.retrying((v) => v.readPassword(c.id));
        try {
            return { version: c.version, passwordSetAt: c.passwordSetAt, password: pw.toString('utf8') };
        }
        finally {
            pw.fill(0);
        }
    }
    async flags(account) {
        const agent = this.agents.find((a) => a.accounts.includes(account));
        return (await this.retrying((v) => v.findCredential(exports.CLIENT, `${agent.machine}\\${account}`)))?.flags ?? [];
    }
    /** Pending entries over every agent's journal. */
    pending() {
        return this.agents.reduce((n, a) => n + a.journal().pending, 0);
    }
    /** Wait until no agent's journal holds a pending entry; resolves with when that was seen. */
    async drained(ms) {
        try {
            await pollUntil('every journal to drain', () => (this.pending() === 0 ? true : undefined), ms, 100);
        }
        catch (err) {
            throw new Error(`${err.message}; still pending: ${JSON.stringify(this.pendingSample())}`);
        }
        return Date.now();
    }
    /** A few pending entries with their attempts, next try and last error, for a failure's message. */
    pendingSample() {
        return this.agents.flatMap((a) => a.pendingRows(2)).slice(0, 6);
    }
    /** Journal counts summed over the agents. */
    journalTotals() {
        const t = { pending: 0, done: 0, superseded: 0, dead: 0, byOutcome: {}, maxAttempts: 0 };
        for (const a of this.agents) {
            const j = a.journal();
            t.pending += j.pending;
            t.done += j.done;
            t.superseded += j.superseded;
            t.dead += j.dead;
            for (const [k, v] of Object.entries(j.byOutcome))
                t.byOutcome[k] = (t.byOutcome[k] ?? 0) + v;
            t.maxAttempts = Math.max(t.maxAttempts, j.maxAttempts);
        }
        return t;
    }
    /** Every service still running (none crashed). */
    agentsAlive() {
        return this.agents.every((a) => a.proc !== undefined && a.proc.child.exitCode === null && a.proc.child.signalCode === null);
    }
    async stop() {
        for (const a of this.agents) {
            a.closeJournal();
            await a.stop().catch(() => undefined);
        }
        await this.admin?.close();
        for (const h of this.hubs)
            await h.stop().catch(() => undefined);
        this.adminPassword.fill(0);
        this.pg?.stopNow();
        this.tmp.cleanup();
    }
}
exports.HubFleet = HubFleet;
/** Root: the services and setup write keys as their owner expects, and PostgreSQL runs as `postgres` under root. */
function hubFleetMissing() {
    if (process.platform !== 'linux')
        return 'the hub scenarios run on Linux';
    if (process.getuid?.() !== 0)
        return 'the hub scenarios run the services as root, as deployed (run as root)';
    return undefined;
}
/** An integer environment knob with its default. */
function knob(name, dflt) {
    const raw = process.env[name];
    if (raw === undefined || raw === '')
        return dflt;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0)
        throw new Error(`${name} must be a number ≥ 0, got ${JSON.stringify(raw)}`);
    return v;
}
/**
 * Captures at a steady pace on every agent until stopped: each agent's changes go one at a time (the next
 * after the previous one's ack or its deadline), round-robin over its accounts, as users changing
 * passwords one after another on that machine. Every ack's latency is kept with its time.
 */
class CaptureLoad {
    acks = [];
    stopped = false;
    loops;
    constructor(fleet, perAgentPerS, agents = fleet.agents) {
        const gap = 1000 / perAgentPerS;
        this.loops = agents.map(async (agent, i) => {
            await (0, exports.sleep)((gap * i) / agents.length); // spread the agents over one gap
            for (let n = 0; !this.stopped; n++) {
                const t0 = Date.now();
                const r = await fleet.change(agent, agent.accounts[n % agent.accounts.length], { ackWithinMs: 10_000 });
                this.acks.push({ at: t0, ms: r.ackMs, acked: r.acked, machine: agent.machine });
                await (0, exports.sleep)(Math.max(0, gap - (Date.now() - t0)));
            }
        });
    }
    async stop() {
        this.stopped = true;
        await Promise.all(this.loops);
    }
    /** Captures sent within [from, to], how many were not acked in time, and the slowest ack (ms). */
    window(from = 0, to = Infinity) {
        const xs = this.acks.filter((a) => a.at >= from && a.at <= to);
        return { sent: xs.length, notAcked: xs.filter((a) => !a.acked).length, maxAckMs: xs.reduce((m, a) => Math.max(m, a.ms), 0) };
    }
}
exports.CaptureLoad = CaptureLoad;
/** Whether `npm run faults` runs this (full knobs) rather than the CI test (reduced ones). */
function fullRun() {
    return /[\\/]faults[\\/]run\.js$/.test(require.main?.filename ?? '');
}
//# sourceMappingURL=hub-fleet.js.map