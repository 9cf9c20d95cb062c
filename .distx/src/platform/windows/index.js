"use strict";
// The Windows platform as src/platform/index.ts selects it: netapi32 accounts, the LSA filter probe, the
// kernel's boot id, and the Windows Event Log. Everything Win32 goes through one loaded binding.
Object.defineProperty(exports, "__esModule", { value: true });
exports.LAST_SET_KEY = exports.WindowsEventSink = exports.WindowsAccounts = void 0;
exports.ownSid = ownSid;
exports.machineName = machineName;
exports.serviceRunning = serviceRunning;
exports.keyFileAccess = keyFileAccess;
exports.secretFileAccess = secretFileAccess;
exports.windowsPlatform = windowsPlatform;
const account_lookup_1 = require("./account-lookup");
const binding_1 = require("./binding");
const boot_1 = require("./boot");
const computer_name_1 = require("./computer-name");
const event_sink_1 = require("./event-sink");
const filter_probe_1 = require("./filter-probe");
const key_file_access_1 = require("./key-file-access");
const places_1 = require("./places");
const process_identity_1 = require("./process-identity");
const registry_1 = require("./registry");
const service_control_1 = require("./service-control");
const windows_accounts_1 = require("./windows.accounts");
var windows_accounts_2 = require("./windows.accounts");
Object.defineProperty(exports, "WindowsAccounts", { enumerable: true, get: function () { return windows_accounts_2.WindowsAccounts; } });
var event_sink_2 = require("./event-sink");
Object.defineProperty(exports, "WindowsEventSink", { enumerable: true, get: function () { return event_sink_2.WindowsEventSink; } });
/** This process's user SID: the service compares it with ServiceSid; the pipe's DACL is SYSTEM plus it. */
function ownSid(w = (0, binding_1.loadWin32)()) {
    return (0, process_identity_1.processUserSid)(w);
}
/** The account the service manager starts pwbridge as, and its SID; undefined when there is no service or no such account. */
function configuredServiceSid(w) {
    try {
        const account = new service_control_1.ServiceControl(w).account(places_1.SERVICE_NAME);
        const sid = account === undefined ? undefined : new account_lookup_1.AccountLookup(w).sidOfLogonName(account);
        return account !== undefined && sid ? { account, sid } : undefined;
    }
    catch {
        return undefined; // an administrator's `status` must show the rest whatever this says
    }
}
/** The NetBIOS computer name: config's default `machine` on Windows. */
function machineName(w = (0, binding_1.loadWin32)()) {
    return (0, computer_name_1.computerName)(w);
}
/** Whether the service control manager says the pwbridge service runs (false when there is no such service). */
function serviceRunning(w = (0, binding_1.loadWin32)()) {
    return new service_control_1.ServiceControl(w).state(places_1.SERVICE_NAME) === service_control_1.SERVICE_RUNNING;
}
/** The owner-and-DACL check of key files (key-file-access.ts). */
function keyFileAccess(w = (0, binding_1.loadWin32)()) {
    return (0, key_file_access_1.windowsKeyFileAccess)(w, new registry_1.Registry(w));
}
/** The same check for another file that holds a secret, without the keys' advice. */
function secretFileAccess(w = (0, binding_1.loadWin32)()) {
    return (0, key_file_access_1.windowsFileAccess)(w, new registry_1.Registry(w));
}
/** The state-store key under which the last-set stabilizer keeps its values (filetime.ts). */
exports.LAST_SET_KEY = 'windowsLastSet';
function windowsPlatform(config, opts = {}) {
    const w = opts.win32 ?? (0, binding_1.loadWin32)();
    const registry = new registry_1.Registry(w);
    const store = opts.store;
    const bootSeconds = () => (0, boot_1.bootTimeSeconds)(w);
    // The filter sends only to ServiceSid: the process serving the pipe is judged by who it runs as, and any
    // other (`status`) by the account the service manager starts the service as.
    const serving = () => {
        if (opts.servesCapture)
            return { sid: ownSid(w), by: 'this service runs as' };
        const configured = configuredServiceSid(w);
        return configured && { sid: configured.sid, by: `the service ${places_1.SERVICE_NAME} is set to log on as ${configured.account},` };
    };
    return {
        // The fingerprint is the RID and when the password was set, which are not secret (`net user` shows
        // them), so no fingerprint key is needed here.
        accounts: new windows_accounts_1.WindowsAccounts({
            win32: w,
            machine: config.machine,
            lastSetStore: store && {
                load: () => store.getValue(exports.LAST_SET_KEY),
                save: (v) => store.setValue(exports.LAST_SET_KEY, v),
            },
        }),
        probeFilter: () => (0, filter_probe_1.probeWindowsFilter)({ registry, system32Dir: (0, places_1.system32)(), bootMs: () => bootSeconds() * 1000, serving: serving() }),
        bootId: () => (0, boot_1.bootIdFor)(bootSeconds()),
        // A named pipe has no uid; its DACL and the filter's check of the server's SID decide who talks.
        peerUid: () => undefined,
        osEvents: new event_sink_1.WindowsEventSink(w, config.machine),
    };
}
//# sourceMappingURL=index.js.map