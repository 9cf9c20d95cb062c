// Windows as one product, under Wine: the MSI that `npm run package:msi` builds is installed with msiexec
// into a fresh machine (its own prefix), which is then rebooted. LSA is played by lsa_standin.exe, which
// knows nothing of pwbridge: it loads whatever Notification Packages names from System32 and calls its
// filters as lsass does. The service is the package's node.exe started by Wine's service manager, the
// capture crosses the real named pipe to the real journal and vault, and the administrator's view is
// `pwbridge.cmd`. What Wine cannot show (DACL enforcement, SAM, LogonUserW, a real lsass) is listed in the
// docs/development.md ("What Wine fakes") and checked on Windows by .github/workflows/windows.yml.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SqliteVault } from '../../src/vault/sqlite.vault';
import { LsaStandIn, STANDIN_EXE } from '../helpers/lsa-standin';
import { buildMsi, PACKAGE_VERSION } from '../helpers/msi';
import { filesUnder } from '../helpers/tmp';
import { WineMachine, type RunResult } from '../helpers/wine-machine';
import { windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

const APP = 'C:\\Program Files\\pwbridge';
const DATA = 'C:\\ProgramData\\pwbridge';
const LSA_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa';
const PWB_KEY = 'HKLM\\SOFTWARE\\pwbridge';
/** What a Windows machine has in the list before pwbridge: install appends, uninstall puts it back exactly. */
const PACKAGES_BEFORE = ['scecli', 'rassfm'];
const WINE_USER_SID = 'S-1-5-21-0-0-0-1000';
/** msiexec's "done, reboot required" (3010) as a Linux parent sees a Wine process's exit: its low 8 bits. */
const REBOOT_REQUIRED = 3010 & 0xff;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StatusJson { serviceRunning: boolean; filter: { state: string; reason: string }; machine: string; journalDepth: number }
interface EventJson { kind: string; account?: string; outcome: string; reason?: string; machine: string }

describe('Windows as one product: the MSI installed, rebooted and capturing under Wine', function () {
  this.timeout(600_000);
  let m: WineMachine;
  let msi: string;
  let lsa: LsaStandIn | undefined;
  const canary = `Canary-${randomBytes(9).toString('base64url')}`;

  const cli = async (...args: string[]): Promise<RunResult> => m.run(`${APP}\\bin\\pwbridge.cmd`, args);
  const status = async (): Promise<StatusJson> => {
    const r = await cli('status', '--json');
    assert.equal(r.code, 0, `pwbridge.cmd status: ${r.stdout}${r.stderr}`);
    return JSON.parse(r.stdout) as StatusJson;
  };
  const events = async (): Promise<EventJson[]> => {
    const r = await cli('events', '--json', '--limit', '500');
    assert.equal(r.code, 0, `pwbridge.cmd events: ${r.stdout}${r.stderr}`);
    return r.stdout.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l) as EventJson);
  };
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
    const end = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${(last as Error).message})` : ''}`);
      await sleep(1000);
    }
  };
  const packages = (): string[] => {
    const v = m.regQuery(LSA_KEY, 'Notification Packages');
    return v ? v.data.split('\\0').filter(Boolean) : [];
  };
  const msiexec = (args: string[], norestart = true) => m.run('msiexec', [...args, '/qn', ...(norestart ? ['/norestart'] : []), '/l*v', 'C:\\msi.log'], 300_000);

  before(function () {
    // A Wine machine of its own; on Windows the workflow installs the MSI on the runner itself.
    if (process.platform === 'win32') skipBecause(this, 'not on Windows (Wine stands in for it here; the Windows workflow runs the real thing)');
    const why = windowsPartsMissing();
    if (why.skip) skipBecause(this, why.skip);
    assert.equal(why.fail, undefined, why.fail);
    assert.ok(fs.existsSync(STANDIN_EXE), `${STANDIN_EXE} is missing: npm run build:native`);
    msi = buildMsi();
    m = WineMachine.create();
    m.wine(['reg', 'add', LSA_KEY, '/v', 'Notification Packages', '/t', 'REG_MULTI_SZ', '/d', PACKAGES_BEFORE.join('\\0'), '/f']);
  });
  after(() => m?.destroy());

  it('msiexec /i installs it and asks for a reboot without making one (3010)', async () => {
    const r = await msiexec(['/i', winPath(msi)]);
    assert.equal(r.code, REBOOT_REQUIRED, `msiexec: ${r.code}\n${r.stdout}${r.stderr}\n${tailOfLog(m)}`);
    for (const f of ['node.exe', 'bin\\pwbridge', 'bin\\pwbridge.cmd', 'dist\\src\\cli\\main.js', 'addons\\pwbridge_pipe.node', 'pwbridge_messages.dll',
      'node_modules\\@koromix\\koffi-win32-x64\\win32_x64\\koffi.node']) {
      assert.ok(fs.existsSync(m.hostPath(`${APP}\\${f}`)), `${APP}\\${f} is missing`);
    }
    assert.ok(fs.existsSync(m.hostPath('C:\\windows\\system32\\pwbridge_filter.dll')), 'the filter is not in System32');
  });

  it('registered the filter after the packages that were there, the service, its settings and the event source', () => {
    assert.deepEqual(packages(), [...PACKAGES_BEFORE, 'pwbridge_filter']);
    // The service manager's own record (Wine's sc has no qc).
    const svc = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\pwbridge';
    assert.equal(m.regQuery(svc, 'Start')?.data, '0x2', 'automatic start');
    assert.match(m.regQuery(svc, 'ImagePath')?.data ?? '', /^"C:\\Program Files\\pwbridge\\node\.exe" .*"C:\\Program Files\\pwbridge\\dist\\src\\cli\\main\.js" run --data-dir C:\\ProgramData\\pwbridge --windows-service$/);
    // Under Wine the service account is the one user Wine has (docs/development.md: what Wine fakes).
    assert.equal(m.regQuery(PWB_KEY, 'ServiceSid')?.data, WINE_USER_SID);
    assert.ok(m.regKeyExists('HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge'), 'no event source');
    assert.match(m.regQuery('HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\pwbridge', 'EventMessageFile')?.data ?? '',
      /Program Files\\pwbridge\\pwbridge_messages\.dll/);
    const manifest = JSON.parse(fs.readFileSync(m.hostPath(`${DATA}\\install.json`), 'utf8')) as { windows?: { account?: { sid: string } } };
    assert.equal(manifest.windows?.account?.sid ?? WINE_USER_SID, WINE_USER_SID);
  });

  it('pwbridge.cmd status says reboot required', async () => {
    const s = await status();
    assert.equal(s.filter.state, 'pending-reboot', JSON.stringify(s));
    assert.match(s.filter.reason, /reboot required/);
    const text = await cli('status');
    assert.match(text.stdout, /reboot required/);
  });

  it('after a reboot, LSA loads the filter and the service manager starts the service: status says active', async () => {
    m.reboot();
    lsa = await LsaStandIn.start(m);
    const boot = lsa.boot;
    assert.ok(boot.includes('loaded pwbridge_filter'), `LSA's boot: ${boot.join(' | ')}`);
    assert.ok(boot.some((l) => l.startsWith('skip scecli')), 'a package that does not exist here is skipped, as LSA skips it');
    const s = await waitFor('filter active', async () => {
      const st = await status();
      return st.filter.state === 'active' ? st : undefined;
    }, 120_000);
    assert.equal(s.serviceRunning, true);
    assert.match(m.wine(['sc', 'query', 'pwbridge']).stdout, /STATE\s+:\s+4\s+RUNNING/);
  });

  it('a password change reported to LSA reaches the journal and the vault over the named pipe, and events shows it', async () => {
    const answer = await lsa!.change('alice', 1001, canary);
    assert.deepEqual([answer.accepted, answer.statuses], [true, [0]], 'the filter accepted the password and took the change');
    const s = await status();
    const created = await waitFor('credential-created for alice', async () =>
      (await events()).find((e) => e.kind === 'credential-created' && e.account?.toLowerCase() === 'alice'));
    assert.equal(created.outcome, 'ok');
    assert.equal(created.machine, s.machine);
    const shown = await cli('events', '--account', 'alice');
    assert.match(shown.stdout, /credential-created/);
    const list = await cli('vault', 'cred', 'list', '--client', 'local', '--json');
    assert.match(list.stdout, new RegExp(`"username":"${s.machine}\\\\\\\\alice"`, 'i'));
  });

  it('the pipe names only SYSTEM and the service account in its DACL, as a client reads it', async () => {
    const r = await m.run(`${APP}\\node.exe`, [winPath(path.join(__dirname, 'fixtures', 'pipe-dacl.js')), `${APP}\\node_modules\\koffi`, '\\\\.\\pipe\\pwbridge']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const dacl = JSON.parse(r.stdout) as { sddl: string; sids: string[]; protected: boolean };
    assert.deepEqual([...new Set(dacl.sids)].sort(), ['S-1-5-18', WINE_USER_SID].sort(), dacl.sddl);
    assert.equal(dacl.protected, true, dacl.sddl);
  });

  it('the kill switch stops the capture within moments, without a reboot, and lifting it resumes', async () => {
    m.wine(['reg', 'add', PWB_KEY, '/v', 'Disabled', '/t', 'REG_DWORD', '/d', '1', '/f']);
    await sleep(1000);
    assert.equal((await lsa!.change('bob', 1002, `${canary}-bob`)).accepted, true);
    await sleep(5000);
    assert.equal((await events()).filter((e) => e.account?.toLowerCase() === 'bob').length, 0, 'a change went out while the kill switch was set');
    m.wine(['reg', 'delete', PWB_KEY, '/v', 'Disabled', '/f']);
    await sleep(1000);
    assert.equal((await lsa!.change('carol', 1003, `${canary}-carol`)).accepted, true);
    await waitFor('carol captured', async () => (await events()).find((e) => e.kind === 'credential-created' && e.account?.toLowerCase() === 'carol'));
  });

  it('the canary password is in no file of the machine', () => {
    const needles = [Buffer.from(canary, 'utf8'), Buffer.from(canary, 'utf16le')];
    const hits = filesUnder(m.prefix).filter((f) => {
      let bytes: Buffer;
      try { bytes = fs.readFileSync(f); } catch { return false; }
      return needles.some((n) => bytes.includes(n));
    });
    assert.deepEqual(hits, []);
  });

  it('a newer package upgrades in place, keeps the data dir, and reboots nothing even without /norestart', async () => {
    const newer = buildMsi(bumped());
    const keyBefore = fs.readFileSync(m.hostPath(`${DATA}\\keys\\bridge.pub`));
    // Without /norestart: the package still reboots nothing (REBOOT=ReallySuppress), and says it is needed.
    const r = await msiexec(['/i', winPath(newer)], false);
    assert.equal(r.code, REBOOT_REQUIRED, `msiexec upgrade: ${r.code}\n${r.stdout}${r.stderr}\n${tailOfLog(m)}`);
    assert.equal(lsa?.alive(), true, 'the machine was rebooted: LSA\'s stand-in is gone');
    const pkg = JSON.parse(fs.readFileSync(m.hostPath(`${APP}\\package.json`), 'utf8')) as { version: string };
    assert.equal(pkg.version, bumped());
    assert.ok(fs.readFileSync(m.hostPath(`${DATA}\\keys\\bridge.pub`)).equals(keyBefore), 'the keys were replaced');
    assert.deepEqual(packages(), [...PACKAGES_BEFORE, 'pwbridge_filter'], 'pwbridge_filter is listed once');
    const list = await cli('vault', 'cred', 'list', '--client', 'local', '--json');
    assert.match(list.stdout, /alice/i, 'the vault lost its credentials in the upgrade');
  });

  it('msiexec /x removes the service, the filter and its registration, keeps the other packages exactly and the data dir', async () => {
    lsa = undefined;
    m.reboot(); // lsass would hold the DLL; a removal after a boot without the stand-in can delete it at once
    const r = await msiexec(['/x', winPath(buildMsi(bumped()))]);
    assert.ok(r.code === 0 || r.code === REBOOT_REQUIRED, `msiexec /x: ${r.code}\n${r.stdout}${r.stderr}\n${tailOfLog(m)}`);
    assert.notEqual(m.wine(['sc', 'query', 'pwbridge']).code, 0, 'the service is still there');
    assert.deepEqual(packages(), PACKAGES_BEFORE);
    assert.equal(m.regQuery(PWB_KEY, 'ServiceSid'), undefined);
    assert.ok(!fs.existsSync(m.hostPath('C:\\windows\\system32\\pwbridge_filter.dll')), 'the filter DLL is still in System32');
    assert.ok(!fs.existsSync(m.hostPath(`${APP}\\node.exe`)));
    assert.ok(fs.existsSync(m.hostPath(`${DATA}\\vault.db`)), 'the data dir (the vault) was removed');
  });

  it('the vault the Windows service wrote holds the captured password itself, sealed with its key', async () => {
    const key = fs.readFileSync(m.hostPath(`${DATA}\\keys\\vault.key`));
    const vault = await SqliteVault.open({ path: m.hostPath(`${DATA}\\vault.db`), key });
    key.fill(0);
    try {
      const creds = await vault.listCredentials('local');
      const alice = creds.find((c) => /\\alice$/i.test(c.username));
      assert.ok(alice, `no alice among ${creds.map((c) => c.username).join(', ')}`);
      assert.equal((await vault.readPassword(alice.id)).toString('utf8'), canary);
    } finally {
      await vault.close();
    }
  });
});

function bumped(): string {
  const [maj, min, patch] = PACKAGE_VERSION.split('.').map(Number);
  return `${maj}.${min}.${patch + 1}`;
}

/** The end of msiexec's log, for a failure message. */
function tailOfLog(m: WineMachine): string {
  try {
    const text = fs.readFileSync(m.hostPath('C:\\msi.log')).toString('latin1');
    return text.split(/\r?\n/).filter((l) => /error|fail|return value 3|Action (start|ended) .*Pwb/i.test(l) && !/^\d+: \{/.test(l)).slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
