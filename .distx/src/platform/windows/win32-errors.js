"use strict";
// Win32 and NetAPI status codes pwbridge acts on, with names for messages. A message names the call and
// the code, never an argument that could be a password.
Object.defineProperty(exports, "__esModule", { value: true });
exports.POLICY_REFUSALS = exports.Win32Error = exports.NERR_PasswordFilterError = exports.NERR_PasswordNotComplexEnough = exports.NERR_PasswordTooLong = exports.NERR_AccountLockedOut = exports.NERR_PasswordMustChange = exports.NERR_PasswordTooRecent = exports.NERR_PasswordTooShort = exports.NERR_PasswordHistConflict = exports.NERR_UserExists = exports.NERR_UserNotFound = exports.NERR_GroupNotFound = exports.NERR_BadPassword = exports.NERR_Success = exports.ERROR_ACCOUNT_LOCKED_OUT = exports.ERROR_PASSWORD_MUST_CHANGE = exports.ERROR_ACCOUNT_EXPIRED = exports.ERROR_LOGON_TYPE_NOT_GRANTED = exports.ERROR_MEMBER_NOT_IN_ALIAS = exports.ERROR_MEMBER_IN_ALIAS = exports.ERROR_ACCOUNT_DISABLED = exports.ERROR_PASSWORD_EXPIRED = exports.ERROR_INVALID_WORKSTATION = exports.ERROR_INVALID_LOGON_HOURS = exports.ERROR_ACCOUNT_RESTRICTION = exports.ERROR_LOGON_FAILURE = exports.ERROR_NONE_MAPPED = exports.ERROR_SERVICE_EXISTS = exports.ERROR_SERVICE_MARKED_FOR_DELETE = exports.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = exports.ERROR_SERVICE_NOT_ACTIVE = exports.ERROR_SERVICE_DOES_NOT_EXIST = exports.ERROR_SERVICE_ALREADY_RUNNING = exports.ERROR_MORE_DATA = exports.ERROR_INSUFFICIENT_BUFFER = exports.ERROR_INVALID_PARAMETER = exports.ERROR_ALREADY_EXISTS = exports.ERROR_PROC_NOT_FOUND = exports.ERROR_ACCESS_DENIED = exports.ERROR_FILE_NOT_FOUND = exports.ERROR_SUCCESS = void 0;
exports.win32ErrorName = win32ErrorName;
exports.ERROR_SUCCESS = 0;
exports.ERROR_FILE_NOT_FOUND = 2;
exports.ERROR_ACCESS_DENIED = 5;
exports.ERROR_PROC_NOT_FOUND = 127;
exports.ERROR_ALREADY_EXISTS = 183;
exports.ERROR_INVALID_PARAMETER = 87;
exports.ERROR_INSUFFICIENT_BUFFER = 122;
exports.ERROR_MORE_DATA = 234;
exports.ERROR_SERVICE_ALREADY_RUNNING = 1056;
exports.ERROR_SERVICE_DOES_NOT_EXIST = 1060;
exports.ERROR_SERVICE_NOT_ACTIVE = 1062;
exports.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = 1063;
exports.ERROR_SERVICE_MARKED_FOR_DELETE = 1072;
exports.ERROR_SERVICE_EXISTS = 1073;
exports.ERROR_NONE_MAPPED = 1332;
exports.ERROR_LOGON_FAILURE = 1326;
exports.ERROR_ACCOUNT_RESTRICTION = 1327;
exports.ERROR_INVALID_LOGON_HOURS = 1328;
exports.ERROR_INVALID_WORKSTATION = 1329;
exports.ERROR_PASSWORD_EXPIRED = 1330;
exports.ERROR_ACCOUNT_DISABLED = 1331;
exports.ERROR_MEMBER_IN_ALIAS = 1378;
exports.ERROR_MEMBER_NOT_IN_ALIAS = 1377;
exports.ERROR_LOGON_TYPE_NOT_GRANTED = 1385;
exports.ERROR_ACCOUNT_EXPIRED = 1793;
exports.ERROR_PASSWORD_MUST_CHANGE = 1907;
exports.ERROR_ACCOUNT_LOCKED_OUT = 1909;
exports.NERR_Success = 0;
exports.NERR_BadPassword = 2203;
exports.NERR_GroupNotFound = 2220;
exports.NERR_UserNotFound = 2221;
exports.NERR_UserExists = 2224;
exports.NERR_PasswordHistConflict = 2244;
exports.NERR_PasswordTooShort = 2245;
exports.NERR_PasswordTooRecent = 2246;
exports.NERR_PasswordMustChange = 2701;
exports.NERR_AccountLockedOut = 2702;
exports.NERR_PasswordTooLong = 2703;
exports.NERR_PasswordNotComplexEnough = 2704;
exports.NERR_PasswordFilterError = 2705;
const NAMES = {
    [exports.ERROR_FILE_NOT_FOUND]: 'ERROR_FILE_NOT_FOUND',
    [exports.ERROR_ACCESS_DENIED]: 'ERROR_ACCESS_DENIED (run as an administrator)',
    [exports.ERROR_INVALID_PARAMETER]: 'ERROR_INVALID_PARAMETER',
    [exports.ERROR_PROC_NOT_FOUND]: 'ERROR_PROC_NOT_FOUND (this Windows lacks the function)',
    [exports.ERROR_ALREADY_EXISTS]: 'ERROR_ALREADY_EXISTS',
    [exports.ERROR_INSUFFICIENT_BUFFER]: 'ERROR_INSUFFICIENT_BUFFER',
    [exports.ERROR_MORE_DATA]: 'ERROR_MORE_DATA',
    [exports.ERROR_SERVICE_ALREADY_RUNNING]: 'ERROR_SERVICE_ALREADY_RUNNING',
    [exports.ERROR_SERVICE_DOES_NOT_EXIST]: 'ERROR_SERVICE_DOES_NOT_EXIST',
    [exports.ERROR_SERVICE_NOT_ACTIVE]: 'ERROR_SERVICE_NOT_ACTIVE',
    [exports.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT]: 'ERROR_FAILED_SERVICE_CONTROLLER_CONNECT (not started by the service control manager)',
    [exports.ERROR_SERVICE_MARKED_FOR_DELETE]: 'ERROR_SERVICE_MARKED_FOR_DELETE (close the Services console and try again)',
    [exports.ERROR_SERVICE_EXISTS]: 'ERROR_SERVICE_EXISTS',
    [exports.ERROR_NONE_MAPPED]: 'ERROR_NONE_MAPPED (no such account)',
    [exports.ERROR_LOGON_FAILURE]: 'ERROR_LOGON_FAILURE',
    [exports.ERROR_ACCOUNT_RESTRICTION]: 'ERROR_ACCOUNT_RESTRICTION',
    [exports.ERROR_INVALID_LOGON_HOURS]: 'ERROR_INVALID_LOGON_HOURS',
    [exports.ERROR_INVALID_WORKSTATION]: 'ERROR_INVALID_WORKSTATION',
    [exports.ERROR_PASSWORD_EXPIRED]: 'ERROR_PASSWORD_EXPIRED',
    [exports.ERROR_ACCOUNT_DISABLED]: 'ERROR_ACCOUNT_DISABLED',
    [exports.ERROR_MEMBER_IN_ALIAS]: 'ERROR_MEMBER_IN_ALIAS',
    [exports.ERROR_MEMBER_NOT_IN_ALIAS]: 'ERROR_MEMBER_NOT_IN_ALIAS',
    [exports.ERROR_LOGON_TYPE_NOT_GRANTED]: 'ERROR_LOGON_TYPE_NOT_GRANTED',
    [exports.ERROR_ACCOUNT_EXPIRED]: 'ERROR_ACCOUNT_EXPIRED',
    [exports.ERROR_PASSWORD_MUST_CHANGE]: 'ERROR_PASSWORD_MUST_CHANGE',
    [exports.ERROR_ACCOUNT_LOCKED_OUT]: 'ERROR_ACCOUNT_LOCKED_OUT',
    [exports.NERR_BadPassword]: 'NERR_BadPassword',
    [exports.NERR_GroupNotFound]: 'NERR_GroupNotFound',
    [exports.NERR_UserNotFound]: 'NERR_UserNotFound (no such local account)',
    [exports.NERR_UserExists]: 'NERR_UserExists',
    [exports.NERR_PasswordHistConflict]: 'NERR_PasswordHistConflict (the password was used before)',
    [exports.NERR_PasswordTooShort]: 'NERR_PasswordTooShort (the password does not meet the password policy)',
    [exports.NERR_PasswordTooRecent]: 'NERR_PasswordTooRecent (the password was changed too recently)',
    [exports.NERR_PasswordMustChange]: 'NERR_PasswordMustChange',
    [exports.NERR_AccountLockedOut]: 'NERR_AccountLockedOut',
    [exports.NERR_PasswordTooLong]: 'NERR_PasswordTooLong',
    [exports.NERR_PasswordNotComplexEnough]: 'NERR_PasswordNotComplexEnough (the password is not complex enough)',
    [exports.NERR_PasswordFilterError]: 'NERR_PasswordFilterError (a password filter refused it)',
};
function win32ErrorName(code) {
    return NAMES[code] ?? `error ${code}`;
}
/** A Win32/NetAPI call that failed: which call, which code. */
class Win32Error extends Error {
    call;
    code;
    constructor(call, code, context) {
        super(`${call}${context ? ` (${context})` : ''} failed: ${win32ErrorName(code)}${NAMES[code] ? ` [${code}]` : ''}`);
        this.call = call;
        this.code = code;
        this.name = 'Win32Error';
    }
}
exports.Win32Error = Win32Error;
/**
 * The statuses that mean "the local password policy refuses this password" (NetValidatePasswordPolicy's
 * ValidationStatus, and NetUserSetInfo's own refusal, which Windows reports as NERR_PasswordTooShort
 * whatever the rule was).
 */
exports.POLICY_REFUSALS = new Set([
    exports.NERR_PasswordTooShort, exports.NERR_PasswordTooLong, exports.NERR_PasswordNotComplexEnough, exports.NERR_PasswordFilterError,
    exports.NERR_PasswordHistConflict,
]);
//# sourceMappingURL=win32-errors.js.map