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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// `pwbridge install` / `uninstall` on Windows, run against the fake Windows (registry, SAM, LSA rights,
// SCM) and a temporary folder as System32: the dry run prints every change and makes none; install
// appends to Notification Packages and records everything; a second install changes nothing; uninstall
// reverts each step (Notification Packages byte for byte when nobody touched it, only our entry when
// someone did). Plus the service command line's quoting and the SCM dispatcher's status sequence.
const node_assert_1 = require("node:assert");
const fast_check_1 = __importDefault(require("fast-check"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_error_1 = require("../../../src/config/config-error");
const command_line_1 = require("../../../src/platform/windows/command-line");
const places_1 = require("../../../src/platform/windows/places");
const random_password_1 = require("../../../src/platform/windows/random-password");
const registry_1 = require("../../../src/platform/windows/registry");
const service_host_1 = require("../../../src/platform/windows/service-host");
const structs_1 = require("../../../src/platform/windows/structs");
const sid_1 = require("../../../src/platform/windows/sid");
const manifest_1 = require("../../../src/setup/manifest");
const windows_install_1 = require("../../../src/setup/windows-install");
const open_1 = require("../../../src/service/open");
const fake_win32_1 = require("./fake-win32");
const install_machine_1 = require("./install-machine");
describe('platform/windows install and uninstall', () => {
    let m;
    beforeEach(() => { m = (0, install_machine_1.machine)(); });
    afterEach(() => m.cleanup());
    it('--dry-run prints every change as "would …" and changes nothing', async () => {
        const before = JSON.stringify([...m.win.registry].map(([k, v]) => [k, [...v]]));
        node_assert_1.strict.equal(await m.install({ dryRun: true }), 0);
        const out = m.lines.join('\n');
        for (const expected of [
            /^would give \S+ and everything in it a protected ACL for SYSTEM, Administrators and the service account only \(owner Administrators\)$/m,
            /^would create what is missing of the keys: /m,
            /^would copy the filter .*pwbridge_filter\.dll to .*System32[\\/]pwbridge_filter\.dll$/m,
            /^would create the local account pwbridge \(random 32-character password that never expires\), add it to the Administrators group, grant it SeServiceLogonRight, SeDenyInteractiveLogonRight, SeDenyRemoteInteractiveLogonRight$/m,
            /^would store its password in the vault as the credential HOST1\\pwbridge/m,
            /^would set HKLM\\SOFTWARE\\pwbridge ServiceSid = the SID of pwbridge/m,
            /^would set HKLM\\SOFTWARE\\pwbridge ExcludeAccounts = pwbridge/m,
            /^would set HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge EventMessageFile/m,
            /^would append pwbridge_filter to HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa Notification Packages: scecli, rassfm → scecli, rassfm, pwbridge_filter$/m,
            /^would set HKLM\\SOFTWARE\\pwbridge InstalledAt = /m,
            /^would create the service pwbridge \(automatic start, restarted on failure\) running as \.\\pwbridge: "C:\\Program Files\\pwbridge\\node.exe" --max-semi-space-size=4 --max-old-space-size=256 "C:\\Program Files\\pwbridge\\dist\\src\\cli\\main.js" run --data-dir \S+ --windows-service$/m,
            /^would start the service pwbridge$/m,
            /^filter now: not-installed/m,
        ])
            node_assert_1.strict.match(out, expected);
        node_assert_1.strict.equal(JSON.stringify([...m.win.registry].map(([k, v]) => [k, [...v]])), before, 'registry untouched');
        node_assert_1.strict.equal(m.win.users.size, 0);
        node_assert_1.strict.equal(m.win.services.size, 0);
        node_assert_1.strict.deepEqual(fs.readdirSync(m.sys32), []);
        node_assert_1.strict.equal(fs.existsSync(path.join(m.dataDir, 'install.json')), false);
        node_assert_1.strict.deepEqual(m.secured, []);
        node_assert_1.strict.equal(m.win.calls.filter((c) => c.startsWith('SetFileSecurityW') || c.startsWith('CreateDirectoryW')).length, 0, 'no ACL changed');
    });
    it('installs: DLL, account in the localized Administrators group, rights, vault credential, registry, Notification Packages appended, service started; reboot required', async () => {
        node_assert_1.strict.equal(await m.install(), 0);
        const out = m.lines.join('\n');
        node_assert_1.strict.deepEqual(fs.readFileSync(path.join(m.sys32, 'pwbridge_filter.dll')), (0, fake_win32_1.fakePe)());
        const user = m.win.users.get('pwbridge');
        node_assert_1.strict.ok(user, 'account created');
        node_assert_1.strict.equal(user.flags & 0x10000, 0x10000, 'password never expires');
        node_assert_1.strict.ok(m.win.groups.get('administratoren').has('host1\\pwbridge'), 'added through the group\'s localized name');
        const sid = (0, fake_win32_1.sidBytes)(user.rid);
        node_assert_1.strict.deepEqual([...m.win.rights.get(sid.toString('hex'))], ['SeServiceLogonRight', 'SeDenyInteractiveLogonRight', 'SeDenyRemoteInteractiveLogonRight']);
        node_assert_1.strict.equal((0, registry_1.decodeString)(m.reg.get(places_1.PWBRIDGE_KEY, 'ServiceSid')), (0, sid_1.sidToString)(sid));
        node_assert_1.strict.deepEqual((0, registry_1.decodeList)(m.reg.get(places_1.PWBRIDGE_KEY, 'ExcludeAccounts')).values, ['pwbridge']);
        node_assert_1.strict.deepEqual((0, registry_1.decodeList)(m.packages()).values, ['scecli', 'rassfm', 'pwbridge_filter']);
        node_assert_1.strict.ok(m.secured.length >= 3 && m.secured.every((x) => x.dir === m.dataDir), 'secured after each step that made files');
        node_assert_1.strict.equal(m.secured[0].keys, false, 'the ACL is set before any key file is made');
        node_assert_1.strict.ok(fs.existsSync(path.join(m.dataDir, 'keys', 'capture.secret')));
        // The password: random, the same for the account, the vault and the service, and nowhere else.
        const created = m.win.received.find((r) => r.call === 'NetUserAdd').password;
        node_assert_1.strict.equal(created.length, 32);
        node_assert_1.strict.ok(/[A-Z]/.test(created) && /[a-z]/.test(created) && /[0-9]/.test(created) && /[^A-Za-z0-9]/.test(created));
        node_assert_1.strict.equal(m.win.received.find((r) => r.call === 'CreateServiceW').password, created);
        const vault = await (0, open_1.openVaultAt)(m.dataDir);
        try {
            const cred = (await vault.findCredential('local', 'HOST1\\pwbridge'));
            node_assert_1.strict.deepEqual([cred.mode, cred.windowsSync], ['report', false]);
            const pw = await vault.readPassword(cred.id);
            node_assert_1.strict.equal(pw.toString('utf8'), created);
            pw.fill(0);
        }
        finally {
            await vault.close();
        }
        const manifestText = fs.readFileSync(path.join(m.dataDir, 'install.json'), 'utf8');
        node_assert_1.strict.ok(!manifestText.includes(created), 'no password in install.json');
        node_assert_1.strict.ok(!out.includes(created), 'no password in the output');
        node_assert_1.strict.deepEqual(m.win.memory.holding(Buffer.from(created, 'utf16le')), [], 'every UTF-16LE copy wiped');
        const svc = m.win.services.get('pwbridge');
        node_assert_1.strict.equal(svc.startName, '.\\pwbridge');
        node_assert_1.strict.equal(svc.binaryPath, (0, windows_install_1.serviceCommandLine)(install_machine_1.NODE, install_machine_1.MAIN, m.dataDir));
        node_assert_1.strict.equal(svc.state, 4, 'running');
        node_assert_1.strict.match(svc.description ?? '', /credential vault/);
        node_assert_1.strict.deepEqual(svc.failureActions?.map((a) => a.delayMs), [5000, 30_000, 120_000]);
        node_assert_1.strict.match(out, /^filter: pending-reboot \(reboot required: /m);
        node_assert_1.strict.match(out, /^  Notification Packages: scecli, rassfm, pwbridge_filter$/m);
        node_assert_1.strict.match(out, /^reboot required: LSA loads the filter at the next boot/m);
        node_assert_1.strict.match(out, /^the service runs and serves \\\\.\\pipe\\pwbridge$/m);
        // A second install changes nothing.
        m.lines.length = 0;
        const calls = m.win.calls.length;
        node_assert_1.strict.equal(await m.install(), 0);
        node_assert_1.strict.match(m.lines.join('\n'), /^nothing to change$/m);
        node_assert_1.strict.deepEqual(m.win.calls.slice(calls).filter((c) => /Set|Add|Create|Start|Del/.test(c)), [], 'no write the second time');
    });
    it('uninstall reverts every step: Notification Packages byte for byte, account, rights, service, DLL, registry; the data dir and vault stay', async () => {
        await m.install();
        const user = m.win.users.get('pwbridge');
        node_assert_1.strict.equal(await m.uninstall(), 0);
        node_assert_1.strict.deepEqual(m.packages().data, install_machine_1.ORIGINAL_PACKAGES, 'the exact bytes it had');
        node_assert_1.strict.equal(m.win.users.has('pwbridge'), false);
        node_assert_1.strict.equal(m.win.groups.get('administratoren').size, 0);
        node_assert_1.strict.equal(m.win.rights.has((0, fake_win32_1.sidBytes)(user.rid).toString('hex')), false);
        node_assert_1.strict.equal(m.win.services.size, 0);
        node_assert_1.strict.deepEqual(fs.readdirSync(m.sys32), []);
        node_assert_1.strict.equal(m.reg.exists(places_1.PWBRIDGE_KEY), false);
        node_assert_1.strict.equal(m.reg.exists('SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge'), false);
        node_assert_1.strict.equal(fs.existsSync(path.join(m.dataDir, 'install.json')), false);
        node_assert_1.strict.ok(fs.existsSync(path.join(m.dataDir, 'vault.db')), 'data dir kept');
        node_assert_1.strict.match(m.lines.join('\n'), /the filter stays loaded in lsass.exe until the next reboot/);
        await node_assert_1.strict.rejects(m.uninstall(), /nothing installed here/);
    });
    it('uninstall after someone else changed Notification Packages takes out only pwbridge_filter', async () => {
        await m.install();
        const reg = m.reg;
        reg.set(places_1.LSA_KEY, places_1.NOTIFICATION_PACKAGES, { type: registry_1.REG_MULTI_SZ, data: Buffer.from('scecli\0rassfm\0pwbridge_filter\0otherfilter\0\0', 'utf16le') });
        await m.uninstall();
        node_assert_1.strict.deepEqual((0, registry_1.decodeList)(m.packages()).values, ['scecli', 'rassfm', 'otherfilter']);
        node_assert_1.strict.match(m.lines.join('\n'), /has changed since install, so only pwbridge_filter is taken out of it/);
    });
    it('the MSI\'s own DLL (--module already in System32) is registered, not copied, and not removed', async () => {
        const inSys32 = path.join(m.sys32, 'pwbridge_filter.dll');
        fs.writeFileSync(inSys32, (0, fake_win32_1.fakePe)());
        await m.install({ module: inSys32 });
        node_assert_1.strict.equal((0, manifest_1.readManifest)(m.dataDir).windows.dll.owner, 'package');
        await m.uninstall();
        node_assert_1.strict.ok(fs.existsSync(inSys32), 'left for the package');
        node_assert_1.strict.match(m.lines.join('\n'), /the package installed it and removes it/);
    });
    it('the event source\'s EventMessageFile: pwbridge_messages.dll next to the filter, --event-messages, or (not built) .NET\'s with a note; uninstall removes it', async () => {
        const source = 'SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge';
        await m.install({ dryRun: true });
        node_assert_1.strict.match(m.lines.join('\n'), /^note: \S+pwbridge_messages\.dll was not built, so the event source uses C:\\Windows\\Microsoft\.NET\\\S+EventLogMessages\.dll/m);
        const beside = path.join(path.dirname(m.dll), 'pwbridge_messages.dll');
        fs.writeFileSync(beside, (0, fake_win32_1.fakePe)());
        m.lines.length = 0;
        await m.install();
        node_assert_1.strict.doesNotMatch(m.lines.join('\n'), /was not built/);
        node_assert_1.strict.equal((0, registry_1.decodeString)(m.reg.get(source, 'EventMessageFile')), beside);
        const msi = path.join(m.root, 'Program Files', 'pwbridge', 'pwbridge_messages.dll');
        fs.mkdirSync(path.dirname(msi), { recursive: true });
        fs.writeFileSync(msi, (0, fake_win32_1.fakePe)());
        await m.install({ eventMessages: msi }); // the MSI's own copy: the value follows it
        node_assert_1.strict.equal((0, registry_1.decodeString)(m.reg.get(source, 'EventMessageFile')), msi);
        await m.uninstall();
        node_assert_1.strict.equal(m.reg.exists(source), false);
        await node_assert_1.strict.rejects(m.install({ eventMessages: path.join(m.root, 'nope.dll') }), /--event-messages: \S+nope\.dll does not exist/);
        fs.writeFileSync(msi, 'not a DLL');
        await node_assert_1.strict.rejects(m.install({ eventMessages: msi }), /--event-messages: .+pwbridge_messages\.dll is not a Windows DLL: no MZ header/);
        node_assert_1.strict.equal(m.reg.exists(source), false, 'a refused install changed nothing');
    });
    it('refuses, changing nothing: an account of that name it did not create; a DLL that is not 64-bit; no DLL', async () => {
        m.win.addUser('pwbridge', 'someone-elses');
        await node_assert_1.strict.rejects(m.install(), (e) => e instanceof config_error_1.ConfigError && /already exists and pwbridge install did not create it/.test(e.message));
        node_assert_1.strict.equal(m.win.users.get('pwbridge').password.toString('utf16le'), 'someone-elses');
        m.win.users.clear();
        fs.writeFileSync(m.dll, (0, fake_win32_1.fakePe)({ machine: 0x14c, pe32Plus: false }));
        await node_assert_1.strict.rejects(m.install(), /not a 64-bit DLL/);
        await node_assert_1.strict.rejects(m.install({ module: path.join(m.root, 'nope.dll') }), /does not exist/);
        node_assert_1.strict.deepEqual(m.packages().data, install_machine_1.ORIGINAL_PACKAGES);
        node_assert_1.strict.equal(m.win.services.size, 0);
    });
    it('says plainly when LSA protection is on and the DLL is unsigned', async () => {
        m.reg.set(places_1.LSA_KEY, 'RunAsPPL', { type: registry_1.REG_DWORD, data: (0, registry_1.encodeDword)(1) });
        await m.install({ dryRun: true });
        node_assert_1.strict.match(m.lines.join('\n'), /^note: LSA protection \(RunAsPPL\) is on and the filter DLL is unsigned/m);
        node_assert_1.strict.match(m.lines.join('\n'), /^filter now: not-installed/m);
    });
    it('an install that fails half way is undone by uninstall (install.json is written after each step)', async () => {
        m.win.advapi32.CreateServiceW = () => { m.win.lastError = 5; return null; };
        await node_assert_1.strict.rejects(m.install(), /CreateServiceW .*failed: ERROR_ACCESS_DENIED/);
        node_assert_1.strict.ok(m.win.users.has('pwbridge'));
        node_assert_1.strict.deepEqual((0, registry_1.decodeList)(m.packages()).values, ['scecli', 'rassfm', 'pwbridge_filter']);
        await m.uninstall();
        node_assert_1.strict.deepEqual(m.packages().data, install_machine_1.ORIGINAL_PACKAGES);
        node_assert_1.strict.equal(m.win.users.has('pwbridge'), false);
    });
});
describe('platform/windows service pieces', () => {
    /** CommandLineToArgvW's rules for the arguments (the parser node.exe's C runtime applies). */
    function parseCommandLine(s) {
        const out = [];
        let i = 0;
        while (i < s.length) {
            while (s[i] === ' ' || s[i] === '\t')
                i++;
            if (i >= s.length)
                break;
            let arg = '';
            let quoted = false;
            for (; i < s.length; i++) {
                const c = s[i];
                if (c === '\\') {
                    let n = 0;
                    while (s[i] === '\\') {
                        n++;
                        i++;
                    }
                    if (s[i] === '"') {
                        arg += '\\'.repeat(Math.floor(n / 2));
                        if (n % 2 === 1)
                            arg += '"';
                        else
                            quoted = !quoted;
                    }
                    else {
                        arg += '\\'.repeat(n);
                        i--;
                    }
                    continue;
                }
                if (c === '"') {
                    quoted = !quoted;
                    continue;
                }
                if (!quoted && (c === ' ' || c === '\t'))
                    break;
                arg += c;
            }
            out.push(arg);
        }
        return out;
    }
    it('quotes every argument so Windows splits the command line back into the same argv (property)', () => {
        fast_check_1.default.assert(fast_check_1.default.property(fast_check_1.default.array(fast_check_1.default.string({ unit: fast_check_1.default.constantFrom('a', 'b', ' ', '\\', '"', '\t', 'é'), maxLength: 12 }), { minLength: 1, maxLength: 6 }), (argv) => {
            node_assert_1.strict.deepEqual(parseCommandLine((0, command_line_1.windowsCommandLine)(argv)), argv);
        }), { numRuns: 500 });
        node_assert_1.strict.equal((0, command_line_1.quoteWindowsArg)('C:\\Program Files\\x\\'), '"C:\\Program Files\\x\\\\"');
        node_assert_1.strict.equal((0, command_line_1.quoteWindowsArg)('plain'), 'plain');
        node_assert_1.strict.equal((0, command_line_1.quoteWindowsArg)(''), '""');
    });
    it('SIDs: binary ↔ string, both ways', () => {
        node_assert_1.strict.equal((0, sid_1.sidToString)((0, fake_win32_1.sidBytes)(1001)), 'S-1-5-21-1-2-3-1001');
        node_assert_1.strict.deepEqual((0, sid_1.sidFromString)('S-1-5-21-1-2-3-1001'), (0, fake_win32_1.sidBytes)(1001));
        node_assert_1.strict.equal((0, sid_1.sidToString)((0, sid_1.sidFromString)('S-1-5-32-544')), 'S-1-5-32-544');
        node_assert_1.strict.equal((0, sid_1.sidToString)((0, sid_1.sidFromString)('S-1-0x0000000000FF-7')), 'S-1-255-7');
        node_assert_1.strict.throws(() => (0, sid_1.sidFromString)('S-2-5'), /not a SID/);
        node_assert_1.strict.throws(() => (0, sid_1.sidToString)(Buffer.from([1, 2, 0, 0])), /shorter/);
    });
    it('random passwords: 32 characters with every class, different each time', () => {
        const a = (0, random_password_1.randomPassword)();
        const b = (0, random_password_1.randomPassword)();
        node_assert_1.strict.equal(a.length, 32);
        node_assert_1.strict.ok(!a.equals(b));
        for (let i = 0; i < 50; i++) {
            const s = (0, random_password_1.randomPassword)(8).toString('latin1');
            node_assert_1.strict.ok(/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && /[^A-Za-z0-9]/.test(s), s);
        }
    });
    it('the SCM dispatcher: START_PENDING, RUNNING once started, STOP_PENDING and STOPPED on Stop', async () => {
        const win = new fake_win32_1.FakeWindows();
        const states = [];
        win.advapi32.SetServiceStatus = (_h, status) => { states.push((0, structs_1.decodeServiceStatus)(status).currentState); return 1; };
        let stopped = false;
        win.advapi32.StartServiceCtrlDispatcherW.async = (table, cb) => {
            const main = [...win.registered.values()].find((r) => r.proto === 'ServiceMain');
            node_assert_1.strict.equal(table.readBigUInt64LE(8), [...win.registered.entries()].find(([, r]) => r.proto === 'ServiceMain')[0]);
            main.fn();
            const handler = [...win.registered.values()].find((r) => r.proto === 'HandlerEx');
            const poll = setInterval(() => {
                if (states.includes(4))
                    handler.fn(service_host_1.SERVICE_CONTROL_STOP);
                if (states.includes(1)) {
                    clearInterval(poll);
                    cb(null, 1);
                }
            }, 5);
        };
        await (0, service_host_1.runAsWindowsService)(win.win32, 'pwbridge', {
            start: async () => ({ stop: async () => { stopped = true; } }),
            onError: (msg) => node_assert_1.strict.fail(msg),
        });
        node_assert_1.strict.deepEqual(states.filter((s, i) => s !== states[i - 1]), [2, 4, 3, 1]);
        node_assert_1.strict.ok(stopped);
        node_assert_1.strict.equal(win.registered.size, 0, 'callbacks unregistered');
    });
    it('the SCM dispatcher: a start that fails reports STOPPED with an exit code; outside the SCM it says so', async () => {
        const win = new fake_win32_1.FakeWindows();
        const statuses = [];
        win.advapi32.SetServiceStatus = (_h, status) => { statuses.push((0, structs_1.decodeServiceStatus)(status)); return 1; };
        const errors = [];
        win.advapi32.StartServiceCtrlDispatcherW.async = (_t, cb) => {
            ([...win.registered.values()].find((r) => r.proto === 'ServiceMain').fn)();
            setTimeout(() => cb(null, 1), 20);
        };
        await (0, service_host_1.runAsWindowsService)(win.win32, 'pwbridge', { start: async () => { throw new Error('the pipe is taken'); }, onError: (e) => errors.push(e) });
        node_assert_1.strict.deepEqual(statuses.map((s) => s.currentState), [2, 1]);
        node_assert_1.strict.equal(statuses[1].win32ExitCode, 1066);
        node_assert_1.strict.deepEqual(errors, ['starting: the pipe is taken']);
        const console = new fake_win32_1.FakeWindows();
        await node_assert_1.strict.rejects((0, service_host_1.runAsWindowsService)(console.win32, 'pwbridge', { start: async () => ({ stop: async () => undefined }), onError: () => undefined }), /run --windows-service is for the service control manager/);
    });
});
//# sourceMappingURL=install.test.js.map