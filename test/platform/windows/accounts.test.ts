// The Windows AccountPort against the fake Windows: listing (with NetUserEnum's paging), last-set time
// and a fingerprint that does not flicker, verification within the lockout budget, the password policy
// pre-check, and every UTF-16LE copy of a password wiped.
import { strict as assert } from 'node:assert';
import { PolicyRefusedError } from '../../../src/ports/account.port';
import { LOCKOUT_RESERVE, LockoutRiskError, lockoutDecision } from '../../../src/platform/windows/lockout';
import { classifyLogonError } from '../../../src/platform/windows/logon';
import { NetApi } from '../../../src/platform/windows/netapi';
import { WindowsAccounts } from '../../../src/platform/windows/windows.accounts';
import { Win32Error } from '../../../src/platform/windows/win32-errors';
import { FakeWindows } from './fake-win32';

function setup() {
  const win = new FakeWindows();
  let saved: Record<string, number> | undefined;
  const accounts = new WindowsAccounts({
    win32: win.win32, machine: 'HOST1', now: () => win.now,
    lastSetStore: { load: () => saved, save: (v) => { saved = v; } },
  });
  return { win, accounts, saved: () => saved };
}

/** Every Buffer the adapter handed to "Windows" that held this password (UTF-16LE) is zero now. */
function assertWiped(win: FakeWindows, password: string): void {
  const utf16 = Buffer.from(password, 'utf16le');
  const holders = win.memory.holding(utf16);
  assert.deepEqual(holders, [], `${holders.length} Buffer(s) still hold the password`);
}

describe('platform/windows accounts', () => {
  describe('the lockout rule', () => {
    const policy = (threshold: number) => ({ threshold, observationWindowSec: 1800, durationSec: 1800 });
    it('no threshold: always verify; locked out: never', () => {
      assert.equal(lockoutDecision(policy(0), { badPwCount: 99, lockedOut: false }).verify, true);
      assert.equal(lockoutDecision(policy(0), { badPwCount: 0, lockedOut: true }).verify, false);
    });

    it(`verifies only while ${LOCKOUT_RESERVE} failures would remain after one more`, () => {
      const allowed = (threshold: number) => Array.from({ length: threshold + 1 }, (_, bad) => lockoutDecision(policy(threshold), { badPwCount: bad, lockedOut: false }).verify);
      assert.deepEqual(allowed(1), [false, false], 'threshold 1: one failure locks, never verify');
      assert.deepEqual(allowed(2), [false, false, false]);
      assert.deepEqual(allowed(3), [true, false, false, false]);
      assert.deepEqual(allowed(5), [true, true, true, false, false, false]);
      for (let t = 1; t <= 50; t++) {
        for (let bad = 0; bad <= t; bad++) {
          const d = lockoutDecision(policy(t), { badPwCount: bad, lockedOut: false });
          if (d.verify) assert.ok(t - (bad + 1) >= LOCKOUT_RESERVE, `t=${t} bad=${bad}`);
          else assert.match(d.reason, /failed logons of the lockout threshold/);
        }
      }
    });
  });

  describe('LogonUserW answers', () => {
    it('wrong password is false; refusals given only after the password was accepted are true; the rest throw', () => {
      assert.equal(classifyLogonError(1326, 'a'), false);
      for (const code of [1327, 1328, 1329, 1330, 1331, 1385, 1793, 1907]) assert.equal(classifyLogonError(code, 'a'), true, String(code));
      assert.throws(() => classifyLogonError(1909, 'a'), /ERROR_ACCOUNT_LOCKED_OUT/);
      assert.throws(() => classifyLogonError(5, 'a'), Win32Error);
    });
  });

  describe('listing', () => {
    it('lists every account across NetUserEnum pages, with RID, last set and lockout/disabled state, freeing every buffer', async () => {
      const { win, accounts } = setup();
      win.pageSize = 2;
      win.addUser('Administrator', 'a', { rid: 500, lastSetMs: win.now - 3_600_000 });
      win.addUser('Gäst', 'g', { rid: 501, flags: 0x203 });
      win.addUser('alice', 'x', { rid: 1001, flags: 0x211 });
      win.addUser('бob', 'y', { rid: 1002 });
      win.addUser('carol', 'z', { rid: 1003 });
      const list = await accounts.listAccounts();
      assert.deepEqual(list.map((a) => [a.name, a.id, a.locked]), [
        ['Administrator', 500, false], ['Gäst', 501, true], ['alice', 1001, true], ['бob', 1002, false], ['carol', 1003, false],
      ]);
      assert.equal(list[0].passwordLastSet, win.now - 3_600_000);
      assert.equal(win.calls.filter((c) => c.startsWith('NetUserEnum 3 2')).length, 3, 'three pages, level 3, FILTER_NORMAL_ACCOUNT');
      assert.equal(win.allocations.size, 0, 'every netapi buffer freed');
      assert.equal(win.freed.length, 3);
    });

    it('the fingerprint does not flicker when the age is read a second later, and changes when the password is set', async () => {
      const { win, accounts, saved } = setup();
      const u = win.addUser('alice', 'x', { lastSetMs: win.now - 10_500 });
      const f1 = (await accounts.getAccount('alice'))!.fingerprint;
      win.now += 700; // age read across a second boundary: lastSet computes one second later
      const f2 = (await accounts.getAccount('alice'))!.fingerprint;
      assert.equal(f2, f1);
      assert.ok(saved(), 'kept in the store for other processes');
      const other = new WindowsAccounts({ win32: win.win32, now: () => win.now + 300, lastSetStore: { load: saved, save: () => undefined } });
      assert.equal((await other.getAccount('alice'))!.fingerprint, f1, 'another process agrees');
      u.lastSetMs = win.now; // a new password
      win.now += 60_000;
      assert.notEqual((await accounts.getAccount('alice'))!.fingerprint, f1);
      assert.equal(await accounts.getAccount('nobody'), undefined);
    });
  });

  describe('verification', () => {
    it('right and wrong passwords (non-ASCII, astral), through LogonUserW network logon on ".", wiped after', async () => {
      const { win, accounts } = setup();
      win.addUser('zoë', 'Pässwörd-🙂');
      assert.equal(await accounts.verifyPassword('zoë', Buffer.from('Pässwörd-🙂')), true);
      assert.equal(await accounts.verifyPassword('zoë', Buffer.from('wrong-🙂')), false);
      assert.deepEqual(win.received.map((r) => r.password), ['Pässwörd-🙂', 'wrong-🙂']);
      assert.ok(win.calls.includes('LogonUserW zoë . 3 0'));
      assertWiped(win, 'Pässwörd-🙂');
      assertWiped(win, 'wrong-🙂');
      assert.equal(win.handles.size, 0, 'the logon token was closed');
    });

    it('a disabled account with the right password verifies (the password was accepted)', async () => {
      const { win, accounts } = setup();
      win.addUser('old', 'pw', { flags: 0x203 });
      assert.equal(await accounts.verifyPassword('old', Buffer.from('pw')), true);
    });

    it('never makes the attempt that would bring an account near lockout, and says why', async () => {
      const { win, accounts } = setup();
      win.lockout.threshold = 5;
      const u = win.addUser('bob', 'right');
      for (let i = 0; i < 3; i++) assert.equal(await accounts.verifyPassword('bob', Buffer.from('wrong')), false);
      assert.equal(u.badPwCount, 3);
      await assert.rejects(accounts.verifyPassword('bob', Buffer.from('wrong')), (e: Error) => e instanceof LockoutRiskError && /3 failed logons of the lockout threshold 5/.test(e.message));
      assert.equal(u.badPwCount, 3, 'no fourth attempt');
      assert.equal(u.flags & 0x10, 0, 'never locked');
      assert.equal(win.calls.filter((c) => c.startsWith('LogonUserW')).length, 3);
    });

    it('a locked-out account is not tried at all; an unknown account is false without a logon', async () => {
      const { win, accounts } = setup();
      win.addUser('eve', 'pw', { flags: 0x211 });
      await assert.rejects(accounts.verifyPassword('eve', Buffer.from('pw')), LockoutRiskError);
      assert.equal(await accounts.verifyPassword('ghost', Buffer.from('pw')), false);
      assert.equal(win.calls.filter((c) => c.startsWith('LogonUserW')).length, 0);
    });

    it('a password Windows cannot hold (NUL) is simply not the password', async () => {
      const { win, accounts } = setup();
      win.addUser('a', 'pw');
      assert.equal(await accounts.verifyPassword('a', Buffer.from('p\0w')), false);
      assert.equal(win.calls.filter((c) => c.startsWith('LogonUserW')).length, 0);
    });
  });

  describe('setting', () => {
    it('sets through NetUserSetInfo level 1003 after the policy accepts it; wipes every copy', async () => {
      const { win, accounts } = setup();
      win.minLength = 8;
      win.addUser('carol', 'old-password');
      await accounts.setPassword('carol', Buffer.from('Ünïcode-Pw-9'));
      assert.equal(win.users.get('carol')!.password.toString('utf16le'), 'Ünïcode-Pw-9');
      assert.deepEqual(win.received.map((r) => r.call), ['NetValidatePasswordPolicy', 'NetUserSetInfo']);
      assert.ok(win.calls.includes('NetValidatePasswordPolicy 2'), 'NetValidatePasswordChange');
      assert.ok(win.calls.includes('NetValidatePasswordPolicyFree'));
      assert.equal(win.allocations.size, 0);
      assertWiped(win, 'Ünïcode-Pw-9');
    });

    it('a password the local policy refuses is PolicyRefusedError naming the rule, and NetUserSetInfo is never called', async () => {
      const { win, accounts } = setup();
      win.minLength = 12;
      win.addUser('dave', 'old');
      await assert.rejects(accounts.setPassword('dave', Buffer.from('short')), (e: Error) =>
        e instanceof PolicyRefusedError && /NERR_PasswordTooShort/.test(e.message) && !e.message.includes('short '));
      await assert.rejects(accounts.setPassword('dave', Buffer.from('my-name-is-dave!')), (e: Error) =>
        e instanceof PolicyRefusedError && /not complex enough/.test(e.message));
      assert.ok(!win.calls.some((c) => c.startsWith('NetUserSetInfo')));
      assertWiped(win, 'short');
      assertWiped(win, 'my-name-is-dave!');
    });

    it('when NetValidatePasswordPolicy is unavailable, NetUserSetInfo\'s own refusal is PolicyRefusedError too', async () => {
      const { win, accounts } = setup();
      win.minLength = 12;
      win.validateCallStatus = 50; // ERROR_NOT_SUPPORTED
      win.addUser('erin', 'old');
      await assert.rejects(accounts.setPassword('erin', Buffer.from('short')), (e: Error) => e instanceof PolicyRefusedError && /NetUserSetInfo/.test(e.message));
      win.minLength = 0;
      await accounts.setPassword('erin', Buffer.from('short'));
      assert.equal(win.users.get('erin')!.password.toString('utf16le'), 'short');
    });

    it('refuses an unknown account and a password with NUL before calling Windows', async () => {
      const { win, accounts } = setup();
      await assert.rejects(accounts.setPassword('ghost', Buffer.from('pw')), /no local account named ghost on HOST1/);
      win.addUser('a', 'pw');
      await assert.rejects(accounts.setPassword('a', Buffer.from('p\0w')), /NUL/);
      assert.ok(!win.calls.some((c) => c.startsWith('NetUserSetInfo')));
    });
  });

  describe('NetApi', () => {
    it('throws a Win32Error naming the call for a failed enumeration, and still frees', () => {
      const win = new FakeWindows();
      const api = new NetApi(win.win32);
      win.netapi32.NetUserEnum = () => 5;
      assert.throws(() => api.enumUsers(), /NetUserEnum failed: ERROR_ACCESS_DENIED/);
      assert.equal(win.allocations.size, 0);
    });
  });
});
