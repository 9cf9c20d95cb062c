"use strict";
// The Win32 structs pwbridge passes, and the functions that build and read them. Field names are the
// SDK's (lmaccess.h, ntsecapi.h, winsvc.h), so a layout can be checked against the documentation line
// by line. Encoders return the struct plus every Buffer it points into (`keep`): the caller holds them
// until the call has returned, and wipes the ones that held a password.
Object.defineProperty(exports, "__esModule", { value: true });
exports.SC_ACTION_RESTART = exports.SC_ACTION_NONE = exports.USER_PRIV_USER = exports.UF_DONT_EXPIRE_PASSWD = exports.UF_NORMAL_ACCOUNT = exports.UF_PASSWD_CANT_CHANGE = exports.UF_LOCKOUT = exports.UF_ACCOUNTDISABLE = exports.UF_SCRIPT = exports.ALL_LAYOUTS = exports.DATA_BLOB = exports.SECURITY_ATTRIBUTES = exports.SERVICE_TABLE_ENTRYW = exports.SERVICE_DESCRIPTIONW = exports.SERVICE_FAILURE_ACTIONSW = exports.SC_ACTION = exports.QUERY_SERVICE_CONFIGW = exports.SERVICE_STATUS = exports.LSA_OBJECT_ATTRIBUTES = exports.LSA_UNICODE_STRING = exports.NET_VALIDATE_OUTPUT_ARG = exports.NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG = exports.NET_VALIDATE_PERSISTED_FIELDS = exports.NET_VALIDATE_PASSWORD_HASH = exports.LOCALGROUP_MEMBERS_INFO_3 = exports.USER_MODALS_INFO_3 = exports.USER_INFO_1003 = exports.USER_INFO_3 = exports.USER_INFO_1 = exports.USER_INFO_0 = exports.FILETIME = void 0;
exports.decodeUserInfo3 = decodeUserInfo3;
exports.encodeUserInfo1003 = encodeUserInfo1003;
exports.encodeUserInfo1 = encodeUserInfo1;
exports.decodeModals3 = decodeModals3;
exports.encodeLocalGroupMember3 = encodeLocalGroupMember3;
exports.encodeValidateChangeInput = encodeValidateChangeInput;
exports.decodeValidateOutputStatus = decodeValidateOutputStatus;
exports.encodeLsaUnicodeString = encodeLsaUnicodeString;
exports.encodeLsaObjectAttributes = encodeLsaObjectAttributes;
exports.encodeServiceStatus = encodeServiceStatus;
exports.decodeServiceStatus = decodeServiceStatus;
exports.encodeFailureActions = encodeFailureActions;
exports.encodeServiceDescription = encodeServiceDescription;
exports.encodeServiceTable = encodeServiceTable;
exports.encodePointerArray = encodePointerArray;
const layout_1 = require("./layout");
exports.FILETIME = (0, layout_1.struct)('FILETIME', [['dwLowDateTime', 'u32'], ['dwHighDateTime', 'u32']]);
// lmaccess.h
exports.USER_INFO_0 = (0, layout_1.struct)('USER_INFO_0', [['usri0_name', 'ptr']]);
exports.USER_INFO_1 = (0, layout_1.struct)('USER_INFO_1', [
    ['usri1_name', 'ptr'], ['usri1_password', 'ptr'], ['usri1_password_age', 'u32'], ['usri1_priv', 'u32'],
    ['usri1_home_dir', 'ptr'], ['usri1_comment', 'ptr'], ['usri1_flags', 'u32'], ['usri1_script_path', 'ptr'],
]);
exports.USER_INFO_3 = (0, layout_1.struct)('USER_INFO_3', [
    ['usri3_name', 'ptr'], ['usri3_password', 'ptr'], ['usri3_password_age', 'u32'], ['usri3_priv', 'u32'],
    ['usri3_home_dir', 'ptr'], ['usri3_comment', 'ptr'], ['usri3_flags', 'u32'], ['usri3_script_path', 'ptr'],
    ['usri3_auth_flags', 'u32'], ['usri3_full_name', 'ptr'], ['usri3_usr_comment', 'ptr'], ['usri3_parms', 'ptr'],
    ['usri3_workstations', 'ptr'], ['usri3_last_logon', 'u32'], ['usri3_last_logoff', 'u32'], ['usri3_acct_expires', 'u32'],
    ['usri3_max_storage', 'u32'], ['usri3_units_per_week', 'u32'], ['usri3_logon_hours', 'ptr'], ['usri3_bad_pw_count', 'u32'],
    ['usri3_num_logons', 'u32'], ['usri3_logon_server', 'ptr'], ['usri3_country_code', 'u32'], ['usri3_code_page', 'u32'],
    ['usri3_user_id', 'u32'], ['usri3_primary_group_id', 'u32'], ['usri3_profile', 'ptr'], ['usri3_home_dir_drive', 'ptr'],
    ['usri3_password_expired', 'u32'],
]);
exports.USER_INFO_1003 = (0, layout_1.struct)('USER_INFO_1003', [['usri1003_password', 'ptr']]);
exports.USER_MODALS_INFO_3 = (0, layout_1.struct)('USER_MODALS_INFO_3', [
    ['usrmod3_lockout_duration', 'u32'], ['usrmod3_lockout_observation_window', 'u32'], ['usrmod3_lockout_threshold', 'u32'],
]);
exports.LOCALGROUP_MEMBERS_INFO_3 = (0, layout_1.struct)('LOCALGROUP_MEMBERS_INFO_3', [['lgrmi3_domainandname', 'ptr']]);
exports.NET_VALIDATE_PASSWORD_HASH = (0, layout_1.struct)('NET_VALIDATE_PASSWORD_HASH', [['Length', 'u32'], ['Hash', 'ptr']]);
exports.NET_VALIDATE_PERSISTED_FIELDS = (0, layout_1.struct)('NET_VALIDATE_PERSISTED_FIELDS', [
    ['PresentFields', 'u32'], ['PasswordLastSet', exports.FILETIME], ['BadPasswordTime', exports.FILETIME], ['LockoutTime', exports.FILETIME],
    ['BadPasswordCount', 'u32'], ['PasswordHistoryLength', 'u32'], ['PasswordHistory', 'ptr'],
]);
exports.NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG = (0, layout_1.struct)('NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG', [
    ['InputPersistedFields', exports.NET_VALIDATE_PERSISTED_FIELDS], ['ClearPassword', 'ptr'], ['UserAccountName', 'ptr'],
    ['HashedPassword', exports.NET_VALIDATE_PASSWORD_HASH], ['PasswordMatch', 'u8'],
]);
exports.NET_VALIDATE_OUTPUT_ARG = (0, layout_1.struct)('NET_VALIDATE_OUTPUT_ARG', [
    ['ChangedPersistedFields', exports.NET_VALIDATE_PERSISTED_FIELDS], ['ValidationStatus', 'u32'],
]);
// ntsecapi.h / lsalookup.h
exports.LSA_UNICODE_STRING = (0, layout_1.struct)('LSA_UNICODE_STRING', [['Length', 'u16'], ['MaximumLength', 'u16'], ['Buffer', 'ptr']]);
exports.LSA_OBJECT_ATTRIBUTES = (0, layout_1.struct)('LSA_OBJECT_ATTRIBUTES', [
    ['Length', 'u32'], ['RootDirectory', 'ptr'], ['ObjectName', 'ptr'], ['Attributes', 'u32'],
    ['SecurityDescriptor', 'ptr'], ['SecurityQualityOfService', 'ptr'],
]);
// winsvc.h
exports.SERVICE_STATUS = (0, layout_1.struct)('SERVICE_STATUS', [
    ['dwServiceType', 'u32'], ['dwCurrentState', 'u32'], ['dwControlsAccepted', 'u32'], ['dwWin32ExitCode', 'u32'],
    ['dwServiceSpecificExitCode', 'u32'], ['dwCheckPoint', 'u32'], ['dwWaitHint', 'u32'],
]);
exports.QUERY_SERVICE_CONFIGW = (0, layout_1.struct)('QUERY_SERVICE_CONFIGW', [
    ['dwServiceType', 'u32'], ['dwStartType', 'u32'], ['dwErrorControl', 'u32'], ['lpBinaryPathName', 'ptr'], ['lpLoadOrderGroup', 'ptr'],
    ['dwTagId', 'u32'], ['lpDependencies', 'ptr'], ['lpServiceStartName', 'ptr'], ['lpDisplayName', 'ptr'],
]);
exports.SC_ACTION = (0, layout_1.struct)('SC_ACTION', [['Type', 'u32'], ['Delay', 'u32']]);
exports.SERVICE_FAILURE_ACTIONSW = (0, layout_1.struct)('SERVICE_FAILURE_ACTIONSW', [
    ['dwResetPeriod', 'u32'], ['lpRebootMsg', 'ptr'], ['lpCommand', 'ptr'], ['cActions', 'u32'], ['lpsaActions', 'ptr'],
]);
exports.SERVICE_DESCRIPTIONW = (0, layout_1.struct)('SERVICE_DESCRIPTIONW', [['lpDescription', 'ptr']]);
exports.SERVICE_TABLE_ENTRYW = (0, layout_1.struct)('SERVICE_TABLE_ENTRYW', [['lpServiceName', 'ptr'], ['lpServiceProc', 'ptr']]);
/** minwinbase.h: for CreateDirectoryW, the new folder's security descriptor. */
exports.SECURITY_ATTRIBUTES = (0, layout_1.struct)('SECURITY_ATTRIBUTES', [['nLength', 'u32'], ['lpSecurityDescriptor', 'ptr'], ['bInheritHandle', 'u32']]);
/** dpapi.h: DWORD cbData; BYTE *pbData (with 4 bytes of padding between them on x64). */
exports.DATA_BLOB = (0, layout_1.struct)('DATA_BLOB', [['cbData', 'u32'], ['pbData', 'ptr']]);
/** Every layout, for the tests that hold each one against koffi's layout engine. */
exports.ALL_LAYOUTS = [
    exports.FILETIME, exports.USER_INFO_0, exports.USER_INFO_1, exports.USER_INFO_3, exports.USER_INFO_1003, exports.USER_MODALS_INFO_3, exports.LOCALGROUP_MEMBERS_INFO_3,
    exports.NET_VALIDATE_PASSWORD_HASH, exports.NET_VALIDATE_PERSISTED_FIELDS, exports.NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG, exports.NET_VALIDATE_OUTPUT_ARG,
    exports.LSA_UNICODE_STRING, exports.LSA_OBJECT_ATTRIBUTES, exports.SERVICE_STATUS, exports.QUERY_SERVICE_CONFIGW, exports.SC_ACTION, exports.SERVICE_FAILURE_ACTIONSW, exports.SERVICE_DESCRIPTIONW,
    exports.SERVICE_TABLE_ENTRYW, exports.DATA_BLOB, exports.SECURITY_ATTRIBUTES,
];
const addr = (mem, b) => (b ? mem.addressOf(b) : 0n);
// ---- users ----------------------------------------------------------------------------------------
/** usri*_flags bits pwbridge reads or writes. */
exports.UF_SCRIPT = 0x0001;
exports.UF_ACCOUNTDISABLE = 0x0002;
exports.UF_LOCKOUT = 0x0010;
exports.UF_PASSWD_CANT_CHANGE = 0x0040;
exports.UF_NORMAL_ACCOUNT = 0x0200;
exports.UF_DONT_EXPIRE_PASSWD = 0x10000;
exports.USER_PRIV_USER = 1;
/** `count` USER_INFO_3 records at `address` (a netapi buffer). */
function decodeUserInfo3(mem, address, count) {
    if (count === 0)
        return [];
    if (address === 0n)
        throw new Error('USER_INFO_3: NULL buffer with a non-zero count');
    const size = exports.USER_INFO_3.size;
    const raw = mem.read(address, size * count);
    const users = [];
    for (let i = 0; i < count; i++) {
        const base = i * size;
        const name = (0, layout_1.readWideZ)(mem, (0, layout_1.readPtr)(exports.USER_INFO_3, raw, base, 'usri3_name'));
        if (name === undefined)
            continue; // never seen; a record without a name is no account
        users.push({
            name,
            rid: (0, layout_1.readU32)(exports.USER_INFO_3, raw, base, 'usri3_user_id'),
            passwordAgeSec: (0, layout_1.readU32)(exports.USER_INFO_3, raw, base, 'usri3_password_age'),
            flags: (0, layout_1.readU32)(exports.USER_INFO_3, raw, base, 'usri3_flags'),
            badPwCount: (0, layout_1.readU32)(exports.USER_INFO_3, raw, base, 'usri3_bad_pw_count'),
        });
    }
    return users;
}
/** USER_INFO_1003 for NetUserSetInfo: points at the password (NUL-terminated UTF-16LE, the caller's). */
function encodeUserInfo1003(mem, passwordWideZ) {
    const buf = Buffer.alloc(exports.USER_INFO_1003.size);
    (0, layout_1.writeStruct)(exports.USER_INFO_1003, buf, 0, { usri1003_password: mem.addressOf(passwordWideZ) });
    return { buf, keep: [passwordWideZ] };
}
/** USER_INFO_1 for NetUserAdd: a normal user account (priv must be USER_PRIV_USER for NetUserAdd). */
function encodeUserInfo1(mem, u) {
    const buf = Buffer.alloc(exports.USER_INFO_1.size);
    (0, layout_1.writeStruct)(exports.USER_INFO_1, buf, 0, {
        usri1_name: mem.addressOf(u.nameWideZ),
        usri1_password: mem.addressOf(u.passwordWideZ),
        usri1_priv: exports.USER_PRIV_USER,
        usri1_comment: addr(mem, u.commentWideZ),
        usri1_flags: u.flags,
    });
    return { buf, keep: [u.nameWideZ, u.passwordWideZ, ...(u.commentWideZ ? [u.commentWideZ] : [])] };
}
/** USER_MODALS_INFO_3 (NetUserModalsGet level 3) at `address`. */
function decodeModals3(mem, address) {
    const raw = mem.read(address, exports.USER_MODALS_INFO_3.size);
    return {
        durationSec: (0, layout_1.readU32)(exports.USER_MODALS_INFO_3, raw, 0, 'usrmod3_lockout_duration'),
        observationWindowSec: (0, layout_1.readU32)(exports.USER_MODALS_INFO_3, raw, 0, 'usrmod3_lockout_observation_window'),
        threshold: (0, layout_1.readU32)(exports.USER_MODALS_INFO_3, raw, 0, 'usrmod3_lockout_threshold'),
    };
}
/** One LOCALGROUP_MEMBERS_INFO_3 naming `DOMAIN\user` for NetLocalGroupAddMembers/DelMembers. */
function encodeLocalGroupMember3(mem, domainAndNameWideZ) {
    const buf = Buffer.alloc(exports.LOCALGROUP_MEMBERS_INFO_3.size);
    (0, layout_1.writeStruct)(exports.LOCALGROUP_MEMBERS_INFO_3, buf, 0, { lgrmi3_domainandname: mem.addressOf(domainAndNameWideZ) });
    return { buf, keep: [domainAndNameWideZ] };
}
// ---- password policy --------------------------------------------------------------------------------
/**
 * NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG for NetValidatePasswordPolicy(NetValidatePasswordChange).
 * No persisted fields are given (PresentFields 0): pwbridge asks only whether the local policy accepts
 * this password for this account (length, complexity, which includes "does not contain the account
 * name"), not about age or history, which an administrator's set does not face either.
 * PasswordMatch TRUE: as if the old password had been checked (there is none to check for a set).
 */
function encodeValidateChangeInput(mem, passwordWideZ, accountWideZ) {
    const buf = Buffer.alloc(exports.NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG.size);
    (0, layout_1.writeStruct)(exports.NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG, buf, 0, {
        ClearPassword: mem.addressOf(passwordWideZ),
        UserAccountName: mem.addressOf(accountWideZ),
        PasswordMatch: 1,
    });
    return { buf, keep: [passwordWideZ, accountWideZ] };
}
/** ValidationStatus of the NET_VALIDATE_OUTPUT_ARG at `address`. */
function decodeValidateOutputStatus(mem, address) {
    const raw = mem.read(address, exports.NET_VALIDATE_OUTPUT_ARG.size);
    return (0, layout_1.readU32)(exports.NET_VALIDATE_OUTPUT_ARG, raw, 0, 'ValidationStatus');
}
// ---- LSA --------------------------------------------------------------------------------------------
/**
 * LSA_UNICODE_STRING over a NUL-terminated UTF-16LE Buffer: Length counts bytes without the NUL,
 * MaximumLength with it. Both are USHORTs, so a string of 32,767 units or more cannot be one.
 */
function encodeLsaUnicodeString(mem, wideZ) {
    if (wideZ.length < 2 || wideZ.length % 2 !== 0 || wideZ.readUInt16LE(wideZ.length - 2) !== 0) {
        throw new Error('LSA_UNICODE_STRING: the Buffer must be NUL-terminated UTF-16LE');
    }
    if (wideZ.length > 0xfffe)
        throw new Error('LSA_UNICODE_STRING: longer than 32,766 characters');
    const buf = Buffer.alloc(exports.LSA_UNICODE_STRING.size);
    (0, layout_1.writeStruct)(exports.LSA_UNICODE_STRING, buf, 0, { Length: wideZ.length - 2, MaximumLength: wideZ.length, Buffer: mem.addressOf(wideZ) });
    return { buf, keep: [wideZ] };
}
/** LSA_OBJECT_ATTRIBUTES for LsaOpenPolicy: all zero but Length (the documented way to call it). */
function encodeLsaObjectAttributes() {
    const buf = Buffer.alloc(exports.LSA_OBJECT_ATTRIBUTES.size);
    (0, layout_1.writeStruct)(exports.LSA_OBJECT_ATTRIBUTES, buf, 0, { Length: exports.LSA_OBJECT_ATTRIBUTES.size });
    return buf;
}
function encodeServiceStatus(s) {
    const buf = Buffer.alloc(exports.SERVICE_STATUS.size);
    (0, layout_1.writeStruct)(exports.SERVICE_STATUS, buf, 0, {
        dwServiceType: s.serviceType, dwCurrentState: s.currentState, dwControlsAccepted: s.controlsAccepted,
        dwWin32ExitCode: s.win32ExitCode, dwServiceSpecificExitCode: s.serviceSpecificExitCode, dwCheckPoint: s.checkPoint,
        dwWaitHint: s.waitHint,
    });
    return buf;
}
function decodeServiceStatus(buf) {
    const r = (n) => (0, layout_1.readU32)(exports.SERVICE_STATUS, buf, 0, n);
    return {
        serviceType: r('dwServiceType'), currentState: r('dwCurrentState'), controlsAccepted: r('dwControlsAccepted'),
        win32ExitCode: r('dwWin32ExitCode'), serviceSpecificExitCode: r('dwServiceSpecificExitCode'), checkPoint: r('dwCheckPoint'),
        waitHint: r('dwWaitHint'),
    };
}
exports.SC_ACTION_NONE = 0;
exports.SC_ACTION_RESTART = 1;
/** SERVICE_FAILURE_ACTIONSW with its SC_ACTION array (ChangeServiceConfig2W, SERVICE_CONFIG_FAILURE_ACTIONS). */
function encodeFailureActions(mem, resetPeriodSec, actions) {
    const arr = Buffer.alloc(Math.max(1, actions.length) * exports.SC_ACTION.size);
    actions.forEach((a, i) => (0, layout_1.writeStruct)(exports.SC_ACTION, arr, i * exports.SC_ACTION.size, { Type: a.type, Delay: a.delayMs }));
    const buf = Buffer.alloc(exports.SERVICE_FAILURE_ACTIONSW.size);
    (0, layout_1.writeStruct)(exports.SERVICE_FAILURE_ACTIONSW, buf, 0, {
        dwResetPeriod: resetPeriodSec, cActions: actions.length, lpsaActions: actions.length ? mem.addressOf(arr) : 0n,
    });
    return { buf, keep: [arr] };
}
/** SERVICE_DESCRIPTIONW (ChangeServiceConfig2W, SERVICE_CONFIG_DESCRIPTION). */
function encodeServiceDescription(mem, descriptionWideZ) {
    const buf = Buffer.alloc(exports.SERVICE_DESCRIPTIONW.size);
    (0, layout_1.writeStruct)(exports.SERVICE_DESCRIPTIONW, buf, 0, { lpDescription: mem.addressOf(descriptionWideZ) });
    return { buf, keep: [descriptionWideZ] };
}
/** The dispatch table for StartServiceCtrlDispatcherW: one entry, then the all-NULL terminator. */
function encodeServiceTable(mem, nameWideZ, serviceMain) {
    const buf = Buffer.alloc(exports.SERVICE_TABLE_ENTRYW.size * 2);
    (0, layout_1.writeStruct)(exports.SERVICE_TABLE_ENTRYW, buf, 0, { lpServiceName: mem.addressOf(nameWideZ), lpServiceProc: serviceMain });
    return { buf, keep: [nameWideZ] };
}
// ---- arrays -----------------------------------------------------------------------------------------
/** An array of pointers to strings (LPCWSTR *), as ReportEventW's lpStrings. */
function encodePointerArray(mem, items) {
    const buf = Buffer.alloc(Math.max(1, items.length) * 8);
    items.forEach((b, i) => buf.writeBigUInt64LE(mem.addressOf(b), i * 8));
    return { buf, keep: [...items] };
}
//# sourceMappingURL=structs.js.map