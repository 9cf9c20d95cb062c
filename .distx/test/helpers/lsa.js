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
exports.LsaWorld = exports.neverAnswer = exports.closeAtOnce = exports.LsaHarness = exports.FAILSTART_DLL = void 0;
exports.utf16hex = utf16hex;
exports.startRelay = startRelay;
exports.toSocket = toSocket;
exports.until = until;
// The real pwbridge_filter.dll, driven by native/lsa/test/harness.c (harness.exe, under Wine here) the way
// lsass.exe drives it, talking to the real TypeScript bridge. Wine has no AF_UNIX, so the bytes travel
//
//   DLL ─ named pipe ─▶ harness.exe (serves the pipe) ─ TCP 127.0.0.1 ─▶ startRelay() ─ Unix socket ─▶ bridge
//
// and the relay can hand a connection to a squatter instead of the bridge.
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const readline = __importStar(require("node:readline"));
const paths_1 = require("../../src/config/paths");
const key_files_1 = require("../../src/protocol/key-files");
const drivers_1 = require("../../src/sqlite/drivers");
const bridge_harness_1 = require("./bridge-harness");
const tmp_1 = require("./tmp");
const wine_1 = require("./wine");
/** The test build of the filter whose second thread fails to start (CMake target pwbridge_filter_failstart). */
exports.FAILSTART_DLL = path.join(wine_1.BUILD_WIN, 'test', 'pwbridge_filter_failstart.dll');
/** A UTF-16LE string as the harness takes it: hex, with "" for the empty string. */
function utf16hex(s) {
    const b = typeof s === 'string' ? Buffer.from(s, 'utf16le') : s;
    return b.length ? b.toString('hex') : '""';
}
/** One harness.exe process: commands on its stdin, one "ok …"/"err …" answer line each. */
class LsaHarness {
    child;
    answers = [];
    wake;
    chain = Promise.resolve();
    exited;
    stderr = '';
    constructor(child) {
        this.child = child;
        const rl = readline.createInterface({ input: child.stdout });
        rl.on('line', (l) => {
            this.answers.push(l);
            this.wake?.();
        });
        child.stderr.on('data', (d) => (this.stderr += d.toString()));
        this.exited = new Promise((resolve) => child.once('exit', (code) => {
            this.wake?.();
            resolve(code);
        }));
        child.stdin.on('error', () => undefined);
    }
    /** wineDebug: WINEDEBUG for this process under Wine (e.g. `-all,warn+eventlog`, whose lines on stderr are
     * what ReportEventW was given: Wine keeps no event log). */
    static async start(opts = {}) {
        const env = opts.wineDebug ? { WINEDEBUG: opts.wineDebug } : undefined;
        const h = new LsaHarness((0, wine_1.spawnWindows)(wine_1.HARNESS_EXE, [], { stdio: ['pipe', 'pipe', 'pipe'], env }));
        await h.next(60_000);
        return h;
    }
    /** What the process wrote to stderr so far. */
    stderrText() {
        return this.stderr;
    }
    async next(timeoutMs) {
        const end = Date.now() + timeoutMs;
        for (;;) {
            const line = this.answers.shift();
            if (line !== undefined)
                return line;
            if (this.child.exitCode !== null || this.child.signalCode !== null)
                throw new Error(`harness.exe exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr}`);
            const left = end - Date.now();
            if (left <= 0)
                throw new Error(`harness.exe did not answer in ${timeoutMs} ms`);
            await new Promise((resolve) => {
                const t = setTimeout(resolve, left);
                this.wake = () => { clearTimeout(t); resolve(); };
            });
        }
    }
    /** Send one command; resolves with what follows "ok ", rejects with the "err" line. In order. */
    cmd(line, timeoutMs = 60_000) {
        const run = this.chain.then(async () => {
            this.child.stdin.write(`${line}\n`);
            const answer = await this.next(timeoutMs);
            if (!answer.startsWith('ok'))
                throw new Error(`harness: ${line.split(' ')[0]}: ${answer}`);
            return answer.slice(3);
        });
        this.chain = run.catch(() => undefined);
        return run;
    }
    async notify(account, rid, password) {
        const a = account === null ? '-' : utf16hex(account);
        const p = password === null ? '-' : utf16hex(password);
        const [, status, ns] = (await this.cmd(`notify ${a} ${rid} ${p}`)).split(' ');
        return { status: parseInt(status, 16), ns: Number(ns) };
    }
    async stats() {
        const out = {};
        for (const kv of (await this.cmd('stats')).split(' ').slice(1)) {
            const [k, v] = kv.split('=');
            out[k] = Number(v);
        }
        return out;
    }
    async spooled() {
        return Number((await this.cmd('spool')).split(' ')[1]);
    }
    async reg(name, type, value) {
        await this.cmd(`reg set ${name} ${type} ${value}`);
    }
    /** Hits of `bytes` anywhere in the harness's committed memory (its own read buffer excepted). */
    async scan(bytes) {
        const out = await this.cmd(`scan ${bytes.toString('hex')}`, 120_000);
        return { hits: Number(out.split(' ')[1]), detail: out };
    }
    /** lsass at shutdown: the process ends with the worker wherever it was; nothing is unloaded. */
    async exit() {
        this.child.stdin.write('exit\n');
        await this.exited;
    }
    kill() {
        if (this.child.exitCode === null)
            this.child.kill('SIGKILL');
    }
}
exports.LsaHarness = LsaHarness;
async function startRelay(route) {
    const sockets = new Set();
    const relay = {
        port: 0,
        route,
        close: () => new Promise((resolve) => {
            for (const s of sockets)
                s.destroy();
            server.close(() => resolve());
        }),
    };
    const server = net.createServer((s) => {
        sockets.add(s);
        s.once('close', () => sockets.delete(s));
        s.on('error', () => undefined);
        relay.route(s);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay.port = server.address().port;
    return relay;
}
/** Route: carry the connection's bytes both ways to a Unix socket (the bridge's). */
function toSocket(socketPath) {
    return (s) => {
        const up = net.connect(socketPath);
        up.on('error', () => s.destroy());
        s.on('error', () => up.destroy());
        s.on('close', () => up.destroy());
        up.on('close', () => s.destroy());
        s.pipe(up);
        up.pipe(s);
    };
}
/** Route: nobody home (the connection is closed at once). */
const closeAtOnce = (s) => {
    s.destroy();
};
exports.closeAtOnce = closeAtOnce;
/** Route: accept and never answer (a hung bridge). */
const neverAnswer = (s) => {
    s.on('data', () => undefined);
};
exports.neverAnswer = neverAnswer;
/**
 * One test's world: a data dir with the install's keys and config (TESTHOST, reconcile off), the relay,
 * and a harness.exe with the DLL loaded and HKLM\SOFTWARE\pwbridge pointing at that data dir, at a pipe
 * of its own, and at the harness's own account as the service (under Wine every process has one SID).
 * The bridge is started on demand; its filter state takes the DLL's boot id as this boot's.
 */
class LsaWorld {
    bridge;
    harness;
    relay;
    bootId = '';
    machine = '';
    sid = '';
    pipe = `\\\\.\\pipe\\pwbridge-test-${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
    tmp = (0, tmp_1.makeTempDir)('pwbridge-lsa-');
    dir = this.tmp.dir;
    /** WINEDEBUG for the harness processes this world boots (LsaHarness.start). */
    wineDebug;
    static async create(opts) {
        const w = new LsaWorld();
        w.wineDebug = opts.wineDebug;
        (0, paths_1.ensureDataDir)((0, paths_1.dataPaths)(w.dir));
        (0, key_files_1.ensureKeys)(path.join(w.dir, 'keys'));
        fs.writeFileSync(path.join(w.dir, 'config.json'), JSON.stringify({
            machine: 'TESTHOST', reconcileInterval: '1h', pamDir: path.join(w.dir, 'no-pam.d'),
        }));
        w.relay = await startRelay(exports.closeAtOnce);
        if (opts.bridge)
            await w.startBridge();
        await w.boot(opts.settings, true, opts.keyMadeAfterInit);
        return w;
    }
    /** A harness process with the DLL loaded and configured, serving the pipe, InitializeChangeNotify called.
     * keyMadeAfterInit: HKLM\SOFTWARE\pwbridge does not exist at InitializeChangeNotify and is written after. */
    async boot(settings = {}, serve = true, keyMadeAfterInit = false) {
        const h = await LsaHarness.start({ wineDebug: this.wineDebug });
        this.harness = h;
        await h.cmd(`load ${(0, wine_1.winPath)(wine_1.FILTER_DLL)}`);
        await h.cmd(keyMadeAfterInit ? 'reg drop' : 'reg clear');
        this.sid = (await h.cmd('sid')).split(' ')[1];
        const [, boot, machine] = (await h.cmd('facts')).split(' ');
        this.bootId = boot;
        this.machine = machine;
        const all = {
            DataDir: ['sz', (0, wine_1.winPath)(this.dir)],
            PipeName: ['sz', this.pipe],
            ServiceSid: ['sz', this.sid],
            TimeoutMs: ['dword', 2000],
            HeartbeatSeconds: ['dword', 1],
            ...settings,
        };
        if (keyMadeAfterInit)
            await h.cmd('init');
        for (const [name, [type, value]] of Object.entries(all))
            await h.reg(name, type, value);
        if (serve)
            await h.cmd(`serve relay ${this.relay.port}`); // serves the PipeName just written
        if (!keyMadeAfterInit)
            await h.cmd('init');
        return h;
    }
    /** The simulated reboot: this harness process ends (lsass at shutdown), a new one loads the DLL. */
    async reboot(settings) {
        await this.harness.exit();
        return this.boot(settings);
    }
    async startBridge() {
        this.bridge = await (0, bridge_harness_1.startHarness)({ dir: this.dir, platform: (real) => ({ ...real, bootId: () => this.bootId || real.bootId() }) });
        this.relay.route = toSocket(this.bridge.config.socketPath);
        return this.bridge;
    }
    async stopBridge() {
        this.relay.route = exports.closeAtOnce;
        await this.bridge?.stop();
        this.bridge = undefined;
    }
    /** The journal's rows (what the bridge accepted), oldest first. */
    journal() {
        const db = (0, drivers_1.defaultSqliteDriver)().open(path.join(this.dir, 'state.db'), { readonly: true });
        try {
            return db.prepare('SELECT event_id, account, account_id, encoding, machine FROM journal ORDER BY seq').all();
        }
        finally {
            db.close();
        }
    }
    /** The vault's password for MACHINE\account, or undefined. */
    async vaultPassword(account) {
        const b = this.bridge;
        await b.bridge.drain();
        const cred = (await b.install.vault.listCredentials(b.config.client)).find((c) => c.username.toLowerCase().endsWith(`\\${account.toLowerCase()}`));
        return cred ? b.install.vault.readPassword(cred.id) : undefined;
    }
    async events(kind) {
        await this.bridge.install.events.flush();
        return this.bridge.install.vault.queryEvents({ kind });
    }
    spoolFiles() {
        const dir = path.join(this.dir, 'spool');
        return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    }
    async destroy() {
        // On a real Windows the settings key outlives the process: leave it as it was found (absent).
        if (this.harness)
            await this.harness.cmd('reg drop', 10_000).catch(() => undefined);
        this.harness?.kill();
        await this.harness?.exited;
        await this.relay?.close();
        await this.bridge?.stop().catch(() => undefined);
        this.tmp.cleanup();
    }
}
exports.LsaWorld = LsaWorld;
/** Poll `check` until it returns something other than undefined/false, or fail after `timeoutMs`. */
async function until(what, check, timeoutMs = 20_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = await check();
        if (v !== undefined && v !== false)
            return v;
        if (Date.now() > end)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
//# sourceMappingURL=lsa.js.map