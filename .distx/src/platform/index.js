"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.selectPlatform = selectPlatform;
exports.selectAgentTokenStore = selectAgentTokenStore;
exports.hardenServiceProcess = hardenServiceProcess;
exports.defaultMachineName = defaultMachineName;
exports.selectKeyFileAccess = selectKeyFileAccess;
exports.selectSecretFileAccess = selectSecretFileAccess;
exports.serviceManagerSaysRunning = serviceManagerSaysRunning;
const node_os_1 = require("node:os");
const agent_token_file_1 = require("./agent-token-file");
/**
 * `store`: where an adapter may keep small values across processes (the Windows last-set stabilizer).
 * `servesCapture`: this process serves the capture's endpoint (`run`), so who it runs as matters (Windows:
 * the filter sends only to ServiceSid, and the probe says faulted otherwise).
 */
function selectPlatform(config, fingerprintKey, opts = {}) {
    if (process.platform === 'linux') {
        // Lazy: koffi and libcrypt load only when a command needs local accounts.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const linux = require('./linux');
        return linux.linuxPlatform(config, fingerprintKey);
    }
    if (process.platform === 'win32') {
        // Lazy: koffi and the Win32 DLLs load only on Windows.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const windows = require('./windows');
        return windows.windowsPlatform(config, { store: opts.store, servesCapture: opts.servesCapture });
    }
    throw new Error(`pwbridge has no account adapter for ${process.platform} (it runs on Linux and Windows)`);
}
/** How this OS keeps the hub's agent token: DPAPI-protected on Windows, a 0600 file elsewhere. */
function selectAgentTokenStore() {
    if (process.platform === 'win32') {
        // Lazy, as above: crypt32 loads only on Windows.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const dpapi = require('./windows/dpapi-token');
        return dpapi.dpapiTokenStore();
    }
    return agent_token_file_1.privateFileTokenStore;
}
/**
 * Harden the service's own process before it reads a key: on Linux it becomes non-dumpable (no core file,
 * no same-uid ptrace; src/platform/linux/no-core-dumps.ts). Windows: nothing here yet (WER dumps are the
 * machine's policy).
 */
function hardenServiceProcess() {
    if (process.platform !== 'linux')
        return;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const linux = require('./linux/no-core-dumps');
    linux.forbidCoreDumps();
}
/** config's default `machine`: the NetBIOS computer name on Windows (GetComputerNameW), the host name elsewhere. */
function defaultMachineName() {
    if (process.platform === 'win32') {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const windows = require('./windows');
        return windows.machineName();
    }
    return (0, node_os_1.hostname)();
}
/**
 * Who may open key files, where mode bits do not say (Windows: owner and DACL); undefined on POSIX, where
 * key-files.ts reads the mode itself.
 */
function selectKeyFileAccess() {
    if (process.platform !== 'win32')
        return undefined;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const windows = require('./windows');
    return windows.keyFileAccess();
}
/** Who may open a file that holds a secret but is not a key (the enrolment file): Windows' owner-and-DACL
 * rule, saying only what is wrong; undefined on POSIX, where the caller reads the mode. */
function selectSecretFileAccess() {
    if (process.platform !== 'win32')
        return undefined;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const windows = require('./windows');
    return windows.secretFileAccess();
}
/**
 * Whether the service runs, as the OS's service manager says; undefined where the capture's socket is the
 * answer (Linux: a detached service has no manager). On Windows the pipe cannot be: its DACL lets in
 * SYSTEM and the service account, not the administrator asking.
 */
function serviceManagerSaysRunning() {
    if (process.platform !== 'win32')
        return undefined;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const windows = require('./windows');
    return windows.serviceRunning();
}
//# sourceMappingURL=index.js.map