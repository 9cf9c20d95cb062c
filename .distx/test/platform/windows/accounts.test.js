"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The Windows AccountPort against the fake Windows: listing (with NetUserEnum's paging), last-set time
// and a fingerprint that does not flicker, verification within the lockout budget, the password policy
// pre-check, and every UTF-16LE copy of a password wiped.
const node_assert_1 = require("node:assert");
const account_port_1 = require("../../../src/ports/account.port");
const lockout_1 = require("../../../src/platform/windows/lockout");
const logon_1 = require("../../../src/platform/windows/logon");
const netapi_1 = require("../../../src/platform/windows/netapi");
const windows_accounts_1 = require("../../../src/platform/windows/windows.accounts");
const win32_errors_1 = require("../../../src/platform/windows/win32-errors");
const fake_win32_1 = require("./fake-win32");
function setup() {
    const win = new fake_win32_1.FakeWindows();
    let saved;
    const accounts = new windows_accounts_1.WindowsAccounts({
        win32: win.win32, machine: 'HOST1', now: () => win.now,
        lastSetStore: { load: () => saved, save: (v) => { saved = v; } },
    });
    return { win, accounts, saved: () => saved };
}
/** Every Buffer the adapter handed to "Windows" that held this password (UTF-16LE) is zero now. */
function assertWiped(win, password) {
    const utf16 = Buffer.from(password, 'utf16le');
    const holders = win.memory.holding(utf16);
    node_assert_1.strict.deepEqual(holders, [], `${holders.length} Buffer(s) still hold the password`);
}
describe('platform/windows accounts', () => {
    describe('the lockout rule', () => {
        const policy = (threshold) => ({ threshold, observationWindowSec: 1800, durationSec: 1800 });
        it('no threshold: always verify; locked out: never', () => {
            node_assert_1.strict.equal((0, lockout_1.lockoutDecision)(policy(0), { badPwCount: 99, lockedOut: false }).verify, true);
            node_assert_1.strict.equal((0, lockout_1.lockoutDecision)(policy(0), { badPwCount: 0, lockedOut: true }).verify, false);
        });
        it(`verifies only while ${lockout_1.LOCKOUT_RESERVE} failures would remain after one more`, () => {
            const allowed = (threshold) => Array.from({ length: threshold + 1 }, (_, bad) => (0, lockout_1.lockoutDecision)(policy(threshold), { badPwCount: bad, lockedOut: false }).verify);
            node_assert_1.strict.deepEqual(allowed(1), [false, false], 'threshold 1: one failure locks, never verify');
            node_assert_1.strict.deepEqual(allowed(2), [false, false, false]);
            node_assert_1.strict.deepEqual(allowed(3), [true, false, false, false]);
            node_assert_1.strict.deepEqual(allowed(5), [true, true, true, false, false, false]);
            for (let t = 1; t <= 50; t++) {
                for (let bad = 0; bad <= t; bad++) {
                    const d = (0, lockout_1.lockoutDecision)(policy(t), { badPwCount: bad, lockedOut: false });
                    if (d.verify)
                        node_assert_1.strict.ok(t - (bad + 1) >= lockout_1.LOCKOUT_RESERVE, `t=${t} bad=${bad}`);
                    else
                        node_assert_1.strict.match(d.reason, /failed logons of the lockout threshold/);
                }
            }
        });
    });
    describe('LogonUserW answers', () => {
        it('wrong password is false; refusals given only after the password was accepted are true; the rest throw', () => {
            node_assert_1.strict.equal((0, logon_1.classifyLogonError)(1326, 'a'), false);
            for (const code of [1327, 1328, 1329, 1330, 1331, 1385, 1793, 1907])
                node_assert_1.strict.equal((0, logon_1.classifyLogonError)(code, 'a'), true, String(code));
            node_assert_1.strict.throws(() => (0, logon_1.classifyLogonError)(1909, 'a'), /ERROR_ACCOUNT_LOCKED_OUT/);
            node_assert_1.strict.throws(() => (0, logon_1.classifyLogonError)(5, 'a'), win32_errors_1.Win32Error);
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
            node_assert_1.strict.deepEqual(list.map((a) => [a.name, a.id, a.locked]), [
                ['Administrator', 500, false], ['Gäst', 501, true], ['alice', 1001, true], ['бob', 1002, false], ['carol', 1003, false],
            ]);
            node_assert_1.strict.equal(list[0].passwordLastSet, win.now - 3_600_000);
            node_assert_1.strict.equal(win.calls.filter((c) => c.startsWith('NetUserEnum 3 2')).length, 3, 'three pages, level 3, FILTER_NORMAL_ACCOUNT');
            node_assert_1.strict.equal(win.allocations.size, 0, 'every netapi buffer freed');
            node_assert_1.strict.equal(win.freed.length, 3);
        });
        it('the fingerprint does not flicker when the age is read a second later, and changes when the password is set', async () => {
            const { win, accounts, saved } = setup();
            const u = win.addUser('alice', 'x', { lastSetMs: win.now - 10_500 });
            const f1 = (await accounts.getAccount('alice')).fingerprint;
            win.now += 700; // age read across a second boundary: lastSet computes one second later
            const f2 = (await accounts.getAccount('alice')).fingerprint;
            node_assert_1.strict.equal(f2, f1);
            node_assert_1.strict.ok(saved(), 'kept in the store for other processes');
            const other = new windows_accounts_1.WindowsAccounts({ win32: win.win32, now: () => win.now + 300, lastSetStore: { load: saved, save: () => undefined } });
            node_assert_1.strict.equal((await other.getAccount('alice')).fingerprint, f1, 'another process agrees');
            u.lastSetMs = win.now; // a new password
            win.now += 60_000;
            node_assert_1.strict.notEqual((await accounts.getAccount('alice')).fingerprint, f1);
            node_assert_1.strict.equal(await accounts.getAccount('nobody'), undefined);
        });
    });
    describe('verification', () => {
        it('right and wrong passwords (non-ASCII, astral), through LogonUserW network logon on ".", wiped after', async () => {
            const { win, accounts } = setup();
            win.addUser('zoë', 'Pässwörd-🙂');
            node_assert_1.strict.equal(await accounts.verifyPassword('zoë', Buffer.from('Pässwörd-🙂')), true);
            node_assert_1.strict.equal(await accounts.verifyPassword('zoë', Buffer.from('wrong-🙂')), false);
            node_assert_1.strict.deepEqual(win.received.map((r) => r.password), ['Pässwörd-🙂', 'wrong-🙂']);
            node_assert_1.strict.ok(win.calls.includes('LogonUserW zoë . 3 0'));
            assertWiped(win, 'Pässwörd-🙂');
            assertWiped(win, 'wrong-🙂');
            node_assert_1.strict.equal(win.handles.size, 0, 'the logon token was closed');
        });
        it('a disabled account with the right password verifies (the password was accepted)', async () => {
            const { win, accounts } = setup();
            win.addUser('old', 'pw', { flags: 0x203 });
            node_assert_1.strict.equal(await accounts.verifyPassword('old', Buffer.from('pw')), true);
        });
        it('never makes the attempt that would bring an account near lockout, and says why', async () => {
            const { win, accounts } = setup();
            win.lockout.threshold = 5;
            const u = win.addUser('bob', 'right');
            for (let i = 0; i < 3; i++)
                node_assert_1.strict.equal(await accounts.verifyPassword('bob', Buffer.from('wrong')), false);
            node_assert_1.strict.equal(u.badPwCount, 3);
            await node_assert_1.strict.rejects(accounts.verifyPassword('bob', Buffer.from('wrong')), (e) => e instanceof lockout_1.LockoutRiskError && /3 failed logons of the lockout threshold 5/.test(e.message));
            node_assert_1.strict.equal(u.badPwCount, 3, 'no fourth attempt');
            node_assert_1.strict.equal(u.flags & 0x10, 0, 'never locked');
            node_assert_1.strict.equal(win.calls.filter((c) => c.startsWith('LogonUserW')).length, 3);
        });
        it('a locked-out account is not tried at all; an unknown account is false without a logon', async () => {
            const { win, accounts } = setup();
            win.addUser('eve', 'pw', { flags: 0x211 });
            await node_assert_1.strict.rejects(accounts.verifyPassword('eve', Buffer.from('pw')), lockout_1.LockoutRiskError);
            node_assert_1.strict.equal(await accounts.verifyPassword('ghost', Buffer.from('pw')), false);
            node_assert_1.strict.equal(win.calls.filter((c) => c.startsWith('LogonUserW')).length, 0);
        });
        it('a password Windows cannot hold (NUL) is simply not the password', async () => {
            const { win, accounts } = setup();
            win.addUser('a', 'pw');
            node_assert_1.strict.equal(await accounts.verifyPassword('a', Buffer.from('p\0w')), false);
            node_assert_1.strict.equal(win.calls.filter((c) => c.startsWith('LogonUserW')).length, 0);
        });
    });
    describe('setting', () => {
        it('sets through NetUserSetInfo level 1003 after the policy accepts it; wipes every copy', async () => {
            const { win, accounts } = setup();
            win.minLength = 8;
            win.addUser('carol', 'old-password');
            await accounts.setPassword('carol', Buffer.from('Ünïcode-Pw-9'));
            node_assert_1.strict.equal(win.users.get('carol').password.toString('utf16le'), 'Ünïcode-Pw-9');
            node_assert_1.strict.deepEqual(win.received.map((r) => r.call), ['NetValidatePasswordPolicy', 'NetUserSetInfo']);
            node_assert_1.strict.ok(win.calls.includes('NetValidatePasswordPolicy 2'), 'NetValidatePasswordChange');
            node_assert_1.strict.ok(win.calls.includes('NetValidatePasswordPolicyFree'));
            node_assert_1.strict.equal(win.allocations.size, 0);
            assertWiped(win, 'Ünïcode-Pw-9');
        });
        it('a password the local policy refuses is PolicyRefusedError naming the rule, and NetUserSetInfo is never called', async () => {
            const { win, accounts } = setup();
            win.minLength = 12;
            win.addUser('dave', 'old');
            await node_assert_1.strict.rejects(accounts.setPassword('dave', Buffer.from('short')), (e) => e instanceof account_port_1.PolicyRefusedError && /NERR_PasswordTooShort/.test(e.message) && !e.message.includes('short '));
            await node_assert_1.strict.rejects(accounts.setPassword('dave', Buffer.from('my-name-is-dave!')), (e) => e instanceof account_port_1.PolicyRefusedError && /not complex enough/.test(e.message));
            node_assert_1.strict.ok(!win.calls.some((c) => c.startsWith('NetUserSetInfo')));
            assertWiped(win, 'short');
            assertWiped(win, 'my-name-is-dave!');
        });
        it('when NetValidatePasswordPolicy is unavailable, NetUserSetInfo\'s own refusal is PolicyRefusedError too', async () => {
            const { win, accounts } = setup();
            win.minLength = 12;
            win.validateCallStatus = 50; // ERROR_NOT_SUPPORTED
            win.addUser('erin', 'old');
            await node_assert_1.strict.rejects(accounts.setPassword('erin', Buffer.from('short')), (e) => e instanceof account_port_1.PolicyRefusedError && /NetUserSetInfo/.test(e.message));
            win.minLength = 0;
            await accounts.setPassword('erin', Buffer.from('short'));
            node_assert_1.strict.equal(win.users.get('erin').password.toString('utf16le'), 'short');
        });
        it('refuses an unknown account and a password with NUL before calling Windows', async () => {
            const { win, accounts } = setup();
            await node_assert_1.strict.rejects(accounts.setPassword('ghost', Buffer.from('pw')), /no local account named ghost on HOST1/);
            win.addUser('a', 'pw');
            await node_assert_1.strict.rejects(accounts.setPassword('a', Buffer.from('p\0w')), /NUL/);
            node_assert_1.strict.ok(!win.calls.some((c) => c.startsWith('NetUserSetInfo')));
        });
    });
    describe('NetApi', () => {
        it('throws a Win32Error naming the call for a failed enumeration, and still frees', () => {
            const win = new fake_win32_1.FakeWindows();
            const api = new netapi_1.NetApi(win.win32);
            win.netapi32.NetUserEnum = () => 5;
            node_assert_1.strict.throws(() => api.enumUsers(), /NetUserEnum failed: ERROR_ACCESS_DENIED/);
            node_assert_1.strict.equal(win.allocations.size, 0);
        });
    });
});
//# sourceMappingURL=accounts.test.js.map