// Binding per function: an export a system lacks (Wine's netapi32 has no NetValidatePasswordPolicy) costs
// only what calls it. Run here with a stand-in for koffi's library object; the real binding under Wine is
// in wine-platform.test.ts, which lists what Wine lacks.
import { strict as assert } from 'node:assert';
import { DECLARATIONS, MissingExportError, bindLibrary, declaredName, unboundFunctions } from '../../../src/platform/windows/binding';
import { NetApi } from '../../../src/platform/windows/netapi';
import { ERROR_PROC_NOT_FOUND, Win32Error } from '../../../src/platform/windows/win32-errors';
import { wineVersion } from '../../../src/platform/windows/wine';
import { WindowsAccounts } from '../../../src/platform/windows/windows.accounts';
import { FakeWindows } from './fake-win32';

describe('platform/windows binding', () => {
  it('binds what the DLL has and stands in for what it lacks: the stand-in throws only when called, naming DLL and function', () => {
    const bound: string[] = [];
    const fns = bindLibrary('netapi32.dll', () => ({
      func: (decl: string) => {
        const name = declaredName(decl);
        if (name.startsWith('NetValidatePasswordPolicy')) throw new Error(`Cannot find function '${name}' in shared library`);
        bound.push(name);
        return () => 0;
      },
    }));
    assert.equal(bound.length, DECLARATIONS['netapi32.dll'].length - 2);
    assert.equal((fns.NetUserEnum as () => number)(), 0);
    assert.throws(() => (fns.NetValidatePasswordPolicy as () => number)(), (e: Error) => e instanceof MissingExportError && e instanceof Win32Error
      && e.code === ERROR_PROC_NOT_FOUND && /netapi32\.dll has no NetValidatePasswordPolicy on this system: Cannot find function/.test(e.message));
  });

  it('a DLL that does not load makes every function of it a stand-in, and the binding itself does not throw', () => {
    const fns = bindLibrary('crypt32.dll', () => { throw new Error('LoadLibrary failed'); });
    assert.deepEqual(Object.keys(fns).sort(), ['CryptProtectData', 'CryptUnprotectData']);
    assert.throws(() => (fns.CryptProtectData as () => number)(), /crypt32\.dll has no CryptProtectData on this system: the DLL does not load \(LoadLibrary failed\)/);
    // .async (StartServiceCtrlDispatcherW's way of being called) fails the same way, through its callback.
    let got: unknown;
    (fns.CryptProtectData as unknown as { async(cb: (e: unknown) => void): void }).async((e) => { got = e; });
    assert.ok(got instanceof MissingExportError);
  });

  it('unboundFunctions lists the stand-ins (and only them), as dll!function', () => {
    const win = new FakeWindows();
    assert.deepEqual(unboundFunctions(win.win32), ['ntdll.dll!wine_get_version'], 'the fake is Windows: it has no wine_get_version');
    win.asWine();
    const w = { ...win.win32, netapi32: { ...win.netapi32, ...bindLibrary('netapi32.dll', () => ({ func: (d: string) => { if (declaredName(d).startsWith('NetValidate')) throw new Error('no'); return () => 0; } })) } };
    assert.deepEqual(unboundFunctions(w as typeof win.win32).sort(), ['netapi32.dll!NetValidatePasswordPolicy', 'netapi32.dll!NetValidatePasswordPolicyFree']);
  });

  it('wine.ts: Wine is told by its own export, and its absence (Windows) is no error', () => {
    const win = new FakeWindows();
    assert.equal(wineVersion(win.win32), undefined);
    assert.equal(wineVersion(win.asWine('8.0').win32), '8.0');
  });

  it('a missing NetValidatePasswordPolicy only skips the pre-check: setPassword still sets, and a policy refusal still maps', async () => {
    const win = new FakeWindows();
    win.addUser('alice', 'old-password-1A!');
    win.netapi32.NetValidatePasswordPolicy = () => { throw new MissingExportError('netapi32.dll', 'NetValidatePasswordPolicy', 'not on this system'); };
    assert.throws(() => new NetApi(win.win32).validatePasswordChange('alice', Buffer.from('x\0', 'utf16le')), MissingExportError);
    const accounts = new WindowsAccounts({ win32: win.win32, machine: 'HOST1' });
    await accounts.setPassword('alice', Buffer.from('new-password-2B!'));
    assert.equal(win.users.get('alice')!.password.toString('utf16le'), 'new-password-2B!');
    win.minLength = 40;
    await assert.rejects(accounts.setPassword('alice', Buffer.from('short-3C!')), /NetUserSetInfo: NERR_PasswordTooShort/);
  });
});
