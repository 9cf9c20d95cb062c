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

import type { Win32 } from './binding';
import { outPointer } from './layout';
import { wideZ } from './utf16';
import {
  ERROR_ACCOUNT_DISABLED, ERROR_ACCOUNT_EXPIRED, ERROR_ACCOUNT_RESTRICTION, ERROR_INVALID_LOGON_HOURS,
  ERROR_INVALID_WORKSTATION, ERROR_LOGON_FAILURE, ERROR_LOGON_TYPE_NOT_GRANTED, ERROR_PASSWORD_EXPIRED,
  ERROR_PASSWORD_MUST_CHANGE, Win32Error,
} from './win32-errors';

export const LOGON32_LOGON_NETWORK = 3;
export const LOGON32_PROVIDER_DEFAULT = 0;

/** LogonUserW errors that Windows reports only once the password has been accepted. */
export const PASSWORD_ACCEPTED_ERRORS: ReadonlySet<number> = new Set([
  ERROR_ACCOUNT_RESTRICTION, ERROR_INVALID_LOGON_HOURS, ERROR_INVALID_WORKSTATION, ERROR_PASSWORD_EXPIRED,
  ERROR_ACCOUNT_DISABLED, ERROR_LOGON_TYPE_NOT_GRANTED, ERROR_ACCOUNT_EXPIRED, ERROR_PASSWORD_MUST_CHANGE,
]);

/** The meaning of LogonUserW's last error: match, mismatch, or throws for an answer that says neither. */
export function classifyLogonError(code: number, account: string): boolean {
  if (code === ERROR_LOGON_FAILURE) return false;
  if (PASSWORD_ACCEPTED_ERRORS.has(code)) return true;
  throw new Win32Error('LogonUserW', code, `verifying ${account}`);
}

/** True when `passwordWideZ` (NUL-terminated UTF-16LE, the caller's to wipe) is the local account's password. */
export function logonMatches(w: Win32, account: string, passwordWideZ: Buffer): boolean {
  const token = outPointer();
  const ok = w.advapi32.LogonUserW(wideZ(account), wideZ('.'), passwordWideZ, LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, token);
  if (ok !== 0) {
    const handle = token.readBigUInt64LE();
    if (handle !== 0n) w.kernel32.CloseHandle(handle);
    return true;
  }
  return classifyLogonError(w.kernel32.GetLastError(), account);
}
