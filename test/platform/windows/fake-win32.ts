// A small fake of the Win32 calls the Windows adapters make, for tests on Linux. The memory is real:
// struct fields hold the real addresses of the adapters' Buffers (koffi.address), and the fake reads
// them back through those addresses (koffi.view), exactly as Windows would dereference them. So a
// wrong offset, a missing NUL or a wrong length fails here, not on a Windows machine.
//
// What the fake answers is a model of Windows' documented behaviour (SAM accounts, lockout counting,
// a password policy, the registry, services, the event log, file security with inheritance), not Windows
// itself: the real calls run only on Windows (see docs/development.md, "What is real in the tests"), and, where
// Wine has them, under Wine (wine-platform, data-dir-acl and test/windows/install-wine). asWine() makes
// it answer as Wine was measured to: one user, a private SAM, LSA rights stored nowhere, any password.
import * as koffi from 'koffi';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { missingExport, type Advapi32, type Callbacks, type Crypt32, type Kernel32, type NetApi32, type Ntdll, type Ptr, type Win32 } from '../../../src/platform/windows/binding';
import type { Memory } from '../../../src/platform/windows/layout';
import {
  ACCESS_ALLOWED_ACE_TYPE, CONTAINER_INHERIT_ACE, FILE_ALL_ACCESS, INHERIT_ONLY_ACE, INHERITED_ACE, OBJECT_INHERIT_ACE, SE_DACL_PROTECTED,
  decodeSecurityDescriptor, encodeSecurityDescriptor, type Ace,
} from '../../../src/platform/windows/security-descriptor';
import { sidFromString, sidToString } from '../../../src/platform/windows/sid';
import {
  DATA_BLOB, LOCALGROUP_MEMBERS_INFO_3, LSA_UNICODE_STRING, NET_VALIDATE_OUTPUT_ARG, NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG, QUERY_SERVICE_CONFIGW, SC_ACTION,
  SECURITY_ATTRIBUTES, SERVICE_DESCRIPTIONW, SERVICE_FAILURE_ACTIONSW, SERVICE_STATUS, USER_INFO_1, USER_INFO_1003, USER_INFO_3, USER_MODALS_INFO_3,
} from '../../../src/platform/windows/structs';
import { readField, writeStruct, type StructLayout } from '../../../src/platform/windows/layout';

const u32 = (l: StructLayout, b: Buffer, f: string, base = 0) => Number(readField(l, b, base, f));
const ptr = (l: StructLayout, b: Buffer, f: string, base = 0) => BigInt(readField(l, b, base, f));

/** Real process memory through koffi, remembering every Buffer whose address was taken (to check wiping). */
export class LinuxMemory implements Memory {
  readonly seen: Buffer[] = [];
  read(address: bigint, length: number): Buffer {
    return Buffer.from(koffi.view(address, length));
  }
  wcslen(address: bigint): number {
    let n = 0;
    while (Buffer.from(koffi.view(address + BigInt(n * 2), 2)).readUInt16LE() !== 0) n++;
    return n;
  }
  addressOf(buf: Buffer): bigint {
    this.seen.push(buf);
    return koffi.address(buf);
  }
  /** The Buffers seen whose bytes (at the time of asking) contain `needle`. */
  holding(needle: Buffer): Buffer[] {
    return this.seen.filter((b) => b.includes(needle));
  }
  /** The UTF-16LE string at an address (NUL-terminated), read the way Windows would. */
  wide(address: bigint): string | null {
    if (address === 0n) return null;
    return this.read(address, this.wcslen(address) * 2).toString('utf16le');
  }
}

export interface FakeUser {
  name: string;
  rid: number;
  /** The password as UTF-16LE without NUL (what SAM would hash). */
  password: Buffer;
  lastSetMs: number;
  flags: number;
  badPwCount: number;
  /** Its SID; default S-1-5-21-1-2-3-<rid>. */
  sid?: string;
  /** Wine: made by NetUserAdd in this process's private SAM, so LookupAccountNameW cannot find it. */
  invisible?: boolean;
}

/** A file's or folder's security as the fake file system keeps it, when set explicitly. */
export interface FakeFileSecurity {
  owner: string;
  dacl: Ace[] | null;
  protected: boolean;
}

const ADMINS = 'S-1-5-32-544';
const SYSTEM = 'S-1-5-18';
const USERS = 'S-1-5-32-545';
const CREATOR_OWNER = 'S-1-3-0';
/** Wine's one user (every process runs as it). */
export const WINE_USER_SID = 'S-1-5-21-0-0-0-1000';

export interface RegValue { type: number; data: Buffer }

const HKLM = 0xffff_ffff_8000_0002n;

/** The fake Windows: SAM, policy, registry, services, event log, LSA rights. */
export class FakeWindows {
  readonly memory = new LinuxMemory();
  now = 1_700_000_000_000;
  users = new Map<string, FakeUser>();
  groups = new Map<string, Set<string>>([['administrators', new Set()]]);
  lockout = { threshold: 0, observationWindowSec: 1800, durationSec: 1800 };
  /** Minimum length (UTF-16 units) the password policy asks for; also "must not contain the name". */
  minLength = 0;
  /** NetValidatePasswordPolicy returns this status for the call itself (e.g. 50 not supported); undefined: works. */
  validateCallStatus?: number;
  /** NetUserEnum returns at most this many per call (ERROR_MORE_DATA in between). */
  pageSize = 1000;
  lastError = 0;
  /** Every call made, by name (arguments that could be passwords are never recorded as text). */
  calls: string[] = [];
  /** Each password Windows received, decoded, with the call it came with. */
  received: Array<{ call: string; password: string }> = [];
  /** Outstanding netapi allocations: address → the Buffers that make it up. */
  readonly allocations = new Map<bigint, Buffer[]>();
  freed: bigint[] = [];
  registry = new Map<string, Map<string, RegValue>>();
  openKeys = new Map<bigint, string>();
  services = new Map<string, { display: string; binaryPath: string; startName: string | null; password: string | null; state: number; description?: string; failureActions?: Array<{ type: number; delayMs: number }>; resetPeriod?: number; deleted?: boolean }>();
  handles = new Map<bigint, { kind: 'scm' | 'service' | 'event' | 'lsa' | 'token' | 'status'; name?: string }>();
  events: Array<{ type: number; category: number; id: number; strings: string[] }> = [];
  rights = new Map<string, Set<string>>();
  private nextHandle = 0x1000n;
  private nextRid = 1001;
  machine = 'HOST1';
  /** The user this process runs as (its token's TokenUser): an administrator's SID by default. */
  userSid = 'S-1-5-21-1-2-3-500';
  /** Who owns what this process creates without a descriptor: an elevated administrator's token says Administrators. */
  creatorOwner = ADMINS;
  /** Set: this is Wine (ntdll exports wine_get_version). */
  wineVersion?: string;
  /**
   * Explicit descriptors (SetFileSecurityW, CreateDirectoryW with one), by the file's identity (device and
   * inode), so that, as on Windows, a descriptor goes with its file through a rename.
   */
  readonly fileSecurity = new Map<string, FakeFileSecurity>();
  /**
   * What a folder without an explicit descriptor and without an ancestor that has one carries: as
   * %ProgramData% (SYSTEM and Administrators full control, CREATOR OWNER on what is made in it, Users read and
   * "create files" on folders).
   */
  rootDacl: Ace[] = [
    { type: ACCESS_ALLOWED_ACE_TYPE, flags: OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, mask: FILE_ALL_ACCESS, sid: SYSTEM },
    { type: ACCESS_ALLOWED_ACE_TYPE, flags: OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, mask: FILE_ALL_ACCESS, sid: ADMINS },
    { type: ACCESS_ALLOWED_ACE_TYPE, flags: OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE | INHERIT_ONLY_ACE, mask: FILE_ALL_ACCESS, sid: CREATOR_OWNER },
    { type: ACCESS_ALLOWED_ACE_TYPE, flags: OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE, mask: 0x1200a9, sid: USERS },
    { type: ACCESS_ALLOWED_ACE_TYPE, flags: CONTAINER_INHERIT_ACE, mask: 0x116, sid: USERS },
  ];

  constructor() {
    this.registry.set('SYSTEM\\CurrentControlSet\\Control\\Lsa', new Map());
  }

  /**
   * Behave as Wine does where pwbridge can tell: wine_get_version exists; every process is the Wine user
   * `root` (S-1-5-21-0-0-0-1000), in Administrators; NetUserAdd's accounts are invisible to
   * LookupAccountNameW; LSA stores no rights; files are owned by the Wine user whatever SetFileSecurityW says.
   */
  asWine(version = '8.0'): this {
    this.wineVersion = version;
    this.ntdll.wine_get_version = () => version;
    const root = this.addUser('root', 'unknown-to-anyone', { rid: 1000, sid: WINE_USER_SID });
    this.groups.get('administrators')!.add(`${this.machine}\\${root.name}`.toLowerCase());
    this.userSid = WINE_USER_SID;
    this.creatorOwner = WINE_USER_SID;
    return this;
  }

  sidOfUser(u: FakeUser): string {
    return u.sid ?? sidToString(sidBytes(u.rid));
  }

  /** Set a file's security as someone else could have (a test planting an entry). */
  setFileSecurity(file: string, sec: FakeFileSecurity): void {
    this.fileSecurity.set(identity(file), sec);
  }

  /** The security a path has now: its explicit descriptor, or what it inherited from the nearest folder that has one. */
  fileSecurityOf(file: string): FakeFileSecurity {
    const p = path.resolve(file);
    const own = this.fileSecurity.get(identity(p));
    if (own) return own;
    const dir = fs.statSync(p).isDirectory();
    let parent = path.dirname(p);
    let inheritable: Ace[] = this.rootDacl;
    for (; parent !== path.dirname(parent); parent = path.dirname(parent)) {
      const sec = this.fileSecurity.get(identity(parent));
      if (sec) {
        inheritable = sec.dacl ?? [];
        break;
      }
    }
    // Windows' inheritance: what applies to this kind of object, marked inherited; a folder passes on the flags.
    const dacl = inheritable.filter((a) => (a.flags & (dir ? CONTAINER_INHERIT_ACE : OBJECT_INHERIT_ACE)) !== 0).map((a) => ({
      ...a,
      sid: a.sid === CREATOR_OWNER ? this.creatorOwner : a.sid,
      flags: dir && a.sid !== CREATOR_OWNER ? (a.flags & (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE)) | INHERITED_ACE : INHERITED_ACE,
    }));
    return { owner: this.creatorOwner, dacl, protected: false };
  }

  addUser(name: string, password: string, o: Partial<FakeUser> = {}): FakeUser {
    const u: FakeUser = {
      name, rid: o.rid ?? this.nextRid++, password: Buffer.from(password, 'utf16le'), lastSetMs: o.lastSetMs ?? this.now - 86_400_000, flags: o.flags ?? 0x201,
      badPwCount: o.badPwCount ?? 0, sid: o.sid, invisible: o.invisible,
    };
    this.users.set(name.toLowerCase(), u);
    return u;
  }

  private handle(kind: 'scm' | 'service' | 'event' | 'lsa' | 'token' | 'status', name?: string): bigint {
    const h = this.nextHandle;
    this.nextHandle += 8n;
    this.handles.set(h, { kind, name });
    return h;
  }

  /** Allocate a netapi buffer: `size` bytes, plus strings placed after it; returns its address. */
  private alloc(size: number, fill: (buf: Buffer, str: (s: string) => bigint) => void): bigint {
    const parts: Buffer[] = [];
    const buf = Buffer.alloc(Math.max(size, 1));
    parts.push(buf);
    const str = (s: string): bigint => {
      const b = Buffer.from(`${s}\0`, 'utf16le');
      parts.push(b);
      return koffi.address(b);
    };
    fill(buf, str);
    const address = koffi.address(buf);
    this.allocations.set(address, parts);
    return address;
  }

  private setOut(out: Buffer, address: bigint): void {
    out.writeBigUInt64LE(address);
  }

  private wideArg(p: Ptr): string | null {
    if (p === null) return null;
    if (Buffer.isBuffer(p)) return p.toString('utf16le', 0, evenNul(p));
    return this.memory.wide(p);
  }

  private passwordOk(name: string, pw: Buffer): number {
    const text = pw.toString('utf16le');
    if (text.length < this.minLength) return 2245; // NERR_PasswordTooShort
    if (this.minLength > 0 && name.length >= 3 && text.toLowerCase().includes(name.toLowerCase())) return 2704; // not complex
    return 0;
  }

  private writeUserInfo3(buf: Buffer, base: number, u: FakeUser, str: (s: string) => bigint): void {
    writeStruct(USER_INFO_3, buf, base, {
      usri3_name: str(u.name), usri3_password: 0n, usri3_password_age: Math.floor((this.now - u.lastSetMs) / 1000), usri3_priv: 1,
      usri3_home_dir: str(''), usri3_comment: str('a comment'), usri3_flags: u.flags, usri3_script_path: str(''),
      usri3_full_name: str(`Full ${u.name}`), usri3_bad_pw_count: u.badPwCount, usri3_user_id: u.rid, usri3_primary_group_id: 513,
      usri3_password_expired: 0, usri3_num_logons: 7,
    });
  }

  readonly netapi32: NetApi32 = {
    NetUserEnum: (_s, level, filter, bufptr, _max, read, total, resume) => {
      this.calls.push(`NetUserEnum ${level} ${filter}`);
      if (level !== 3) return 124; // ERROR_INVALID_LEVEL
      const all = [...this.users.values()];
      const start = resume.readUInt32LE();
      const page = all.slice(start, start + this.pageSize);
      this.setOut(bufptr, page.length ? this.alloc(USER_INFO_3.size * page.length, (b, str) => page.forEach((u, i) => this.writeUserInfo3(b, i * USER_INFO_3.size, u, str))) : 0n);
      read.writeUInt32LE(page.length);
      total.writeUInt32LE(all.length);
      const more = start + page.length < all.length;
      resume.writeUInt32LE(more ? start + page.length : 0);
      return more ? 234 : 0;
    },
    NetUserGetInfo: (_s, user, level, bufptr) => {
      const name = this.wideArg(user)!;
      this.calls.push(`NetUserGetInfo ${name} ${level}`);
      const u = this.users.get(name.toLowerCase());
      if (!u) return 2221;
      this.setOut(bufptr, this.alloc(USER_INFO_3.size, (b, str) => this.writeUserInfo3(b, 0, u, str)));
      return 0;
    },
    NetUserSetInfo: (_s, user, level, buf) => {
      const name = this.wideArg(user)!;
      this.calls.push(`NetUserSetInfo ${name} ${level}`);
      if (level !== 1003) return 124;
      const u = this.users.get(name.toLowerCase());
      if (!u) return 2221;
      const pw = this.memory.wide(ptr(USER_INFO_1003, buf, 'usri1003_password'))!;
      this.received.push({ call: 'NetUserSetInfo', password: pw });
      const pwBuf = Buffer.from(pw, 'utf16le');
      const status = this.passwordOk(u.name, pwBuf);
      if (status !== 0) return 2245; // NetUserSetInfo says TooShort whatever the rule
      u.password = pwBuf;
      u.lastSetMs = this.now;
      return 0;
    },
    NetUserAdd: (_s, level, buf) => {
      if (level !== 1) return 124;
      const name = this.memory.wide(ptr(USER_INFO_1, buf, 'usri1_name'))!;
      this.calls.push(`NetUserAdd ${name}`);
      if (u32(USER_INFO_1, buf, 'usri1_priv') !== 1) return 87;
      if (this.users.has(name.toLowerCase())) return 2224;
      const pw = this.memory.wide(ptr(USER_INFO_1, buf, 'usri1_password'))!;
      this.received.push({ call: 'NetUserAdd', password: pw });
      const status = this.passwordOk(name, Buffer.from(pw, 'utf16le'));
      if (status !== 0) return 2245;
      this.addUser(name, pw, { lastSetMs: this.now, flags: u32(USER_INFO_1, buf, 'usri1_flags'), invisible: this.wineVersion !== undefined });
      return 0;
    },
    NetUserDel: (_s, user) => {
      const name = this.wideArg(user)!;
      this.calls.push(`NetUserDel ${name}`);
      return this.users.delete(name.toLowerCase()) ? 0 : 2221;
    },
    NetUserModalsGet: (_s, level, bufptr) => {
      this.calls.push(`NetUserModalsGet ${level}`);
      if (level !== 3) return 124;
      this.setOut(bufptr, this.alloc(USER_MODALS_INFO_3.size, (b) => writeStruct(USER_MODALS_INFO_3, b, 0, {
        usrmod3_lockout_duration: this.lockout.durationSec, usrmod3_lockout_observation_window: this.lockout.observationWindowSec,
        usrmod3_lockout_threshold: this.lockout.threshold,
      })));
      return 0;
    },
    NetLocalGroupAddMembers: (_s, group, level, buf, total) => {
      const g = this.wideArg(group)!.toLowerCase();
      if (level !== 3 || total !== 1) return 124;
      const member = this.memory.wide(ptr(LOCALGROUP_MEMBERS_INFO_3, buf, 'lgrmi3_domainandname'))!;
      this.calls.push(`NetLocalGroupAddMembers ${g} ${member}`);
      const set = this.groups.get(g);
      if (!set) return 2220;
      if (set.has(member.toLowerCase())) return 1378;
      set.add(member.toLowerCase());
      return 0;
    },
    NetLocalGroupDelMembers: (_s, group, level, buf) => {
      const g = this.wideArg(group)!.toLowerCase();
      if (level !== 3) return 124;
      const member = this.memory.wide(ptr(LOCALGROUP_MEMBERS_INFO_3, buf, 'lgrmi3_domainandname'))!;
      this.calls.push(`NetLocalGroupDelMembers ${g} ${member}`);
      const set = this.groups.get(g);
      if (!set) return 2220;
      return set.delete(member.toLowerCase()) ? 0 : 1377;
    },
    NetValidatePasswordPolicy: (_s, qualifier, type, input, output) => {
      this.calls.push(`NetValidatePasswordPolicy ${type}`);
      if (qualifier !== null) return 87;
      if (this.validateCallStatus !== undefined) return this.validateCallStatus;
      if (type !== 2) return 87;
      const L = NET_VALIDATE_PASSWORD_CHANGE_INPUT_ARG;
      if (u32(L, input, 'PasswordMatch') !== 1) return 87;
      const pw = this.memory.wide(ptr(L, input, 'ClearPassword'))!;
      const name = this.memory.wide(ptr(L, input, 'UserAccountName'))!;
      this.received.push({ call: 'NetValidatePasswordPolicy', password: pw });
      const status = this.passwordOk(name, Buffer.from(pw, 'utf16le'));
      this.setOut(output, this.alloc(NET_VALIDATE_OUTPUT_ARG.size, (b) => writeStruct(NET_VALIDATE_OUTPUT_ARG, b, 0, { ValidationStatus: status })));
      return 0;
    },
    NetValidatePasswordPolicyFree: (output) => {
      const a = output.readBigUInt64LE();
      this.calls.push('NetValidatePasswordPolicyFree');
      this.release(a);
      return 0;
    },
    NetApiBufferFree: (address) => {
      this.release(address);
      return 0;
    },
    NetUserGetLocalGroups: (_s, user, level, flags, bufptr, _max, read, total) => {
      const name = this.wideArg(user)!.replace(/^[^\\]*\\/, '');
      this.calls.push(`NetUserGetLocalGroups ${name} ${level} ${flags}`);
      if (level !== 0) return 124;
      const u = this.users.get(name.toLowerCase());
      if (!u) return 2221;
      const member = `${this.machine}\\${u.name}`.toLowerCase();
      // The same group may be known under two names (the localized alias): one entry per group.
      const seen = new Set<Set<string>>();
      const names: string[] = [];
      for (const [g, set] of [...this.groups].reverse()) {
        if (seen.has(set) || !set.has(member)) continue;
        seen.add(set);
        names.push(g === 'administratoren' ? 'Administratoren' : g === 'administrators' ? 'Administrators' : g);
      }
      this.setOut(bufptr, names.length ? this.alloc(8 * names.length, (b, str) => names.forEach((n, i) => b.writeBigUInt64LE(str(n), i * 8))) : 0n);
      read.writeUInt32LE(names.length);
      total.writeUInt32LE(names.length);
      return 0;
    },
  };

  private release(address: bigint): void {
    if (!this.allocations.has(address)) throw new Error(`freeing ${address}, which was not allocated (or freed twice)`);
    this.allocations.delete(address);
    this.freed.push(address);
  }

  private regPath(key: bigint, sub: string): string {
    const base = key === HKLM ? '' : this.openKeys.get(key);
    if (base === undefined) throw new Error(`bad registry handle ${key}`);
    return base ? `${base}\\${sub}` : sub;
  }

  readonly advapi32: Advapi32 = {
    LogonUserW: (user, domain, password, type, provider, token) => {
      const name = this.wideArg(user)!;
      this.calls.push(`LogonUserW ${name} ${this.wideArg(domain)} ${type} ${provider}`);
      const pw = this.wideArg(password)!;
      this.memory.seen.push(password);
      this.received.push({ call: 'LogonUserW', password: pw });
      if (this.wineVersion !== undefined) { token.writeBigUInt64LE(this.handle('token')); return 1; } // Wine: any name, any password
      const u = this.users.get(name.toLowerCase());
      if (!u) { this.lastError = 1326; return 0; }
      if (this.lockout.threshold > 0 && u.badPwCount >= this.lockout.threshold) { u.flags |= 0x10; this.lastError = 1909; return 0; }
      if (!u.password.equals(Buffer.from(pw, 'utf16le'))) {
        u.badPwCount++;
        if (this.lockout.threshold > 0 && u.badPwCount >= this.lockout.threshold) u.flags |= 0x10;
        this.lastError = 1326;
        return 0;
      }
      u.badPwCount = 0;
      if (u.flags & 0x2) { this.lastError = 1331; return 0; }
      token.writeBigUInt64LE(this.handle('token'));
      return 1;
    },
    RegOpenKeyExW: (key, sub, _o, _sam, result) => {
      const path = this.regPath(key, this.wideArg(sub)!);
      if (!this.registry.has(path)) return 2;
      const h = this.handle('status');
      this.openKeys.set(h, path);
      result.writeBigUInt64LE(h);
      return 0;
    },
    RegCreateKeyExW: (key, sub, _r, _c, _o, _sam, _sa, result, disposition) => {
      const path = this.regPath(key, this.wideArg(sub)!);
      const created = !this.registry.has(path);
      if (created) this.registry.set(path, new Map());
      const h = this.handle('status');
      this.openKeys.set(h, path);
      result.writeBigUInt64LE(h);
      if (Buffer.isBuffer(disposition)) disposition.writeUInt32LE(created ? 1 : 2);
      return 0;
    },
    RegQueryValueExW: (key, name, _r, type, data, cb) => {
      const values = this.registry.get(this.openKeys.get(key)!)!;
      const v = values.get(this.wideArg(name)!.toLowerCase());
      if (!v) return 2;
      type.writeUInt32LE(v.type);
      const room = cb.readUInt32LE();
      cb.writeUInt32LE(v.data.length);
      if (data === null) return 0;
      if (room < v.data.length) return 234;
      v.data.copy(data as Buffer);
      return 0;
    },
    RegSetValueExW: (key, name, _r, type, data, cb) => {
      this.calls.push(`RegSetValueExW ${this.wideArg(name)}`);
      this.registry.get(this.openKeys.get(key)!)!.set(this.wideArg(name)!.toLowerCase(), { type, data: Buffer.from(data.subarray(0, cb)) });
      return 0;
    },
    RegDeleteValueW: (key, name) => {
      this.calls.push(`RegDeleteValueW ${this.wideArg(name)}`);
      return this.registry.get(this.openKeys.get(key)!)!.delete(this.wideArg(name)!.toLowerCase()) ? 0 : 2;
    },
    RegDeleteKeyExW: (key, sub) => {
      const path = this.regPath(key, this.wideArg(sub)!);
      this.calls.push(`RegDeleteKeyExW ${path}`);
      return this.registry.delete(path) ? 0 : 2;
    },
    RegCloseKey: (key) => (this.openKeys.delete(key) ? 0 : 6),
    RegisterEventSourceW: (_s, source) => {
      this.calls.push(`RegisterEventSourceW ${this.wideArg(source)}`);
      return this.handle('event', this.wideArg(source)!);
    },
    ReportEventW: (log, type, category, id, _sid, n, _size, strings) => {
      if (this.handles.get(log)?.kind !== 'event') return 0;
      const list: string[] = [];
      for (let i = 0; i < n; i++) list.push(this.memory.wide(this.memory.read(BigInt(koffi.address(strings as Buffer)) + BigInt(i * 8), 8).readBigUInt64LE())!);
      this.events.push({ type, category, id, strings: list });
      return 1;
    },
    DeregisterEventSource: (log) => (this.handles.delete(log) ? 1 : 0),
    OpenSCManagerW: () => this.handle('scm'),
    CreateServiceW: (_scm, name, display, _a, _t, _s, _e, bin, _g, _tag, _deps, startName, password) => {
      const n = this.wideArg(name)!;
      if (this.services.has(n.toLowerCase())) { this.lastError = 1073; return null; }
      const pw = this.wideArg(password);
      if (Buffer.isBuffer(password)) this.memory.seen.push(password);
      if (pw !== null) this.received.push({ call: 'CreateServiceW', password: pw });
      this.services.set(n.toLowerCase(), { display: this.wideArg(display)!, binaryPath: this.wideArg(bin)!, startName: this.wideArg(startName), password: pw, state: 1 });
      this.calls.push(`CreateServiceW ${n}`);
      return this.handle('service', n.toLowerCase());
    },
    OpenServiceW: (_scm, name) => {
      const n = this.wideArg(name)!.toLowerCase();
      if (!this.services.has(n)) { this.lastError = 1060; return null; }
      return this.handle('service', n);
    },
    StartServiceW: (h) => {
      const s = this.services.get(this.handles.get(h)!.name!)!;
      this.calls.push(`StartServiceW ${this.handles.get(h)!.name}`);
      if (s.state === 4) { this.lastError = 1056; return 0; }
      s.state = 4;
      return 1;
    },
    ControlService: (h, control, status) => {
      const s = this.services.get(this.handles.get(h)!.name!)!;
      this.calls.push(`ControlService ${this.handles.get(h)!.name} ${control}`);
      if (control === 1) {
        if (s.state === 1) { this.lastError = 1062; return 0; }
        s.state = 1;
      }
      writeStruct(SERVICE_STATUS, status, 0, { dwServiceType: 0x10, dwCurrentState: s.state });
      return 1;
    },
    QueryServiceConfigW: (h, config, size, needed) => {
      const s = this.services.get(this.handles.get(h)!.name!)!;
      // The struct, then its strings, in the caller's buffer, pointers to them as Windows lays it out.
      const strings = [s.binaryPath, s.startName ?? 'LocalSystem', s.display].map((x) => Buffer.from(`${x}\0`, 'utf16le'));
      const total = QUERY_SERVICE_CONFIGW.size + strings.reduce((n, b) => n + b.length, 0);
      needed.writeUInt32LE(total);
      if (config === null || size < total) { this.lastError = 122; return 0; }
      const buf = config as Buffer;
      const base = koffi.address(buf);
      let at = QUERY_SERVICE_CONFIGW.size;
      const place = (b: Buffer): bigint => { b.copy(buf, at); const p = base + BigInt(at); at += b.length; return p; };
      writeStruct(QUERY_SERVICE_CONFIGW, buf, 0, {
        dwServiceType: 0x10, dwStartType: 2, dwErrorControl: 1, lpBinaryPathName: place(strings[0]), lpServiceStartName: place(strings[1]),
        lpDisplayName: place(strings[2]),
      });
      return 1;
    },
    QueryServiceStatus: (h, status) => {
      const s = this.services.get(this.handles.get(h)!.name!)!;
      writeStruct(SERVICE_STATUS, status, 0, { dwServiceType: 0x10, dwCurrentState: s.state });
      return 1;
    },
    ChangeServiceConfig2W: (h, level, info) => {
      const s = this.services.get(this.handles.get(h)!.name!)!;
      if (level === 1) s.description = this.memory.wide(ptr(SERVICE_DESCRIPTIONW, info, 'lpDescription')) ?? undefined;
      else if (level === 2) {
        const n = u32(SERVICE_FAILURE_ACTIONSW, info, 'cActions');
        const arr = this.memory.read(ptr(SERVICE_FAILURE_ACTIONSW, info, 'lpsaActions'), n * SC_ACTION.size);
        s.resetPeriod = u32(SERVICE_FAILURE_ACTIONSW, info, 'dwResetPeriod');
        s.failureActions = Array.from({ length: n }, (_, i) => ({ type: u32(SC_ACTION, arr, 'Type', i * 8), delayMs: u32(SC_ACTION, arr, 'Delay', i * 8) }));
      } else return 0;
      return 1;
    },
    ChangeServiceConfigW: (h, _t, _s, _e, bin) => {
      const s = this.services.get(this.handles.get(h)!.name!)!;
      const b = this.wideArg(bin);
      if (b !== null) s.binaryPath = b;
      this.calls.push(`ChangeServiceConfigW ${this.handles.get(h)!.name}`);
      return 1;
    },
    DeleteService: (h) => {
      const n = this.handles.get(h)!.name!;
      this.calls.push(`DeleteService ${n}`);
      this.services.delete(n);
      return 1;
    },
    CloseServiceHandle: (h) => (this.handles.delete(h) ? 1 : 0),
    StartServiceCtrlDispatcherW: Object.assign(() => { this.lastError = 1063; return 0; }, {
      async: (_t: Buffer, cb: (err: unknown, res: number) => void) => { this.lastError = 1063; setImmediate(() => cb(null, 0)); },
    }),
    RegisterServiceCtrlHandlerExW: () => this.handle('status'),
    SetServiceStatus: () => 1,
    LsaOpenPolicy: (_s, attrs, _access, handle) => {
      if (attrs.readUInt32LE(0) !== attrs.length) return 0xc000000d; // STATUS_INVALID_PARAMETER
      handle.writeBigUInt64LE(this.handle('lsa'));
      return 0;
    },
    LsaAddAccountRights: (_p, sid, rights, count) => {
      if (this.wineVersion !== undefined) { this.calls.push('LsaAddAccountRights (Wine: stored nowhere)'); return 0; }
      const key = sid.toString('hex');
      const set = this.rights.get(key) ?? new Set<string>();
      for (let i = 0; i < count; i++) {
        const base = i * LSA_UNICODE_STRING.size;
        const len = u32(LSA_UNICODE_STRING, rights, 'Length', base);
        const max = u32(LSA_UNICODE_STRING, rights, 'MaximumLength', base);
        if (max < len + 2) return 0xc000000d;
        set.add(this.memory.read(ptr(LSA_UNICODE_STRING, rights, 'Buffer', base), len).toString('utf16le'));
      }
      this.rights.set(key, set);
      this.calls.push(`LsaAddAccountRights ${[...set].join(',')}`);
      return 0;
    },
    LsaRemoveAccountRights: (_p, sid, all, rights, count) => {
      if (this.wineVersion !== undefined) return 0;
      const key = sid.toString('hex');
      if (all) {
        this.calls.push(`LsaRemoveAccountRights ${all}`);
        return this.rights.delete(key) ? 0 : 0xc0000034; // STATUS_OBJECT_NAME_NOT_FOUND
      }
      const set = this.rights.get(key);
      const names: string[] = [];
      for (let i = 0; i < count; i++) {
        const base = i * LSA_UNICODE_STRING.size;
        names.push(this.memory.read(ptr(LSA_UNICODE_STRING, rights as Buffer, 'Buffer', base), u32(LSA_UNICODE_STRING, rights as Buffer, 'Length', base)).toString('utf16le'));
      }
      this.calls.push(`LsaRemoveAccountRights 0 ${names.join(',')}`);
      if (!set) return 0xc0000034;
      for (const n of names) set.delete(n);
      if (set.size === 0) this.rights.delete(key);
      return 0;
    },
    LsaEnumerateAccountRights: (_p, sid, out, count) => {
      const set = this.wineVersion !== undefined ? undefined : this.rights.get(sid.toString('hex'));
      if (!set || set.size === 0) return 0xc0000034;
      const list = [...set];
      out.writeBigUInt64LE(this.alloc(LSA_UNICODE_STRING.size * list.length, (b, str) => list.forEach((r, i) => writeStruct(LSA_UNICODE_STRING, b, i * LSA_UNICODE_STRING.size, {
        Length: r.length * 2, MaximumLength: r.length * 2 + 2, Buffer: str(r),
      }))));
      count.writeUInt32LE(list.length);
      return 0;
    },
    LsaFreeMemory: (address) => {
      this.release(address);
      return 0;
    },
    OpenProcessToken: (process, access, token) => {
      if (process !== 0xffff_ffff_ffff_ffffn || (access & 0x8) === 0) { this.lastError = 5; return 0; }
      token.writeBigUInt64LE(this.handle('token'));
      return 1;
    },
    GetTokenInformation: (token, cls, info, length, returnLength) => {
      if (this.handles.get(token)?.kind !== 'token') { this.lastError = 6; return 0; }
      if (cls !== 1) { this.lastError = 87; return 0; }
      const sid = sidFromString(this.userSid);
      const need = 16 + sid.length;
      returnLength.writeUInt32LE(need);
      if (info === null || length < need) { this.lastError = 122; return 0; }
      // TOKEN_USER: SID_AND_ATTRIBUTES { PSID Sid; DWORD Attributes } and the SID after it, as Windows lays it out.
      const b = info as Buffer;
      b.writeBigUInt64LE(koffi.address(b) + 16n, 0);
      b.writeUInt32LE(0, 8);
      sid.copy(b, 16);
      return 1;
    },
    GetFileSecurityW: (file, info, sd, length, needed) => {
      const p = this.wideArg(file)!;
      if (!fs.existsSync(p)) { this.lastError = 2; return 0; }
      const sec = this.fileSecurityOf(p);
      const bytes = sec.dacl === null
        ? noDaclDescriptor(sec.owner)
        : encodeSecurityDescriptor({ owner: sec.owner, dacl: sec.dacl, protected: sec.protected });
      this.calls.push(`GetFileSecurityW ${p} ${info}`);
      needed.writeUInt32LE(bytes.length);
      if (sd === null || length < bytes.length) { this.lastError = 122; return 0; }
      bytes.copy(sd as Buffer);
      return 1;
    },
    SetFileSecurityW: (file, info, sd) => {
      const p = this.wideArg(file)!;
      if (!fs.existsSync(p)) { this.lastError = 2; return 0; }
      const given = decodeSecurityDescriptor(sd);
      const now = this.fileSecurityOf(p);
      let owner = now.owner;
      if (info & 1) {
        // Windows: the owner must be the caller or a group of its token with the owner attribute (SYSTEM,
        // Administrators for an elevated administrator). Wine: the Unix owner, whatever was asked.
        if (this.wineVersion === undefined) {
          if (![this.userSid, ADMINS, SYSTEM].includes(given.owner ?? '')) { this.lastError = 1307; return 0; } // ERROR_INVALID_OWNER
          owner = given.owner!;
        }
      }
      const next: FakeFileSecurity = info & 4 ? { owner, dacl: given.dacl, protected: (given.control & SE_DACL_PROTECTED) !== 0 } : { ...now, owner };
      this.fileSecurity.set(identity(p), next);
      this.calls.push(`SetFileSecurityW ${p} ${info}`);
      return 1;
    },
    LsaClose: (p) => (this.handles.delete(p) ? 0 : 0xc0000008),
    LsaNtStatusToWinError: (s) => (s === 0xc0000034 ? 2 : s === 0xc000000d ? 87 : s === 0 ? 0 : 317),
    LookupAccountNameW: (_s, name, sid, cbSid, domain, cchDomain, use) => {
      const n = this.wideArg(name)!.replace(/^\.\\|^[^\\]*\\/, '');
      const u = this.users.get(n.toLowerCase());
      if (!u || u.invisible) { this.lastError = 1332; return 0; } // Wine: an account NetUserAdd made is in another SAM
      const bytes = sidFromString(this.sidOfUser(u));
      if (sid === null || cbSid.readUInt32LE() < bytes.length) { cbSid.writeUInt32LE(bytes.length); cchDomain.writeUInt32LE(this.machine.length + 1); this.lastError = 122; return 0; }
      bytes.copy(sid as Buffer);
      (domain as Buffer).write(`${this.machine}\0`, 'utf16le');
      use.writeUInt32LE(1);
      return 1;
    },
    LookupAccountSidW: (_s, sid, name, cchName, domain, cchDomain, use) => {
      // The Administrators alias (S-1-5-32-544), localized as "Administratoren" here on purpose, and local users.
      const s = sidToString(sid);
      const user = [...this.users.values()].find((u) => this.sidOfUser(u) === s && !u.invisible);
      const found = s === ADMINS ? { n: 'Administratoren', d: 'BUILTIN', use: 4 } : user ? { n: user.name, d: this.machine, use: 1 } : undefined;
      if (!found) { this.lastError = 1332; return 0; }
      if (name === null || cchName.readUInt32LE() < found.n.length + 1 || cchDomain.readUInt32LE() < found.d.length + 1) {
        cchName.writeUInt32LE(found.n.length + 1);
        cchDomain.writeUInt32LE(found.d.length + 1);
        this.lastError = 122;
        return 0;
      }
      (name as Buffer).write(`${found.n}\0`, 'utf16le');
      (domain as Buffer).write(`${found.d}\0`, 'utf16le');
      use.writeUInt32LE(found.use);
      if (s === ADMINS) this.groups.set('administratoren', this.groups.get('administrators')!);
      return 1;
    },
  };

  readonly kernel32: Kernel32 = {
    GetLastError: () => this.lastError,
    CloseHandle: (h) => (this.handles.delete(h) ? 1 : 0),
    GetComputerNameW: (buffer, size) => {
      buffer.write(`${this.machine}\0`, 'utf16le');
      size.writeUInt32LE(this.machine.length);
      return 1;
    },
    MoveFileExW: (existing, replacement, flags) => {
      this.calls.push(`MoveFileExW ${this.wideArg(existing)} ${replacement === null ? 'NULL' : this.wideArg(replacement)} ${flags}`);
      this.pendingDeletes.push(this.wideArg(existing)!);
      return 1;
    },
    LocalFree: (mem) => {
      this.calls.push('LocalFree');
      this.release(mem);
      return null;
    },
    GetCurrentProcess: () => 0xffff_ffff_ffff_ffffn,
    CreateDirectoryW: (dir, sa) => {
      const p = this.wideArg(dir)!;
      if (fs.existsSync(p)) { this.lastError = 183; return 0; } // ERROR_ALREADY_EXISTS
      if (!fs.existsSync(path.dirname(p))) { this.lastError = 3; return 0; } // ERROR_PATH_NOT_FOUND
      fs.mkdirSync(p);
      if (sa !== null) {
        const at = ptr(SECURITY_ATTRIBUTES, sa as Buffer, 'lpSecurityDescriptor');
        if (u32(SECURITY_ATTRIBUTES, sa as Buffer, 'nLength') !== SECURITY_ATTRIBUTES.size) { this.lastError = 87; return 0; }
        if (at !== 0n) {
          const given = decodeSecurityDescriptor(this.descriptorAt(at));
          this.fileSecurity.set(identity(p), {
            owner: this.wineVersion === undefined ? given.owner ?? this.creatorOwner : this.creatorOwner,
            dacl: given.dacl, protected: (given.control & SE_DACL_PROTECTED) !== 0,
          });
        }
      }
      this.calls.push(`CreateDirectoryW ${p}`);
      return 1;
    },
    RtlZeroMemory: (dest, length) => {
      // Through the real address, as Windows would: the bytes the caller's pointer names become zero.
      const view = new Uint8Array(koffi.view(dest, Number(length)));
      view.fill(0);
      this.zeroed.push(dest);
    },
  };

  /** Addresses RtlZeroMemory was called on. */
  readonly zeroed: bigint[] = [];
  /**
   * DPAPI's machine key: a blob opens with the key of the machine that made it and the same entropy
   * (AES-256-GCM with the entropy as associated data models both). A second FakeWindows is another machine.
   */
  machineKey = randomBytes(32);

  /** The bytes a DATA_BLOB points at, read through its real address (as Windows dereferences it). */
  private blobArg(p: Ptr): Buffer | undefined {
    if (p === null) return undefined;
    const b = p as Buffer;
    const len = u32(DATA_BLOB, b, 'cbData');
    const at = ptr(DATA_BLOB, b, 'pbData');
    return len === 0 ? Buffer.alloc(0) : this.memory.read(at, len);
  }

  /** Fill an output DATA_BLOB with a LocalAlloc'd copy of `data`. */
  private blobOut(out: Buffer, data: Buffer): void {
    const address = this.alloc(data.length, (b) => data.copy(b));
    writeStruct(DATA_BLOB, out, 0, { cbData: data.length, pbData: address });
  }

  /** Every input DPAPI received in clear, for the tests (the token must reach DPAPI and nothing else). */
  readonly protected: Buffer[] = [];

  readonly crypt32: Crypt32 = {
    CryptProtectData: (dataIn, description, entropy, reserved, prompt, flags, dataOut) => {
      this.calls.push(`CryptProtectData flags=${flags}`);
      if (description !== null || reserved !== null || prompt !== null) { this.lastError = 87; return 0; }
      const plain = this.blobArg(dataIn)!;
      this.protected.push(Buffer.from(plain));
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', this.machineKey, iv);
      c.setAAD(this.blobArg(entropy) ?? Buffer.alloc(0));
      const ct = Buffer.concat([c.update(plain), c.final()]);
      plain.fill(0);
      this.blobOut(dataOut, Buffer.concat([Buffer.from('FAKEDPAPI'), iv, c.getAuthTag(), ct]));
      return 1;
    },
    CryptUnprotectData: (dataIn, description, entropy, reserved, prompt, flags, dataOut) => {
      this.calls.push(`CryptUnprotectData flags=${flags}`);
      if (description !== null || reserved !== null || prompt !== null) { this.lastError = 87; return 0; }
      const blob = this.blobArg(dataIn)!;
      if (blob.length < 37 || !blob.subarray(0, 9).equals(Buffer.from('FAKEDPAPI'))) { this.lastError = 13; return 0; } // ERROR_INVALID_DATA
      try {
        const d = createDecipheriv('aes-256-gcm', this.machineKey, blob.subarray(9, 21));
        d.setAAD(this.blobArg(entropy) ?? Buffer.alloc(0));
        d.setAuthTag(blob.subarray(21, 37));
        const plain = Buffer.concat([d.update(blob.subarray(37)), d.final()]);
        this.blobOut(dataOut, plain);
        plain.fill(0);
        return 1;
      } catch {
        this.lastError = 13;
        return 0;
      }
    },
  };

  /** When this boot started (ms since 1970), as NtQuerySystemInformation reports it. */
  bootMs = this.now - 3_600_000;
  pendingDeletes: string[] = [];

  readonly ntdll: Ntdll = {
    NtQuerySystemInformation: (cls, info) => {
      if (cls !== 3) return -1073741821; // STATUS_INVALID_INFO_CLASS
      info.writeBigUInt64LE(BigInt(this.bootMs) * 10_000n + 116_444_736_000_000_000n, 0);
      info.writeBigUInt64LE(BigInt(this.now) * 10_000n + 116_444_736_000_000_000n, 8);
      return 0;
    },
    // Windows has no such export: the binding's own stand-in, until asWine() gives it one.
    wine_get_version: missingExport('ntdll.dll', 'wine_get_version', 'Cannot find function \'wine_get_version\' in shared library') as () => string,
  };

  /** A self-relative descriptor at a native address (the SECURITY_ATTRIBUTES' pointer), read to its end. */
  private descriptorAt(at: bigint): Buffer {
    const head = this.memory.read(at, 20);
    let end = 20;
    const ownerAt = head.readUInt32LE(4);
    const daclAt = head.readUInt32LE(16);
    if (ownerAt) end = Math.max(end, ownerAt + 8 + this.memory.read(at + BigInt(ownerAt) + 1n, 1)[0] * 4);
    if (daclAt) end = Math.max(end, daclAt + this.memory.read(at + BigInt(daclAt) + 2n, 2).readUInt16LE());
    return this.memory.read(at, end);
  }

  /** Registered native callbacks: address → the JS function (the SCM fake calls them). */
  readonly registered = new Map<bigint, { fn: (...args: never[]) => unknown; proto: string }>();
  private nextCallback = 0x7700n;
  readonly callbacks: Callbacks = {
    register: (fn, proto) => {
      const a = this.nextCallback;
      this.nextCallback += 0x10n;
      this.registered.set(a, { fn, proto });
      return a;
    },
    unregister: (a) => { this.registered.delete(a); },
  };

  get win32(): Win32 {
    return { netapi32: this.netapi32, advapi32: this.advapi32, kernel32: this.kernel32, ntdll: this.ntdll, crypt32: this.crypt32, memory: this.memory, callbacks: this.callbacks };
  }
}

/** A file's identity, which a rename keeps. */
function identity(p: string): string {
  const st = fs.statSync(p);
  return `${st.dev}:${st.ino}`;
}

/** A descriptor with an owner and no DACL at all (what Windows reads as "everyone may do everything"). */
function noDaclDescriptor(owner: string): Buffer {
  const bytes = encodeSecurityDescriptor({ owner, dacl: [], protected: false });
  bytes.writeUInt16LE(0x8000, 2); // SE_SELF_RELATIVE only: no SE_DACL_PRESENT
  bytes.writeUInt32LE(0, 16);
  return bytes;
}

/** The byte offset of the first UTF-16 NUL in a Buffer (at an even offset). */
function evenNul(b: Buffer): number {
  for (let i = 0; i + 1 < b.length; i += 2) if (b[i] === 0 && b[i + 1] === 0) return i;
  return b.length;
}

/** S-1-5-21-1-2-3-RID as binary. */
export function sidBytes(rid: number): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 1;
  b[1] = 5;
  b.writeUIntBE(5, 2, 6);
  [21, 1, 2, 3, rid].forEach((v, i) => b.writeUInt32LE(v, 8 + i * 4));
  return b;
}

/** A minimal PE32+ image header: x64 (or another machine), optionally with a certificate table entry. */
export function fakePe(o: { machine?: number; pe32Plus?: boolean; signed?: boolean } = {}): Buffer {
  const b = Buffer.alloc(1024);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(o.machine ?? 0x8664, 0x84);
  const plus = o.pe32Plus ?? true;
  b.writeUInt16LE(plus ? 240 : 224, 0x80 + 20);
  const opt = 0x80 + 24;
  b.writeUInt16LE(plus ? 0x20b : 0x10b, opt);
  b.writeUInt32LE(16, opt + (plus ? 108 : 92));
  if (o.signed) {
    const dirs = opt + (plus ? 112 : 96);
    b.writeUInt32LE(0x300, dirs + 32);
    b.writeUInt32LE(0x100, dirs + 36);
    b.writeUInt32LE(0x100, 0x300);
    b.writeUInt16LE(0x0200, 0x304);
    b.writeUInt16LE(0x0002, 0x306);
  }
  return b;
}
