// `pwbridge install` / `uninstall` on Windows, run against the fake Windows (registry, SAM, LSA rights,
// SCM) and a temporary folder as System32: the dry run prints every change and makes none; install
// appends to Notification Packages and records everything; a second install changes nothing; uninstall
// reverts each step (Notification Packages byte for byte when nobody touched it, only our entry when
// someone did). Plus the service command line's quoting and the SCM dispatcher's status sequence.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../../src/config/config-error';
import { quoteWindowsArg, windowsCommandLine } from '../../../src/platform/windows/command-line';
import { LSA_KEY, NOTIFICATION_PACKAGES, PWBRIDGE_KEY } from '../../../src/platform/windows/places';
import { randomPassword } from '../../../src/platform/windows/random-password';
import { REG_DWORD, REG_MULTI_SZ, decodeList, decodeString, encodeDword } from '../../../src/platform/windows/registry';
import { runAsWindowsService, SERVICE_CONTROL_STOP } from '../../../src/platform/windows/service-host';
import { decodeServiceStatus } from '../../../src/platform/windows/structs';
import { sidFromString, sidToString } from '../../../src/platform/windows/sid';
import { readManifest } from '../../../src/setup/manifest';
import { serviceCommandLine } from '../../../src/setup/windows-install';
import { openVaultAt } from '../../../src/service/open';
import { FakeWindows, fakePe, sidBytes } from './fake-win32';
import { MAIN, NODE, ORIGINAL_PACKAGES, machine } from './install-machine';

describe('platform/windows install and uninstall', () => {
  let m: ReturnType<typeof machine>;
  beforeEach(() => { m = machine(); });
  afterEach(() => m.cleanup());

  it('--dry-run prints every change as "would …" and changes nothing', async () => {
    const before = JSON.stringify([...m.win.registry].map(([k, v]) => [k, [...v]]));
    assert.equal(await m.install({ dryRun: true }), 0);
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
    ]) assert.match(out, expected);
    assert.equal(JSON.stringify([...m.win.registry].map(([k, v]) => [k, [...v]])), before, 'registry untouched');
    assert.equal(m.win.users.size, 0);
    assert.equal(m.win.services.size, 0);
    assert.deepEqual(fs.readdirSync(m.sys32), []);
    assert.equal(fs.existsSync(path.join(m.dataDir, 'install.json')), false);
    assert.deepEqual(m.secured, []);
    assert.equal(m.win.calls.filter((c) => c.startsWith('SetFileSecurityW') || c.startsWith('CreateDirectoryW')).length, 0, 'no ACL changed');
  });

  it('installs: DLL, account in the localized Administrators group, rights, vault credential, registry, Notification Packages appended, service started; reboot required', async () => {
    assert.equal(await m.install(), 0);
    const out = m.lines.join('\n');
    assert.deepEqual(fs.readFileSync(path.join(m.sys32, 'pwbridge_filter.dll')), fakePe());
    const user = m.win.users.get('pwbridge')!;
    assert.ok(user, 'account created');
    assert.equal(user.flags & 0x10000, 0x10000, 'password never expires');
    assert.ok(m.win.groups.get('administratoren')!.has('host1\\pwbridge'), 'added through the group\'s localized name');
    const sid = sidBytes(user.rid);
    assert.deepEqual([...m.win.rights.get(sid.toString('hex'))!], ['SeServiceLogonRight', 'SeDenyInteractiveLogonRight', 'SeDenyRemoteInteractiveLogonRight']);
    assert.equal(decodeString(m.reg.get(PWBRIDGE_KEY, 'ServiceSid')!), sidToString(sid));
    assert.deepEqual(decodeList(m.reg.get(PWBRIDGE_KEY, 'ExcludeAccounts')!).values, ['pwbridge']);
    assert.deepEqual(decodeList(m.packages()).values, ['scecli', 'rassfm', 'pwbridge_filter']);
    assert.ok(m.secured.length >= 3 && m.secured.every((x) => x.dir === m.dataDir), 'secured after each step that made files');
    assert.equal(m.secured[0].keys, false, 'the ACL is set before any key file is made');
    assert.ok(fs.existsSync(path.join(m.dataDir, 'keys', 'capture.secret')));

    // The password: random, the same for the account, the vault and the service, and nowhere else.
    const created = m.win.received.find((r) => r.call === 'NetUserAdd')!.password;
    assert.equal(created.length, 32);
    assert.ok(/[A-Z]/.test(created) && /[a-z]/.test(created) && /[0-9]/.test(created) && /[^A-Za-z0-9]/.test(created));
    assert.equal(m.win.received.find((r) => r.call === 'CreateServiceW')!.password, created);
    const vault = await openVaultAt(m.dataDir);
    try {
      const cred = (await vault.findCredential('local', 'HOST1\\pwbridge'))!;
      assert.deepEqual([cred.mode, cred.windowsSync], ['report', false]);
      const pw = await vault.readPassword(cred.id);
      assert.equal(pw.toString('utf8'), created);
      pw.fill(0);
    } finally {
      await vault.close();
    }
    const manifestText = fs.readFileSync(path.join(m.dataDir, 'install.json'), 'utf8');
    assert.ok(!manifestText.includes(created), 'no password in install.json');
    assert.ok(!out.includes(created), 'no password in the output');
    assert.deepEqual(m.win.memory.holding(Buffer.from(created, 'utf16le')), [], 'every UTF-16LE copy wiped');

    const svc = m.win.services.get('pwbridge')!;
    assert.equal(svc.startName, '.\\pwbridge');
    assert.equal(svc.binaryPath, serviceCommandLine(NODE, MAIN, m.dataDir));
    assert.equal(svc.state, 4, 'running');
    assert.match(svc.description ?? '', /credential vault/);
    assert.deepEqual(svc.failureActions?.map((a) => a.delayMs), [5000, 30_000, 120_000]);
    assert.match(out, /^filter: pending-reboot \(reboot required: /m);
    assert.match(out, /^  Notification Packages: scecli, rassfm, pwbridge_filter$/m);
    assert.match(out, /^reboot required: LSA loads the filter at the next boot/m);
    assert.match(out, /^the service runs and serves \\\\.\\pipe\\pwbridge$/m);

    // A second install changes nothing.
    m.lines.length = 0;
    const calls = m.win.calls.length;
    assert.equal(await m.install(), 0);
    assert.match(m.lines.join('\n'), /^nothing to change$/m);
    assert.deepEqual(m.win.calls.slice(calls).filter((c) => /Set|Add|Create|Start|Del/.test(c)), [], 'no write the second time');
  });

  it('uninstall reverts every step: Notification Packages byte for byte, account, rights, service, DLL, registry; the data dir and vault stay', async () => {
    await m.install();
    const user = m.win.users.get('pwbridge')!;
    assert.equal(await m.uninstall(), 0);
    assert.deepEqual(m.packages().data, ORIGINAL_PACKAGES, 'the exact bytes it had');
    assert.equal(m.win.users.has('pwbridge'), false);
    assert.equal(m.win.groups.get('administratoren')!.size, 0);
    assert.equal(m.win.rights.has(sidBytes(user.rid).toString('hex')), false);
    assert.equal(m.win.services.size, 0);
    assert.deepEqual(fs.readdirSync(m.sys32), []);
    assert.equal(m.reg.exists(PWBRIDGE_KEY), false);
    assert.equal(m.reg.exists('SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge'), false);
    assert.equal(fs.existsSync(path.join(m.dataDir, 'install.json')), false);
    assert.ok(fs.existsSync(path.join(m.dataDir, 'vault.db')), 'data dir kept');
    assert.match(m.lines.join('\n'), /the filter stays loaded in lsass.exe until the next reboot/);
    await assert.rejects(m.uninstall(), /nothing installed here/);
  });

  it('uninstall after someone else changed Notification Packages takes out only pwbridge_filter', async () => {
    await m.install();
    const reg = m.reg;
    reg.set(LSA_KEY, NOTIFICATION_PACKAGES, { type: REG_MULTI_SZ, data: Buffer.from('scecli\0rassfm\0pwbridge_filter\0otherfilter\0\0', 'utf16le') });
    await m.uninstall();
    assert.deepEqual(decodeList(m.packages()).values, ['scecli', 'rassfm', 'otherfilter']);
    assert.match(m.lines.join('\n'), /has changed since install, so only pwbridge_filter is taken out of it/);
  });

  it('the MSI\'s own DLL (--module already in System32) is registered, not copied, and not removed', async () => {
    const inSys32 = path.join(m.sys32, 'pwbridge_filter.dll');
    fs.writeFileSync(inSys32, fakePe());
    await m.install({ module: inSys32 });
    assert.equal(readManifest(m.dataDir)!.windows!.dll!.owner, 'package');
    await m.uninstall();
    assert.ok(fs.existsSync(inSys32), 'left for the package');
    assert.match(m.lines.join('\n'), /the package installed it and removes it/);
  });

  it('the event source\'s EventMessageFile: pwbridge_messages.dll next to the filter, --event-messages, or (not built) .NET\'s with a note; uninstall removes it', async () => {
    const source = 'SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge';
    await m.install({ dryRun: true });
    assert.match(m.lines.join('\n'), /^note: \S+pwbridge_messages\.dll was not built, so the event source uses C:\\Windows\\Microsoft\.NET\\\S+EventLogMessages\.dll/m);
    const beside = path.join(path.dirname(m.dll), 'pwbridge_messages.dll');
    fs.writeFileSync(beside, fakePe());
    m.lines.length = 0;
    await m.install();
    assert.doesNotMatch(m.lines.join('\n'), /was not built/);
    assert.equal(decodeString(m.reg.get(source, 'EventMessageFile')!), beside);
    const msi = path.join(m.root, 'Program Files', 'pwbridge', 'pwbridge_messages.dll');
    fs.mkdirSync(path.dirname(msi), { recursive: true });
    fs.writeFileSync(msi, fakePe());
    await m.install({ eventMessages: msi }); // the MSI's own copy: the value follows it
    assert.equal(decodeString(m.reg.get(source, 'EventMessageFile')!), msi);
    await m.uninstall();
    assert.equal(m.reg.exists(source), false);
    await assert.rejects(m.install({ eventMessages: path.join(m.root, 'nope.dll') }), /--event-messages: \S+nope\.dll does not exist/);
    fs.writeFileSync(msi, 'not a DLL');
    await assert.rejects(m.install({ eventMessages: msi }), /--event-messages: .+pwbridge_messages\.dll is not a Windows DLL: no MZ header/);
    assert.equal(m.reg.exists(source), false, 'a refused install changed nothing');
  });

  it('refuses, changing nothing: an account of that name it did not create; a DLL that is not 64-bit; no DLL', async () => {
    m.win.addUser('pwbridge', 'someone-elses');
    await assert.rejects(m.install(), (e: Error) => e instanceof ConfigError && /already exists and pwbridge install did not create it/.test(e.message));
    assert.equal(m.win.users.get('pwbridge')!.password.toString('utf16le'), 'someone-elses');
    m.win.users.clear();
    fs.writeFileSync(m.dll, fakePe({ machine: 0x14c, pe32Plus: false }));
    await assert.rejects(m.install(), /not a 64-bit DLL/);
    await assert.rejects(m.install({ module: path.join(m.root, 'nope.dll') }), /does not exist/);
    assert.deepEqual(m.packages().data, ORIGINAL_PACKAGES);
    assert.equal(m.win.services.size, 0);
  });

  it('says plainly when LSA protection is on and the DLL is unsigned', async () => {
    m.reg.set(LSA_KEY, 'RunAsPPL', { type: REG_DWORD, data: encodeDword(1) });
    await m.install({ dryRun: true });
    assert.match(m.lines.join('\n'), /^note: LSA protection \(RunAsPPL\) is on and the filter DLL is unsigned/m);
    assert.match(m.lines.join('\n'), /^filter now: not-installed/m);
  });

  it('an install that fails half way is undone by uninstall (install.json is written after each step)', async () => {
    m.win.advapi32.CreateServiceW = () => { m.win.lastError = 5; return null; };
    await assert.rejects(m.install(), /CreateServiceW .*failed: ERROR_ACCESS_DENIED/);
    assert.ok(m.win.users.has('pwbridge'));
    assert.deepEqual(decodeList(m.packages()).values, ['scecli', 'rassfm', 'pwbridge_filter']);
    await m.uninstall();
    assert.deepEqual(m.packages().data, ORIGINAL_PACKAGES);
    assert.equal(m.win.users.has('pwbridge'), false);
  });
});

describe('platform/windows service pieces', () => {
  /** CommandLineToArgvW's rules for the arguments (the parser node.exe's C runtime applies). */
  function parseCommandLine(s: string): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < s.length) {
      while (s[i] === ' ' || s[i] === '\t') i++;
      if (i >= s.length) break;
      let arg = '';
      let quoted = false;
      for (; i < s.length; i++) {
        const c = s[i];
        if (c === '\\') {
          let n = 0;
          while (s[i] === '\\') { n++; i++; }
          if (s[i] === '"') {
            arg += '\\'.repeat(Math.floor(n / 2));
            if (n % 2 === 1) arg += '"';
            else quoted = !quoted;
          } else {
            arg += '\\'.repeat(n);
            i--;
          }
          continue;
        }
        if (c === '"') { quoted = !quoted; continue; }
        if (!quoted && (c === ' ' || c === '\t')) break;
        arg += c;
      }
      out.push(arg);
    }
    return out;
  }

  it('quotes every argument so Windows splits the command line back into the same argv (property)', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\\', '"', '\t', 'é') , maxLength: 12 }), { minLength: 1, maxLength: 6 }), (argv) => {
      assert.deepEqual(parseCommandLine(windowsCommandLine(argv)), argv);
    }), { numRuns: 500 });
    assert.equal(quoteWindowsArg('C:\\Program Files\\x\\'), '"C:\\Program Files\\x\\\\"');
    assert.equal(quoteWindowsArg('plain'), 'plain');
    assert.equal(quoteWindowsArg(''), '""');
  });

  it('SIDs: binary ↔ string, both ways', () => {
    assert.equal(sidToString(sidBytes(1001)), 'S-1-5-21-1-2-3-1001');
    assert.deepEqual(sidFromString('S-1-5-21-1-2-3-1001'), sidBytes(1001));
    assert.equal(sidToString(sidFromString('S-1-5-32-544')), 'S-1-5-32-544');
    assert.equal(sidToString(sidFromString('S-1-0x0000000000FF-7')), 'S-1-255-7');
    assert.throws(() => sidFromString('S-2-5'), /not a SID/);
    assert.throws(() => sidToString(Buffer.from([1, 2, 0, 0])), /shorter/);
  });

  it('random passwords: 32 characters with every class, different each time', () => {
    const a = randomPassword();
    const b = randomPassword();
    assert.equal(a.length, 32);
    assert.ok(!a.equals(b));
    for (let i = 0; i < 50; i++) {
      const s = randomPassword(8).toString('latin1');
      assert.ok(/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && /[^A-Za-z0-9]/.test(s), s);
    }
  });

  it('the SCM dispatcher: START_PENDING, RUNNING once started, STOP_PENDING and STOPPED on Stop', async () => {
    const win = new FakeWindows();
    const states: number[] = [];
    win.advapi32.SetServiceStatus = (_h, status) => { states.push(decodeServiceStatus(status).currentState); return 1; };
    let stopped = false;
    win.advapi32.StartServiceCtrlDispatcherW.async = (table, cb) => {
      const main = [...win.registered.values()].find((r) => r.proto === 'ServiceMain')!;
      assert.equal(table.readBigUInt64LE(8), [...win.registered.entries()].find(([, r]) => r.proto === 'ServiceMain')![0]);
      (main.fn as () => void)();
      const handler = [...win.registered.values()].find((r) => r.proto === 'HandlerEx')!;
      const poll = setInterval(() => {
        if (states.includes(4)) (handler.fn as (c: number) => number)(SERVICE_CONTROL_STOP);
        if (states.includes(1)) { clearInterval(poll); cb(null, 1); }
      }, 5);
    };
    await runAsWindowsService(win.win32, 'pwbridge', {
      start: async () => ({ stop: async () => { stopped = true; } }),
      onError: (msg) => assert.fail(msg),
    });
    assert.deepEqual(states.filter((s, i) => s !== states[i - 1]), [2, 4, 3, 1]);
    assert.ok(stopped);
    assert.equal(win.registered.size, 0, 'callbacks unregistered');
  });

  it('the SCM dispatcher: a start that fails reports STOPPED with an exit code; outside the SCM it says so', async () => {
    const win = new FakeWindows();
    const statuses: ReturnType<typeof decodeServiceStatus>[] = [];
    win.advapi32.SetServiceStatus = (_h, status) => { statuses.push(decodeServiceStatus(status)); return 1; };
    const errors: string[] = [];
    win.advapi32.StartServiceCtrlDispatcherW.async = (_t, cb) => {
      (([...win.registered.values()].find((r) => r.proto === 'ServiceMain')!.fn) as () => void)();
      setTimeout(() => cb(null, 1), 20);
    };
    await runAsWindowsService(win.win32, 'pwbridge', { start: async () => { throw new Error('the pipe is taken'); }, onError: (e) => errors.push(e) });
    assert.deepEqual(statuses.map((s) => s.currentState), [2, 1]);
    assert.equal(statuses[1].win32ExitCode, 1066);
    assert.deepEqual(errors, ['starting: the pipe is taken']);

    const console = new FakeWindows();
    await assert.rejects(runAsWindowsService(console.win32, 'pwbridge', { start: async () => ({ stop: async () => undefined }), onError: () => undefined }),
      /run --windows-service is for the service control manager/);
  });
});
