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
exports.PIPE_PROBE_EXE = exports.PIPE_ADDON = exports.MESSAGES_TEST_EXE = exports.MESSAGES_DLL = exports.CODEC_TEST_EXE = exports.HARNESS_EXE = exports.FILTER_DLL = exports.BUILD_WIN = exports.WINE = void 0;
exports.windowsPartsMissing = windowsPartsMissing;
exports.pipeAddonMissing = pipeAddonMissing;
exports.wineEnv = wineEnv;
exports.winePrefix = winePrefix;
exports.privateWinePrefix = privateWinePrefix;
exports.hostPathIn = hostPathIn;
exports.winPath = winPath;
exports.spawnWindows = spawnWindows;
exports.runWindows = runWindows;
exports.peDump = peDump;
// Windows programs from the test suite: under Wine on Linux (one prefix per test run, in a temp dir, made
// on first use and removed when the process exits), or directly on Windows (the Windows CI workflow).
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const repo_root_1 = require("../vectors/repo-root");
exports.WINE = '/usr/lib/wine/wine64';
const WINESERVER = '/usr/lib/wine/wineserver';
const MINGW_GCC = 'x86_64-w64-mingw32-gcc';
/** native/build-win: the DLL at the top, the test programs in test/ (both toolchains lay it out so). */
exports.BUILD_WIN = path.join((0, repo_root_1.repoRoot)(), 'native', 'build-win');
exports.FILTER_DLL = path.join(exports.BUILD_WIN, 'pwbridge_filter.dll');
exports.HARNESS_EXE = path.join(exports.BUILD_WIN, 'test', 'harness.exe');
exports.CODEC_TEST_EXE = path.join(exports.BUILD_WIN, 'test', 'codec_test.exe');
exports.MESSAGES_DLL = path.join(exports.BUILD_WIN, 'pwbridge_messages.dll');
exports.MESSAGES_TEST_EXE = path.join(exports.BUILD_WIN, 'test', 'messages_test.exe');
/** The service's pipe addon (native/win-pipe) and its tests' client, squatter and DACL reader. */
exports.PIPE_ADDON = path.join(exports.BUILD_WIN, 'pwbridge_pipe.node');
exports.PIPE_PROBE_EXE = path.join(exports.BUILD_WIN, 'test', 'pipe_probe.exe');
const onWindows = process.platform === 'win32';
function onPath(cmd) {
    return (0, node_child_process_1.spawnSync)('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
/**
 * Why the Windows tests cannot run here, or undefined when they can. A machine with neither mingw-w64
 * nor Wine is not set up for the Windows parts (skip, and say so); one with half of it is a broken setup
 * (fail: .ci/run installs both, and a silently skipped suite would hide that).
 */
function windowsPartsMissing() {
    if (onWindows) {
        if (!fs.existsSync(exports.FILTER_DLL) || !fs.existsSync(exports.HARNESS_EXE))
            return { fail: `${exports.FILTER_DLL} or ${exports.HARNESS_EXE} is missing: build native/lsa into native/build-win` };
        // The tests rewrite HKLM\SOFTWARE\pwbridge: never on a machine where pwbridge is really installed.
        const installed = (0, node_child_process_1.spawnSync)('reg', ['query', 'HKLM\\SOFTWARE\\pwbridge', '/v', 'ServiceSid'], { stdio: 'ignore' }).status === 0;
        return installed ? { skip: 'pwbridge is installed on this machine (HKLM\\SOFTWARE\\pwbridge has a ServiceSid): the tests would rewrite its settings' } : {};
    }
    const mingw = onPath(MINGW_GCC);
    const wine = fs.existsSync(exports.WINE);
    if (!mingw && !wine)
        return { skip: 'mingw-w64 and wine64 are not installed (apt-get install mingw-w64 wine64)' };
    if (!wine)
        return { fail: `${exports.WINE} is missing: apt-get install wine64` };
    if (!fs.existsSync(exports.FILTER_DLL) || !fs.existsSync(exports.HARNESS_EXE)) {
        return { fail: `${exports.FILTER_DLL} or ${exports.HARNESS_EXE} is missing: npm run build:native (needs mingw-w64 and cmake)` };
    }
    return {};
}
/**
 * windowsPartsMissing, and then the pipe addon: built by the same script wherever the filter is (it needs the
 * devDependency node-api-headers too), so a filter without the addon is a broken build: fail, never skip.
 */
function pipeAddonMissing() {
    const m = windowsPartsMissing();
    if (m.fail || m.skip)
        return m;
    if (!fs.existsSync(exports.PIPE_ADDON) || !fs.existsSync(exports.PIPE_PROBE_EXE)) {
        return { fail: `${exports.PIPE_ADDON} or ${exports.PIPE_PROBE_EXE} is missing: npm run build:native (needs mingw-w64, cmake and node-api-headers from npm ci)` };
    }
    return {};
}
let prefix;
/** The environment Wine programs run with in the prefix `dir` (default: the run's shared one). */
function wineEnv(dir = winePrefix()) {
    return {
        ...process.env,
        WINEPREFIX: dir,
        WINEDEBUG: '-all',
        // No Mono or Gecko: console programs need neither, and Wine would offer to download them.
        WINEDLLOVERRIDES: 'mscoree=d;mshtml=d',
    };
}
/**
 * Make a Wine prefix in `dir` (about 8 s): booted, set to Windows 10, with a persistent wineserver.
 * Persistent because each start of a wineserver is a boot there: Wine's boot time (the server's start)
 * changes, and services.exe starts every auto-start service again.
 */
function bootPrefix(dir) {
    const env = wineEnv(dir);
    (0, node_child_process_1.execFileSync)(exports.WINE, ['wineboot', '-i'], { env, stdio: 'ignore', timeout: 120_000 });
    // Windows 10, as pwbridge requires (the MSI refuses older ones, and Node 22's node.exe will not start on them).
    (0, node_child_process_1.execFileSync)(exports.WINE, ['winecfg', '/v', 'win10'], { env, stdio: 'ignore', timeout: 60_000 });
    // The server those started lingers a few seconds and is not persistent, and a `wineserver -p` while it
    // runs exits at once: wait for it to end, then start the persistent one (it returns once it serves).
    (0, node_child_process_1.execFileSync)(WINESERVER, ['-w'], { env, stdio: 'ignore', timeout: 60_000 });
    (0, node_child_process_1.execFileSync)(WINESERVER, ['-p'], { env, stdio: 'ignore', timeout: 60_000 });
    return env;
}
/** The run's Wine prefix, made on first use, with a wineserver kept running until exit.
 * On Windows there is none to make: an empty string. */
function winePrefix() {
    if (onWindows)
        return '';
    if (prefix)
        return prefix;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-wine-'));
    prefix = dir;
    const env = bootPrefix(dir);
    process.once('exit', () => {
        (0, node_child_process_1.spawnSync)(WINESERVER, ['-k'], { env, stdio: 'ignore', timeout: 10_000 });
        fs.rmSync(dir, { recursive: true, force: true });
    });
    return dir;
}
/**
 * A Wine prefix of its own, for a test that changes the machine (HKLM, services, System32) and must not
 * disturb the shared one. `env` runs programs in it; `remove()` stops its wineserver and deletes it.
 */
function privateWinePrefix() {
    if (onWindows)
        throw new Error('privateWinePrefix: only under Wine');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-wine-own-'));
    let env;
    try {
        env = bootPrefix(dir);
    }
    catch (e) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
    }
    let removed = false;
    const remove = () => {
        if (removed)
            return;
        removed = true;
        (0, node_child_process_1.spawnSync)(WINESERVER, ['-k'], { env, stdio: 'ignore', timeout: 10_000 });
        fs.rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', remove);
    return { dir, env, remove };
}
/** Where a Windows path of the prefix (C:\...) is on this machine. */
function hostPathIn(prefixDir, windowsPath) {
    const m = /^([A-Za-z]):\\(.*)$/.exec(windowsPath);
    if (!m)
        throw new Error(`not a drive path: ${windowsPath}`);
    if (m[1].toUpperCase() === 'Z')
        return `/${m[2].replace(/\\/g, '/')}`;
    if (m[1].toUpperCase() !== 'C')
        throw new Error(`only C: and Z: are mapped: ${windowsPath}`);
    // drive_c keeps Windows' folder names, in the case Wine made them (windows\system32 is lower case).
    let p = path.join(prefixDir, 'drive_c');
    for (const part of m[2].split('\\').filter(Boolean)) {
        const found = fs.existsSync(p) ? fs.readdirSync(p).find((n) => n.toLowerCase() === part.toLowerCase()) : undefined;
        p = path.join(p, found ?? part);
    }
    return p;
}
/** The path a Windows program sees for a host path (Wine maps / to Z:). */
function winPath(p) {
    return onWindows ? p : `Z:${path.resolve(p).replace(/\//g, '\\')}`;
}
/** Run a Windows program: through Wine here, directly on Windows. */
function spawnWindows(exe, args, opts = {}) {
    if (onWindows)
        return (0, node_child_process_1.spawn)(exe, args, opts);
    return (0, node_child_process_1.spawn)(exports.WINE, [exe, ...args], { ...opts, env: { ...wineEnv(), ...opts.env } });
}
/** Run a Windows program to completion (under Wine: in `env`'s prefix, default the shared one). */
function runWindows(exe, args, timeoutMs = 60_000, env) {
    const r = onWindows
        ? (0, node_child_process_1.spawnSync)(exe, args, { encoding: 'utf8', timeout: timeoutMs })
        : (0, node_child_process_1.spawnSync)(exports.WINE, [exe, ...args], { encoding: 'utf8', timeout: timeoutMs, env: env ?? wineEnv() });
    return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
/** objdump for PE files: mingw-w64's here; absent on Windows (the checks that need it skip there). */
function peDump(file) {
    if (onWindows || !onPath('x86_64-w64-mingw32-objdump'))
        return undefined;
    return (0, node_child_process_1.execFileSync)('x86_64-w64-mingw32-objdump', ['-p', file], { encoding: 'utf8' });
}
//# sourceMappingURL=wine.js.map