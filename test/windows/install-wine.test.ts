// `pwbridge install` and `uninstall` for real under Wine: the compiled CLI in the pinned Windows node.exe
// with a Windows node_modules (koffi's win32 binary), in a Wine prefix of its own (it changes HKLM, the
// service manager and System32), with the filter and message DLLs from `npm run build:native`. What
// changed is read from outside: `reg query` in the prefix, and the prefix's files on this machine.
//
// Under Wine install takes the Wine user as the service account (wine.ts), so no credential is stored and
// no SQLite is opened: the whole install runs on this branch's better-sqlite3, whose addon the Windows
// node_modules does not have. The service itself is not started (--no-start): it would need SQLite.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sharedWindowsApp, type WindowsApp } from '../helpers/windows-app';
import { runWindowsNode, type WindowsNodeResult } from '../helpers/windows-node';
import { FILTER_DLL, MESSAGES_DLL, hostPathIn, privateWinePrefix, runWindows, windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

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
  let prefix: ReturnType<typeof privateWinePrefix>;
  let app: WindowsApp;
  const user = os.userInfo().username;

  const pwbridge = (args: string[]): Promise<WindowsNodeResult> =>
    runWindowsNode([app.mainJs, ...args], { env: { WINEPREFIX: prefix.dir }, timeoutMs: 180_000 });
  const node = (script: string, args: string[]): Promise<WindowsNodeResult> =>
    runWindowsNode([app.file(script), ...args], { env: { WINEPREFIX: prefix.dir }, timeoutMs: 180_000 });
  const dlls = ['--module', winPath(FILTER_DLL), '--event-messages', winPath(MESSAGES_DLL)];
  /** `reg query KEY [/v NAME]` in the prefix: the values as { name: [type, data] }, or undefined when the key or value is absent. */
  const query = (key: string, name?: string): Record<string, [string, string]> | undefined => {
    const r = runWindows('reg', ['query', key, ...(name ? ['/v', name] : [])], 60_000, prefix.env);
    if (r.code !== 0) return undefined;
    const values: Record<string, [string, string]> = {};
    for (const m of r.out.matchAll(/^ {4}(.+?) {4}(REG_\w+) {4}(.*)$/gm)) values[m[1]] = [m[2], m[3].trim()];
    return values;
  };
  const host = (windowsPath: string) => hostPathIn(prefix.dir, windowsPath);
  const snapshot = () => ({
    pwbridge: query(KEYS.pwbridge), packages: query(KEYS.lsa, 'Notification Packages'), source: query(KEYS.source), service: query(KEYS.service),
    dll: fs.existsSync(host('C:\\windows\\system32\\pwbridge_filter.dll')), dataDir: fs.existsSync(host(DATA_DIR)),
  });

  before(function () {
    const missing = windowsPartsMissing();
    if (process.platform === 'win32' || missing.skip) skipBecause(this, 'on Windows the MSI test installs for real');
    if (missing.fail) throw new Error(missing.fail);
    prefix = privateWinePrefix();
    app = sharedWindowsApp();
  });
  after(() => prefix?.remove());

  it('install --dry-run says every step, and that this is Wine, and changes nothing', async () => {
    const before = snapshot();
    assert.deepEqual(before, { pwbridge: undefined, packages: undefined, source: undefined, service: undefined, dll: false, dataDir: false }, 'a fresh prefix');
    const r = await pwbridge(['install', '--dry-run', ...dlls]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.equal(out.match(/^note: this is Wine \d+\.\d+: the service runs as the Wine user \S+\\\S+ \(S-1-5-21-0-0-0-1000\), the one account every process has here; no account is created or deleted, and no credential is stored \(its password is unknown\)$/gm)?.length, 1, out);
    for (const line of [
      /^would create the data dir C:\\ProgramData\\pwbridge with a protected ACL for SYSTEM, Administrators and the service account only/m,
      new RegExp(`^would run the service as the existing local administrator \\S+\\\\${user} \\(${WINE_USER_SID}\\); grant it SeServiceLogonRight`, 'm'),
      new RegExp(`^would set HKLM\\\\SOFTWARE\\\\pwbridge ServiceSid = ${WINE_USER_SID}:`, 'm'),
      /^would copy the filter Z:\\\S+\\pwbridge_filter\.dll to C:\\windows\\System32\\pwbridge_filter\.dll$/m,
      /^would append pwbridge_filter to HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa Notification Packages: \(empty\) → pwbridge_filter$/m,
      new RegExp(`^would create the service pwbridge \\(automatic start, restarted on failure\\) running as \\.\\\\${user}: `, 'm'),
    ]) assert.match(out, line);
    assert.deepEqual(snapshot(), before);
  });

  it('install --no-start: registry, System32, the service and the data dir as reg query and the file system show them', async () => {
    const r = await pwbridge(['install', '--no-start', ...dlls]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^reboot required: LSA loads the filter at the next boot/m);

    const values = query(KEYS.pwbridge)!;
    assert.deepEqual(values.ServiceSid, ['REG_SZ', WINE_USER_SID]);
    assert.deepEqual(values.ExcludeAccounts, ['REG_MULTI_SZ', user]);
    assert.equal(values.InstalledAt?.[0], 'REG_QWORD');
    assert.deepEqual(query(KEYS.lsa, 'Notification Packages')!['Notification Packages'], ['REG_MULTI_SZ', 'pwbridge_filter']);
    assert.deepEqual(query(KEYS.source), { EventMessageFile: ['REG_EXPAND_SZ', winPath(MESSAGES_DLL)], TypesSupported: ['REG_DWORD', '0x7'] });
    const service = query(KEYS.service)!;
    assert.deepEqual(service.ObjectName, ['REG_SZ', `.\\${user}`]);
    assert.deepEqual(service.Start, ['REG_DWORD', '0x2']);
    assert.ok(service.ImagePath[1].endsWith(`${app.mainJs} run --data-dir ${DATA_DIR} --windows-service`), service.ImagePath[1]);

    assert.deepEqual(fs.readFileSync(host('C:\\windows\\system32\\pwbridge_filter.dll')), fs.readFileSync(FILTER_DLL));
    const dir = host(DATA_DIR);
    assert.deepEqual([32, 65, 32], ['capture.secret', 'bridge.pub', 'vault.key'].map((f) => fs.statSync(path.join(dir, 'keys', f)).size));
    assert.match(fs.readFileSync(path.join(dir, 'keys', 'bridge.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')), { serviceAccount: user });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'install.json'), 'utf8')) as { windows: Record<string, unknown> };
    assert.deepEqual(manifest.windows.existingAccount, { name: user, sid: WINE_USER_SID, rightsGranted: ['SeServiceLogonRight'], wine: (manifest.windows.existingAccount as { wine: string }).wine });
    assert.equal(manifest.windows.account, undefined, 'no account created');
    assert.equal(manifest.windows.credential, undefined, 'no credential stored');
    assert.equal(fs.existsSync(path.join(dir, 'vault.db')), false);
    // Wine keeps a DACL as the Unix mode: no entry for Everyone is no bit for others, on every entry.
    const walk = (p: string): string[] => [p, ...(fs.statSync(p).isDirectory() ? fs.readdirSync(p).flatMap((n) => walk(path.join(p, n))) : [])];
    for (const p of walk(dir)) assert.equal(fs.statSync(p).mode & 0o007, 0, `${p} is open to others (mode ${(fs.statSync(p).mode & 0o777).toString(8)})`);
  });

  it('a second install changes nothing; status asks the service manager and names the NetBIOS machine', async () => {
    const before = snapshot();
    const again = await pwbridge(['install', '--no-start', ...dlls]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^nothing to change$/m);
    assert.deepEqual(snapshot(), before);
    const status = await pwbridge(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^service: {8}not running \(service manager; pipe \\\\\.\\pipe\\pwbridge\)$/m);
    assert.match(status.stdout, new RegExp(`^machine: {8}${os.hostname().split('.')[0].toUpperCase().slice(0, 15)} `, 'm'));
  });

  it('the pipe\'s server is held against ServiceSid (the service\'s own SID; for status, the account the service manager has): the Wine user matches; another ServiceSid is faulted, saying why', async () => {
    const script = 'dist/test/platform/windows/wine/identity.main.js';
    type Probes = { sid: string; served: { state: string; reason: string }; configured: { state: string; reason: string } };
    const ok = await node(script, [DATA_DIR]);
    assert.equal(ok.code, 0, ok.stderr);
    const both = JSON.parse(ok.stdout) as Probes;
    assert.deepEqual([both.served.state, both.configured.state], ['pending-reboot', 'pending-reboot'], ok.stdout);
    assert.equal(runWindows('reg', ['add', KEYS.pwbridge, '/v', 'ServiceSid', '/t', 'REG_SZ', '/d', 'S-1-5-18', '/f'], 60_000, prefix.env).code, 0);
    try {
      const other = await node(script, [DATA_DIR]);
      assert.equal(other.code, 0, other.stderr);
      const p = JSON.parse(other.stdout) as Probes;
      assert.equal(p.sid, WINE_USER_SID);
      assert.deepEqual([p.served.state, p.configured.state], ['faulted', 'faulted']);
      assert.match(p.served.reason, /^this service runs as S-1-5-21-0-0-0-1000, but HKLM\\SOFTWARE\\pwbridge ServiceSid is S-1-5-18: the filter sends only to a pipe served by that SID, so it will not send to it\. Run the service as/);
      assert.match(p.configured.reason, new RegExp(`^the service pwbridge is set to log on as \\.\\\\${user}, S-1-5-21-0-0-0-1000, but HKLM\\\\SOFTWARE\\\\pwbridge ServiceSid is S-1-5-18: `));
    } finally {
      runWindows('reg', ['add', KEYS.pwbridge, '/v', 'ServiceSid', '/t', 'REG_SZ', '/d', WINE_USER_SID, '/f'], 60_000, prefix.env);
    }
  });

  it('uninstall reverts it: registry and System32 as before, the service gone, the Wine user kept; the data dir kept without the record', async () => {
    const r = await pwbridge(['uninstall']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^note: the account ${user} was there before install \\(the Wine user, Wine \\d+\\.\\d+\\): it is kept$`, 'm'));
    assert.deepEqual(snapshot(), { pwbridge: undefined, packages: undefined, source: undefined, service: undefined, dll: false, dataDir: true });
    const dir = host(DATA_DIR);
    assert.equal(fs.existsSync(path.join(dir, 'vault.db')), false,
      'the service was never started (--no-start): if it ran, the wineserver restarted, which Wine treats as a boot (services.exe starts auto-start services)');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['keys', 'log', 'spool'], 'install.json and the config.json install made are gone; keys kept');
    const again = await pwbridge(['uninstall']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /nothing installed here/);
  });
});
