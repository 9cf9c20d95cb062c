"use strict";
// The Windows installer: packaging/windows/build-msi.sh builds it here, on Linux, with wixl, from real
// Windows parts (the cross-built DLLs and addon, the pinned node.exe, the win32-x64 production
// dependencies), and these tests read its tables back with msidump and its files with msiextract. What it
// does when installed runs in test/windows/msi-install.test.ts (under Wine) and in
// .github/workflows/windows.yml (on Windows).
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
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const msi_1 = require("../helpers/msi");
const tmp_1 = require("../helpers/tmp");
const repo_root_1 = require("../vectors/repo-root");
const ROOT = (0, repo_root_1.repoRoot)();
const WXS = path.join(ROOT, 'packaging', 'windows', 'pwbridge.wxs');
const REAL_DLL = path.join(ROOT, 'native', 'build-win', 'pwbridge_filter.dll');
const REAL_MESSAGES = path.join(ROOT, 'native', 'build-win', 'pwbridge_messages.dll');
const PINS = JSON.parse(fs.readFileSync(path.join(ROOT, 'packaging', 'node-runtimes.json'), 'utf8'));
/** Pinned: a package with another UpgradeCode would install next to an older pwbridge instead of replacing it. */
const UPGRADE_CODE = '{69CECF01-1292-4DAF-A93F-53F2B1ED0D37}';
/** The options the silent-deployment properties become, in PwbInstall's command line (pwbridge.wxs). */
const DEPLOYMENT_ARGS = ['PWB_ARG_ACCOUNT', 'PWB_ARG_ACCOUNT_PW', 'PWB_ARG_HUB', 'PWB_ARG_CLIENT', 'PWB_ARG_FP', 'PWB_ARG_CA', 'PWB_ARG_ENROL'];
// Custom action type bits (msidbCustomActionType*).
const EXE_FROM_FILE = 18;
const CONTINUE = 64;
const ROLLBACK = 256;
const IN_SCRIPT = 1024;
const NO_IMPERSONATE = 2048;
function runWithPath(args, env, bash) {
    const r = (0, node_child_process_1.spawnSync)(bash, [msi_1.BUILD_MSI, ...args], { encoding: 'utf8', env });
    return { code: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}
function extract(p, into) {
    fs.mkdirSync(into);
    const r = (0, node_child_process_1.spawnSync)('msiextract', ['-C', into, p.msi], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    node_assert_1.strict.equal(r.status, 0, r.stderr);
    return (0, tmp_1.filesUnder)(into);
}
function requireTool(tool) {
    const r = (0, node_child_process_1.spawnSync)('sh', ['-c', `command -v ${tool}`]);
    node_assert_1.strict.equal(r.status, 0, `${tool} is missing: apt-get install --no-install-recommends wixl msitools (.ci/run installs them)`);
}
/** Every table of the package, through msidump's .idt files (name, types and keys lines, then rows). */
function readPackage(msi, scratch) {
    const dir = fs.mkdtempSync(path.join(scratch, 'dump-'));
    const r = (0, node_child_process_1.spawnSync)('msidump', ['-d', dir, msi], { encoding: 'utf8' });
    node_assert_1.strict.equal(r.status, 0, `msidump: ${r.stderr}`);
    const tables = new Map();
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.idt'))) {
        const lines = fs.readFileSync(path.join(dir, f), 'utf8').split(/\r?\n/).filter((l) => l !== '');
        const cols = lines[0].split('\t');
        tables.set(f.slice(0, -4), lines.slice(3).map((l) => {
            const v = l.split('\t');
            return Object.fromEntries(cols.map((c, i) => [c, v[i] ?? '']));
        }));
    }
    return { msi, tables };
}
function rows(p, table) {
    return p.tables.get(table) ?? [];
}
function one(p, table, key, value) {
    const found = rows(p, table).filter((r) => r[key] === value);
    node_assert_1.strict.equal(found.length, 1, `${table}: expected one row with ${key} = ${value}, found ${found.length}`);
    return found[0];
}
/** Where a Directory row ends up: a standard folder (System64Folder, ProgramFiles64Folder) and the names below it. */
function dirPath(p, id) {
    const parts = [];
    for (let d = id; d && d !== 'TARGETDIR';) {
        const row = one(p, 'Directory', 'Directory', d);
        const name = row.DefaultDir.split(':')[0].split('|').pop() ?? '';
        const parent = row.Directory_Parent;
        if (parent === 'TARGETDIR') {
            parts.unshift(d);
            break;
        }
        if (name !== '.')
            parts.unshift(name);
        d = parent;
    }
    return parts.join('/');
}
/** The installed path of every file: "System64Folder/pwbridge_filter.dll", "ProgramFiles64Folder/pwbridge/bin/pwbridge", … */
const installedCache = new WeakMap();
function installedFiles(p) {
    const cached = installedCache.get(p);
    if (cached)
        return cached;
    const out = new Map();
    for (const f of rows(p, 'File')) {
        const comp = one(p, 'Component', 'Component', f.Component_);
        out.set(`${dirPath(p, comp.Directory_)}/${f.FileName.split('|').pop()}`, f);
    }
    installedCache.set(p, out);
    return out;
}
function seq(p, action) {
    return Number(one(p, 'InstallExecuteSequence', 'Action', action).Sequence);
}
// The checks, as functions, so the "can fail" test runs the very same ones on a broken package.
function checkFilterInSystem32(p) {
    const dll = installedFiles(p).get('System64Folder/pwbridge_filter.dll');
    node_assert_1.strict.ok(dll, `pwbridge_filter.dll is not installed into System64Folder; files: ${[...installedFiles(p).keys()].filter((k) => /pwbridge_filter/.test(k))}`);
    const comp = one(p, 'Component', 'Component', dll.Component_);
    node_assert_1.strict.ok(Number(comp.Attributes) & 256, 'the DLL\'s component must be 64-bit (msidbComponentAttributes64bit), or it lands in SysWOW64');
    node_assert_1.strict.equal(comp.KeyPath, dll.File);
    node_assert_1.strict.equal(one(p, 'Directory', 'Directory', 'System64Folder').Directory_Parent, 'TARGETDIR');
}
function checkInstallStep(p) {
    const ca = one(p, 'CustomAction', 'Action', 'PwbInstall');
    node_assert_1.strict.equal(Number(ca.Type), EXE_FROM_FILE | IN_SCRIPT | NO_IMPERSONATE, 'PwbInstall: deferred, as LocalSystem, failure fails the install');
    node_assert_1.strict.equal(one(p, 'File', 'File', ca.Source).FileName, 'node.exe');
    const launcher = installedFiles(p).get('ProgramFiles64Folder/pwbridge/bin/pwbridge');
    node_assert_1.strict.ok(launcher, 'bin/pwbridge is not installed');
    const dll = one(p, 'File', 'FileName', 'pwbridge_filter.dll');
    const target = `"[#${launcher.File}]" install --module "[#${dll.File}]" --event-messages "[#`;
    node_assert_1.strict.ok(ca.Target.startsWith(target) && new RegExp(`^\\w+\\]"${DEPLOYMENT_ARGS.map((a) => `\\[${a}\\]`).join('')}$`).test(ca.Target.slice(target.length)), `PwbInstall runs ${ca.Target}`);
    const s = one(p, 'InstallExecuteSequence', 'Action', 'PwbInstall');
    node_assert_1.strict.equal(s.Condition, 'NOT REMOVE~="ALL"', 'install runs on install, repair and upgrade, never on removal');
    node_assert_1.strict.ok(Number(s.Sequence) > seq(p, 'InstallFiles') && Number(s.Sequence) > seq(p, 'StartServices')
        && Number(s.Sequence) < seq(p, 'InstallFinalize'), `PwbInstall at ${s.Sequence}: must run after the files are in place, inside the script`);
}
/** The message DLL in Program Files\pwbridge, and the install step names that file for the event source. */
function checkEventMessages(p) {
    const messages = installedFiles(p).get('ProgramFiles64Folder/pwbridge/pwbridge_messages.dll');
    node_assert_1.strict.ok(messages, `pwbridge_messages.dll is not installed into Program Files\\pwbridge; files: ${[...installedFiles(p).keys()].filter((k) => /_m/.test(k))}`);
    node_assert_1.strict.ok(one(p, 'CustomAction', 'Action', 'PwbInstall').Target.includes(` --event-messages "[#${messages.File}]"`));
}
function checkUninstallStep(p) {
    const ca = one(p, 'CustomAction', 'Action', 'PwbUninstall');
    node_assert_1.strict.equal(Number(ca.Type), EXE_FROM_FILE | IN_SCRIPT | NO_IMPERSONATE);
    node_assert_1.strict.equal(one(p, 'File', 'File', ca.Source).FileName, 'node.exe');
    node_assert_1.strict.match(ca.Target, /^"\[#\w+\]" uninstall$/);
    const s = one(p, 'InstallExecuteSequence', 'Action', 'PwbUninstall');
    node_assert_1.strict.equal(s.Condition, 'REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE AND NOT PWB_SKIP_UNINSTALL_STEP', 'uninstall runs on a full removal only: not when a newer version replaces this one');
    node_assert_1.strict.ok(Number(s.Sequence) > seq(p, 'InstallInitialize') && Number(s.Sequence) < seq(p, 'StopServices')
        && Number(s.Sequence) < seq(p, 'RemoveFiles'), `PwbUninstall at ${s.Sequence}: must run while node.exe and the service are still there`);
}
describe('packaging: the Windows MSI (wixl, checked with msidump)', function () {
    this.timeout(120_000);
    let t;
    let pkg;
    let extractedFiles;
    const packageFiles = () => (extractedFiles ??= extract(pkg, path.join(t.dir, 'extract')));
    before(function () {
        if (process.platform === 'win32')
            this.skip(); // the Windows workflow builds and installs the package there
        this.timeout(600_000);
        for (const tool of ['wixl', 'wixl-heat', 'msibuild', 'msiinfo', 'msidump', 'msiextract'])
            requireTool(tool);
        node_assert_1.strict.ok(fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'run npm run build first');
        node_assert_1.strict.ok(fs.existsSync(REAL_DLL) && fs.existsSync(REAL_MESSAGES), 'native/build-win has no DLLs: npm run build:native (mingw-w64)');
        t = (0, tmp_1.makeTempDir)('pwbridge-msi-');
        pkg = readPackage((0, msi_1.buildMsi)(), t.dir);
    });
    after(() => t?.cleanup());
    it('refuses to build from parts that are not Windows x64, naming each, and builds nothing', () => {
        const out = path.join(t.dir, 'strict');
        const r = (0, msi_1.runBuildMsi)(['--dll', '/bin/ls', '--node-exe', '/bin/sh', '--pipe-addon', '/bin/true', '--out', out]);
        node_assert_1.strict.equal(r.code, 1, r.out);
        node_assert_1.strict.match(r.out, /the filter: \/bin\/ls is not a Windows x64 dll/);
        node_assert_1.strict.match(r.out, /node\.exe: \/bin\/sh is not a Windows x64 executable/);
        node_assert_1.strict.match(r.out, /the named-pipe addon: \/bin\/true is not a Windows x64 dll/);
        node_assert_1.strict.deepEqual(fs.readdirSync(out).filter((f) => f.endsWith('.msi')), []);
    });
    it('says which tools are missing, and how to get them, when wixl is not there (exit 2)', () => {
        const bin = path.join(t.dir, 'bin-without-wixl');
        fs.mkdirSync(bin);
        fs.symlinkSync((0, node_child_process_1.spawnSync)('sh', ['-c', 'command -v dirname'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'dirname'));
        const bash = (0, node_child_process_1.spawnSync)('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
        const r = runWithPath(['--out', path.join(t.dir, 'nowixl')], { PATH: bin }, bash);
        node_assert_1.strict.equal(r.code, 2, r.out);
        node_assert_1.strict.match(r.stderr, /lacks wixl wixl-heat msibuild msiinfo node npm tar/);
        node_assert_1.strict.match(r.stderr, /apt-get install --no-install-recommends wixl msitools/);
    });
    it('puts pwbridge_filter.dll into System32 as a 64-bit component, with the built bytes', () => {
        checkFilterInSystem32(pkg);
        const found = packageFiles().filter((f) => path.basename(f) === 'pwbridge_filter.dll');
        node_assert_1.strict.equal(found.length, 1, `extracted: ${found}`);
        node_assert_1.strict.ok(fs.readFileSync(found[0]).equals(fs.readFileSync(REAL_DLL)), 'the packaged DLL differs from native/build-win');
    });
    it('puts pwbridge_messages.dll under Program Files\\pwbridge, with the built bytes, and install names it for the event source', () => {
        checkEventMessages(pkg);
        const found = packageFiles().filter((f) => path.basename(f) === 'pwbridge_messages.dll');
        node_assert_1.strict.equal(found.length, 1, `extracted: ${found}`);
        node_assert_1.strict.ok(fs.readFileSync(found[0]).equals(fs.readFileSync(REAL_MESSAGES)), 'the packaged message DLL differs from native/build-win');
    });
    it('puts the service under Program Files\\pwbridge: the pinned node.exe, the launcher, dist/src, the pipe addon, and Windows production dependencies only', () => {
        const files = [...installedFiles(pkg).keys()];
        const app = 'ProgramFiles64Folder/pwbridge/';
        for (const f of ['node.exe', 'bin/pwbridge', 'bin/pwbridge.cmd', 'package.json', 'dist/src/cli/main.js', 'addons/pwbridge_pipe.node',
            'node_modules/koffi/package.json', 'node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node', 'node_modules/rxjs/package.json',
            'node_modules/pino/package.json', 'node_modules/commander/package.json', 'node_modules/pg/package.json']) {
            node_assert_1.strict.ok(files.includes(app + f), `${f} is not installed`);
        }
        const compiled = (0, tmp_1.filesUnder)(path.join(ROOT, 'dist', 'src')).filter((f) => !f.endsWith('.map'));
        node_assert_1.strict.equal(files.filter((f) => f.startsWith(`${app}dist/src/`)).length, compiled.length, 'every compiled service file, and nothing else');
        const unwanted = files.filter((f) => !f.startsWith(app) && f !== 'System64Folder/pwbridge_filter.dll'
            || /\/node_modules\/(mocha|typescript|fast-check|@types|playwright-core|better-sqlite3)\//.test(f) || /\/dist\/(test|bench)\//.test(f)
            || /\.map$|\.d\.ts$/.test(f) || /koffi-linux/.test(f));
        node_assert_1.strict.deepEqual(unwanted, []);
        const addons = files.filter((f) => f.endsWith('.node'));
        node_assert_1.strict.deepEqual(addons.sort(), [`${app}addons/pwbridge_pipe.node`, `${app}node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node`]);
        for (const c of rows(pkg, 'Component'))
            node_assert_1.strict.ok(Number(c.Attributes) & 256, `component ${c.Component} is not 64-bit`);
        node_assert_1.strict.ok(rows(pkg, 'Component').every((c) => /^\{[0-9A-F-]{36}\}$/.test(c.ComponentId)), 'every component has a GUID');
        const nodeExe = packageFiles().find((f) => path.basename(f) === 'node.exe');
        node_assert_1.strict.ok(nodeExe, 'node.exe is not in the package');
        const sum = (0, node_child_process_1.spawnSync)('sha256sum', [nodeExe], { encoding: 'utf8' }).stdout.split(' ')[0];
        node_assert_1.strict.equal(sum, PINS['win32-x64'].sha256, 'the packaged node.exe is not the pinned one');
        const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(path.dirname(nodeExe)), 'pwbridge', 'package.json'), 'utf8'));
        node_assert_1.strict.equal(manifest.version, msi_1.PACKAGE_VERSION);
        node_assert_1.strict.equal(manifest.dependencies['better-sqlite3'], undefined, 'the package says it needs better-sqlite3');
    });
    it('runs pwbridge install as a deferred LocalSystem step after the files, on install, repair and upgrade', () => {
        checkInstallStep(pkg);
    });
    it('asks for a reboot after a first install or an upgrade and makes none, with or without /norestart (exit 3010)', () => {
        const s = one(pkg, 'InstallExecuteSequence', 'Action', 'ScheduleReboot');
        node_assert_1.strict.equal(s.Condition, 'NOT Installed AND NOT REMOVE~="ALL"');
        node_assert_1.strict.ok(Number(s.Sequence) > seq(pkg, 'InstallFinalize'), 'after the transaction: a failed install asks for nothing');
        node_assert_1.strict.equal(rows(pkg, 'InstallExecuteSequence').filter((r) => r.Action === 'ForceReboot').length, 0, 'never a forced reboot');
        node_assert_1.strict.equal(one(pkg, 'Property', 'Property', 'REBOOT').Value, 'ReallySuppress', 'no reboot even without /norestart');
    });
    it('silent deployment: each PWB_* property given becomes its install option, set before the script is written, and reaches the elevated session', () => {
        const props = {
            PWB_ARG_ACCOUNT: ['PWB_SERVICE_ACCOUNT', '--service-account'], PWB_ARG_ACCOUNT_PW: ['PWB_SERVICE_PASSWORD_FILE', '--service-password-file'],
            PWB_ARG_HUB: ['PWB_HUB', '--hub'], PWB_ARG_CLIENT: ['PWB_CLIENT', '--client'], PWB_ARG_FP: ['PWB_FINGERPRINT', '--insecure-fingerprint'],
            PWB_ARG_CA: ['PWB_CA_FILE', '--ca'], PWB_ARG_ENROL: ['PWB_ENROL_FILE', '--enrol-file'],
        };
        const secure = one(pkg, 'Property', 'Property', 'SecureCustomProperties').Value.split(';');
        for (const arg of DEPLOYMENT_ARGS) {
            const [property, option] = props[arg];
            const ca = rows(pkg, 'CustomAction').find((r) => r.Source === arg);
            node_assert_1.strict.ok(ca, `no action sets ${arg}`);
            node_assert_1.strict.equal(Number(ca.Type) & 0x3f, 51, `${ca.Action}: sets a property (type 51)`);
            node_assert_1.strict.equal(Number(ca.Type) & IN_SCRIPT, 0, `${ca.Action}: immediate, so the deferred step sees its value`);
            node_assert_1.strict.equal(ca.Target, ` ${option} "[${property}]"`);
            const s = one(pkg, 'InstallExecuteSequence', 'Action', ca.Action);
            node_assert_1.strict.equal(s.Condition, property, `${ca.Action} runs only when ${property} is given`);
            node_assert_1.strict.ok(Number(s.Sequence) < seq(pkg, 'InstallInitialize'), `${ca.Action} before the script is written`);
            node_assert_1.strict.ok(secure.includes(property), `${property} is not in SecureCustomProperties (${secure.join(';')})`);
        }
        node_assert_1.strict.ok(secure.includes('WIX_UPGRADE_DETECTED'), 'wixl\'s own secure properties are kept');
    });
    it('runs pwbridge uninstall on REMOVE="ALL" before the service is stopped and the files go, but not during an upgrade', () => {
        checkUninstallStep(pkg);
    });
    it('each step has a rollback action that undoes it, scheduled right before it', () => {
        const ir = one(pkg, 'CustomAction', 'Action', 'PwbInstallRollback');
        node_assert_1.strict.equal(Number(ir.Type), EXE_FROM_FILE | CONTINUE | ROLLBACK | IN_SCRIPT | NO_IMPERSONATE);
        node_assert_1.strict.match(ir.Target, / uninstall$/);
        node_assert_1.strict.equal(seq(pkg, 'PwbInstallRollback'), seq(pkg, 'PwbInstall') - 1);
        node_assert_1.strict.equal(one(pkg, 'InstallExecuteSequence', 'Action', 'PwbInstallRollback').Condition, 'NOT REMOVE~="ALL" AND NOT Installed AND NOT WIX_UPGRADE_DETECTED', 'only a first install is undone as a whole');
        const ur = one(pkg, 'CustomAction', 'Action', 'PwbUninstallRollback');
        node_assert_1.strict.equal(Number(ur.Type), EXE_FROM_FILE | CONTINUE | ROLLBACK | IN_SCRIPT | NO_IMPERSONATE);
        // It puts back what uninstall took away: the install step without the deployment options (the enrolment
        // file is gone by then, and the account and the enrolment are kept in the data dir).
        node_assert_1.strict.equal(`${ur.Target}${DEPLOYMENT_ARGS.map((a) => `[${a}]`).join('')}`, one(pkg, 'CustomAction', 'Action', 'PwbInstall').Target);
        node_assert_1.strict.equal(seq(pkg, 'PwbUninstallRollback'), seq(pkg, 'PwbUninstall') - 1);
        node_assert_1.strict.equal(one(pkg, 'InstallExecuteSequence', 'Action', 'PwbUninstallRollback').Condition, one(pkg, 'InstallExecuteSequence', 'Action', 'PwbUninstall').Condition);
    });
    it('stops the pwbridge service before its files are replaced or removed (ServiceControl)', () => {
        const sc = one(pkg, 'ServiceControl', 'Name', 'pwbridge');
        node_assert_1.strict.equal(Number(sc.Event) & (2 | 32), 2 | 32, 'stop on install and on uninstall');
        node_assert_1.strict.equal(Number(sc.Event) & (1 | 16), 0, 'never started by the package (install starts it)');
        node_assert_1.strict.equal(sc.Component_, one(pkg, 'File', 'FileName', 'node.exe').Component_);
        node_assert_1.strict.ok(seq(pkg, 'StopServices') < seq(pkg, 'RemoveFiles') && seq(pkg, 'StopServices') < seq(pkg, 'InstallFiles'));
        node_assert_1.strict.deepEqual(rows(pkg, 'ServiceInstall'), [], 'the service is installed by pwbridge install, with its own account');
    });
    it('is x64, per machine, version = package.json, with the pinned UpgradeCode and a major upgrade', () => {
        const prop = (name) => one(pkg, 'Property', 'Property', name).Value;
        node_assert_1.strict.equal(prop('UpgradeCode'), UPGRADE_CODE);
        node_assert_1.strict.equal(prop('Manufacturer'), 'pwbridge');
        node_assert_1.strict.equal(prop('ProductName'), 'pwbridge');
        node_assert_1.strict.equal(prop('ProductVersion'), msi_1.PACKAGE_VERSION);
        node_assert_1.strict.equal(prop('ALLUSERS'), '1');
        node_assert_1.strict.equal(one(pkg, '_SummaryInformation', 'PropertyId', '7').Value, 'x64;1033');
        const upgrades = rows(pkg, 'Upgrade');
        node_assert_1.strict.ok(upgrades.length >= 2 && upgrades.every((u) => u.UpgradeCode === UPGRADE_CODE));
        node_assert_1.strict.ok(upgrades.some((u) => u.VersionMax === msi_1.PACKAGE_VERSION && u.ActionProperty === 'WIX_UPGRADE_DETECTED'), 'older versions are found');
        node_assert_1.strict.ok(upgrades.some((u) => u.VersionMin === msi_1.PACKAGE_VERSION && u.ActionProperty === 'WIX_DOWNGRADE_DETECTED'), 'newer versions are found');
        node_assert_1.strict.ok(seq(pkg, 'RemoveExistingProducts') > seq(pkg, 'InstallInitialize')
            && seq(pkg, 'RemoveExistingProducts') < seq(pkg, 'PwbUninstall'), 'the older version goes first, as a whole');
    });
    it('launch conditions: administrator, 64-bit Windows 10 / Server 2016 or later, LSA protection off (or overridden), downgrade refused', () => {
        const cond = (c) => rows(pkg, 'LaunchCondition').find((r) => r.Condition === c);
        node_assert_1.strict.ok(cond('Privileged'));
        node_assert_1.strict.ok(cond('Installed OR VersionNT64'));
        node_assert_1.strict.match(cond('Installed OR PWB_WIN10 OR PWB_NTVERSION = "10.0"')?.Description ?? '', /Windows 10 or Windows Server 2016.*Node\.js 22/);
        const win10 = one(pkg, 'RegLocator', 'Signature_', one(pkg, 'AppSearch', 'Property', 'PWB_WIN10').Signature_);
        node_assert_1.strict.equal(win10.Key, 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion');
        node_assert_1.strict.equal(win10.Name, 'CurrentMajorVersionNumber', 'a value that exists only on Windows 10 / Server 2016 and later');
        node_assert_1.strict.ok(cond('NOT WIX_DOWNGRADE_DETECTED'));
        const conds = rows(pkg, 'LaunchCondition').map((r) => r.Condition);
        node_assert_1.strict.ok(conds.includes('Installed OR PWB_IGNORE_LSA_PROTECTION OR NOT (PWB_RUNASPPL = "#1" OR PWB_RUNASPPL = "#2")'));
        const search = one(pkg, 'AppSearch', 'Property', 'PWB_RUNASPPL');
        const loc = one(pkg, 'RegLocator', 'Signature_', search.Signature_);
        node_assert_1.strict.equal(loc.Key, 'SYSTEM\\CurrentControlSet\\Control\\Lsa');
        node_assert_1.strict.equal(loc.Name, 'RunAsPPL');
        node_assert_1.strict.equal(Number(loc.Root), 2, 'HKLM');
        node_assert_1.strict.equal(Number(loc.Type), 2 | 16, 'a raw value, from the 64-bit registry');
    });
    it('these checks fail on a package built from a broken source (they can fail)', () => {
        const broken = path.join(t.dir, 'broken.wxs');
        const src = fs.readFileSync(WXS, 'utf8');
        const edits = [
            ['<Directory Id="System64Folder">', '<Directory Id="SystemFolder">'],
            ['<Custom Action="PwbInstall" Sequence="6510">', '<Custom Action="PwbInstall" Sequence="1530">'],
            ['Name="pwbridge_messages.dll"', 'Name="pwbridge_msg.dll"'],
            ['<Custom Action="PwbUninstall" Sequence="1520">REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE', '<Custom Action="PwbUninstall" Sequence="1520">REMOVE~="ALL"'],
        ];
        let text = src;
        for (const [from, to] of edits) {
            node_assert_1.strict.ok(text.includes(from), `the source no longer has ${from}: update this test`);
            text = text.replace(from, to);
        }
        fs.writeFileSync(broken, text);
        const r = (0, msi_1.runBuildMsi)(['--wxs', broken, '--out', path.join(t.dir, 'broken')]);
        node_assert_1.strict.equal(r.code, 0, r.out);
        const bad = readPackage(path.join(t.dir, 'broken', `pwbridge-${msi_1.PACKAGE_VERSION}-x64.msi`), t.dir);
        node_assert_1.strict.throws(() => checkFilterInSystem32(bad), /not installed into System64Folder/);
        node_assert_1.strict.throws(() => checkInstallStep(bad), /must run after the files are in place/);
        node_assert_1.strict.throws(() => checkEventMessages(bad), /pwbridge_messages\.dll is not installed into Program Files/);
        node_assert_1.strict.throws(() => checkUninstallStep(bad), /not when a newer version replaces this one/);
    });
});
//# sourceMappingURL=msi.test.js.map