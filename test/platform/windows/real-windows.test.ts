// The Windows adapters against the real Windows: SAM, LogonUserW, the lockout policy, the password
// policy, the registry, the kernel's boot time and the Event Log. Runs only on Windows as an elevated
// administrator (the windows-latest CI job, .github/workflows/windows.yml); everywhere else it skips
// itself, and the same code paths run against the fake in the other files here.
//
// It makes one throwaway local account (pwbt_<random>), never touches any other, and deletes it at the end.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { PolicyRefusedError } from '../../../src/ports/account.port';
import { AccountLookup } from '../../../src/platform/windows/account-lookup';
import { loadWin32, type Win32 } from '../../../src/platform/windows/binding';
import { bootIdFor, bootTimeSeconds } from '../../../src/platform/windows/boot';
import { WindowsEventSink } from '../../../src/platform/windows/event-sink';
import { LockoutRiskError } from '../../../src/platform/windows/lockout';
import { NetApi } from '../../../src/platform/windows/netapi';
import { LSA_KEY, NOTIFICATION_PACKAGES } from '../../../src/platform/windows/places';
import { randomPassword } from '../../../src/platform/windows/random-password';
import { Registry, decodeList } from '../../../src/platform/windows/registry';
import { sidToString } from '../../../src/platform/windows/sid';
import { UF_NORMAL_ACCOUNT, UF_SCRIPT } from '../../../src/platform/windows/structs';
import { utf8ToWideZ } from '../../../src/platform/windows/utf16';
import { WindowsAccounts } from '../../../src/platform/windows/windows.accounts';
import { DPAPI_TOKEN_MAGIC, dpapiTokenStore } from '../../../src/platform/windows/dpapi-token';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { skipBecause } from '../../helpers/skip';

describe('platform/windows on real Windows (skipped elsewhere)', function () {
  this.timeout(60_000);
  let w: Win32;
  let net: NetApi;
  const name = `pwbt_${randomBytes(4).toString('hex')}`;
  const first = Buffer.concat([randomPassword(20), Buffer.from('-Ü🙂')]);

  before(function () {
    if (process.platform !== 'win32') skipBecause(this, 'Windows only (the windows-latest workflow runs it)');
    w = loadWin32();
    net = new NetApi(w);
    const wide = utf8ToWideZ(first);
    try {
      net.addUser(name, wide, 'pwbridge test account (deleted by the test)', UF_SCRIPT | UF_NORMAL_ACCOUNT);
    } finally {
      wide.fill(0);
    }
  });

  after(function () {
    if (process.platform === 'win32' && net) net.deleteUser(name);
    first.fill(0);
  });

  it('lists the account with its RID, and getAccount agrees; the SID ends in the RID', async () => {
    const accounts = new WindowsAccounts({ win32: w });
    const list = await accounts.listAccounts();
    const mine = list.find((a) => a.name.toLowerCase() === name);
    assert.ok(mine, 'listed');
    const one = await accounts.getAccount(name);
    assert.equal(one?.id, mine.id);
    assert.ok(Math.abs((one!.passwordLastSet ?? 0) - Date.now()) < 120_000, 'set just now');
    const sid = new AccountLookup(w).sidOf(name)!;
    assert.ok(sid.sidString.endsWith(`-${mine.id}`), sidToString(sid.sid));
    assert.ok(new AccountLookup(w).administratorsGroup().length > 0);
  });

  it('verifies the right password (non-ASCII, astral) and not a wrong one, within the lockout rule', async function () {
    const accounts = new WindowsAccounts({ win32: w });
    try {
      assert.equal(await accounts.verifyPassword(name, first), true);
      assert.equal(await accounts.verifyPassword(name, Buffer.from('definitely-not-it-1A!')), false);
    } catch (e) {
      if (e instanceof LockoutRiskError) skipBecause(this, 'a policy with threshold ≤ 2 on this machine');
      throw e;
    }
    const policy = net.lockoutPolicy();
    assert.ok(policy.threshold >= 0);
  });

  it('sets a new password (level 1003), which then verifies; the fingerprint changes', async () => {
    const accounts = new WindowsAccounts({ win32: w });
    const before = (await accounts.getAccount(name))!.fingerprint;
    await new Promise((r) => setTimeout(r, 2100)); // password age has whole seconds
    const next = Buffer.concat([randomPassword(24), Buffer.from('-é')]);
    await accounts.setPassword(name, next);
    assert.notEqual((await accounts.getAccount(name))!.fingerprint, before);
    try {
      assert.equal(await accounts.verifyPassword(name, next), true);
    } catch (e) {
      if (!(e instanceof LockoutRiskError)) throw e;
    }
    next.fill(0);
  });

  it('a password the local policy refuses is PolicyRefusedError (when the machine has a policy)', async function () {
    const accounts = new WindowsAccounts({ win32: w });
    try {
      await accounts.setPassword(name, Buffer.from('a'));
    } catch (e) {
      assert.ok(e instanceof PolicyRefusedError, (e as Error).message);
      return;
    }
    skipBecause(this, 'no minimum length or complexity on this machine: "a" was accepted');
  });

  it('reads Notification Packages, the boot time and reports an event', () => {
    const reg = new Registry(w);
    const v = reg.get(LSA_KEY, NOTIFICATION_PACKAGES);
    assert.ok(v, 'Notification Packages exists');
    assert.ok(Array.isArray(decodeList(v).values));
    const boot = bootTimeSeconds(w);
    assert.ok(boot > 1_500_000_000 && boot * 1000 < Date.now());
    assert.match(bootIdFor(boot), /^[0-9a-f]{32}$/);
    const sink = new WindowsEventSink(w, 'test');
    sink.record({ kind: 'selftest', outcome: 'ok', reason: 'pwbridge test suite' });
    sink.flush();
    assert.equal(sink.failed, 0);
    sink.close();
  });

  it('keeps the agent token DPAPI-protected: never in clear on disk, SYSTEM and Administrators only, read back whole', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbt-dpapi-'));
    const file = path.join(dir, 'agent.token');
    const token = `pwa_${randomBytes(32).toString('base64url')}`;
    try {
      const store = dpapiTokenStore();
      store.write(file, token);
      const onDisk = fs.readFileSync(file);
      assert.ok(onDisk.subarray(0, DPAPI_TOKEN_MAGIC.length).equals(DPAPI_TOKEN_MAGIC));
      assert.equal(onDisk.indexOf(Buffer.from(token)), -1, 'not in clear (UTF-8)');
      assert.equal(onDisk.indexOf(Buffer.from(token, 'utf16le')), -1, 'not in clear (UTF-16)');
      assert.equal(store.read(file), token);
      const acl = execFileSync('icacls', [file], { encoding: 'utf8' });
      assert.doesNotMatch(acl, /\(I\)/, 'nothing inherited');
      assert.doesNotMatch(acl, /BUILTIN\\Users|Everyone|Authenticated Users/i, acl);
      fs.writeFileSync(file, `${token}\n`);
      assert.throws(() => store.read(file), /not DPAPI-protected/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
