// What `pwbridge install` / `uninstall` change on Windows, as one interface: the registry, local
// accounts, rights, the service, System32, the data dir's ACL. `realWindowsSystem()` is the machine
// (advapi32/netapi32 through the binding, files through node:fs); the tests build the same interface on
// the fake Win32 and temporary folders.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccountLookup, type AccountSid } from './account-lookup';
import { loadWin32, type Win32 } from './binding';
import { bootTimeSeconds } from './boot';
import { computerName } from './computer-name';
import { logonMatches } from './logon';
import { LsaRights } from './lsa-rights';
import { NetApi } from './netapi';
import { system32 } from './places';
import { processUserSid } from './process-identity';
import { Registry, type RegistryPort } from './registry';
import { DataDirAcl, type EntryProblem } from './secure-tree';
import { SERVICE_RUNNING, SERVICE_STOPPED, ServiceControl, type NewService } from './service-control';
import type { NetUser } from './structs';
import { wideZ } from './utf16';
import { wineVersion } from './wine';

export interface WindowsSystem {
  registry: RegistryPort;
  users: {
    get(name: string): NetUser | undefined;
    /** NetUserAdd; throws on failure. */
    add(name: string, passwordWideZ: Buffer, comment: string, flags: number): void;
    /** NetUserDel's status. */
    delete(name: string): number;
    addToGroup(group: string, member: string): number;
    removeFromGroup(group: string, member: string): number;
    /** The local groups it is in, directly or not (undefined: no such account). */
    localGroups(name: string): string[] | undefined;
    /** LogonUserW with this password (NUL-terminated UTF-16LE, the caller's to wipe): right or wrong; throws when Windows says neither. */
    passwordMatches(name: string, passwordWideZ: Buffer): boolean;
  };
  lookup: {
    sidOf(name: string): AccountSid | undefined;
    administratorsGroup(): string;
    nameOfSid(sid: string): string | undefined;
  };
  rights: {
    add(sid: Buffer, rights: readonly string[]): void;
    list(sid: Buffer): string[];
    remove(sid: Buffer, rights: readonly string[]): void;
    removeAll(sid: Buffer): boolean;
  };
  /** Who this process is, and on what. */
  self: {
    /** Wine's version when this is Wine (wine.ts), else undefined. */
    wineVersion(): string | undefined;
    userSid(): string;
  };
  services: {
    state(name: string): number | undefined;
    create(s: NewService): void;
    reconfigure(name: string, binaryPath: string, description: string): boolean;
    start(name: string): boolean;
    stop(name: string, timeoutMs?: number): Promise<'stopped' | 'not-running' | 'timeout' | 'absent'>;
    delete(name: string): boolean;
  };
  files: {
    /** C:\Windows\System32 (the tests: a temporary folder). */
    system32: string;
    read(p: string): Buffer | undefined;
    /** Put `data` at `p` whole; a file Windows holds open (a loaded DLL) is moved aside and removed at reboot. */
    replace(p: string, data: Buffer): 'written' | 'written, old file removed at reboot';
    remove(p: string): 'removed' | 'at-reboot' | 'absent';
  };
  /** The data dir's ACL (secure-tree.ts): owner Administrators; SYSTEM, Administrators and the service account only. */
  dataDir: {
    /** Entries that let in anyone but SYSTEM, Administrators and `serviceSids`. */
    problems(dir: string, serviceSids: readonly string[]): EntryProblem[];
    /** Create it with the protected ACL (with an entry for `serviceSid`). */
    create(dir: string, serviceSid: string | undefined): void;
    /** Set the protected ACL on every entry, then read each back trusting `serviceSids`: throws DataDirAclError naming what is wrong. */
    secure(dir: string, serviceSid: string | undefined, serviceSids: readonly string[]): void;
    /** The same for one file of the tree. */
    secureFile(file: string, serviceSid: string | undefined, serviceSids: readonly string[]): void;
  };
  computerName(): string;
  now(): number;
  bootMs(): number;
  /**
   * Wait until the service control manager says the service runs (it says so once the bridge listens):
   * not a connection to the pipe, whose DACL lets in SYSTEM and the service account, not the administrator.
   */
  waitForService(name: string, timeoutMs: number): Promise<boolean>;
  /** A message file for the event source, if this Windows has one (.NET's EventLogMessages.dll). */
  eventMessageFile(): string | undefined;
}

const MOVEFILE_DELAY_UNTIL_REBOOT = 0x4;

export function realWindowsSystem(w: Win32 = loadWin32()): WindowsSystem {
  const net = new NetApi(w);
  const lookup = new AccountLookup(w);
  const rights = new LsaRights(w);
  const services = new ServiceControl(w);
  const acl = new DataDirAcl(w, (sid) => lookup.nameOfSid(sid));
  const atReboot = (p: string): void => {
    if (!w.kernel32.MoveFileExW(wideZ(p), null, MOVEFILE_DELAY_UNTIL_REBOOT)) {
      throw new Error(`cannot schedule ${p} for removal at reboot (error ${w.kernel32.GetLastError()})`);
    }
  };
  const busy = (e: unknown) => ['EBUSY', 'EPERM', 'EACCES'].includes((e as NodeJS.ErrnoException).code ?? '');
  return {
    registry: new Registry(w),
    users: {
      get: (name) => net.getUser(name),
      add: (name, pw, comment, flags) => net.addUser(name, pw, comment, flags),
      delete: (name) => net.deleteUser(name),
      addToGroup: (group, member) => net.addGroupMember(group, member),
      removeFromGroup: (group, member) => net.delGroupMember(group, member),
      localGroups: (name) => net.localGroups(name),
      passwordMatches: (name, pw) => logonMatches(w, name, pw),
    },
    lookup: { sidOf: (name) => lookup.sidOf(name), administratorsGroup: () => lookup.administratorsGroup(), nameOfSid: (sid) => lookup.nameOfSid(sid) },
    rights: { add: (sid, r) => rights.add(sid, r), list: (sid) => rights.list(sid), remove: (sid, r) => rights.remove(sid, r), removeAll: (sid) => rights.removeAll(sid) },
    self: { wineVersion: () => wineVersion(w), userSid: () => processUserSid(w) },
    services: {
      state: (n) => services.state(n),
      create: (s) => services.create(s),
      reconfigure: (n, b, d) => services.reconfigure(n, b, d),
      start: (n) => services.start(n),
      stop: (n, t) => services.stop(n, t),
      delete: (n) => services.delete(n),
    },
    files: {
      system32: system32(),
      read: (p) => {
        try {
          return fs.readFileSync(p);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw e;
        }
      },
      replace: (p, data) => {
        const tmp = `${p}.pwbridge-${randomBytes(4).toString('hex')}.tmp`;
        fs.writeFileSync(tmp, data, { flag: 'wx' });
        try {
          fs.renameSync(tmp, p);
          return 'written';
        } catch (e) {
          if (!busy(e)) { fs.rmSync(tmp, { force: true }); throw e; }
          // lsass has the old DLL loaded: it cannot be replaced or deleted, but it can be renamed.
          const aside = `${p}.old-${Date.now()}`;
          fs.renameSync(p, aside);
          fs.renameSync(tmp, p);
          atReboot(aside);
          return 'written, old file removed at reboot';
        }
      },
      remove: (p) => {
        try {
          fs.rmSync(p);
          return 'removed';
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
          if (!busy(e)) throw e;
          atReboot(p);
          return 'at-reboot';
        }
      },
    },
    dataDir: {
      problems: (dir, sids) => acl.problems(dir, sids),
      create: (dir, sid) => acl.create(dir, sid),
      secure: (dir, sid, sids) => acl.secure(dir, sid, sids),
      secureFile: (file, sid, sids) => acl.secureFile(file, sid, sids),
    },
    computerName: () => computerName(w),
    now: Date.now,
    bootMs: () => bootTimeSeconds(w) * 1000,
    waitForService: async (name, ms) => {
      const until = Date.now() + ms;
      for (;;) {
        const state = services.state(name);
        if (state === SERVICE_RUNNING) return true;
        if (state === undefined || state === SERVICE_STOPPED || Date.now() > until) return false;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    eventMessageFile: () => {
      const f = path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'Microsoft.NET', 'Framework64', 'v4.0.30319', 'EventLogMessages.dll');
      return fs.existsSync(f) ? f : undefined;
    },
  };
}
