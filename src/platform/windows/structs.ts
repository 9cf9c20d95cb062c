// The Win32 structs pwbridge passes, and the functions that build and read them. Field names are the
// SDK's (lmaccess.h, ntsecapi.h, winsvc.h), so a layout can be checked against the documentation line
// by line. Encoders return the struct plus every Buffer it points into (`keep`): the caller holds them
// until the call has returned, and wipes the ones that held a password.

import { readPtr, readU32, readWideZ, struct, writeStruct, type Memory, type StructLayout } from './layout';

export const FILETIME = struct('FILETIME', [['dwLowDateTime', 'u32'], ['dwHighDateTime', 'u32']]);

// lmaccess.h
export const USER_INFO_0 = struct('USER_INFO_0', [['usri0_name', 'ptr']]);
export const USER_INFO_1 = struct('USER_INFO_1', [
  ['usri1_name', 'ptr'], ['usri1_password', 'ptr'], ['usri1_password_age', 'u32'], ['usri1_priv', 'u32'],
  ['usri1_home_dir', 'ptr'], ['usri1_comment', 'ptr'], ['usri1_flags', 'u32'], ['usri1_script_path', 'ptr'],
]);
export const USER_INFO_3 = struct('USER_INFO_3', [
  ['usri3_name', 'ptr'], ['usri3_password', 'ptr'], ['usri3_password_age', 'u32'], ['usri3_priv', 'u32'],
  ['usri3_home_dir', 'ptr'], ['usri3_comment', 'ptr'], ['usri3_flags', 'u32'], ['usri3_script_path', 'ptr'],
  ['usri3_auth_flags', 'u32'], ['usri3_full_name', 'ptr'], ['usri3_usr_comment', 'ptr'], ['usri3_parms', 'ptr'],
  ['usri3_workstations', 'ptr'], ['usri3_last_logon', 'u32'], ['usri3_last_logoff', 'u32'], ['usri3_acct_expires', 'u32'],
  ['usri3_max_storage', 'u32'], ['usri3_units_per_week', 'u32'], ['usri3_logon_hours', 'ptr'], ['usri3_bad_pw_count', 'u32'],
  ['usri3_num_logons', 'u32'], ['usri3_logon_server', 'ptr'], ['usri3_country_code', 'u32'], ['usri3_code_page', 'u32'],
  ['usri3_user_id', 'u32'], ['usri3_primary_group_id', 'u32'], ['usri3_profile', 'ptr'], ['usri3_home_dir_drive', 'ptr'],
  ['usri3_password_expired', 'u32'],
]);
export const USER_INFO_1003 = struct('USER_INFO_1003', [['usri1003_password', 'ptr']]);
export const USER_MODALS_INFO_3 = struct('USER_MODALS_INFO_3', [
  ['usrmod3_lockout_duration', 'u32'], ['usrmod3_lockout_observation_window', 'u32'], ['usrmod3_lockout_threshold', 'u32'],
]);
export const LOCALGROUP_MEMBERS_INFO_3 = struct('LOCALGROUP_MEMBERS_INFO_3', [['lgrmi3_domainandname', 'ptr']]);
export const NET_VALIDATE_PASSWORD_HASH = struct('NET_VALIDATE_PASSWORD_HASH', [['Length', 'u32'], ['Hash', 'ptr']]);
export const NET_VALIDATE_PERSISTED_FIELDS = struct('NET_VALIDATE_PERSISTED_FIELDS', [
  ['PresentFields', 'u32'], ['PasswordLastSet', FILETIME], ['BadPasswordTime', FILETIME], ['LockoutTime', FILETIME],
  ['BadPasswordCount', 'u32'], ['PasswordHistoryLength', 'u32'], ['PasswordHistory', 'ptr'],
]);
export const NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG = struct('NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG', [
  ['InputPersistedFields', NET_VALIDATE_PERSISTED_FIELDS], ['ClearPassword', 'ptr'], ['UserAccountName', 'ptr'],
  ['HashedPassword', NET_VALIDATE_PASSWORD_HASH], ['PasswordMatch', 'u8'],
]);
export const NET_VALIDATE_OUTPUT_ARG = struct('NET_VALIDATE_OUTPUT_ARG', [
  ['ChangedPersistedFields', NET_VALIDATE_PERSISTED_FIELDS], ['ValidationStatus', 'u32'],
]);

// ntsecapi.h / lsalookup.h
export const LSA_UNICODE_STRING = struct('LSA_UNICODE_STRING', [['Length', 'u16'], ['MaximumLength', 'u16'], ['Buffer', 'ptr']]);
export const LSA_OBJECT_ATTRIBUTES = struct('LSA_OBJECT_ATTRIBUTES', [
  ['Length', 'u32'], ['RootDirectory', 'ptr'], ['ObjectName', 'ptr'], ['Attributes', 'u32'],
  ['SecurityDescriptor', 'ptr'], ['SecurityQualityOfService', 'ptr'],
]);

// winsvc.h
export const SERVICE_STATUS = struct('SERVICE_STATUS', [
  ['dwServiceType', 'u32'], ['dwCurrentState', 'u32'], ['dwControlsAccepted', 'u32'], ['dwWin32ExitCode', 'u32'],
  ['dwServiceSpecificExitCode', 'u32'], ['dwCheckPoint', 'u32'], ['dwWaitHint', 'u32'],
]);
export const QUERY_SERVICE_CONFIGW = struct('QUERY_SERVICE_CONFIGW', [
  ['dwServiceType', 'u32'], ['dwStartType', 'u32'], ['dwErrorControl', 'u32'], ['lpBinaryPathName', 'ptr'], ['lpLoadOrderGroup', 'ptr'],
  ['dwTagId', 'u32'], ['lpDependencies', 'ptr'], ['lpServiceStartName', 'ptr'], ['lpDisplayName', 'ptr'],
]);
export const SC_ACTION = struct('SC_ACTION', [['Type', 'u32'], ['Delay', 'u32']]);
export const SERVICE_FAILURE_ACTIONSW = struct('SERVICE_FAILURE_ACTIONSW', [
  ['dwResetPeriod', 'u32'], ['lpRebootMsg', 'ptr'], ['lpCommand', 'ptr'], ['cActions', 'u32'], ['lpsaActions', 'ptr'],
]);
export const SERVICE_DESCRIPTIONW = struct('SERVICE_DESCRIPTIONW', [['lpDescription', 'ptr']]);
export const SERVICE_TABLE_ENTRYW = struct('SERVICE_TABLE_ENTRYW', [['lpServiceName', 'ptr'], ['lpServiceProc', 'ptr']]);
/** minwinbase.h: for CreateDirectoryW, the new folder's security descriptor. */
export const SECURITY_ATTRIBUTES = struct('SECURITY_ATTRIBUTES', [['nLength', 'u32'], ['lpSecurityDescriptor', 'ptr'], ['bInheritHandle', 'u32']]);
/** dpapi.h: DWORD cbData; BYTE *pbData (with 4 bytes of padding between them on x64). */
export const DATA_BLOB = struct('DATA_BLOB', [['cbData', 'u32'], ['pbData', 'ptr']]);

/** Every layout, for the tests that hold each one against koffi's layout engine. */
export const ALL_LAYOUTS: readonly StructLayout[] = [
  FILETIME, USER_INFO_0, USER_INFO_1, USER_INFO_3, USER_INFO_1003, USER_MODALS_INFO_3, LOCALGROUP_MEMBERS_INFO_3,
  NET_VALIDATE_PASSWORD_HASH, NET_VALIDATE_PERSISTED_FIELDS, NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG, NET_VALIDATE_OUTPUT_ARG,
  LSA_UNICODE_STRING, LSA_OBJECT_ATTRIBUTES, SERVICE_STATUS, QUERY_SERVICE_CONFIGW, SC_ACTION, SERVICE_FAILURE_ACTIONSW, SERVICE_DESCRIPTIONW,
  SERVICE_TABLE_ENTRYW, DATA_BLOB, SECURITY_ATTRIBUTES,
];

/** A struct and the Buffers it points into, which must outlive the call. */
export interface Encoded {
  buf: Buffer;
  keep: Buffer[];
}

const addr = (mem: Memory, b: Buffer | undefined): bigint => (b ? mem.addressOf(b) : 0n);

// ---- users ----------------------------------------------------------------------------------------

/** usri*_flags bits pwbridge reads or writes. */
export const UF_SCRIPT = 0x0001;
export const UF_ACCOUNTDISABLE = 0x0002;
export const UF_LOCKOUT = 0x0010;
export const UF_PASSWD_CANT_CHANGE = 0x0040;
export const UF_NORMAL_ACCOUNT = 0x0200;
export const UF_DONT_EXPIRE_PASSWD = 0x10000;
export const USER_PRIV_USER = 1;

/** What pwbridge takes from a USER_INFO_3 (NetUserEnum / NetUserGetInfo level 3). */
export interface NetUser {
  name: string;
  /** The RID (usri3_user_id). */
  rid: number;
  /** Seconds since the password was last set (usri3_password_age). */
  passwordAgeSec: number;
  flags: number;
  /** Failed logons counted towards lockout (usri3_bad_pw_count). */
  badPwCount: number;
}

/** `count` USER_INFO_3 records at `address` (a netapi buffer). */
export function decodeUserInfo3(mem: Memory, address: bigint, count: number): NetUser[] {
  if (count === 0) return [];
  if (address === 0n) throw new Error('USER_INFO_3: NULL buffer with a non-zero count');
  const size = USER_INFO_3.size;
  const raw = mem.read(address, size * count);
  const users: NetUser[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * size;
    const name = readWideZ(mem, readPtr(USER_INFO_3, raw, base, 'usri3_name'));
    if (name === undefined) continue; // never seen; a record without a name is no account
    users.push({
      name,
      rid: readU32(USER_INFO_3, raw, base, 'usri3_user_id'),
      passwordAgeSec: readU32(USER_INFO_3, raw, base, 'usri3_password_age'),
      flags: readU32(USER_INFO_3, raw, base, 'usri3_flags'),
      badPwCount: readU32(USER_INFO_3, raw, base, 'usri3_bad_pw_count'),
    });
  }
  return users;
}

/** USER_INFO_1003 for NetUserSetInfo: points at the password (NUL-terminated UTF-16LE, the caller's). */
export function encodeUserInfo1003(mem: Memory, passwordWideZ: Buffer): Encoded {
  const buf = Buffer.alloc(USER_INFO_1003.size);
  writeStruct(USER_INFO_1003, buf, 0, { usri1003_password: mem.addressOf(passwordWideZ) });
  return { buf, keep: [passwordWideZ] };
}

/** USER_INFO_1 for NetUserAdd: a normal user account (priv must be USER_PRIV_USER for NetUserAdd). */
export function encodeUserInfo1(mem: Memory, u: { nameWideZ: Buffer; passwordWideZ: Buffer; commentWideZ?: Buffer; flags: number }): Encoded {
  const buf = Buffer.alloc(USER_INFO_1.size);
  writeStruct(USER_INFO_1, buf, 0, {
    usri1_name: mem.addressOf(u.nameWideZ),
    usri1_password: mem.addressOf(u.passwordWideZ),
    usri1_priv: USER_PRIV_USER,
    usri1_comment: addr(mem, u.commentWideZ),
    usri1_flags: u.flags,
  });
  return { buf, keep: [u.nameWideZ, u.passwordWideZ, ...(u.commentWideZ ? [u.commentWideZ] : [])] };
}

export interface LockoutPolicy {
  /** Failed logons that lock the account; 0: accounts never lock. */
  threshold: number;
  /** Seconds after the last failure before the count resets. */
  observationWindowSec: number;
  /** Seconds a locked account stays locked; 0xFFFFFFFF (TIMEQ_FOREVER): until an administrator unlocks it. */
  durationSec: number;
}

/** USER_MODALS_INFO_3 (NetUserModalsGet level 3) at `address`. */
export function decodeModals3(mem: Memory, address: bigint): LockoutPolicy {
  const raw = mem.read(address, USER_MODALS_INFO_3.size);
  return {
    durationSec: readU32(USER_MODALS_INFO_3, raw, 0, 'usrmod3_lockout_duration'),
    observationWindowSec: readU32(USER_MODALS_INFO_3, raw, 0, 'usrmod3_lockout_observation_window'),
    threshold: readU32(USER_MODALS_INFO_3, raw, 0, 'usrmod3_lockout_threshold'),
  };
}

/** One LOCALGROUP_MEMBERS_INFO_3 naming `DOMAIN\user` for NetLocalGroupAddMembers/DelMembers. */
export function encodeLocalGroupMember3(mem: Memory, domainAndNameWideZ: Buffer): Encoded {
  const buf = Buffer.alloc(LOCALGROUP_MEMBERS_INFO_3.size);
  writeStruct(LOCALGROUP_MEMBERS_INFO_3, buf, 0, { lgrmi3_domainandname: mem.addressOf(domainAndNameWideZ) });
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
export function encodeValidateChangeInput(mem: Memory, passwordWideZ: Buffer, accountWideZ: Buffer): Encoded {
  const buf = Buffer.alloc(NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG.size);
  writeStruct(NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG, buf, 0, {
    ClearPassword: mem.addressOf(passwordWideZ),
    UserAccountName: mem.addressOf(accountWideZ),
    PasswordMatch: 1,
  });
  return { buf, keep: [passwordWideZ, accountWideZ] };
}

/** ValidationStatus of the NET_VALIDATE_OUTPUT_ARG at `address`. */
export function decodeValidateOutputStatus(mem: Memory, address: bigint): number {
  const raw = mem.read(address, NET_VALIDATE_OUTPUT_ARG.size);
  return readU32(NET_VALIDATE_OUTPUT_ARG, raw, 0, 'ValidationStatus');
}

// ---- LSA --------------------------------------------------------------------------------------------

/**
 * LSA_UNICODE_STRING over a NUL-terminated UTF-16LE Buffer: Length counts bytes without the NUL,
 * MaximumLength with it. Both are USHORTs, so a string of 32,767 units or more cannot be one.
 */
export function encodeLsaUnicodeString(mem: Memory, wideZ: Buffer): Encoded {
  if (wideZ.length < 2 || wideZ.length % 2 !== 0 || wideZ.readUInt16LE(wideZ.length - 2) !== 0) {
    throw new Error('LSA_UNICODE_STRING: the Buffer must be NUL-terminated UTF-16LE');
  }
  if (wideZ.length > 0xfffe) throw new Error('LSA_UNICODE_STRING: longer than 32,766 characters');
  const buf = Buffer.alloc(LSA_UNICODE_STRING.size);
  writeStruct(LSA_UNICODE_STRING, buf, 0, { Length: wideZ.length - 2, MaximumLength: wideZ.length, Buffer: mem.addressOf(wideZ) });
  return { buf, keep: [wideZ] };
}

/** LSA_OBJECT_ATTRIBUTES for LsaOpenPolicy: all zero but Length (the documented way to call it). */
export function encodeLsaObjectAttributes(): Buffer {
  const buf = Buffer.alloc(LSA_OBJECT_ATTRIBUTES.size);
  writeStruct(LSA_OBJECT_ATTRIBUTES, buf, 0, { Length: LSA_OBJECT_ATTRIBUTES.size });
  return buf;
}

// ---- services ---------------------------------------------------------------------------------------

export interface ServiceStatus {
  serviceType: number;
  currentState: number;
  controlsAccepted: number;
  win32ExitCode: number;
  serviceSpecificExitCode: number;
  checkPoint: number;
  waitHint: number;
}

export function encodeServiceStatus(s: ServiceStatus): Buffer {
  const buf = Buffer.alloc(SERVICE_STATUS.size);
  writeStruct(SERVICE_STATUS, buf, 0, {
    dwServiceType: s.serviceType, dwCurrentState: s.currentState, dwControlsAccepted: s.controlsAccepted,
    dwWin32ExitCode: s.win32ExitCode, dwServiceSpecificExitCode: s.serviceSpecificExitCode, dwCheckPoint: s.checkPoint,
    dwWaitHint: s.waitHint,
  });
  return buf;
}

export function decodeServiceStatus(buf: Buffer): ServiceStatus {
  const r = (n: string) => readU32(SERVICE_STATUS, buf, 0, n);
  return {
    serviceType: r('dwServiceType'), currentState: r('dwCurrentState'), controlsAccepted: r('dwControlsAccepted'),
    win32ExitCode: r('dwWin32ExitCode'), serviceSpecificExitCode: r('dwServiceSpecificExitCode'), checkPoint: r('dwCheckPoint'),
    waitHint: r('dwWaitHint'),
  };
}

export const SC_ACTION_NONE = 0;
export const SC_ACTION_RESTART = 1;

/** SERVICE_FAILURE_ACTIONSW with its SC_ACTION array (ChangeServiceConfig2W, SERVICE_CONFIG_FAILURE_ACTIONS). */
export function encodeFailureActions(mem: Memory, resetPeriodSec: number, actions: ReadonlyArray<{ type: number; delayMs: number }>): Encoded {
  const arr = Buffer.alloc(Math.max(1, actions.length) * SC_ACTION.size);
  actions.forEach((a, i) => writeStruct(SC_ACTION, arr, i * SC_ACTION.size, { Type: a.type, Delay: a.delayMs }));
  const buf = Buffer.alloc(SERVICE_FAILURE_ACTIONSW.size);
  writeStruct(SERVICE_FAILURE_ACTIONSW, buf, 0, {
    dwResetPeriod: resetPeriodSec, cActions: actions.length, lpsaActions: actions.length ? mem.addressOf(arr) : 0n,
  });
  return { buf, keep: [arr] };
}

/** SERVICE_DESCRIPTIONW (ChangeServiceConfig2W, SERVICE_CONFIG_DESCRIPTION). */
export function encodeServiceDescription(mem: Memory, descriptionWideZ: Buffer): Encoded {
  const buf = Buffer.alloc(SERVICE_DESCRIPTIONW.size);
  writeStruct(SERVICE_DESCRIPTIONW, buf, 0, { lpDescription: mem.addressOf(descriptionWideZ) });
  return { buf, keep: [descriptionWideZ] };
}

/** The dispatch table for StartServiceCtrlDispatcherW: one entry, then the all-NULL terminator. */
export function encodeServiceTable(mem: Memory, nameWideZ: Buffer, serviceMain: bigint): Encoded {
  const buf = Buffer.alloc(SERVICE_TABLE_ENTRYW.size * 2);
  writeStruct(SERVICE_TABLE_ENTRYW, buf, 0, { lpServiceName: mem.addressOf(nameWideZ), lpServiceProc: serviceMain });
  return { buf, keep: [nameWideZ] };
}

// ---- arrays -----------------------------------------------------------------------------------------

/** An array of pointers to strings (LPCWSTR *), as ReportEventW's lpStrings. */
export function encodePointerArray(mem: Memory, items: readonly Buffer[]): Encoded {
  const buf = Buffer.alloc(Math.max(1, items.length) * 8);
  items.forEach((b, i) => buf.writeBigUInt64LE(mem.addressOf(b), i * 8));
  return { buf, keep: [...items] };
}
