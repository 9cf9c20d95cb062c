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
// Windows as one product, under Wine: the MSI that `npm run package:msi` builds is installed with msiexec
// into a fresh machine (its own prefix), which is then rebooted. LSA is played by lsa_standin.exe, which
// knows nothing of pwbridge: it loads whatever Notification Packages names from System32 and calls its
// filters as lsass does. The service is the package's node.exe started by Wine's service manager, the
// capture crosses the real named pipe to the real journal and vault, and the administrator's view is
// `pwbridge.cmd`. What Wine cannot show (DACL enforcement, SAM, LogonUserW, a real lsass) is listed in the
// README and checked on Windows by .github/workflows/windows.yml.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const sqlite_vault_1 = require("../../src/vault/sqlite.vault");
const lsa_standin_1 = require("../helpers/lsa-standin");
const msi_1 = require("../helpers/msi");
const tmp_1 = require("../helpers/tmp");
const wine_machine_1 = require("../helpers/wine-machine");
const wine_1 = require("../helpers/wine");
const APP = 'C:\\Program Files\\pwbridge';
const DATA = 'C:\\ProgramData\\pwbridge';
const LSA_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa';
const PWB_KEY = 'HKLM\\SOFTWARE\\pwbridge';
/** What a Windows machine has in the list before pwbridge: install appends, uninstall puts it back exactly. */
const PACKAGES_BEFORE = ['scecli', 'rassfm'];
const WINE_USER_SID = 'S-1-5-21-0-0-0-1000';
/** msiexec's "done, reboot required" (3010) as a Linux parent sees a Wine process's exit: its low 8 bits. */
const REBOOT_REQUIRED = 3010 & 0xff;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
describe('Windows as one product: the MSI installed, rebooted and capturing under Wine', function () {
    this.timeout(600_000);
    let m;
    let msi;
    let lsa;
    const canary = `Canary-${(0, node_crypto_1.randomBytes)(9).toString('base64url')}`;
    const cli = async (...args) => m.run(`${APP}\\bin\\pwbridge.cmd`, args);
    const status = async () => {
        const r = await cli('status', '--json');
        node_assert_1.strict.equal(r.code, 0, `pwbridge.cmd status: ${r.stdout}${r.stderr}`);
        return JSON.parse(r.stdout);
    };
    const events = async () => {
        const r = await cli('events', '--json', '--limit', '500');
        node_assert_1.strict.equal(r.code, 0, `pwbridge.cmd events: ${r.stdout}${r.stderr}`);
        return r.stdout.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l));
    };
    const waitFor = async (what, probe, timeoutMs = 60_000) => {
        const end = Date.now() + timeoutMs;
        let last;
        for (;;) {
            try {
                const v = await probe();
                if (v !== undefined)
                    return v;
            }
            catch (e) {
                last = e;
            }
            if (Date.now() > end)
                throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${last.message})` : ''}`);
            await sleep(1000);
        }
    };
    const packages = () => {
        const v = m.regQuery(LSA_KEY, 'Notification Packages');
        return v ? v.data.split('\\0').filter(Boolean) : [];
    };
    const msiexec = (args, norestart = true) => m.run('msiexec', [...args, '/qn', ...(norestart ? ['/norestart'] : []), '/l*v', 'C:\\msi.log'], 300_000);
    before(function () {
        // A Wine machine of its own; on Windows the workflow installs the MSI on the runner itself.
        if (process.platform === 'win32')
            this.skip();
        const why = (0, wine_1.windowsPartsMissing)();
        if (why.skip)
            this.skip();
        node_assert_1.strict.equal(why.fail, undefined, why.fail);
        node_assert_1.strict.ok(fs.existsSync(lsa_standin_1.STANDIN_EXE), `${lsa_standin_1.STANDIN_EXE} is missing: npm run build:native`);
        msi = (0, msi_1.buildMsi)();
        m = wine_machine_1.WineMachine.create();
        m.wine(['reg', 'add', LSA_KEY, '/v', 'Notification Packages', '/t', 'REG_MULTI_SZ', '/d', PACKAGES_BEFORE.join('\\0'), '/f']);
    });
    after(() => m?.destroy());
    it('msiexec /i installs it and asks for a reboot without making one (3010)', async () => {
        const r = await msiexec(['/i', (0, wine_1.winPath)(msi)]);
        node_assert_1.strict.equal(r.code, REBOOT_REQUIRED, `msiexec: ${r.code}\n${r.stdout}${r.stderr}\n${tailOfLog(m)}`);
        for (const f of ['node.exe', 'bin\\pwbridge', 'bin\\pwbridge.cmd', 'dist\\src\\cli\\main.js', 'addons\\pwbridge_pipe.node', 'pwbridge_messages.dll',
            'node_modules\\@koromix\\koffi-win32-x64\\win32_x64\\koffi.node']) {
            node_assert_1.strict.ok(fs.existsSync(m.hostPath(`${APP}\\${f}`)), `${APP}\\${f} is missing`);
        }
        node_assert_1.strict.ok(fs.existsSync(m.hostPath('C:\\windows\\system32\\pwbridge_filter.dll')), 'the filter is not in System32');
    });
    it('registered the filter after the packages that were there, the service, its settings and the event source', () => {
        node_assert_1.strict.deepEqual(packages(), [...PACKAGES_BEFORE, 'pwbridge_filter']);
        // The service manager's own record (Wine's sc has no qc).
        const svc = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\pwbridge';
        node_assert_1.strict.equal(m.regQuery(svc, 'Start')?.data, '0x2', 'automatic start');
        node_assert_1.strict.match(m.regQuery(svc, 'ImagePath')?.data ?? '', /^"C:\\Program Files\\pwbridge\\node\.exe" .*"C:\\Program Files\\pwbridge\\dist\\src\\cli\\main\.js" run --data-dir C:\\ProgramData\\pwbridge --windows-service$/);
        // Under Wine the service account is the one user Wine has (README: what Wine fakes).
        node_assert_1.strict.equal(m.regQuery(PWB_KEY, 'ServiceSid')?.data, WINE_USER_SID);
        node_assert_1.strict.ok(m.regKeyExists('HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge'), 'no event source');
        node_assert_1.strict.match(m.regQuery('HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge', 'EventMessageFile')?.data ?? '', /Program Files\\pwbridge\\pwbridge_messages\.dll/);
        const manifest = JSON.parse(fs.readFileSync(m.hostPath(`${DATA}\\install.json`), 'utf8'));
        node_assert_1.strict.equal(manifest.windows?.account?.sid ?? WINE_USER_SID, WINE_USER_SID);
    });
    it('pwbridge.cmd status says reboot required', async () => {
        const s = await status();
        node_assert_1.strict.equal(s.filter.state, 'pending-reboot', JSON.stringify(s));
        node_assert_1.strict.match(s.filter.reason, /reboot required/);
        const text = await cli('status');
        node_assert_1.strict.match(text.stdout, /reboot required/);
    });
    it('after a reboot, LSA loads the filter and the service manager starts the service: status says active', async () => {
        m.reboot();
        lsa = await lsa_standin_1.LsaStandIn.start(m);
        const boot = lsa.boot;
        node_assert_1.strict.ok(boot.includes('loaded pwbridge_filter'), `LSA's boot: ${boot.join(' | ')}`);
        node_assert_1.strict.ok(boot.some((l) => l.startsWith('skip scecli')), 'a package that does not exist here is skipped, as LSA skips it');
        const s = await waitFor('filter active', async () => {
            const st = await status();
            return st.filter.state === 'active' ? st : undefined;
        }, 120_000);
        node_assert_1.strict.equal(s.serviceRunning, true);
        node_assert_1.strict.match(m.wine(['sc', 'query', 'pwbridge']).stdout, /STATE\s+:\s+4\s+RUNNING/);
    });
    it('a password change reported to LSA reaches the journal and the vault over the named pipe, and events shows it', async () => {
        const answer = await lsa.change('alice', 1001, canary);
        node_assert_1.strict.deepEqual([answer.accepted, answer.statuses], [true, [0]], 'the filter accepted the password and took the change');
        const s = await status();
        const created = await waitFor('credential-created for alice', async () => (await events()).find((e) => e.kind === 'credential-created' && e.account?.toLowerCase() === 'alice'));
        node_assert_1.strict.equal(created.outcome, 'ok');
        node_assert_1.strict.equal(created.machine, s.machine);
        const shown = await cli('events', '--account', 'alice');
        node_assert_1.strict.match(shown.stdout, /credential-created/);
        const list = await cli('vault', 'cred', 'list', '--client', 'local', '--json');
        node_assert_1.strict.match(list.stdout, new RegExp(`"username":"${s.machine}\\\\\\\\alice"`, 'i'));
    });
    it('the pipe names only SYSTEM and the service account in its DACL, as a client reads it', async () => {
        const r = await m.run(`${APP}\\node.exe`, [(0, wine_1.winPath)(path.join(__dirname, 'fixtures', 'pipe-dacl.js')), `${APP}\\node_modules\\koffi`, '\\\\.\\pipe\\pwbridge']);
        node_assert_1.strict.equal(r.code, 0, r.stdout + r.stderr);
        const dacl = JSON.parse(r.stdout);
        node_assert_1.strict.deepEqual([...new Set(dacl.sids)].sort(), ['S-1-5-18', WINE_USER_SID].sort(), dacl.sddl);
        node_assert_1.strict.equal(dacl.protected, true, dacl.sddl);
    });
    it('the kill switch stops the capture within moments, without a reboot, and lifting it resumes', async () => {
        m.wine(['reg', 'add', PWB_KEY, '/v', 'Disabled', '/t', 'REG_DWORD', '/d', '1', '/f']);
        await sleep(1000);
        node_assert_1.strict.equal((await lsa.change('bob', 1002, `${canary}-bob`)).accepted, true);
        await sleep(5000);
        node_assert_1.strict.equal((await events()).filter((e) => e.account?.toLowerCase() === 'bob').length, 0, 'a change went out while the kill switch was set');
        m.wine(['reg', 'delete', PWB_KEY, '/v', 'Disabled', '/f']);
        await sleep(1000);
        node_assert_1.strict.equal((await lsa.change('carol', 1003, `${canary}-carol`)).accepted, true);
        await waitFor('carol captured', async () => (await events()).find((e) => e.kind === 'credential-created' && e.account?.toLowerCase() === 'carol'));
    });
    it('the canary password is in no file of the machine', () => {
        const needles = [Buffer.from(canary, 'utf8'), Buffer.from(canary, 'utf16le')];
        const hits = (0, tmp_1.filesUnder)(m.prefix).filter((f) => {
            let bytes;
            try {
                bytes = fs.readFileSync(f);
            }
            catch {
                return false;
            }
            return needles.some((n) => bytes.includes(n));
        });
        node_assert_1.strict.deepEqual(hits, []);
    });
    it('a newer package upgrades in place, keeps the data dir, and reboots nothing even without /norestart', async () => {
        const newer = (0, msi_1.buildMsi)(bumped());
        const keyBefore = fs.readFileSync(m.hostPath(`${DATA}\\keys\\bridge.pub`));
        // Without /norestart: the package still reboots nothing (REBOOT=ReallySuppress), and says it is needed.
        const r = await msiexec(['/i', (0, wine_1.winPath)(newer)], false);
        node_assert_1.strict.equal(r.code, REBOOT_REQUIRED, `msiexec upgrade: ${r.code}\n${r.stdout}${r.stderr}\n${tailOfLog(m)}`);
        node_assert_1.strict.equal(lsa?.alive(), true, 'the machine was rebooted: LSA\'s stand-in is gone');
        const pkg = JSON.parse(fs.readFileSync(m.hostPath(`${APP}\\package.json`), 'utf8'));
        node_assert_1.strict.equal(pkg.version, bumped());
        node_assert_1.strict.ok(fs.readFileSync(m.hostPath(`${DATA}\\keys\\bridge.pub`)).equals(keyBefore), 'the keys were replaced');
        node_assert_1.strict.deepEqual(packages(), [...PACKAGES_BEFORE, 'pwbridge_filter'], 'pwbridge_filter is listed once');
        const list = await cli('vault', 'cred', 'list', '--client', 'local', '--json');
        node_assert_1.strict.match(list.stdout, /alice/i, 'the vault lost its credentials in the upgrade');
    });
    it('msiexec /x removes the service, the filter and its registration, keeps the other packages exactly and the data dir', async () => {
        lsa = undefined;
        m.reboot(); // lsass would hold the DLL; a removal after a boot without the stand-in can delete it at once
        const r = await msiexec(['/x', (0, wine_1.winPath)((0, msi_1.buildMsi)(bumped()))]);
        node_assert_1.strict.ok(r.code === 0 || r.code === REBOOT_REQUIRED, `msiexec /x: ${r.code}\n${r.stdout}${r.stderr}\n${tailOfLog(m)}`);
        node_assert_1.strict.notEqual(m.wine(['sc', 'query', 'pwbridge']).code, 0, 'the service is still there');
        node_assert_1.strict.deepEqual(packages(), PACKAGES_BEFORE);
        node_assert_1.strict.equal(m.regQuery(PWB_KEY, 'ServiceSid'), undefined);
        node_assert_1.strict.ok(!fs.existsSync(m.hostPath('C:\\windows\\system32\\pwbridge_filter.dll')), 'the filter DLL is still in System32');
        node_assert_1.strict.ok(!fs.existsSync(m.hostPath(`${APP}\\node.exe`)));
        node_assert_1.strict.ok(fs.existsSync(m.hostPath(`${DATA}\\vault.db`)), 'the data dir (the vault) was removed');
    });
    it('the vault the Windows service wrote holds the captured password itself, sealed with its key', async () => {
        const key = fs.readFileSync(m.hostPath(`${DATA}\\keys\\vault.key`));
        const vault = await sqlite_vault_1.SqliteVault.open({ path: m.hostPath(`${DATA}\\vault.db`), key });
        key.fill(0);
        try {
            const creds = await vault.listCredentials('local');
            const alice = creds.find((c) => /\\alice$/i.test(c.username));
            node_assert_1.strict.ok(alice, `no alice among ${creds.map((c) => c.username).join(', ')}`);
            node_assert_1.strict.equal((await vault.readPassword(alice.id)).toString('utf8'), canary);
        }
        finally {
            await vault.close();
        }
    });
});
function bumped() {
    const [maj, min, patch] = msi_1.PACKAGE_VERSION.split('.').map(Number);
    return `${maj}.${min}.${patch + 1}`;
}
/** The end of msiexec's log, for a failure message. */
function tailOfLog(m) {
    try {
        const text = fs.readFileSync(m.hostPath('C:\\msi.log')).toString('latin1');
        return text.split(/\r?\n/).filter((l) => /error|fail|return value 3|Action (start|ended) .*Pwb/i.test(l) && !/^\d+: \{/.test(l)).slice(-30).join('\n');
    }
    catch {
        return '(no log)';
    }
}
//# sourceMappingURL=msi-install.test.js.map