"use strict";
// `pwbridge uninstall` on Windows: revert what install.json says install did, newest first, each step
// looking at how things are now (so a run that failed half way can be run again):
//  1. stop and delete the service install created;
//  2. Notification Packages: if it is still exactly what install wrote, put back the exact bytes it had
//     before; otherwise take out only pwbridge_filter (someone changed the list since: their change stays);
//  3. the other registry values install set (HKLM\SOFTWARE\pwbridge, the event source): restored or
//     deleted when they still hold what install wrote, and the keys install created, once empty of values
//     the filter knows;
//  4. the service account: if install created it, its rights, its group membership and the account (its
//     credential stays in the vault, which is kept); if it was there before (--service-account, the Wine
//     user), only the rights install granted it: the account, its groups and its other rights stay;
//     config.json's serviceAccount as it was;
//  5. the DLL, if install copied it (the package's own file is the package's to remove); if lsass has it
//     loaded, it goes at the next reboot;
//  6. the service account's entries in the data dir's ACL, then install.json. The data dir (vault, keys,
//     journal) is kept, private to SYSTEM and Administrators.
// The filter stays loaded in lsass until the next reboot, doing nothing useful (the service is gone).
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
exports.runWindowsUninstall = runWindowsUninstall;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const errors_1 = require("../cli/errors");
const registry_1 = require("../platform/windows/registry");
const places_1 = require("../platform/windows/places");
const notification_packages_1 = require("../platform/windows/notification-packages");
const sid_1 = require("../platform/windows/sid");
const win32_errors_1 = require("../platform/windows/win32-errors");
const config_1 = require("../config/config");
const config_field_1 = require("./config-field");
const manifest_1 = require("./manifest");
const plan_1 = require("./plan");
const windows_install_1 = require("./windows-install");
/** Values the filter reads under HKLM\SOFTWARE\pwbridge that an administrator may have set by hand. */
const ADMIN_VALUES = [places_1.VALUE_DISABLED, 'TimeoutMs', 'HeartbeatSeconds', 'SpoolMax'];
const fromRecord = (r) => ({ type: r.type, data: Buffer.from(r.data, 'base64') });
function planValue(sys, plan, r) {
    const where = `HKLM\\${r.key} ${r.name}`;
    const now = sys.registry.get(r.key, r.name);
    if ((0, windows_install_1.sameValue)(now, r.written)) {
        if (r.before)
            plan.steps.push({ say: `put back ${where} as it was before install`, apply: () => { sys.registry.set(r.key, r.name, fromRecord(r.before)); } });
        else
            plan.steps.push({ say: `delete ${where}`, apply: () => { sys.registry.deleteValue(r.key, r.name); } });
        return;
    }
    if (r.key === places_1.LSA_KEY && r.name === places_1.NOTIFICATION_PACKAGES) {
        if (!now || now.type !== registry_1.REG_MULTI_SZ) {
            plan.notes.push(`${where} is gone or no longer a list; nothing to take out of it`);
            return;
        }
        const list = (0, registry_1.decodeList)(now).values;
        const next = (0, notification_packages_1.removePackage)(list);
        if (!next.changed) {
            plan.notes.push(`${where} no longer names ${places_1.FILTER_PACKAGE}; it is left as it is`);
            return;
        }
        plan.notes.push(`${where} has changed since install, so only ${places_1.FILTER_PACKAGE} is taken out of it`);
        plan.steps.push({
            say: `remove ${places_1.FILTER_PACKAGE} from ${where}: ${list.join(', ')} → ${next.list.length ? next.list.join(', ') : '(empty)'}`,
            apply: () => {
                const current = sys.registry.get(r.key, r.name);
                const l = current && current.type === registry_1.REG_MULTI_SZ ? (0, registry_1.decodeList)(current).values : [];
                sys.registry.set(r.key, r.name, { type: registry_1.REG_MULTI_SZ, data: (0, registry_1.encodeList)((0, notification_packages_1.removePackage)(l).list) });
            },
        });
        return;
    }
    plan.notes.push(`${where} has changed since install; it is left as it is`);
}
/** config.json's serviceAccount back to what it was, if it still holds what install wrote. */
function planConfigField(dataDir, plan, r) {
    const now = (0, config_field_1.configField)(dataDir, 'serviceAccount');
    if (now !== r.written) {
        plan.notes.push(`config.json's serviceAccount has changed since install (${JSON.stringify(now)}); it is left as it is`);
        return;
    }
    plan.steps.push({
        say: r.before === undefined ? `remove "serviceAccount" from ${(0, config_1.configPath)(dataDir)} (install added it)` : `set "serviceAccount" in ${(0, config_1.configPath)(dataDir)} back to "${r.before}"`,
        apply: () => (0, config_field_1.setConfigField)(dataDir, 'serviceAccount', r.before, r.createdFile),
    });
}
async function runWindowsUninstall(o) {
    const sys = o.system;
    const dataDir = path.resolve(o.dataDir);
    const m = (0, manifest_1.readManifest)(dataDir);
    if (!m?.windows) {
        throw new errors_1.UsageError(`uninstall: nothing installed here: ${(0, manifest_1.manifestPath)(dataDir)} ${m ? 'records no Windows install' : 'does not exist'} `
            + '(pwbridge install writes it; a finished uninstall removes it). Pass --data-dir if pwbridge was installed with another');
    }
    const win = m.windows;
    const plan = (0, plan_1.emptyPlan)();
    // 1. The service.
    if (win.service) {
        const name = win.service.name;
        if (sys.services.state(name) === undefined)
            plan.notes.push(`the service ${name} is already gone`);
        else {
            plan.steps.push({
                say: `stop the service ${name} and wait for it to exit`,
                apply: async () => {
                    const how = await sys.services.stop(name);
                    if (how === 'timeout')
                        plan.notes.push(`the service ${name} did not stop within 30 s; it is deleted once it exits`);
                },
            });
            plan.steps.push({ say: `delete the service ${name}`, apply: () => { sys.services.delete(name); } });
        }
    }
    // 2–3. Registry values, newest first (Notification Packages before the values the filter reads).
    for (const r of [...(win.values ?? [])].reverse())
        planValue(sys, plan, r);
    for (const key of [...(win.createdKeys ?? [])].reverse()) {
        plan.steps.push({
            say: `delete the registry key HKLM\\${key} (install created it), unless it still holds values set by hand`,
            apply: () => {
                const kept = key === places_1.PWBRIDGE_KEY ? ADMIN_VALUES.filter((v) => sys.registry.get(key, v) !== undefined) : [];
                if (kept.length)
                    plan.notes.push(`HKLM\\${key} is kept: it holds ${kept.join(', ')}, set by hand`);
                else if (sys.registry.exists(key))
                    sys.registry.deleteKey(key);
            },
        });
    }
    // 4. The service account.
    if (win.account) {
        const a = win.account;
        if (!sys.users.get(a.name))
            plan.notes.push(`the account ${a.name} is already gone`);
        if (a.rights.length) {
            plan.steps.push({ say: `remove the user rights of ${a.name} (${a.rights.join(', ')})`, apply: () => { sys.rights.removeAll((0, sid_1.sidFromString)(a.sid)); } });
        }
        if (a.group) {
            const group = a.group;
            plan.steps.push({
                say: `remove ${a.name} from ${group}`,
                apply: () => {
                    const rc = sys.users.removeFromGroup(group, `${sys.computerName()}\\${a.name}`);
                    if (rc !== win32_errors_1.NERR_Success && rc !== win32_errors_1.ERROR_MEMBER_NOT_IN_ALIAS && rc !== win32_errors_1.NERR_UserNotFound && rc !== 1332) {
                        throw new Error(`NetLocalGroupDelMembers failed: ${(0, win32_errors_1.win32ErrorName)(rc)}`);
                    }
                },
            });
        }
        if (sys.users.get(a.name)) {
            plan.steps.push({
                say: `delete the local account ${a.name}${win.credential ? ` (its credential ${win.credential.username} stays in the vault)` : ''}`,
                apply: () => {
                    const rc = sys.users.delete(a.name);
                    if (rc !== win32_errors_1.NERR_Success && rc !== win32_errors_1.NERR_UserNotFound)
                        throw new Error(`NetUserDel ${a.name} failed: ${(0, win32_errors_1.win32ErrorName)(rc)}`);
                },
            });
        }
    }
    if (win.existingAccount) {
        const a = win.existingAccount;
        if (a.rightsGranted.length) {
            plan.steps.push({
                say: `take back from ${a.name} the rights install granted it (${a.rightsGranted.join(', ')}); the account and its other rights and groups stay as they were`,
                apply: () => { sys.rights.remove((0, sid_1.sidFromString)(a.sid), a.rightsGranted); },
            });
        }
        plan.notes.push(`the account ${a.name} was there before install${a.wine ? ` (the Wine user, Wine ${a.wine})` : ''}: it is kept${win.credential ? `, and its credential ${win.credential.username} stays in the vault` : ''}`);
    }
    if (win.configServiceAccount)
        planConfigField(dataDir, plan, win.configServiceAccount);
    // 5. The DLL, after its registration is gone.
    if (win.dll?.owner === 'install') {
        const p = win.dll.path;
        if (sys.files.read(p)) {
            plan.steps.push({
                say: `remove ${p}`,
                apply: () => {
                    if (sys.files.remove(p) === 'at-reboot')
                        plan.notes.push(`${p} is loaded by lsass.exe: Windows removes it at the next reboot`);
                },
            });
        }
    }
    else if (win.dll) {
        plan.notes.push(`${win.dll.path} is left: ${win.dll.owner === 'package' ? 'the package installed it and removes it' : 'it was there before install'}`);
    }
    // 6. The data dir stays, private to SYSTEM and Administrators: the service account's entries go with it,
    // so a later install does not find a folder open to an account that is no longer the service's.
    const serviceSid = win.account?.sid ?? win.existingAccount?.sid;
    if (win.dataDirSecured && serviceSid && fs.existsSync(dataDir)) {
        plan.steps.push({
            say: `take the service account's entries out of the ACL of ${dataDir} and everything in it (SYSTEM and Administrators keep theirs)`,
            apply: () => {
                const wine = sys.self.wineVersion() !== undefined ? [sys.self.userSid()] : [];
                sys.dataDir.secure(dataDir, undefined, wine);
            },
        });
    }
    plan.steps.push({ say: `remove the install record ${(0, manifest_1.manifestPath)(dataDir)}`, apply: () => fs.rmSync((0, manifest_1.manifestPath)(dataDir), { force: true }) });
    const notesBefore = plan.notes.length;
    await (0, plan_1.runPlan)(plan, { dryRun: o.dryRun, out: o.out });
    for (const n of plan.notes.slice(notesBefore))
        o.out(`note: ${n}`);
    o.out(`${o.dryRun ? 'would keep' : 'kept'} the data dir ${dataDir}: it holds the vault, the keys and the journal (remove it yourself once you no longer need them)`);
    if (win.values?.some((r) => r.key === places_1.LSA_KEY && r.name === places_1.NOTIFICATION_PACKAGES)) {
        o.out(`the filter stays loaded in lsass.exe until the next reboot (LSA reads Notification Packages only at boot)`);
    }
    return 0;
}
//# sourceMappingURL=windows-uninstall.js.map