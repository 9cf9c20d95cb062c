// Who the service runs as, through install and uninstall against the fake Win32: an existing local
// administrator (--service-account, its password given and checked), refused when it is not one, when
// the password is wrong, or when config.json names another; and under Wine the Wine user, with nothing
// created, deleted or stored. Uninstall never deletes an account it did not create and leaves it as it was.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../../src/config/config-error';
import { AccountLookup } from '../../../src/platform/windows/account-lookup';
import { logonMatches } from '../../../src/platform/windows/logon';
import { NetApi } from '../../../src/platform/windows/netapi';
import { ServiceControl } from '../../../src/platform/windows/service-control';
import { PWBRIDGE_KEY } from '../../../src/platform/windows/places';
import { decodeList, decodeString } from '../../../src/platform/windows/registry';
import { openVaultAt } from '../../../src/service/open';
import { readManifest } from '../../../src/setup/manifest';
import { WINE_USER_SID, sidBytes } from './fake-win32';
import { machine } from './install-machine';

const config = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;

describe('platform/windows install: the service account', () => {
  let m: ReturnType<typeof machine>;
  afterEach(() => m.cleanup());

  describe('--service-account: an existing local administrator', () => {
    beforeEach(() => {
      m = machine();
      const ops = m.win.addUser('opsadmin', 'Ops-Passw0rd!', { rid: 1500 });
      m.win.groups.get('administrators')!.add(`host1\\${ops.name}`);
      m.win.rights.set(sidBytes(1500).toString('hex'), new Set(['SeBatchLogonRight']));
    });

    it('runs the service as it: nothing created, only the right it lacked granted, the credential stored with the given password, config.json points at it', async () => {
      m.givePassword('Ops-Passw0rd!');
      assert.equal(await m.install({ serviceAccount: 'opsadmin' }), 0);
      assert.deepEqual(m.passwordsAsked, ['opsadmin'], 'asked once');
      assert.equal(m.win.calls.filter((c) => c.startsWith('NetUserAdd')).length, 0, 'no account created');
      assert.ok(m.win.calls.some((c) => c.startsWith('LogonUserW opsadmin . 3')), 'the password was checked with a network logon');
      assert.deepEqual([...m.win.rights.get(sidBytes(1500).toString('hex'))!].sort(), ['SeBatchLogonRight', 'SeServiceLogonRight'], 'no deny right on someone\'s account');
      assert.equal(decodeString(m.reg.get(PWBRIDGE_KEY, 'ServiceSid')!), 'S-1-5-21-1-2-3-1500');
      assert.deepEqual(decodeList(m.reg.get(PWBRIDGE_KEY, 'ExcludeAccounts')!).values, ['opsadmin']);
      const svc = m.win.services.get('pwbridge')!;
      assert.deepEqual([svc.startName, svc.password], ['.\\opsadmin', 'Ops-Passw0rd!']);
      assert.equal(config(m.dataDir).serviceAccount, 'opsadmin');
      assert.equal(config(m.dataDir).machine, 'HOST1', 'the other fields kept');
      const vault = await openVaultAt(m.dataDir);
      try {
        const cred = (await vault.findCredential('local', 'HOST1\\opsadmin'))!;
        assert.equal((await vault.readPassword(cred.id)).toString(), 'Ops-Passw0rd!');
      } finally {
        await vault.close();
      }
      assert.ok(!fs.readFileSync(path.join(m.dataDir, 'install.json'), 'utf8').includes('Ops-Passw0rd!'));
      assert.ok(!m.lines.join('\n').includes('Ops-Passw0rd!'));
      assert.deepEqual(m.win.memory.holding(Buffer.from('Ops-Passw0rd!', 'utf16le')), [], 'every UTF-16 copy wiped');
      assert.deepEqual(readManifest(m.dataDir)!.windows!.existingAccount, { name: 'opsadmin', sid: 'S-1-5-21-1-2-3-1500', rightsGranted: ['SeServiceLogonRight'] });
      // What `status` holds against ServiceSid: the service manager's account for the service, as a SID.
      const account = new ServiceControl(m.win.win32).account('pwbridge')!;
      const lookup = new AccountLookup(m.win.win32);
      assert.deepEqual([account, lookup.sidOfLogonName(account)], ['.\\opsadmin', 'S-1-5-21-1-2-3-1500']);
      assert.deepEqual(['LocalSystem', 'NT AUTHORITY\\NetworkService', '.\\nobody'].map((n) => lookup.sidOfLogonName(n)), ['S-1-5-18', 'S-1-5-20', undefined]);
      assert.equal(new ServiceControl(m.win.win32).account('no-such-service'), undefined);

      // A second install needs no password: the account is kept, and so is everything else.
      m.lines.length = 0;
      assert.equal(await m.install(), 0);
      assert.deepEqual(m.passwordsAsked, ['opsadmin']);
      assert.match(m.lines.join('\n'), /^nothing to change$/m);

      assert.equal(await m.uninstall(), 0);
      assert.ok(m.win.users.has('opsadmin'), 'never deleted');
      assert.ok(m.win.groups.get('administrators')!.has('host1\\opsadmin'), 'its group membership kept');
      assert.deepEqual([...m.win.rights.get(sidBytes(1500).toString('hex'))!], ['SeBatchLogonRight'], 'only what install granted taken back');
      assert.equal(config(m.dataDir).serviceAccount, undefined, 'config.json as it was');
      assert.match(m.lines.join('\n'), /^note: the account opsadmin was there before install: it is kept, and its credential HOST1\\opsadmin stays in the vault$/m);
    });

    it('a dry run does not ask for the password, and says it will', async () => {
      assert.equal(await m.install({ serviceAccount: 'opsadmin', dryRun: true }), 0);
      assert.deepEqual(m.passwordsAsked, []);
      assert.match(m.lines.join('\n'), /^note: install reads opsadmin's password from stdin \(or asks for it\) and checks it with LogonUserW$/m);
      assert.match(m.lines.join('\n'), /^would run the service as the existing local administrator HOST1\\opsadmin \(S-1-5-21-1-2-3-1500\), its password checked with LogonUserW; grant it SeServiceLogonRight/m);
    });

    it('refuses, changing nothing: a wrong password, an account that is not an administrator, no such account, config.json naming another', async () => {
      const before = m.win.calls.length;
      m.givePassword('not-it');
      await assert.rejects(m.install({ serviceAccount: 'opsadmin' }), (e: Error) => e instanceof ConfigError
        && /the password given is not opsadmin's \(LogonUserW refused it\); nothing was changed/.test(e.message));
      m.win.groups.get('administrators')!.delete('host1\\opsadmin');
      m.win.groups.set('users', new Set(['host1\\opsadmin']));
      await assert.rejects(m.install({ serviceAccount: 'opsadmin' }),
        /opsadmin is not a member of Administratoren \(its local groups: users\), and the service account must be a local administrator.*net localgroup "Administratoren" "opsadmin" \/add/);
      await assert.rejects(m.install({ serviceAccount: 'nobody' }), /there is no local account named "nobody"/);
      fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'svc-other' }));
      await assert.rejects(m.install({ serviceAccount: 'opsadmin' }), /names opsadmin, and config.json's serviceAccount names svc-other/);
      assert.deepEqual(m.win.calls.slice(before).filter((c) => /^(Set|Create|Reg(Set|Delete)|NetUserAdd|LsaAdd|CreateService)/.test(c)), [], 'nothing changed');
      assert.equal(m.win.users.get('opsadmin')!.badPwCount, 1, 'one try with the wrong password, no more');
    });

    it('the default path refuses an existing account of the configured name, pointing at --service-account', async () => {
      fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'opsadmin' }));
      await assert.rejects(m.install(), /a local account named "opsadmin" already exists and pwbridge install did not create it\. To run the service as it .*pass --service-account opsadmin/);
    });
  });

  describe('under Wine: the Wine user', () => {
    beforeEach(() => { m = machine({ wine: true }); });

    it('takes the Wine user: one line says so; nothing created; no credential; the service with no password; uninstall deletes nothing', async () => {
      assert.equal(await m.install(), 0);
      const out = m.lines.join('\n');
      assert.equal(out.match(/^note: this is Wine 8\.0: the service runs as the Wine user HOST1\\root \(S-1-5-21-0-0-0-1000\), the one account every process has here; no account is created or deleted, and no credential is stored \(its password is unknown\)$/gm)?.length, 1);
      assert.equal(m.win.calls.filter((c) => c.startsWith('NetUserAdd')).length, 0);
      assert.deepEqual(m.passwordsAsked, []);
      assert.equal(decodeString(m.reg.get(PWBRIDGE_KEY, 'ServiceSid')!), WINE_USER_SID);
      const svc = m.win.services.get('pwbridge')!;
      assert.deepEqual([svc.startName, svc.password], ['.\\root', null]);
      assert.equal(fs.existsSync(path.join(m.dataDir, 'vault.db')), false, 'no vault opened: nothing to store');
      assert.ok(fs.existsSync(path.join(m.dataDir, 'keys', 'vault.key')), 'the vault key is made (and secured) by install, not by the service later');
      assert.equal(config(m.dataDir).serviceAccount, 'root');
      assert.equal(readManifest(m.dataDir)!.windows!.credential, undefined);
      assert.equal(await m.install(), 0, 'a second install is content');
      assert.equal(await m.uninstall(), 0);
      assert.ok(m.win.users.has('root'));
      assert.equal(config(m.dataDir).serviceAccount, undefined);
      assert.match(m.lines.join('\n'), /the account root was there before install \(the Wine user, Wine 8\.0\): it is kept$/m);
    });

    it('refuses --service-account or a config.json serviceAccount naming anyone else, saying why', async () => {
      await assert.rejects(m.install({ serviceAccount: 'opsadmin' }), /--service-account: names opsadmin, but under Wine every process runs as the Wine user root/);
      fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'pwbridge' }));
      await assert.rejects(m.install(), /config.json's serviceAccount: names pwbridge, but under Wine/);
      fs.writeFileSync(path.join(m.dataDir, 'config.json'), JSON.stringify({ machine: 'HOST1', serviceAccount: 'ROOT' }));
      assert.equal(await m.install({ serviceAccount: 'root' }), 0, 'naming the Wine user is fine, in any case');
    });

    it('the fake is Wine as measured there: NetUserAdd works but LookupAccountNameW cannot find the account; LogonUserW takes any password', () => {
      // What wine/probes.main.ts and test/windows/install-wine.test.ts see in Wine 8 itself, held here for the fake.
      const wide = Buffer.from('Any-Passw0rd!\0', 'utf16le');
      new NetApi(m.win.win32).addUser('made', wide, 'test', 0x201);
      assert.ok(new NetApi(m.win.win32).getUser('made'), 'this process sees it');
      assert.equal(new AccountLookup(m.win.win32).sidOf('made'), undefined, 'LookupAccountNameW does not');
      assert.equal(logonMatches(m.win.win32, 'root', Buffer.from('surely-wrong\0', 'utf16le')), true);
      assert.equal(new AccountLookup(m.win.win32).nameOfSid(WINE_USER_SID), 'HOST1\\root');
    });
  });
});
