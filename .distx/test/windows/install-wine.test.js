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
// `pwbridge install` and `uninstall` for real under Wine: the compiled CLI in the pinned Windows node.exe
// with a Windows node_modules (koffi's win32 binary), in a Wine prefix of its own (it changes HKLM, the
// service manager and System32), with the filter and message DLLs from `npm run build:native`. What
// changed is read from outside: `reg query` in the prefix, and the prefix's files on this machine.
//
// Under Wine install takes the Wine user as the service account (wine.ts), so no credential is stored and
// no SQLite is opened: the whole install runs on this branch's better-sqlite3, whose addon the Windows
// node_modules does not have. The service itself is not started (--no-start): it would need SQLite.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const windows_app_1 = require("../helpers/windows-app");
const windows_node_1 = require("../helpers/windows-node");
const wine_1 = require("../helpers/wine");
const DATA_DIR = 'C:\\ProgramData\\pwbridge';
const WINE_USER_SID = 'S-1-5-21-0-0-0-1000';
const KEYS = {
    pwbridge: 'HKLM\\SOFTWARE\\pwbridge',
    lsa: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa',
    source: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge',
    service: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\pwbridge',
};
describe('pwbridge install and uninstall under Wine (Windows node.exe)', function () {
    this.timeout(600_000);
    let prefix;
    let app;
    const user = os.userInfo().username;
    const pwbridge = (args) => (0, windows_node_1.runWindowsNode)([app.mainJs, ...args], { env: { WINEPREFIX: prefix.dir }, timeoutMs: 180_000 });
    const node = (script, args) => (0, windows_node_1.runWindowsNode)([app.file(script), ...args], { env: { WINEPREFIX: prefix.dir }, timeoutMs: 180_000 });
    const dlls = ['--module', (0, wine_1.winPath)(wine_1.FILTER_DLL), '--event-messages', (0, wine_1.winPath)(wine_1.MESSAGES_DLL)];
    /** `reg query KEY [/v NAME]` in the prefix: the values as { name: [type, data] }, or undefined when the key or value is absent. */
    const query = (key, name) => {
        const r = (0, wine_1.runWindows)('reg', ['query', key, ...(name ? ['/v', name] : [])], 60_000, prefix.env);
        if (r.code !== 0)
            return undefined;
        const values = {};
        for (const m of r.out.matchAll(/^ {4}(.+?) {4}(REG_\w+) {4}(.*)$/gm))
            values[m[1]] = [m[2], m[3].trim()];
        return values;
    };
    const host = (windowsPath) => (0, wine_1.hostPathIn)(prefix.dir, windowsPath);
    const snapshot = () => ({
        pwbridge: query(KEYS.pwbridge), packages: query(KEYS.lsa, 'Notification Packages'), source: query(KEYS.source), service: query(KEYS.service),
        dll: fs.existsSync(host('C:\\windows\\system32\\pwbridge_filter.dll')), dataDir: fs.existsSync(host(DATA_DIR)),
    });
    before(function () {
        const missing = (0, wine_1.windowsPartsMissing)();
        if (process.platform === 'win32' || missing.skip)
            this.skip(); // on Windows the MSI test installs for real
        if (missing.fail)
            throw new Error(missing.fail);
        prefix = (0, wine_1.privateWinePrefix)();
        app = (0, windows_app_1.sharedWindowsApp)();
    });
    after(() => prefix?.remove());
    it('install --dry-run says every step, and that this is Wine, and changes nothing', async () => {
        const before = snapshot();
        node_assert_1.strict.deepEqual(before, { pwbridge: undefined, packages: undefined, source: undefined, service: undefined, dll: false, dataDir: false }, 'a fresh prefix');
        const r = await pwbridge(['install', '--dry-run', ...dlls]);
        node_assert_1.strict.equal(r.code, 0, r.stderr);
        const out = r.stdout;
        node_assert_1.strict.equal(out.match(/^note: this is Wine \d+\.\d+: the service runs as the Wine user \S+\\\S+ \(S-1-5-21-0-0-0-1000\), the one account every process has here; no account is created or deleted, and no credential is stored \(its password is unknown\)$/gm)?.length, 1, out);
        for (const line of [
            /^would create the data dir C:\\ProgramData\\pwbridge with a protected ACL for SYSTEM, Administrators and the service account only/m,
            new RegExp(`^would run the service as the existing local administrator \\S+\\\\${user} \\(${WINE_USER_SID}\\); grant it SeServiceLogonRight`, 'm'),
            new RegExp(`^would set HKLM\\\\SOFTWARE\\\\pwbridge ServiceSid = ${WINE_USER_SID}:`, 'm'),
            /^would copy the filter Z:\\\S+\\pwbridge_filter\.dll to C:\\windows\\System32\\pwbridge_filter\.dll$/m,
            /^would append pwbridge_filter to HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa Notification Packages: \(empty\) → pwbridge_filter$/m,
            new RegExp(`^would create the service pwbridge \\(automatic start, restarted on failure\\) running as \\.\\\\${user}: `, 'm'),
        ])
            node_assert_1.strict.match(out, line);
        node_assert_1.strict.deepEqual(snapshot(), before);
    });
    it('install --no-start: registry, System32, the service and the data dir as reg query and the file system show them', async () => {
        const r = await pwbridge(['install', '--no-start', ...dlls]);
        node_assert_1.strict.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        node_assert_1.strict.match(r.stdout, /^reboot required: LSA loads the filter at the next boot/m);
        const values = query(KEYS.pwbridge);
        node_assert_1.strict.deepEqual(values.ServiceSid, ['REG_SZ', WINE_USER_SID]);
        node_assert_1.strict.deepEqual(values.ExcludeAccounts, ['REG_MULTI_SZ', user]);
        node_assert_1.strict.equal(values.InstalledAt?.[0], 'REG_QWORD');
        node_assert_1.strict.deepEqual(query(KEYS.lsa, 'Notification Packages')['Notification Packages'], ['REG_MULTI_SZ', 'pwbridge_filter']);
        node_assert_1.strict.deepEqual(query(KEYS.source), { EventMessageFile: ['REG_EXPAND_SZ', (0, wine_1.winPath)(wine_1.MESSAGES_DLL)], TypesSupported: ['REG_DWORD', '0x7'] });
        const service = query(KEYS.service);
        node_assert_1.strict.deepEqual(service.ObjectName, ['REG_SZ', `.\\${user}`]);
        node_assert_1.strict.deepEqual(service.Start, ['REG_DWORD', '0x2']);
        node_assert_1.strict.ok(service.ImagePath[1].endsWith(`${app.mainJs} run --data-dir ${DATA_DIR} --windows-service`), service.ImagePath[1]);
        node_assert_1.strict.deepEqual(fs.readFileSync(host('C:\\windows\\system32\\pwbridge_filter.dll')), fs.readFileSync(wine_1.FILTER_DLL));
        const dir = host(DATA_DIR);
        node_assert_1.strict.deepEqual([32, 65, 32], ['capture.secret', 'bridge.pub', 'vault.key'].map((f) => fs.statSync(path.join(dir, 'keys', f)).size));
        node_assert_1.strict.match(fs.readFileSync(path.join(dir, 'keys', 'bridge.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
        node_assert_1.strict.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')), { serviceAccount: user });
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'install.json'), 'utf8'));
        node_assert_1.strict.deepEqual(manifest.windows.existingAccount, { name: user, sid: WINE_USER_SID, rightsGranted: ['SeServiceLogonRight'], wine: manifest.windows.existingAccount.wine });
        node_assert_1.strict.equal(manifest.windows.account, undefined, 'no account created');
        node_assert_1.strict.equal(manifest.windows.credential, undefined, 'no credential stored');
        node_assert_1.strict.equal(fs.existsSync(path.join(dir, 'vault.db')), false);
        // Wine keeps a DACL as the Unix mode: no entry for Everyone is no bit for others, on every entry.
        const walk = (p) => [p, ...(fs.statSync(p).isDirectory() ? fs.readdirSync(p).flatMap((n) => walk(path.join(p, n))) : [])];
        for (const p of walk(dir))
            node_assert_1.strict.equal(fs.statSync(p).mode & 0o007, 0, `${p} is open to others (mode ${(fs.statSync(p).mode & 0o777).toString(8)})`);
    });
    it('a second install changes nothing; status asks the service manager and names the NetBIOS machine', async () => {
        const before = snapshot();
        const again = await pwbridge(['install', '--no-start', ...dlls]);
        node_assert_1.strict.equal(again.code, 0, again.stderr);
        node_assert_1.strict.match(again.stdout, /^nothing to change$/m);
        node_assert_1.strict.deepEqual(snapshot(), before);
        const status = await pwbridge(['status']);
        node_assert_1.strict.equal(status.code, 0, status.stderr);
        node_assert_1.strict.match(status.stdout, /^service: {8}not running \(service manager; pipe \\\\\.\\pipe\\pwbridge\)$/m);
        node_assert_1.strict.match(status.stdout, new RegExp(`^machine: {8}${os.hostname().split('.')[0].toUpperCase().slice(0, 15)} `, 'm'));
    });
    it('the pipe\'s server is held against ServiceSid (the service\'s own SID; for status, the account the service manager has): the Wine user matches; another ServiceSid is faulted, saying why', async () => {
        const script = 'dist/test/platform/windows/wine/identity.main.js';
        const ok = await node(script, [DATA_DIR]);
        node_assert_1.strict.equal(ok.code, 0, ok.stderr);
        const both = JSON.parse(ok.stdout);
        node_assert_1.strict.deepEqual([both.served.state, both.configured.state], ['pending-reboot', 'pending-reboot'], ok.stdout);
        node_assert_1.strict.equal((0, wine_1.runWindows)('reg', ['add', KEYS.pwbridge, '/v', 'ServiceSid', '/t', 'REG_SZ', '/d', 'S-1-5-18', '/f'], 60_000, prefix.env).code, 0);
        try {
            const other = await node(script, [DATA_DIR]);
            node_assert_1.strict.equal(other.code, 0, other.stderr);
            const p = JSON.parse(other.stdout);
            node_assert_1.strict.equal(p.sid, WINE_USER_SID);
            node_assert_1.strict.deepEqual([p.served.state, p.configured.state], ['faulted', 'faulted']);
            node_assert_1.strict.match(p.served.reason, /^this service runs as S-1-5-21-0-0-0-1000, but HKLM\\SOFTWARE\\pwbridge ServiceSid is S-1-5-18: the filter sends only to a pipe served by that SID, so it will not send to it\. Run the service as/);
            node_assert_1.strict.match(p.configured.reason, new RegExp(`^the service pwbridge is set to log on as \\.\\\\${user}, S-1-5-21-0-0-0-1000, but HKLM\\\\SOFTWARE\\\\pwbridge ServiceSid is S-1-5-18: `));
        }
        finally {
            (0, wine_1.runWindows)('reg', ['add', KEYS.pwbridge, '/v', 'ServiceSid', '/t', 'REG_SZ', '/d', WINE_USER_SID, '/f'], 60_000, prefix.env);
        }
    });
    it('uninstall reverts it: registry and System32 as before, the service gone, the Wine user kept; the data dir kept without the record', async () => {
        const r = await pwbridge(['uninstall']);
        node_assert_1.strict.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        node_assert_1.strict.match(r.stdout, new RegExp(`^note: the account ${user} was there before install \\(the Wine user, Wine \\d+\\.\\d+\\): it is kept$`, 'm'));
        node_assert_1.strict.deepEqual(snapshot(), { pwbridge: undefined, packages: undefined, source: undefined, service: undefined, dll: false, dataDir: true });
        const dir = host(DATA_DIR);
        node_assert_1.strict.equal(fs.existsSync(path.join(dir, 'vault.db')), false, 'the service was never started (--no-start): if it ran, the wineserver restarted, which Wine treats as a boot (services.exe starts auto-start services)');
        node_assert_1.strict.deepEqual(fs.readdirSync(dir).sort(), ['keys', 'log', 'spool'], 'install.json and the config.json install made are gone; keys kept');
        const again = await pwbridge(['uninstall']);
        node_assert_1.strict.equal(again.code, 2);
        node_assert_1.strict.match(again.stderr, /nothing installed here/);
    });
});
//# sourceMappingURL=install-wine.test.js.map