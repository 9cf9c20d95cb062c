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
exports.ORIGINAL_PACKAGES = exports.MAIN = exports.NODE = void 0;
exports.adminsOnly = adminsOnly;
exports.machine = machine;
// A Windows machine for install/uninstall tests: the fake Win32 (SAM, LSA, registry, SCM, file security)
// over a temporary folder that stands for C:\ (System32, the build folder, the data dir), and the real
// install and uninstall code run against it through realWindowsSystem.
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const places_1 = require("../../../src/platform/windows/places");
const registry_1 = require("../../../src/platform/windows/registry");
const system_1 = require("../../../src/platform/windows/system");
const windows_install_1 = require("../../../src/setup/windows-install");
const windows_uninstall_1 = require("../../../src/setup/windows-uninstall");
const fake_win32_1 = require("./fake-win32");
exports.NODE = 'C:\\Program Files\\pwbridge\\node.exe';
exports.MAIN = 'C:\\Program Files\\pwbridge\\dist\\src\\cli\\main.js';
/** Notification Packages as a typical Windows has it, written the way Windows writes it. */
exports.ORIGINAL_PACKAGES = Buffer.from('scecli\0rassfm\0', 'utf16le'); // no final empty string: as some tools leave it
/** The descriptor an administrator who made the data dir by hand, the right way, would have given it. */
function adminsOnly(win, p) {
    const full = { type: 0, flags: 0x3, mask: 0x1f01ff };
    win.setFileSecurity(p, { owner: 'S-1-5-32-544', protected: true, dacl: [{ ...full, sid: 'S-1-5-18' }, { ...full, sid: 'S-1-5-32-544' }] });
}
function machine(o = {}) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbt-wininst-'));
    const dataDir = path.join(root, 'data');
    const sys32 = path.join(root, 'System32');
    const build = path.join(root, 'build');
    fs.mkdirSync(sys32);
    fs.mkdirSync(build);
    const win = new fake_win32_1.FakeWindows();
    if (o.wine)
        win.asWine();
    if (o.dataDirExists ?? true) {
        fs.mkdirSync(dataDir, { mode: 0o700 });
        fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', socketPath: '\\\\.\\pipe\\pwbridge' }));
        adminsOnly(win, dataDir);
    }
    const dll = path.join(build, 'pwbridge_filter.dll');
    fs.writeFileSync(dll, (0, fake_win32_1.fakePe)());
    win.registry.get(places_1.LSA_KEY).set(places_1.NOTIFICATION_PACKAGES.toLowerCase(), { type: registry_1.REG_MULTI_SZ, data: Buffer.from(exports.ORIGINAL_PACKAGES) });
    /** Each time the data dir was secured, and whether a key file existed by then. */
    const secured = [];
    const real = (0, system_1.realWindowsSystem)(win.win32);
    const system = {
        ...real,
        files: { ...real.files, system32: sys32 },
        dataDir: {
            ...real.dataDir,
            secure: (d, sid, sids) => {
                secured.push({ dir: d, keys: fs.existsSync(path.join(d, 'keys', 'capture.secret')) });
                real.dataDir.secure(d, sid, sids);
            },
        },
        computerName: () => 'HOST1',
        now: () => win.now,
        bootMs: () => win.bootMs,
        waitForService: async () => true,
        eventMessageFile: () => 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\EventLogMessages.dll',
    };
    const lines = [];
    const passwordsAsked = [];
    let givenPassword;
    const opts = {
        dataDir, dryRun: false, start: true, module: dll, out: (l) => lines.push(l), system, nodePath: exports.NODE, mainJs: exports.MAIN,
        readPassword: async (account) => {
            passwordsAsked.push(account);
            if (givenPassword === undefined)
                throw new Error('the test gave no password');
            return Buffer.from(givenPassword);
        },
    };
    const install = (x = {}) => (0, windows_install_1.runWindowsInstall)({ ...opts, ...x });
    const uninstall = (x = {}) => (0, windows_uninstall_1.runWindowsUninstall)({ dataDir, dryRun: x.dryRun ?? false, out: opts.out, system });
    const reg = new registry_1.Registry(win.win32);
    const packages = () => reg.get(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES);
    return {
        root, dataDir, sys32, dll, win, secured, lines, install, uninstall, reg, packages, passwordsAsked,
        givePassword: (pw) => { givenPassword = pw; },
        cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
    };
}
//# sourceMappingURL=install-machine.js.map