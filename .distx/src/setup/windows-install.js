"use strict";
// `pwbridge install` on Windows (an elevated prompt, or the MSI's deferred step as LocalSystem). The same
// pattern as on Linux: work out every change and every refusal first, then print and apply each step,
// recording it in <data dir>/install.json after each, so `pwbridge uninstall` reverts exactly what was done
// (also after a failure half way). A second install changes nothing that is already right.
//
//  1. the data dir, refused if it exists and lets anyone else in, else created (or re-secured) with a
//     protected ACL for SYSTEM, Administrators and the service account (windows-data-dir-steps.ts); the
//     whole tree is secured and read back after every step that creates files in it;
//  2. the service account (windows-service-account.ts): a new local account with a random password, in
//     Administrators, allowed to log on as a service and denied interactive and Remote Desktop logon; or an
//     existing local administrator (--service-account, password on stdin); or, under Wine, the Wine user;
//     and HKLM\SOFTWARE\pwbridge ServiceSid, which the filter checks the pipe's server against;
//  3. the keys, the vault key, and the account's password in the vault as the credential MACHINE\account
//     (the seed's steps 14–18; not under Wine, where the password is unknown);
//  4. the filter DLL into System32 (unless --module already names it there: the MSI's own file);
//  5. HKLM\SOFTWARE\pwbridge's other values (DataDir, PipeName when not the defaults, ExcludeAccounts);
//  6. the event source `pwbridge` in the Application log;
//  7. pwbridge_filter appended to Notification Packages (never a replace), and InstalledAt;
//  8. the Windows service (node.exe with the V8 flags, `run --windows-service`), started;
// then "reboot required": LSA loads the filter only at boot.
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
exports.sameValue = exports.recorded = exports.SERVICE_WAIT_MS = exports.MESSAGES_DLL = exports.DEFAULT_DLL_SOURCE = void 0;
exports.serviceCommandLine = serviceCommandLine;
exports.runWindowsInstall = runWindowsInstall;
const path = __importStar(require("node:path"));
const errors_1 = require("../cli/errors");
const config_1 = require("../config/config");
const config_error_1 = require("../config/config-error");
const types_1 = require("../domain/types");
const paths_1 = require("../config/paths");
const atomic_file_1 = require("../platform/linux/atomic-file");
const systemd_unit_1 = require("../platform/linux/systemd-unit");
const command_line_1 = require("../platform/windows/command-line");
const filetime_1 = require("../platform/windows/filetime");
const filter_probe_1 = require("../platform/windows/filter-probe");
const notification_packages_1 = require("../platform/windows/notification-packages");
const pe_file_1 = require("../platform/windows/pe-file");
const places_1 = require("../platform/windows/places");
const registry_1 = require("../platform/windows/registry");
const service_control_1 = require("../platform/windows/service-control");
const utf16_1 = require("../platform/windows/utf16");
const open_1 = require("../service/open");
const config_field_1 = require("./config-field");
const manifest_1 = require("./manifest");
const plan_1 = require("./plan");
const repo_1 = require("./repo");
const windows_account_steps_1 = require("./windows-account-steps");
const windows_data_dir_steps_1 = require("./windows-data-dir-steps");
const windows_service_account_1 = require("./windows-service-account");
/** Where native/build-windows.sh leaves the filter (the MSI passes its own file with --module). */
exports.DEFAULT_DLL_SOURCE = path.join(repo_1.REPO_ROOT, 'native', 'build-win', places_1.FILTER_DLL);
/** The event messages, built next to the filter (the MSI passes its own file with --event-messages). */
exports.MESSAGES_DLL = 'pwbridge_messages.dll';
exports.SERVICE_WAIT_MS = 10_000;
const recorded = (v) => ({ type: v.type, data: v.data.toString('base64') });
exports.recorded = recorded;
const sameValue = (a, b) => a === undefined ? b === undefined : b !== undefined && a.type === b.type && a.data.toString('base64') === b.data;
exports.sameValue = sameValue;
const samePath = (a, b) => path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase();
/** The service's command line: node.exe, the V8 flags bin/pwbridge uses, main.js, run as a service. */
function serviceCommandLine(nodePath, mainJs, dataDir) {
    return (0, command_line_1.windowsCommandLine)([nodePath, ...systemd_unit_1.SERVICE_NODE_FLAGS, mainJs, 'run', '--data-dir', dataDir, '--windows-service']);
}
/**
 * The event source's EventMessageFile: Event Viewer loads it to show each event ID's text (the message
 * table of native/lsa, generated from event-ids.ts). --event-messages must be a DLL that exists; without
 * it, pwbridge_messages.dll next to the filter DLL we install from; without that (not built), .NET's
 * generic EventLogMessages.dll, which shows only each event's own text, and a note says so.
 */
function eventMessageFile(o, filterSource, notes) {
    if (o.eventMessages !== undefined) {
        const file = path.resolve(o.eventMessages);
        const bytes = o.system.files.read(file);
        if (!bytes)
            throw new errors_1.UsageError(`--event-messages: ${file} does not exist`);
        try {
            (0, pe_file_1.readPeInfo)(bytes);
        }
        catch (e) {
            throw new errors_1.UsageError(`--event-messages: ${file} is ${e.message}`);
        }
        return file;
    }
    const beside = path.join(path.dirname(filterSource), exports.MESSAGES_DLL);
    if (o.system.files.read(beside))
        return beside;
    const generic = o.system.eventMessageFile();
    notes.push(`${beside} was not built, so the event source uses ${generic ?? 'no message file'}: Event Viewer shows each event's `
        + 'own text but not its ID\'s (build native/lsa, or pass --event-messages)');
    return generic;
}
async function runWindowsInstall(o) {
    const sys = o.system;
    const dataDir = path.resolve(o.dataDir);
    // ---- Everything that can refuse, before anything changes. ----
    // The data dir first, before a byte of config.json or install.json is believed. Trusted besides SYSTEM and
    // Administrators: the account HKLM (admin-only) says the service runs as, and under Wine the one user there is.
    const wineUserSid = sys.self.wineVersion() !== undefined ? sys.self.userSid() : undefined;
    const registeredSid = () => {
        const v = sys.registry.get(places_1.PWBRIDGE_KEY, places_1.VALUE_SERVICE_SID);
        return v && v.type === registry_1.REG_SZ ? (0, registry_1.decodeString)(v) : undefined;
    };
    const serviceSids = () => [...new Set([registeredSid(), wineUserSid].filter((x) => x !== undefined))];
    const readable = (0, windows_data_dir_steps_1.checkDataDir)(sys, dataDir, serviceSids(), () => { try {
        return (0, manifest_1.readManifest)(dataDir)?.windows?.dataDirSecured === true;
    }
    catch {
        return false;
    } });
    const config = (0, config_1.loadConfig)(dataDir);
    const paths = (0, paths_1.dataPaths)(dataDir);
    const files = (0, manifest_1.serviceFiles)(dataDir);
    const previous = (0, manifest_1.readManifest)(dataDir);
    const manifest = previous ? structuredClone(previous) : { version: 1, dataDir };
    const win = (manifest.windows ??= {});
    const plan = (0, plan_1.emptyPlan)();
    const source = path.resolve(o.module ?? exports.DEFAULT_DLL_SOURCE);
    const dll = sys.files.read(source);
    if (!dll) {
        throw new errors_1.UsageError(o.module ? `--module: ${source} does not exist` : `the filter DLL was not built: ${source} does not exist. `
            + 'Build it with native/build-windows.sh (mingw-w64) or CMake on Windows, or pass --module PATH');
    }
    let pe;
    try {
        pe = (0, pe_file_1.readPeInfo)(dll);
    }
    catch (e) {
        throw new errors_1.UsageError(`--module: ${source} is ${e.message}`);
    }
    if (!(0, pe_file_1.is64BitImage)(pe))
        throw new errors_1.UsageError(`--module: ${source} is not a 64-bit DLL; lsass.exe is 64-bit and cannot load it`);
    const dllDest = path.join(sys.files.system32, places_1.FILTER_DLL);
    const packageOwned = samePath(source, dllDest);
    const ppl = sys.registry.get(places_1.LSA_KEY, places_1.RUN_AS_PPL);
    const pplOn = ppl !== undefined && ppl.type === registry_1.REG_DWORD && (0, registry_1.decodeNumber)(ppl) !== 0;
    if (pplOn && !pe.signed) {
        plan.notes.push('LSA protection (RunAsPPL) is on and the filter DLL is unsigned: lsass.exe will not load it, and `pwbridge status` will say faulted. '
            + 'Turn LSA protection off (see the README) for password changes to be captured; reconcile works either way');
    }
    const messageFile = eventMessageFile(o, source, plan.notes);
    const inFile = (0, config_field_1.configField)(dataDir, 'serviceAccount');
    const choice = await (0, windows_service_account_1.chooseServiceAccount)({
        sys, configured: config.serviceAccount, configuredInFile: typeof inFile === 'string' ? inFile : undefined, requested: o.serviceAccount,
        win, dryRun: o.dryRun, readPassword: o.readPassword ?? (async () => { throw new errors_1.UsageError('--service-account: no way to read the password here'); }),
    });
    const account = choice.name;
    const username = `${config.machine}\\${account}`;
    let sid = choice.sid;
    // The service account's password: made in step 3 (new account), given (--service-account), or read from the vault (service re-created).
    let servicePassword = choice.password;
    const openVault = async () => {
        const vault = await (0, open_1.openVaultAt)(dataDir);
        if (!(await vault.getClient(config.client))) {
            if (config.client !== types_1.EMBEDDED_CLIENT.name) {
                await vault.close();
                throw new config_error_1.ConfigError('client', `"${config.client}" does not exist in the vault`, `Add it with: pwbridge vault client add "${config.client}" --windows-sync --two-way-sync`);
            }
            await vault.addClient(types_1.EMBEDDED_CLIENT);
        }
        return vault;
    };
    // The ACL's entry for the service account once the registry names it (ServiceSid, set with the account):
    // a folder is trusted on a later run only for what HKLM says, never for what a file in it says.
    const filesCreated = () => sys.dataDir.secure(dataDir, registeredSid(), serviceSids());
    try {
        // ---- 1. Data dir (its ACL before anything is in it). ----
        const dirSteps = { sys, plan, win, dataDir, embeddedVault: !config.hub, filesCreated, serviceSid: registeredSid, readable };
        (0, windows_data_dir_steps_1.planDataDirStep)(dirSteps);
        const setValue = (key, name, value, say, why) => {
            const current = sys.registry.get(key, name);
            const known = (() => { try {
                return value();
            }
            catch {
                return undefined;
            } })();
            if (known && current && current.type === known.type && current.data.equals(known.data)) {
                plan.kept.push(`HKLM\\${key} ${name} (${say})`);
                return;
            }
            plan.steps.push({
                say: `set HKLM\\${key} ${name} = ${say}: ${why}`,
                apply: () => {
                    const v = value();
                    const before = sys.registry.get(key, name);
                    const record = win.values?.find((r) => r.key === key && r.name === name);
                    const created = sys.registry.set(key, name, v);
                    if (created)
                        (win.createdKeys ??= []).push(key);
                    if (record)
                        record.written = (0, exports.recorded)(v);
                    else
                        (win.values ??= []).push({ key, name, before: before && (0, exports.recorded)(before), written: (0, exports.recorded)(v) });
                },
            });
        };
        // ---- 2. The service account, and at once ServiceSid, which the data dir's ACL follows. ----
        const accountSteps = {
            sys, plan, manifest, win, dataDir, choice, username, client: config.client, openVault, filesCreated,
            setSid: (s) => { sid = s; },
            setPassword: (pw) => { servicePassword = pw; },
            password: () => servicePassword,
        };
        (0, windows_account_steps_1.planAccountSteps)(accountSteps);
        setValue(places_1.PWBRIDGE_KEY, places_1.VALUE_SERVICE_SID, () => {
            if (!sid)
                throw new Error('internal: the service account has no SID');
            return { type: registry_1.REG_SZ, data: (0, registry_1.encodeString)(sid.sidString) };
        }, sid?.sidString ?? `the SID of ${account}`, 'the filter sends only to a pipe served by this account');
        // ---- 3. The keys, the vault key, the service account's credential. ----
        (0, windows_data_dir_steps_1.planKeySteps)(dirSteps);
        (0, windows_account_steps_1.planCredentialStep)(accountSteps);
        // ---- 4. The DLL. ----
        const dllSha = (0, atomic_file_1.sha256)(dll);
        let rebootNeeded = false;
        if (packageOwned) {
            plan.kept.push(`${dllDest} (the package's file: install registers it and leaves it to the package)`);
            win.dll = { path: dllDest, source, sha256: dllSha, owner: 'package' };
        }
        else {
            const current = sys.files.read(dllDest);
            if (current && (0, atomic_file_1.sha256)(current) === dllSha) {
                plan.kept.push(`${dllDest} is the same as ${source}`);
                win.dll = { path: dllDest, source, sha256: dllSha, owner: win.dll?.owner === 'install' ? 'install' : 'found' };
            }
            else {
                rebootNeeded = true;
                plan.steps.push({
                    say: `${current ? 'replace' : 'copy'} the filter ${current ? `${dllDest} with ${source}` : `${source} to ${dllDest}`}`,
                    apply: () => {
                        const how = sys.files.replace(dllDest, dll);
                        if (how !== 'written')
                            plan.notes.push(`${dllDest}: ${how}`);
                        win.dll = { path: dllDest, source, sha256: dllSha, owner: current && win.dll?.owner !== 'install' ? 'found' : 'install' };
                    },
                });
            }
        }
        // ---- 5. The rest of HKLM\SOFTWARE\pwbridge (read by the filter). ----
        if (!samePath(dataDir, (0, config_1.defaultDataDir)())) {
            setValue(places_1.PWBRIDGE_KEY, places_1.VALUE_DATA_DIR, () => ({ type: registry_1.REG_SZ, data: (0, registry_1.encodeString)(dataDir) }), dataDir, 'where the filter finds the keys and keeps its spool');
        }
        if (config.socketPath.toLowerCase() !== (0, config_1.defaultSocketPath)(dataDir).toLowerCase() && config.socketPath.toLowerCase() !== '\\\\.\\pipe\\pwbridge') {
            setValue(places_1.PWBRIDGE_KEY, places_1.VALUE_PIPE_NAME, () => ({ type: registry_1.REG_SZ, data: (0, registry_1.encodeString)(config.socketPath) }), config.socketPath, 'the pipe the filter connects to');
        }
        const exclude = [account, ...config.excludeAccounts];
        setValue(places_1.PWBRIDGE_KEY, places_1.VALUE_EXCLUDE, () => ({ type: registry_1.REG_MULTI_SZ, data: (0, registry_1.encodeList)(exclude) }), exclude.join(', '), 'accounts the filter never reports');
        // ---- 6. The event source. ----
        if (messageFile) {
            setValue(places_1.EVENTLOG_SOURCE_KEY, 'EventMessageFile', () => ({ type: registry_1.REG_EXPAND_SZ, data: (0, registry_1.encodeString)(messageFile) }), messageFile, 'the Application log\'s source "pwbridge" (event IDs: README)');
        }
        setValue(places_1.EVENTLOG_SOURCE_KEY, 'TypesSupported', () => ({ type: registry_1.REG_DWORD, data: (0, registry_1.encodeDword)(7) }), '7 (error, warning, information)', 'the Application log\'s source "pwbridge"');
        // ---- 7. Notification Packages, and when. ----
        const np = sys.registry.get(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES);
        const list = np && np.type === registry_1.REG_MULTI_SZ ? (0, registry_1.decodeList)(np).values : [];
        if (np && np.type !== registry_1.REG_MULTI_SZ) {
            throw new config_error_1.ConfigError(`HKLM\\${places_1.LSA_KEY} ${places_1.NOTIFICATION_PACKAGES}`, `is of type ${np.type}, not REG_MULTI_SZ`, 'Repair it (it is a list of names) before installing');
        }
        if ((0, notification_packages_1.hasPackage)(list))
            plan.kept.push(`${places_1.FILTER_PACKAGE} is in Notification Packages (${list.join(', ')})`);
        else {
            rebootNeeded = true;
            const next = (0, notification_packages_1.appendPackage)(list).list;
            plan.steps.push({
                say: `append ${places_1.FILTER_PACKAGE} to HKLM\\${places_1.LSA_KEY} ${places_1.NOTIFICATION_PACKAGES}: ${list.length ? list.join(', ') : '(empty)'} → ${next.join(', ')}`,
                apply: () => {
                    // Read again: apply what is there now, never a stale copy.
                    const now = sys.registry.get(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES);
                    const nowList = now ? (0, registry_1.decodeList)(now).values : [];
                    const v = { type: registry_1.REG_MULTI_SZ, data: (0, registry_1.encodeList)((0, notification_packages_1.appendPackage)(nowList).list) };
                    sys.registry.set(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES, v);
                    (win.values ??= []).push({ key: places_1.LSA_KEY, name: places_1.NOTIFICATION_PACKAGES, before: now && (0, exports.recorded)(now), written: (0, exports.recorded)(v) });
                },
            });
        }
        if (rebootNeeded || !sys.registry.get(places_1.PWBRIDGE_KEY, places_1.VALUE_INSTALLED_AT)) {
            const at = sys.now();
            setValue(places_1.PWBRIDGE_KEY, places_1.VALUE_INSTALLED_AT, () => ({ type: registry_1.REG_QWORD, data: (0, registry_1.encodeQword)((0, filetime_1.msToFiletime)(at)) }), new Date(at).toISOString(), 'a boot before this is "reboot required"');
        }
        // ---- 8. The service. ----
        const binaryPath = serviceCommandLine(o.nodePath ?? process.execPath, o.mainJs ?? repo_1.MAIN_JS, dataDir);
        const state = sys.services.state(places_1.SERVICE_NAME);
        if (state === undefined) {
            plan.steps.push({
                say: `create the service ${places_1.SERVICE_NAME} (automatic start, restarted on failure) running as .\\${account}: ${binaryPath}`,
                apply: async () => {
                    let pw = servicePassword;
                    if (!pw && choice.kind !== 'wine') {
                        const vault = await openVault();
                        try {
                            const cred = await vault.findCredential(config.client, username);
                            if (!cred)
                                throw new config_error_1.ConfigError(username, 'is not in the vault, so the service cannot be given its password', 'Run pwbridge uninstall, then install again (it makes a new account)');
                            pw = await vault.readPassword(cred.id);
                        }
                        finally {
                            await vault.close();
                        }
                    }
                    // Under Wine the account's password is unknown and not needed: its service manager runs every service as the Wine user.
                    const wide = pw ? (0, utf16_1.utf8ToWideZ)(pw) : null;
                    try {
                        sys.services.create({ name: places_1.SERVICE_NAME, display: places_1.SERVICE_DISPLAY_NAME, description: places_1.SERVICE_DESCRIPTION, binaryPath, account: `.\\${account}`, passwordWideZ: wide });
                    }
                    finally {
                        wide?.fill(0);
                        if (pw && pw !== servicePassword)
                            pw.fill(0);
                    }
                    win.service = { name: places_1.SERVICE_NAME, binaryPath };
                },
            });
        }
        else if (win.service?.binaryPath === binaryPath) {
            plan.kept.push(`the service ${places_1.SERVICE_NAME} (${binaryPath})`);
        }
        else {
            plan.steps.push({
                say: `point the service ${places_1.SERVICE_NAME} at ${binaryPath}`,
                apply: () => {
                    sys.services.reconfigure(places_1.SERVICE_NAME, binaryPath, places_1.SERVICE_DESCRIPTION);
                    win.service = { name: places_1.SERVICE_NAME, binaryPath };
                },
            });
        }
        let started = false;
        if (!o.start)
            plan.notes.push('not starting the service (--no-start)');
        else if (state === service_control_1.SERVICE_RUNNING && win.service?.binaryPath === binaryPath)
            plan.kept.push(`the service ${places_1.SERVICE_NAME} is running`);
        else {
            plan.steps.push({
                say: `start the service ${places_1.SERVICE_NAME}`,
                apply: () => {
                    // Read the tree back before the service makes its own files in it: those take the folder's ACL on
                    // Windows, their Unix mode under Wine, and are the service's to keep from then on.
                    filesCreated();
                    sys.services.start(places_1.SERVICE_NAME);
                    started = true;
                },
            });
        }
        await (0, manifest_1.applyAndRecord)(plan, manifest, previous, files.manifest, o);
        // install.json was written after the last step: secured and read back too (the whole tree once more,
        // unless this run started the service, which is making its own files in it by now).
        if (!o.dryRun && plan.steps.length) {
            if (started)
                sys.dataDir.secureFile(files.manifest, registeredSid(), serviceSids());
            else
                filesCreated();
        }
        let code = 0;
        if (started) {
            if (await sys.waitForService(places_1.SERVICE_NAME, exports.SERVICE_WAIT_MS))
                o.out(`the service runs and serves ${config.socketPath}`);
            else {
                o.out(`the service did NOT reach "running" within ${exports.SERVICE_WAIT_MS / 1000} s; see ${paths.logFile} and the Application event log (source pwbridge)`);
                code = 1;
            }
        }
        const filter = (0, filter_probe_1.probeWindowsFilter)({ registry: sys.registry, system32Dir: sys.files.system32, bootMs: () => sys.bootMs(), readFile: (p) => {
                const b = sys.files.read(p);
                if (!b)
                    throw Object.assign(new Error(`${p} does not exist`), { code: 'ENOENT' });
                return b;
            } });
        o.out(`filter${o.dryRun ? ' now' : ''}: ${filter.state} (${filter.reason})`);
        for (const d of filter.details ?? [])
            o.out(`  ${d}`);
        if (!o.dryRun && filter.state === 'pending-reboot' && filter.reason.startsWith('reboot required')) {
            o.out('reboot required: LSA loads the filter at the next boot. Until then reconcile works, and local password changes are not captured. Reboot when it suits.');
        }
        return code;
    }
    finally {
        servicePassword?.fill(0);
    }
}
//# sourceMappingURL=windows-install.js.map