"use strict";
// Is the LSA filter installed, and could lsass have loaded it? Read from the registry and System32 alone;
// the filter's hello (FilterStateTracker) is what proves it is loaded.
//
// - not in `Notification Packages`                          → not-installed
// - listed, but System32\pwbridge_filter.dll missing or not a 64-bit DLL → faulted (lsass cannot load it)
// - LSA protection on (RunAsPPL 1 or 2) and the DLL unsigned → faulted (a protected lsass loads only
//   plug-ins signed to Microsoft's requirements)
// - otherwise pending-reboot: LSA reads Notification Packages only at boot. Before a boot that started after
//   the install (InstalledAt, written by `pwbridge install`), a reboot is required; after one, the filter's
//   hello is awaited (it says hello as soon as it reaches the service), and the hello makes it active.
// - the pipe's server (the service process itself, or for `status` the account the service manager starts
//   the service as) is another SID than HKLM\SOFTWARE\pwbridge ServiceSid → faulted, because the filter
//   checks the pipe server's SID against ServiceSid before it sends a byte, and will not send to it.
//
// The full Notification Packages list goes into `details`, which `pwbridge status` prints.
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
exports.decideFilterState = decideFilterState;
exports.probeWindowsFilter = probeWindowsFilter;
exports.gatherFilterFacts = gatherFilterFacts;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const filetime_1 = require("./filetime");
const notification_packages_1 = require("./notification-packages");
const pe_file_1 = require("./pe-file");
const places_1 = require("./places");
const registry_1 = require("./registry");
const iso = (ms) => new Date(ms).toISOString();
/** Boot time from the kernel is whole seconds; InstalledAt is ms. Within this, they are "the same moment". */
const CLOCK_SLACK_MS = 2000;
function decideFilterState(f) {
    const details = [`Notification Packages: ${f.packages.length ? f.packages.join(', ') : '(empty)'}${f.packagesIrregular.length ? ` (${f.packagesIrregular.join('; ')})` : ''}`];
    if (f.runAsPpl !== 0)
        details.push(`LSA protection: on (RunAsPPL = ${f.runAsPpl})`);
    if (f.killSwitch)
        details.push(`the filter's kill switch is on (HKLM\\${places_1.PWBRIDGE_KEY} ${places_1.VALUE_DISABLED} = 1): it reports nothing`);
    const probe = (state, reason) => ({ state, reason, details });
    if (!(0, notification_packages_1.hasPackage)(f.packages)) {
        return probe('not-installed', f.dll
            ? `${places_1.FILTER_PACKAGE} is not in Notification Packages (${f.dllPath} is there, but LSA only loads what that list names)`
            : `${places_1.FILTER_PACKAGE} is not in Notification Packages`);
    }
    if (!f.dll)
        return probe('faulted', `${places_1.FILTER_PACKAGE} is in Notification Packages but ${f.dllPath} is missing, so LSA cannot load it`);
    if ('error' in f.dll)
        return probe('faulted', `${f.dllPath} cannot be read as a DLL (${f.dll.error}), so LSA cannot load it`);
    if (!(0, pe_file_1.is64BitImage)(f.dll))
        return probe('faulted', `${f.dllPath} is not a 64-bit Windows DLL, and lsass.exe is 64-bit: it cannot load it`);
    if (f.runAsPpl !== 0 && !f.dll.signed) {
        return probe('faulted', `LSA protection is on (RunAsPPL = ${f.runAsPpl}) and ${places_1.FILTER_DLL} is unsigned: a protected lsass.exe loads only `
            + 'plug-ins signed to Microsoft\'s requirements, so it does not load the filter. Turn LSA protection off (see the README), or remove pwbridge');
    }
    if (f.identity && f.identity.servingSid.toUpperCase() !== f.identity.serviceSid?.toUpperCase()) {
        return probe('faulted', `${f.identity.servedBy} ${f.identity.servingSid}, but HKLM\\${places_1.PWBRIDGE_KEY} ${places_1.VALUE_SERVICE_SID} is `
            + `${f.identity.serviceSid ?? 'not set'}: the filter sends only to a pipe served by that SID, so it will not send to it. `
            + 'Run the service as the account pwbridge install set it up with (services.msc, Log On), or run pwbridge install again, which sets both');
    }
    const ppl = f.runAsPpl !== 0 ? '; LSA protection is on, so lsass loads the filter only if its signature meets Microsoft\'s requirements' : '';
    if (f.installedAtMs === undefined) {
        return probe('pending-reboot', `${places_1.FILTER_PACKAGE} is registered, but when is not recorded (HKLM\\${places_1.PWBRIDGE_KEY} ${places_1.VALUE_INSTALLED_AT}): waiting for the filter's hello in this boot${ppl}`);
    }
    if (f.bootMs + CLOCK_SLACK_MS < f.installedAtMs) {
        return probe('pending-reboot', `reboot required: the filter was installed at ${iso(f.installedAtMs)}, after this boot began (${iso(f.bootMs)}); LSA loads it at the next boot${ppl}`);
    }
    return probe('pending-reboot', `rebooted since the install (${iso(f.installedAtMs)}; this boot began ${iso(f.bootMs)}): waiting for the filter's hello, which it sends as soon as it reaches the service${ppl}`);
}
/** Gather the facts (registry, System32, boot time) and decide. Never throws: a failure is "faulted". */
function probeWindowsFilter(d) {
    try {
        return decideFilterState(gatherFilterFacts(d));
    }
    catch (e) {
        return { state: 'faulted', reason: `cannot read the filter's registration: ${e.message}` };
    }
}
function gatherFilterFacts(d) {
    const read = d.readFile ?? ((p) => fs.readFileSync(p));
    const value = d.registry.get(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES);
    const list = value ? (0, registry_1.decodeList)(value) : { values: [], irregular: [] };
    const dllPath = path.join(d.system32Dir, places_1.FILTER_DLL);
    let dll;
    let bytes;
    try {
        bytes = read(dllPath);
    }
    catch (e) {
        if (e.code !== 'ENOENT')
            dll = { error: e.message };
    }
    if (bytes) {
        try {
            dll = (0, pe_file_1.readPeInfo)(bytes);
        }
        catch (e) {
            dll = { error: e.message };
        }
    }
    const num = (key, name) => {
        const v = d.registry.get(key, name);
        if (!v)
            return undefined;
        try {
            return (0, registry_1.decodeNumber)(v);
        }
        catch {
            return undefined;
        }
    };
    const str = (key, name) => {
        const v = d.registry.get(key, name);
        try {
            return v ? (0, registry_1.decodeString)(v) : undefined;
        }
        catch {
            return undefined;
        }
    };
    const ppl = num(places_1.LSA_KEY, places_1.RUN_AS_PPL);
    const installed = num(places_1.PWBRIDGE_KEY, places_1.VALUE_INSTALLED_AT);
    return {
        packages: list.values,
        packagesIrregular: list.irregular,
        dllPath,
        dll,
        runAsPpl: ppl === undefined ? 0 : Number(ppl),
        installedAtMs: typeof installed === 'bigint' && installed > 0n ? (0, filetime_1.filetimeToMs)(installed) : undefined,
        bootMs: d.bootMs(),
        killSwitch: num(places_1.PWBRIDGE_KEY, places_1.VALUE_DISABLED) === 1,
        ...(d.serving ? { identity: { servingSid: d.serving.sid, servedBy: d.serving.by, serviceSid: str(places_1.PWBRIDGE_KEY, places_1.VALUE_SERVICE_SID) } } : {}),
    };
}
//# sourceMappingURL=filter-probe.js.map