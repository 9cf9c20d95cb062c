// What `pwbridge install` / `uninstall` change on Windows, as one interface: the registry, local
// accounts, rights, the service, System32, the data dir's ACL. `realWindowsSystem()` is the machine
// (advapi32/netapi32 through the binding, files through node:fs, icacls for the ACL); the tests build the
// same interface on the fake Win32 and temporary folders.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForSocket } from '../../setup/wait-socket';
import { AccountLookup, type AccountSid } from './account-lookup';
import { loadWin32, type Win32 } from './binding';
import { bootTimeSeconds } from './boot';
import { LsaRights } from './lsa-rights';
import { NetApi } from './netapi';
import { system32 } from './places';
import { Registry, type RegistryPort } from './registry';
import { ServiceControl, type NewService } from './service-control';
import { ADMINISTRATORS_SID } from './sid';
import type { NetUser } from './structs';
import { wideZ } from './utf16';

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
  };
  lookup: {
    sidOf(name: string): AccountSid | undefined;
    administratorsGroup(): string;
  };
  rights: {
    add(sid: Buffer, rights: readonly string[]): void;
    removeAll(sid: Buffer): boolean;
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
  /** Only SYSTEM and Administrators may enter the data dir (the filter checks the key files' ACLs). */
  secureDir(dir: string): void;
  computerName(): string;
  now(): number;
  bootMs(): number;
  /** Wait for the service's pipe to answer. */
  waitForService(endpoint: string, timeoutMs: number): Promise<boolean>;
  /** A message file for the event source, if this Windows has one (.NET's EventLogMessages.dll). */
  eventMessageFile(): string | undefined;
}

const MOVEFILE_DELAY_UNTIL_REBOOT = 0x4;

export function realWindowsSystem(w: Win32 = loadWin32()): WindowsSystem {
  const net = new NetApi(w);
  const lookup = new AccountLookup(w);
  const rights = new LsaRights(w);
  const services = new ServiceControl(w);
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
    },
    lookup: { sidOf: (name) => lookup.sidOf(name), administratorsGroup: () => lookup.administratorsGroup() },
    rights: { add: (sid, r) => rights.add(sid, r), removeAll: (sid) => rights.removeAll(sid) },
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
    secureDir: (dir) => {
      // Protected DACL: SYSTEM and Administrators, full control, inherited by everything inside; owner
      // Administrators. The service account is an administrator, so it needs no entry of its own.
      const icacls = path.win32.join(system32(), 'icacls.exe');
      execFileSync(icacls, [dir, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', `*${ADMINISTRATORS_SID}:(OI)(CI)F`, '/Q'], { stdio: 'pipe', windowsHide: true });
      execFileSync(icacls, [dir, '/setowner', `*${ADMINISTRATORS_SID}`, '/T', '/C', '/Q'], { stdio: 'pipe', windowsHide: true });
    },
    computerName: () => {
      const buf = Buffer.alloc(2 * 64);
      const size = Buffer.alloc(4);
      size.writeUInt32LE(64);
      if (!w.kernel32.GetComputerNameW(buf, size)) throw new Error('GetComputerNameW failed');
      return buf.toString('utf16le', 0, size.readUInt32LE() * 2);
    },
    now: Date.now,
    bootMs: () => bootTimeSeconds(w) * 1000,
    waitForService: (endpoint, ms) => waitForSocket(endpoint, ms),
    eventMessageFile: () => {
      const f = path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'Microsoft.NET', 'Framework64', 'v4.0.30319', 'EventLogMessages.dll');
      return fs.existsSync(f) ? f : undefined;
    },
  };
}
