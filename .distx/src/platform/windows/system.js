"use strict";
// What `pwbridge install` / `uninstall` change on Windows, as one interface: the registry, local
// accounts, rights, the service, System32, the data dir's ACL. `realWindowsSystem()` is the machine
// (advapi32/netapi32 through the binding, files through node:fs); the tests build the same interface on
// the fake Win32 and temporary folders.
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
exports.realWindowsSystem = realWindowsSystem;
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const account_lookup_1 = require("./account-lookup");
const binding_1 = require("./binding");
const boot_1 = require("./boot");
const computer_name_1 = require("./computer-name");
const logon_1 = require("./logon");
const lsa_rights_1 = require("./lsa-rights");
const netapi_1 = require("./netapi");
const places_1 = require("./places");
const process_identity_1 = require("./process-identity");
const registry_1 = require("./registry");
const secure_tree_1 = require("./secure-tree");
const service_control_1 = require("./service-control");
const utf16_1 = require("./utf16");
const wine_1 = require("./wine");
const MOVEFILE_DELAY_UNTIL_REBOOT = 0x4;
function realWindowsSystem(w = (0, binding_1.loadWin32)()) {
    const net = new netapi_1.NetApi(w);
    const lookup = new account_lookup_1.AccountLookup(w);
    const rights = new lsa_rights_1.LsaRights(w);
    const services = new service_control_1.ServiceControl(w);
    const acl = new secure_tree_1.DataDirAcl(w, (sid) => lookup.nameOfSid(sid));
    const atReboot = (p) => {
        if (!w.kernel32.MoveFileExW((0, utf16_1.wideZ)(p), null, MOVEFILE_DELAY_UNTIL_REBOOT)) {
            throw new Error(`cannot schedule ${p} for removal at reboot (error ${w.kernel32.GetLastError()})`);
        }
    };
    const busy = (e) => ['EBUSY', 'EPERM', 'EACCES'].includes(e.code ?? '');
    return {
        registry: new registry_1.Registry(w),
        users: {
            get: (name) => net.getUser(name),
            add: (name, pw, comment, flags) => net.addUser(name, pw, comment, flags),
            delete: (name) => net.deleteUser(name),
            addToGroup: (group, member) => net.addGroupMember(group, member),
            removeFromGroup: (group, member) => net.delGroupMember(group, member),
            localGroups: (name) => net.localGroups(name),
            passwordMatches: (name, pw) => (0, logon_1.logonMatches)(w, name, pw),
        },
        lookup: { sidOf: (name) => lookup.sidOf(name), administratorsGroup: () => lookup.administratorsGroup(), nameOfSid: (sid) => lookup.nameOfSid(sid) },
        rights: { add: (sid, r) => rights.add(sid, r), list: (sid) => rights.list(sid), remove: (sid, r) => rights.remove(sid, r), removeAll: (sid) => rights.removeAll(sid) },
        self: { wineVersion: () => (0, wine_1.wineVersion)(w), userSid: () => (0, process_identity_1.processUserSid)(w) },
        services: {
            state: (n) => services.state(n),
            create: (s) => services.create(s),
            reconfigure: (n, b, d) => services.reconfigure(n, b, d),
            start: (n) => services.start(n),
            stop: (n, t) => services.stop(n, t),
            delete: (n) => services.delete(n),
        },
        files: {
            system32: (0, places_1.system32)(),
            read: (p) => {
                try {
                    return fs.readFileSync(p);
                }
                catch (e) {
                    if (e.code === 'ENOENT')
                        return undefined;
                    throw e;
                }
            },
            replace: (p, data) => {
                const tmp = `${p}.pwbridge-${(0, node_crypto_1.randomBytes)(4).toString('hex')}.tmp`;
                fs.writeFileSync(tmp, data, { flag: 'wx' });
                try {
                    fs.renameSync(tmp, p);
                    return 'written';
                }
                catch (e) {
                    if (!busy(e)) {
                        fs.rmSync(tmp, { force: true });
                        throw e;
                    }
                    // lsass has the old DLL loaded: it cannot be replaced or deleted, but it can be renamed.
                    const aside = `${p}.old-${Date.now()}`;
                    fs.renameSync(p, aside);
                    fs.renameSync(tmp, p);
                    atReboot(aside);
                    return 'written, old file removed at reboot';
                }
            },
            remove: (p) => {
                try {
                    fs.rmSync(p);
                    return 'removed';
                }
                catch (e) {
                    if (e.code === 'ENOENT')
                        return 'absent';
                    if (!busy(e))
                        throw e;
                    atReboot(p);
                    return 'at-reboot';
                }
            },
        },
        dataDir: {
            problems: (dir, sids) => acl.problems(dir, sids),
            create: (dir, sid) => acl.create(dir, sid),
            secure: (dir, sid, sids) => acl.secure(dir, sid, sids),
            secureFile: (file, sid, sids) => acl.secureFile(file, sid, sids),
        },
        computerName: () => (0, computer_name_1.computerName)(w),
        now: Date.now,
        bootMs: () => (0, boot_1.bootTimeSeconds)(w) * 1000,
        waitForService: async (name, ms) => {
            const until = Date.now() + ms;
            for (;;) {
                const state = services.state(name);
                if (state === service_control_1.SERVICE_RUNNING)
                    return true;
                if (state === undefined || state === service_control_1.SERVICE_STOPPED || Date.now() > until)
                    return false;
                await new Promise((r) => setTimeout(r, 200));
            }
        },
        eventMessageFile: () => {
            const f = path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'Microsoft.NET', 'Framework64', 'v4.0.30319', 'EventLogMessages.dll');
            return fs.existsSync(f) ? f : undefined;
        },
    };
}
//# sourceMappingURL=system.js.map