"use strict";
// Starting and stopping the installed service: through systemd when it is PID 1, otherwise as a detached
// process with a pid file (no restart on failure, none at boot: said plainly by install).
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
exports.systemdRunning = systemdRunning;
exports.systemctl = systemctl;
exports.systemctlYes = systemctlYes;
exports.startDetached = startDetached;
exports.readPidFile = readPidFile;
exports.processAlive = processAlive;
exports.isServiceOf = isServiceOf;
exports.stopProcess = stopProcess;
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const systemd_unit_1 = require("./systemd-unit");
const atomic_file_1 = require("./atomic-file");
function systemdRunning(marker = systemd_unit_1.SYSTEMD_RUNNING_MARKER) {
    try {
        return fs.statSync(marker).isDirectory();
    }
    catch {
        return false;
    }
}
/** Run systemctl; its stderr becomes the error's message when it fails. */
function systemctl(args) {
    try {
        (0, node_child_process_1.execFileSync)('systemctl', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    }
    catch (err) {
        const e = err;
        const detail = e.stderr?.toString('utf8').trim() || e.message;
        throw new Error(`systemctl ${args.join(' ')} failed: ${detail}`);
    }
}
/** systemctl's answer to a yes/no question (is-active, is-enabled): exit status 0 is yes. */
function systemctlYes(args) {
    try {
        (0, node_child_process_1.execFileSync)('systemctl', [...args, '--quiet'], { stdio: 'ignore', timeout: 60_000 });
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Start `argv` in its own session, detached from us, stdout and stderr appended to `logFile` (0600), and
 * write its pid to `pidFile`. Returns the pid.
 */
function startDetached(argv, logFile, pidFile) {
    const out = fs.openSync(logFile, 'a', 0o600);
    let pid;
    try {
        const child = (0, node_child_process_1.spawn)(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', out, out], cwd: '/' });
        pid = child.pid;
        child.unref();
    }
    finally {
        fs.closeSync(out);
    }
    if (pid === undefined)
        throw new Error(`could not start ${argv[0]}`);
    (0, atomic_file_1.writeFileAtomic)(pidFile, `${pid}\n`, { mode: 0o644 });
    return pid;
}
function readPidFile(pidFile) {
    let text;
    try {
        text = fs.readFileSync(pidFile, 'utf8');
    }
    catch {
        return undefined;
    }
    const pid = Number(text.trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}
/** Alive and not a zombie (a zombie answers kill 0, but it has exited; PID 1 may not reap it at once). */
function processAlive(pid) {
    try {
        process.kill(pid, 0);
    }
    catch (e) {
        return e.code === 'EPERM';
    }
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        return state !== 'Z' && state !== 'X';
    }
    catch {
        return false;
    }
}
/** Is `pid` a `pwbridge run --data-dir DIR` of this data dir (and not some process that got its pid since)? */
function isServiceOf(pid, dataDir) {
    let args;
    try {
        args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    }
    catch {
        return false;
    }
    const i = args.indexOf('--data-dir');
    return args.includes('run') && i >= 0 && args[i + 1] === dataDir;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** SIGTERM `pid` and wait for it to exit; SIGKILL it if it has not after `graceMs`. */
async function stopProcess(pid, graceMs = 15_000) {
    const signal = (s) => {
        try {
            process.kill(pid, s);
        }
        catch (e) {
            if (e.code !== 'ESRCH')
                throw e;
        }
    };
    signal('SIGTERM');
    const until = Date.now() + graceMs;
    while (processAlive(pid)) {
        if (Date.now() > until) {
            signal('SIGKILL');
            while (processAlive(pid))
                await sleep(50);
            return 'killed';
        }
        await sleep(50);
    }
    return 'exited';
}
//# sourceMappingURL=service-control.js.map