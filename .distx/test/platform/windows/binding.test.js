"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Binding per function: an export a system lacks (Wine's netapi32 has no NetValidatePasswordPolicy) costs
// only what calls it. Run here with a stand-in for koffi's library object; the real binding under Wine is
// in wine-platform.test.ts, which lists what Wine lacks.
const node_assert_1 = require("node:assert");
const binding_1 = require("../../../src/platform/windows/binding");
const netapi_1 = require("../../../src/platform/windows/netapi");
const win32_errors_1 = require("../../../src/platform/windows/win32-errors");
const wine_1 = require("../../../src/platform/windows/wine");
const windows_accounts_1 = require("../../../src/platform/windows/windows.accounts");
const fake_win32_1 = require("./fake-win32");
describe('platform/windows binding', () => {
    it('binds what the DLL has and stands in for what it lacks: the stand-in throws only when called, naming DLL and function', () => {
        const bound = [];
        const fns = (0, binding_1.bindLibrary)('netapi32.dll', () => ({
            func: (decl) => {
                const name = (0, binding_1.declaredName)(decl);
                if (name.startsWith('NetValidatePasswordPolicy'))
                    throw new Error(`Cannot find function '${name}' in shared library`);
                bound.push(name);
                return () => 0;
            },
        }));
        node_assert_1.strict.equal(bound.length, binding_1.DECLARATIONS['netapi32.dll'].length - 2);
        node_assert_1.strict.equal(fns.NetUserEnum(), 0);
        node_assert_1.strict.throws(() => fns.NetValidatePasswordPolicy(), (e) => e instanceof binding_1.MissingExportError && e instanceof win32_errors_1.Win32Error
            && e.code === win32_errors_1.ERROR_PROC_NOT_FOUND && /netapi32\.dll has no NetValidatePasswordPolicy on this system: Cannot find function/.test(e.message));
    });
    it('a DLL that does not load makes every function of it a stand-in, and the binding itself does not throw', () => {
        const fns = (0, binding_1.bindLibrary)('crypt32.dll', () => { throw new Error('LoadLibrary failed'); });
        node_assert_1.strict.deepEqual(Object.keys(fns).sort(), ['CryptProtectData', 'CryptUnprotectData']);
        node_assert_1.strict.throws(() => fns.CryptProtectData(), /crypt32\.dll has no CryptProtectData on this system: the DLL does not load \(LoadLibrary failed\)/);
        // .async (StartServiceCtrlDispatcherW's way of being called) fails the same way, through its callback.
        let got;
        fns.CryptProtectData.async((e) => { got = e; });
        node_assert_1.strict.ok(got instanceof binding_1.MissingExportError);
    });
    it('unboundFunctions lists the stand-ins (and only them), as dll!function', () => {
        const win = new fake_win32_1.FakeWindows();
        node_assert_1.strict.deepEqual((0, binding_1.unboundFunctions)(win.win32), ['ntdll.dll!wine_get_version'], 'the fake is Windows: it has no wine_get_version');
        win.asWine();
        const w = { ...win.win32, netapi32: { ...win.netapi32, ...(0, binding_1.bindLibrary)('netapi32.dll', () => ({ func: (d) => { if ((0, binding_1.declaredName)(d).startsWith('NetValidate'))
                        throw new Error('no'); return () => 0; } })) } };
        node_assert_1.strict.deepEqual((0, binding_1.unboundFunctions)(w).sort(), ['netapi32.dll!NetValidatePasswordPolicy', 'netapi32.dll!NetValidatePasswordPolicyFree']);
    });
    it('wine.ts: Wine is told by its own export, and its absence (Windows) is no error', () => {
        const win = new fake_win32_1.FakeWindows();
        node_assert_1.strict.equal((0, wine_1.wineVersion)(win.win32), undefined);
        node_assert_1.strict.equal((0, wine_1.wineVersion)(win.asWine('8.0').win32), '8.0');
    });
    it('a missing NetValidatePasswordPolicy only skips the pre-check: setPassword still sets, and a policy refusal still maps', async () => {
        const win = new fake_win32_1.FakeWindows();
        win.addUser('alice', 'old-password-1A!');
        win.netapi32.NetValidatePasswordPolicy = () => { throw new binding_1.MissingExportError('netapi32.dll', 'NetValidatePasswordPolicy', 'not on this system'); };
        node_assert_1.strict.throws(() => new netapi_1.NetApi(win.win32).validatePasswordChange('alice', Buffer.from('x\0', 'utf16le')), binding_1.MissingExportError);
        const accounts = new windows_accounts_1.WindowsAccounts({ win32: win.win32, machine: 'HOST1' });
        await accounts.setPassword('alice', Buffer.from('new-password-2B!'));
        node_assert_1.strict.equal(win.users.get('alice').password.toString('utf16le'), 'new-password-2B!');
        win.minLength = 40;
        await node_assert_1.strict.rejects(accounts.setPassword('alice', Buffer.from('short-3C!')), /NetUserSetInfo: NERR_PasswordTooShort/);
    });
});
//# sourceMappingURL=binding.test.js.map