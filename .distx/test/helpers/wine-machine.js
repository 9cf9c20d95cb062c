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
exports.WineMachine = void 0;
// One Windows machine under Wine for the whole-product tests: its own prefix (C:\, the registry, the
// service manager), set to Windows 10, that can be "rebooted". Unlike wine.ts's shared prefix, which the
// filter tests use as a workbench, this one is a machine the MSI is installed on.
//
// Reboot: `wineserver -k` ends every process of the prefix (lsass's stand-in, the service: a power cut for
// them), then a new wineserver and `wineboot` boot it again: pending file renames are done and the
// automatic services start, as at a Windows boot. A persistent wineserver (-p) keeps the machine up
// between commands: without it Wine ends the services when the last ordinary program exits.
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const wine_1 = require("./wine");
const WINESERVER = '/usr/lib/wine/wineserver';
class WineMachine {
    prefix;
    children = new Set();
    constructor(prefix) {
        this.prefix = prefix;
    }
    /** A fresh machine: a new prefix (about 10 s) that says Windows 10, booted. */
    static create() {
        const m = new WineMachine(fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-machine-')));
        m.wine(['wineboot', '-i'], 180_000);
        // Windows 10 the way shared/TOOLCHAIN.md made a prefix say it (CurrentVersion alone; `winecfg /v win10`
        // also sets CurrentMajorVersionNumber): the MSI's OS condition and node.exe accept either.
        m.wine(['reg', 'add', 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'CurrentVersion', '/d', '10.0', '/f'], 60_000);
        // Windows gives a starting service 30 s to report running; Wine's services.exe gives 10 s unless this
        // value says otherwise, and node.exe under Wine on a busy machine can take longer than that to start.
        m.wine(['reg', 'add', 'HKLM\\SYSTEM\\CurrentControlSet\\Control', '/v', 'ServicesPipeTimeout', '/t', 'REG_DWORD', '/d', '30000', '/f'], 60_000);
        // Let that session end whole: a server still winding down when keepUp() makes it persistent keeps a
        // half-stopped services.exe, and the next program starts a second one beside it.
        (0, node_child_process_1.spawnSync)(WINESERVER, ['-w'], { env: m.env(), stdio: 'ignore', timeout: 60_000 });
        m.keepUp();
        return m;
    }
    env(extra = {}) {
        return { ...process.env, WINEPREFIX: this.prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree=d;mshtml=d', ...extra };
    }
    /** The host path of a path on this machine's C: drive. */
    hostPath(winPath) {
        const m = /^([A-Za-z]):\\(.*)$/.exec(winPath);
        if (!m || m[1].toUpperCase() !== 'C')
            throw new Error(`not a C: path: ${winPath}`);
        return path.join(this.prefix, 'drive_c', ...m[2].split('\\').filter(Boolean));
    }
    /** Run a Windows program to completion, its stdout and stderr through files (Node's node.exe dies
     * writing to a pipe under Wine). */
    async run(exe, args, timeoutMs = 120_000) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-run-'));
        const out = fs.openSync(path.join(dir, 'out'), 'w');
        const err = fs.openSync(path.join(dir, 'err'), 'w');
        try {
            const child = (0, node_child_process_1.spawn)(wine_1.WINE, [exe, ...args], { env: this.env(), stdio: ['ignore', out, err] });
            const code = await new Promise((resolve, reject) => {
                const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${exe} ${args.join(' ')}: no answer in ${timeoutMs} ms`)); }, timeoutMs);
                child.once('error', (e) => { clearTimeout(t); reject(e); });
                child.once('exit', (c) => { clearTimeout(t); resolve(c); });
            });
            return { code, stdout: fs.readFileSync(path.join(dir, 'out'), 'utf8'), stderr: fs.readFileSync(path.join(dir, 'err'), 'utf8') };
        }
        finally {
            fs.closeSync(out);
            fs.closeSync(err);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    /** A long-running Windows program with pipes for stdio (C programs only: see run()). Ended by shutdown(). */
    spawn(exe, args, opts = {}) {
        const child = (0, node_child_process_1.spawn)(wine_1.WINE, [exe, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...opts, env: this.env(opts.env) });
        this.children.add(child);
        child.once('exit', () => this.children.delete(child));
        return child;
    }
    /** `reg query KEY /v NAME`: the value's type and data as reg prints them, or undefined when absent. */
    regQuery(key, name) {
        const r = this.wine(['reg', 'query', key, '/v', name]);
        if (r.code !== 0)
            return undefined;
        for (const line of r.stdout.split(/\r?\n/)) {
            const m = /^\s+(.+?)\s{4}(REG_\w+)\s{4}(.*)$/.exec(line) ?? /^\s+(.+?)\s{4}(REG_\w+)$/.exec(line);
            if (m && m[1].toLowerCase() === name.toLowerCase())
                return { type: m[2], data: m[3] ?? '' };
        }
        return undefined;
    }
    /** `reg query KEY`: whether the key exists. */
    regKeyExists(key) {
        return this.wine(['reg', 'query', key]).code === 0;
    }
    /** A Windows program run synchronously (reg, sc, wineboot), its output as text. Its stdout and stderr
     * are files: the first program of a session starts Wine's own (services.exe, …), which inherit them and
     * live on with the persistent wineserver, so a pipe would never close. */
    wine(args, timeoutMs = 60_000) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-run-'));
        const out = fs.openSync(path.join(dir, 'out'), 'w');
        const err = fs.openSync(path.join(dir, 'err'), 'w');
        try {
            const r = (0, node_child_process_1.spawnSync)(wine_1.WINE, args, { env: this.env(), stdio: ['ignore', out, err], timeout: timeoutMs });
            if (r.error)
                throw r.error;
            return { code: r.status, stdout: fs.readFileSync(path.join(dir, 'out'), 'utf8'), stderr: fs.readFileSync(path.join(dir, 'err'), 'utf8') };
        }
        finally {
            fs.closeSync(out);
            fs.closeSync(err);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    /** A power cut and a boot: every process ends, then the automatic services start again. */
    reboot() {
        this.powerOff();
        this.keepUp();
        this.wine(['wineboot'], 120_000);
    }
    /** End every process of the machine (the prefix is kept). */
    powerOff() {
        for (const c of this.children)
            c.kill('SIGKILL');
        (0, node_child_process_1.spawnSync)(WINESERVER, ['-k'], { env: this.env(), stdio: 'ignore', timeout: 30_000 });
        // -k returns once the server is told; wait until it is gone, so the next start is a new boot.
        (0, node_child_process_1.spawnSync)(WINESERVER, ['-w'], { env: this.env(), stdio: 'ignore', timeout: 30_000 });
    }
    /** Power off and remove the prefix. */
    destroy() {
        this.powerOff();
        fs.rmSync(this.prefix, { recursive: true, force: true });
    }
    /** A machine that is up: a persistent wineserver, and one ordinary program that lives until power-off
     * (cmd.exe waiting on a stdin that never ends), as a logged-on session would. Without it Wine ends its
     * services.exe whenever the last ordinary program exits and starts another for the next, and while the old
     * one lingers a service created through one is unknown to the other. */
    keepUp() {
        (0, node_child_process_1.spawn)(WINESERVER, ['-p'], { env: this.env(), stdio: 'ignore', detached: true }).unref();
        const session = (0, node_child_process_1.spawn)(wine_1.WINE, ['cmd.exe'], { env: this.env(), stdio: ['pipe', 'ignore', 'ignore'] });
        session.stdin.on('error', () => undefined);
        this.children.add(session);
        session.once('exit', () => this.children.delete(session));
    }
}
exports.WineMachine = WineMachine;
//# sourceMappingURL=wine-machine.js.map