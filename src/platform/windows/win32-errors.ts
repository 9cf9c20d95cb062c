// Win32 and NetAPI status codes pwbridge acts on, with names for messages. A message names the call and
// the code, never an argument that could be a password.

export const ERROR_SUCCESS = 0;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_PROC_NOT_FOUND = 127;
export const ERROR_ALREADY_EXISTS = 183;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_INSUFFICIENT_BUFFER = 122;
export const ERROR_MORE_DATA = 234;
export const ERROR_SERVICE_ALREADY_RUNNING = 1056;
export const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
export const ERROR_SERVICE_NOT_ACTIVE = 1062;
export const ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = 1063;
export const ERROR_SERVICE_MARKED_FOR_DELETE = 1072;
export const ERROR_SERVICE_EXISTS = 1073;
export const ERROR_NONE_MAPPED = 1332;
export const ERROR_LOGON_FAILURE = 1326;
export const ERROR_ACCOUNT_RESTRICTION = 1327;
export const ERROR_INVALID_LOGON_HOURS = 1328;
export const ERROR_INVALID_WORKSTATION = 1329;
export const ERROR_PASSWORD_EXPIRED = 1330;
export const ERROR_ACCOUNT_DISABLED = 1331;
export const ERROR_MEMBER_IN_ALIAS = 1378;
export const ERROR_MEMBER_NOT_IN_ALIAS = 1377;
export const ERROR_LOGON_TYPE_NOT_GRANTED = 1385;
export const ERROR_ACCOUNT_EXPIRED = 1793;
export const ERROR_PASSWORD_MUST_CHANGE = 1907;
export const ERROR_ACCOUNT_LOCKED_OUT = 1909;

export const NERR_Success = 0;
export const NERR_BadPassword = 2203;
export const NERR_GroupNotFound = 2220;
export const NERR_UserNotFound = 2221;
export const NERR_UserExists = 2224;
export const NERR_PasswordHistConflict = 2244;
export const NERR_PasswordTooShort = 2245;
export const NERR_PasswordTooRecent = 2246;
export const NERR_PasswordMustChange = 2701;
export const NERR_AccountLockedOut = 2702;
export const NERR_PasswordTooLong = 2703;
export const NERR_PasswordNotComplexEnough = 2704;
export const NERR_PasswordFilterError = 2705;

const NAMES: Record<number, string> = {
  [ERROR_FILE_NOT_FOUND]: 'ERROR_FILE_NOT_FOUND',
  [ERROR_ACCESS_DENIED]: 'ERROR_ACCESS_DENIED (run as an administrator)',
  [ERROR_INVALID_PARAMETER]: 'ERROR_INVALID_PARAMETER',
  [ERROR_PROC_NOT_FOUND]: 'ERROR_PROC_NOT_FOUND (this Windows lacks the function)',
  [ERROR_ALREADY_EXISTS]: 'ERROR_ALREADY_EXISTS',
  [ERROR_INSUFFICIENT_BUFFER]: 'ERROR_INSUFFICIENT_BUFFER',
  [ERROR_MORE_DATA]: 'ERROR_MORE_DATA',
  [ERROR_SERVICE_ALREADY_RUNNING]: 'ERROR_SERVICE_ALREADY_RUNNING',
  [ERROR_SERVICE_DOES_NOT_EXIST]: 'ERROR_SERVICE_DOES_NOT_EXIST',
  [ERROR_SERVICE_NOT_ACTIVE]: 'ERROR_SERVICE_NOT_ACTIVE',
  [ERROR_FAILED_SERVICE_CONTROLLER_CONNECT]: 'ERROR_FAILED_SERVICE_CONTROLLER_CONNECT (not started by the service control manager)',
  [ERROR_SERVICE_MARKED_FOR_DELETE]: 'ERROR_SERVICE_MARKED_FOR_DELETE (close the Services console and try again)',
  [ERROR_SERVICE_EXISTS]: 'ERROR_SERVICE_EXISTS',
  [ERROR_NONE_MAPPED]: 'ERROR_NONE_MAPPED (no such account)',
  [ERROR_LOGON_FAILURE]: 'ERROR_LOGON_FAILURE',
  [ERROR_ACCOUNT_RESTRICTION]: 'ERROR_ACCOUNT_RESTRICTION',
  [ERROR_INVALID_LOGON_HOURS]: 'ERROR_INVALID_LOGON_HOURS',
  [ERROR_INVALID_WORKSTATION]: 'ERROR_INVALID_WORKSTATION',
  [ERROR_PASSWORD_EXPIRED]: 'ERROR_PASSWORD_EXPIRED',
  [ERROR_ACCOUNT_DISABLED]: 'ERROR_ACCOUNT_DISABLED',
  [ERROR_MEMBER_IN_ALIAS]: 'ERROR_MEMBER_IN_ALIAS',
  [ERROR_MEMBER_NOT_IN_ALIAS]: 'ERROR_MEMBER_NOT_IN_ALIAS',
  [ERROR_LOGON_TYPE_NOT_GRANTED]: 'ERROR_LOGON_TYPE_NOT_GRANTED',
  [ERROR_ACCOUNT_EXPIRED]: 'ERROR_ACCOUNT_EXPIRED',
  [ERROR_PASSWORD_MUST_CHANGE]: 'ERROR_PASSWORD_MUST_CHANGE',
  [ERROR_ACCOUNT_LOCKED_OUT]: 'ERROR_ACCOUNT_LOCKED_OUT',
  [NERR_BadPassword]: 'NERR_BadPassword',
  [NERR_GroupNotFound]: 'NERR_GroupNotFound',
  [NERR_UserNotFound]: 'NERR_UserNotFound (no such local account)',
  [NERR_UserExists]: 'NERR_UserExists',
  [NERR_PasswordHistConflict]: 'NERR_PasswordHistConflict (the password was used before)',
  [NERR_PasswordTooShort]: 'NERR_PasswordTooShort (the password does not meet the password policy)',
  [NERR_PasswordTooRecent]: 'NERR_PasswordTooRecent (the password was changed too recently)',
  [NERR_PasswordMustChange]: 'NERR_PasswordMustChange',
  [NERR_AccountLockedOut]: 'NERR_AccountLockedOut',
  [NERR_PasswordTooLong]: 'NERR_PasswordTooLong',
  [NERR_PasswordNotComplexEnough]: 'NERR_PasswordNotComplexEnough (the password is not complex enough)',
  [NERR_PasswordFilterError]: 'NERR_PasswordFilterError (a password filter refused it)',
};

export function win32ErrorName(code: number): string {
  return NAMES[code] ?? `error ${code}`;
}

/** A Win32/NetAPI call that failed: which call, which code. */
export class Win32Error extends Error {
  constructor(readonly call: string, readonly code: number, context?: string) {
    super(`${call}${context ? ` (${context})` : ''} failed: ${win32ErrorName(code)}${NAMES[code] ? ` [${code}]` : ''}`);
    this.name = 'Win32Error';
  }
}

/**
 * The statuses that mean "the local password policy refuses this password" (NetValidatePasswordPolicy's
 * ValidationStatus, and NetUserSetInfo's own refusal, which Windows reports as NERR_PasswordTooShort
 * whatever the rule was).
 */
export const POLICY_REFUSALS: ReadonlySet<number> = new Set([
  NERR_PasswordTooShort, NERR_PasswordTooLong, NERR_PasswordNotComplexEnough, NERR_PasswordFilterError,
  NERR_PasswordHistConflict,
]);
