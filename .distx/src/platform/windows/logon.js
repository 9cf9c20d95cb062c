"use strict";
// Verifying a password by logging on with it: LogonUserW, network logon (no profile is loaded, no
// session is created), against the local account database ("."). The token is closed at once.
//
// What the answer means (on Windows only; LogonUserW cannot run here):
// - success: the password is right;
// - ERROR_LOGON_FAILURE: the password is wrong (or there is no such account: the caller checked first);
// - a refusal that Windows gives only after the password was accepted (disabled, expired, must change,
//   logon hours, workstation, logon type not granted, blank-password restriction): the password is right;
// - ERROR_ACCOUNT_LOCKED_OUT: unknown, and Windows gives it whatever the password; anything else:
//   unknown. Both throw: an unknown answer must never be memoised as a mismatch.
Object.defineProperty(exports, "__esModule", { value: true });
exports.PASSWORD_ACCEPTED_ERRORS = exports.LOGON32_PROVIDER_DEFAULT = exports.LOGON32_LOGON_NETWORK = void 0;
exports.classifyLogonError = classifyLogonError;
exports.logonMatches = logonMatches;
const layout_1 = require("./layout");
const utf16_1 = require("./utf16");
const win32_errors_1 = require("./win32-errors");
exports.LOGON32_LOGON_NETWORK = 3;
exports.LOGON32_PROVIDER_DEFAULT = 0;
/** LogonUserW errors that Windows reports only once the password has been accepted. */
exports.PASSWORD_ACCEPTED_ERRORS = new Set([
    win32_errors_1.ERROR_ACCOUNT_RESTRICTION, win32_errors_1.ERROR_INVALID_LOGON_HOURS, win32_errors_1.ERROR_INVALID_WORKSTATION, win32_errors_1.ERROR_PASSWORD_EXPIRED,
    win32_errors_1.ERROR_ACCOUNT_DISABLED, win32_errors_1.ERROR_LOGON_TYPE_NOT_GRANTED, win32_errors_1.ERROR_ACCOUNT_EXPIRED, win32_errors_1.ERROR_PASSWORD_MUST_CHANGE,
]);
/** The meaning of LogonUserW's last error: match, mismatch, or throws for an answer that says neither. */
function classifyLogonError(code, account) {
    if (code === win32_errors_1.ERROR_LOGON_FAILURE)
        return false;
    if (exports.PASSWORD_ACCEPTED_ERRORS.has(code))
        return true;
    throw new win32_errors_1.Win32Error('LogonUserW', code, `verifying ${account}`);
}
/** True when `passwordWideZ` (NUL-terminated UTF-16LE, the caller's to wipe) is the local account's password. */
function logonMatches(w, account, passwordWideZ) {
    const token = (0, layout_1.outPointer)();
    const ok = w.advapi32.LogonUserW((0, utf16_1.wideZ)(account), (0, utf16_1.wideZ)('.'), passwordWideZ, exports.LOGON32_LOGON_NETWORK, exports.LOGON32_PROVIDER_DEFAULT, token);
    if (ok !== 0) {
        const handle = token.readBigUInt64LE();
        if (handle !== 0n)
            w.kernel32.CloseHandle(handle);
        return true;
    }
    return classifyLogonError(w.kernel32.GetLastError(), account);
}
//# sourceMappingURL=logon.js.map