// netapi32 calls, thin: build the arguments (structs.ts), call, read the answer, free what Windows
// allocated (NetApiBufferFree on every path), and turn a status into a Win32Error. Passwords arrive as
// NUL-terminated UTF-16LE Buffers the caller owns and wipes.

import type { Win32 } from './binding';
import { outDword, outPointer, readWideZ } from './layout';
import {
  decodeModals3, decodeUserInfo3, decodeValidateOutputStatus, encodeLocalGroupMember3, encodeUserInfo1, encodeUserInfo1003,
  encodeValidateChangeInput, type LockoutPolicy, type NetUser,
} from './structs';
import { wideZ } from './utf16';
import { ERROR_MORE_DATA, NERR_Success, NERR_UserNotFound, Win32Error } from './win32-errors';

export const FILTER_NORMAL_ACCOUNT = 0x0002;
export const MAX_PREFERRED_LENGTH = 0xffff_ffff;
export const NET_VALIDATE_PASSWORD_CHANGE = 2;
/** NetUserGetLocalGroups: also the groups the account is in through another group. */
export const LG_INCLUDE_INDIRECT = 0x0001;

export class NetApi {
  constructor(private readonly w: Win32) {}

  /** Every normal (not machine, not trust) local account, level 3, following the resume handle. */
  enumUsers(): NetUser[] {
    const users: NetUser[] = [];
    const resume = outDword();
    for (let round = 0; ; round++) {
      if (round > 100_000) throw new Error('NetUserEnum did not finish'); // a resume handle that never ends
      const bufptr = outPointer();
      const read = outDword();
      const total = outDword();
      const status = this.w.netapi32.NetUserEnum(null, 3, FILTER_NORMAL_ACCOUNT, bufptr, MAX_PREFERRED_LENGTH, read, total, resume);
      const address = bufptr.readBigUInt64LE();
      try {
        if (status !== NERR_Success && status !== ERROR_MORE_DATA) throw new Win32Error('NetUserEnum', status);
        users.push(...decodeUserInfo3(this.w.memory, address, read.readUInt32LE()));
      } finally {
        this.free(address);
      }
      if (status === NERR_Success) return users;
    }
  }

  /** One account (level 3), or undefined when there is none of that name. */
  getUser(name: string): NetUser | undefined {
    const bufptr = outPointer();
    const status = this.w.netapi32.NetUserGetInfo(null, wideZ(name), 3, bufptr);
    const address = bufptr.readBigUInt64LE();
    try {
      if (status === NERR_UserNotFound) return undefined;
      if (status !== NERR_Success) throw new Win32Error('NetUserGetInfo', status, name);
      return decodeUserInfo3(this.w.memory, address, 1)[0];
    } finally {
      this.free(address);
    }
  }

  /** NetUserSetInfo level 1003. Returns the status; the caller decides what a refusal means. */
  setPassword(name: string, passwordWideZ: Buffer): number {
    const info = encodeUserInfo1003(this.w.memory, passwordWideZ);
    try {
      return this.w.netapi32.NetUserSetInfo(null, wideZ(name), 1003, info.buf, outDword());
    } finally {
      info.buf.fill(0); // held the password's address; harmless, but nothing of the call outlives it
    }
  }

  /** The lockout policy (NetUserModalsGet level 3). */
  lockoutPolicy(): LockoutPolicy {
    const bufptr = outPointer();
    const status = this.w.netapi32.NetUserModalsGet(null, 3, bufptr);
    const address = bufptr.readBigUInt64LE();
    try {
      if (status !== NERR_Success) throw new Win32Error('NetUserModalsGet', status, 'level 3, lockout policy');
      return decodeModals3(this.w.memory, address);
    } finally {
      this.free(address);
    }
  }

  /**
   * NetValidatePasswordPolicy(NetValidatePasswordChange): the ValidationStatus (NERR_Success when the
   * local policy accepts the password for this account). Throws Win32Error when the call itself fails.
   */
  validatePasswordChange(name: string, passwordWideZ: Buffer): number {
    const account = wideZ(name);
    const input = encodeValidateChangeInput(this.w.memory, passwordWideZ, account);
    const output = outPointer();
    try {
      const status = this.w.netapi32.NetValidatePasswordPolicy(null, null, NET_VALIDATE_PASSWORD_CHANGE, input.buf, output);
      if (status !== NERR_Success) throw new Win32Error('NetValidatePasswordPolicy', status, name);
      return decodeValidateOutputStatus(this.w.memory, output.readBigUInt64LE());
    } finally {
      input.buf.fill(0);
      if (output.readBigUInt64LE() !== 0n) this.w.netapi32.NetValidatePasswordPolicyFree(output);
    }
  }

  /** NetUserAdd level 1: a normal account whose password never expires. */
  addUser(name: string, passwordWideZ: Buffer, comment: string, flags: number): void {
    const info = encodeUserInfo1(this.w.memory, { nameWideZ: wideZ(name), passwordWideZ, commentWideZ: wideZ(comment), flags });
    try {
      const status = this.w.netapi32.NetUserAdd(null, 1, info.buf, outDword());
      if (status !== NERR_Success) throw new Win32Error('NetUserAdd', status, name);
    } finally {
      info.buf.fill(0);
    }
  }

  /**
   * The local groups the account is in, directly or through a group (NetUserGetLocalGroups level 0 with
   * LG_INCLUDE_INDIRECT), by the names this Windows gives them. Undefined when there is no such account.
   */
  localGroups(name: string): string[] | undefined {
    const bufptr = outPointer();
    const read = outDword();
    const total = outDword();
    const status = this.w.netapi32.NetUserGetLocalGroups(null, wideZ(name), 0, LG_INCLUDE_INDIRECT, bufptr, MAX_PREFERRED_LENGTH, read, total);
    const address = bufptr.readBigUInt64LE();
    try {
      if (status === NERR_UserNotFound) return undefined;
      if (status !== NERR_Success) throw new Win32Error('NetUserGetLocalGroups', status, name);
      const n = read.readUInt32LE();
      if (n === 0) return [];
      const pointers = this.w.memory.read(address, n * 8);
      const names: string[] = [];
      for (let i = 0; i < n; i++) {
        const group = readWideZ(this.w.memory, pointers.readBigUInt64LE(i * 8));
        if (group !== undefined) names.push(group);
      }
      return names;
    } finally {
      this.free(address);
    }
  }

  deleteUser(name: string): number {
    return this.w.netapi32.NetUserDel(null, wideZ(name));
  }

  /** NetLocalGroupAddMembers level 3 (`DOMAIN\name`). Returns the status (ERROR_MEMBER_IN_ALIAS: already there). */
  addGroupMember(group: string, domainAndName: string): number {
    const member = encodeLocalGroupMember3(this.w.memory, wideZ(domainAndName));
    return this.w.netapi32.NetLocalGroupAddMembers(null, wideZ(group), 3, member.buf, 1);
  }

  delGroupMember(group: string, domainAndName: string): number {
    const member = encodeLocalGroupMember3(this.w.memory, wideZ(domainAndName));
    return this.w.netapi32.NetLocalGroupDelMembers(null, wideZ(group), 3, member.buf, 1);
  }

  private free(address: bigint): void {
    if (address !== 0n) this.w.netapi32.NetApiBufferFree(address);
  }
}
