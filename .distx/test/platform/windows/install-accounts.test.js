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
// Who the service runs as, through install and uninstall against the fake Win32: an existing local
// administrator (--service-account, its password given and checked), refused when it is not one, when
// the password is wrong, or when config.json names another; and under Wine the Wine user, with nothing
// created, deleted or stored. Uninstall never deletes an account it did not create and leaves it as it was.
const node_assert_1 = require("node:assert");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const config_error_1 = require("../../../src/config/config-error");
const account_lookup_1 = require("../../../src/platform/windows/account-lookup");
const logon_1 = require("../../../src/platform/windows/logon");
const netapi_1 = require("../../../src/platform/windows/netapi");
const service_control_1 = require("../../../src/platform/windows/service-control");
const places_1 = require("../../../src/platform/windows/places");
const registry_1 = require("../../../src/platform/windows/registry");
const open_1 = require("../../../src/service/open");
const manifest_1 = require("../../../src/setup/manifest");
const fake_win32_1 = require("./fake-win32");
const install_machine_1 = require("./install-machine");
const config = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
describe('platform/windows install: the service account', () => {
    let m;
    afterEach(() => m.cleanup());
    describe('--service-account: an existing local administrator', () => {
        beforeEach(() => {
            m = (0, install_machine_1.machine)();
            const ops = m.win.addUser('opsadmin', 'Ops-Passw0rd!', { rid: 1500 });
            m.win.groups.get('administrators').add(`host1\\${ops.name}`);
            m.win.rights.set((0, fake_win32_1.sidBytes)(1500).toString('hex'), new Set(['SeBatchLogonRight']));
        });
        it('runs the service as it: nothing created, only the right it lacked granted, the credential stored with the given password, config.json points at it', async () => {
            m.givePassword('Ops-Passw0rd!');
            node_assert_1.strict.equal(await m.install({ serviceAccount: 'opsadmin' }), 0);
            node_assert_1.strict.deepEqual(m.passwordsAsked, ['opsadmin'], 'asked once');
            node_assert_1.strict.equal(m.win.calls.filter((c) => c.startsWith('NetUserAdd')).length, 0, 'no account created');
            node_assert_1.strict.ok(m.win.calls.some((c) => c.startsWith('LogonUserW opsadmin . 3')), 'the password was checked with a network logon');
            node_assert_1.strict.deepEqual([...m.win.rights.get((0, fake_win32_1.sidBytes)(1500).toString('hex'))].sort(), ['SeBatchLogonRight', 'SeServiceLogonRight'], 'no deny right on someone\'s account');
            node_assert_1.strict.equal((0, registry_1.decodeString)(m.reg.get(places_1.PWBRIDGE_KEY, 'ServiceSid')), 'S-1-5-21-1-2-3-1500');
            node_assert_1.strict.deepEqual((0, registry_1.decodeList)(m.reg.get(places_1.PWBRIDGE_KEY, 'ExcludeAccounts')).values, ['opsadmin']);
            const svc = m.win.services.get('pwbridge');
            node_assert_1.strict.deepEqual([svc.startName, svc.password], ['.\\opsadmin', 'Ops-Passw0rd!']);
            node_assert_1.strict.equal(config(m.dataDir).serviceAccount, 'opsadmin');
            node_assert_1.strict.equal(config(m.dataDir).machine, 'HOST1', 'the other fields kept');
            const vault = await (0, open_1.openVaultAt)(m.dataDir);
            try {
                const cred = (await vault.findCredential('local', 'HOST1\\opsadmin'));
                node_assert_1.strict.equal((await vault.readPassword(cred.id)).toString(), 'Ops-Passw0rd!');
            }
            finally {
                await vault.close();
            }
            node_assert_1.strict.ok(!fs.readFileSync(path.join(m.dataDir, 'install.json'), 'utf8').includes('Ops-Passw0rd!'));
            node_assert_1.strict.ok(!m.lines.join('\n').includes('Ops-Passw0rd!'));
            node_assert_1.strict.deepEqual(m.win.memory.holding(Buffer.from('Ops-Passw0rd!', 'utf16le')), [], 'every UTF-16 copy wiped');
            node_assert_1.strict.deepEqual((0, manifest_1.readManifest)(m.dataDir).windows.existingAccount, { name: 'opsadmin', sid: 'S-1-5-21-1-2-3-1500', rightsGranted: ['SeServiceLogonRight'] });
            // What `status` holds against ServiceSid: the service manager's account for the service, as a SID.
            const account = new service_control_1.ServiceControl(m.win.win32).account('pwbridge');
            const lookup = new account_lookup_1.AccountLookup(m.win.win32);
            node_assert_1.strict.deepEqual([account, lookup.sidOfLogonName(account)], ['.\\opsadmin', 'S-1-5-21-1-2-3-1500']);
            node_assert_1.strict.deepEqual(['LocalSystem', 'NT AUTHORITY\\NetworkService', '.\\nobody'].map((n) => lookup.sidOfLogonName(n)), ['S-1-5-18', 'S-1-5-20', undefined]);
            node_assert_1.strict.equal(new service_control_1.ServiceControl(m.win.win32).account('no-such-service'), undefined);
            // A second install needs no password: the account is kept, and so is everything else.
            m.lines.length = 0;
            node_assert_1.strict.equal(await m.install(), 0);
            node_assert_1.strict.deepEqual(m.passwordsAsked, ['opsadmin']);
            node_assert_1.strict.match(m.lines.join('\n'), /^nothing to change$/m);
            node_assert_1.strict.equal(await m.uninstall(), 0);
            node_assert_1.strict.ok(m.win.users.has('opsadmin'), 'never deleted');
            node_assert_1.strict.ok(m.win.groups.get('administrators').has('host1\\opsadmin'), 'its group membership kept');
            node_assert_1.strict.deepEqual([...m.win.rights.get((0, fake_win32_1.sidBytes)(1500).toString('hex'))], ['SeBatchLogonRight'], 'only what install granted taken back');
            node_assert_1.strict.equal(config(m.dataDir).serviceAccount, undefined, 'config.json as it was');
            node_assert_1.strict.match(m.lines.join('\n'), /^note: the account opsadmin was there before install: it is kept, and its credential HOST1\\opsadmin stays in the vault$/m);
        });
        it('a dry run does not ask for the password, and says it will', async () => {
            node_assert_1.strict.equal(await m.install({ serviceAccount: 'opsadmin', dryRun: true }), 0);
            node_assert_1.strict.deepEqual(m.passwordsAsked, []);
            node_assert_1.strict.match(m.lines.join('\n'), /^note: install reads opsadmin's password from stdin \(or asks for it\) and checks it with LogonUserW$/m);
            node_assert_1.strict.match(m.lines.join('\n'), /^would run the service as the existing local administrator HOST1\\opsadmin \(S-1-5-21-1-2-3-1500\), its password checked with LogonUserW; grant it SeServiceLogonRight/m);
        });
        it('refuses, changing nothing: a wrong password, an account that is not an administrator, no such account, config.json naming another', async () => {
            const before = m.win.calls.length;
            m.givePassword('not-it');
            await node_assert_1.strict.rejects(m.install({ serviceAccount: 'opsadmin' }), (e) => e instanceof config_error_1.ConfigError
                && /the password given is not opsadmin's \(LogonUserW refused it\); nothing was changed/.test(e.message));
            m.win.groups.get('administrators').delete('host1\\opsadmin');
            m.win.groups.set('users', new Set(['host1\\opsadmin']));
            await node_assert_1.strict.rejects(m.install({ serviceAccount: 'opsadmin' }), /opsadmin is not a member of Administratoren \(its local groups: users\), and the service account must be a local administrator.*net localgroup "Administratoren" "opsadmin" \/add/);
            await node_assert_1.strict.rejects(m.install({ serviceAccount: 'nobody' }), /there is no local account named "nobody"/);
            fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'svc-other' }));
            await node_assert_1.strict.rejects(m.install({ serviceAccount: 'opsadmin' }), /names opsadmin, and config.json's serviceAccount names svc-other/);
            node_assert_1.strict.deepEqual(m.win.calls.slice(before).filter((c) => /^(Set|Create|Reg(Set|Delete)|NetUserAdd|LsaAdd|CreateService)/.test(c)), [], 'nothing changed');
            node_assert_1.strict.equal(m.win.users.get('opsadmin').badPwCount, 1, 'one try with the wrong password, no more');
        });
        it('the default path refuses an existing account of the configured name, pointing at --service-account', async () => {
            fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'opsadmin' }));
            await node_assert_1.strict.rejects(m.install(), /a local account named "opsadmin" already exists and pwbridge install did not create it\. To run the service as it .*pass --service-account opsadmin/);
        });
    });
    describe('under Wine: the Wine user', () => {
        beforeEach(() => { m = (0, install_machine_1.machine)({ wine: true }); });
        it('takes the Wine user: one line says so; nothing created; no credential; the service with no password; uninstall deletes nothing', async () => {
            node_assert_1.strict.equal(await m.install(), 0);
            const out = m.lines.join('\n');
            node_assert_1.strict.equal(out.match(/^note: this is Wine 8\.0: the service runs as the Wine user HOST1\\root \(S-1-5-21-0-0-0-1000\), the one account every process has here; no account is created or deleted, and no credential is stored \(its password is unknown\)$/gm)?.length, 1);
            node_assert_1.strict.equal(m.win.calls.filter((c) => c.startsWith('NetUserAdd')).length, 0);
            node_assert_1.strict.deepEqual(m.passwordsAsked, []);
            node_assert_1.strict.equal((0, registry_1.decodeString)(m.reg.get(places_1.PWBRIDGE_KEY, 'ServiceSid')), fake_win32_1.WINE_USER_SID);
            const svc = m.win.services.get('pwbridge');
            node_assert_1.strict.deepEqual([svc.startName, svc.password], ['.\\root', null]);
            node_assert_1.strict.equal(fs.existsSync(path.join(m.dataDir, 'vault.db')), false, 'no vault opened: nothing to store');
            node_assert_1.strict.ok(fs.existsSync(path.join(m.dataDir, 'keys', 'vault.key')), 'the vault key is made (and secured) by install, not by the service later');
            node_assert_1.strict.equal(config(m.dataDir).serviceAccount, 'root');
            node_assert_1.strict.equal((0, manifest_1.readManifest)(m.dataDir).windows.credential, undefined);
            node_assert_1.strict.equal(await m.install(), 0, 'a second install is content');
            node_assert_1.strict.equal(await m.uninstall(), 0);
            node_assert_1.strict.ok(m.win.users.has('root'));
            node_assert_1.strict.equal(config(m.dataDir).serviceAccount, undefined);
            node_assert_1.strict.match(m.lines.join('\n'), /the account root was there before install \(the Wine user, Wine 8\.0\): it is kept$/m);
        });
        it('refuses --service-account or a config.json serviceAccount naming anyone else, saying why', async () => {
            await node_assert_1.strict.rejects(m.install({ serviceAccount: 'opsadmin' }), /--service-account: names opsadmin, but under Wine every process runs as the Wine user root/);
            fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'pwbridge' }));
            await node_assert_1.strict.rejects(m.install(), /config.json's serviceAccount: names pwbridge, but under Wine/);
            fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'ROOT' }));
            node_assert_1.strict.equal(await m.install({ serviceAccount: 'root' }), 0, 'naming the Wine user is fine, in any case');
        });
        it('the fake is Wine as measured there: NetUserAdd works but LookupAccountNameW cannot find the account; LogonUserW takes any password', () => {
            // What wine/probes.main.ts and test/windows/install-wine.test.ts see in Wine 8 itself, held here for the fake.
            const wide = Buffer.from('Any-Passw0rd!\0', 'utf16le');
            new netapi_1.NetApi(m.win.win32).addUser('made', wide, 'test', 0x201);
            node_assert_1.strict.ok(new netapi_1.NetApi(m.win.win32).getUser('made'), 'this process sees it');
            node_assert_1.strict.equal(new account_lookup_1.AccountLookup(m.win.win32).sidOf('made'), undefined, 'LookupAccountNameW does not');
            node_assert_1.strict.equal((0, logon_1.logonMatches)(m.win.win32, 'root', Buffer.from('surely-wrong\0', 'utf16le')), true);
            node_assert_1.strict.equal(new account_lookup_1.AccountLookup(m.win.win32).nameOfSid(fake_win32_1.WINE_USER_SID), 'HOST1\\root');
        });
    });
});
//# sourceMappingURL=install-accounts.test.js.map