// The Windows service, through the service control manager (advapi32), not sc.exe: sc.exe would need the
// service account's password on its command line, where any process can read it. Create (own process,
// automatic start, restart on failure), point at a new binary path, start, stop, delete, query.

import type { Handle, Win32 } from './binding';
import { readPtr, readWideZ } from './layout';
import { decodeServiceStatus, encodeFailureActions, encodeServiceDescription, QUERY_SERVICE_CONFIGW, SC_ACTION_RESTART, SERVICE_STATUS } from './structs';
import { wideZ } from './utf16';
import { ERROR_INSUFFICIENT_BUFFER, ERROR_SERVICE_ALREADY_RUNNING, ERROR_SERVICE_DOES_NOT_EXIST, ERROR_SERVICE_NOT_ACTIVE, Win32Error } from './win32-errors';

const SC_MANAGER_CONNECT = 0x0001;
const SC_MANAGER_CREATE_SERVICE = 0x0002;
const SERVICE_QUERY_CONFIG = 0x0001;
const SERVICE_QUERY_STATUS = 0x0004;
const SERVICE_CHANGE_CONFIG = 0x0002;
const SERVICE_START = 0x0010;
const SERVICE_STOP = 0x0020;
const DELETE = 0x0001_0000;
const SERVICE_ALL_ACCESS = 0x000f_01ff;
export const SERVICE_WIN32_OWN_PROCESS = 0x10;
const SERVICE_AUTO_START = 2;
const SERVICE_ERROR_NORMAL = 1;
const SERVICE_NO_CHANGE = 0xffff_ffff;
const SERVICE_CONTROL_STOP = 1;
const SERVICE_CONFIG_DESCRIPTION = 1;
const SERVICE_CONFIG_FAILURE_ACTIONS = 2;

export const SERVICE_STOPPED = 1;
export const SERVICE_START_PENDING = 2;
export const SERVICE_STOP_PENDING = 3;
export const SERVICE_RUNNING = 4;

export interface NewService {
  name: string;
  display: string;
  description: string;
  /** The whole command line (command-line.ts). */
  binaryPath: string;
  /** `.\name` of the local account it runs as. */
  account: string;
  /** NUL-terminated UTF-16LE; the caller wipes it. null: none given (Wine, where the account's password is unknown). */
  passwordWideZ: Buffer | null;
}

/** Restart after 5 s, then after 30 s, then after 2 min; the count resets after a day without a failure. */
export const FAILURE_ACTIONS = [
  { type: SC_ACTION_RESTART, delayMs: 5_000 },
  { type: SC_ACTION_RESTART, delayMs: 30_000 },
  { type: SC_ACTION_RESTART, delayMs: 120_000 },
];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ServiceControl {
  constructor(private readonly w: Win32) {}

  private scm<T>(access: number, f: (h: bigint) => T): T {
    const h = this.w.advapi32.OpenSCManagerW(null, null, access);
    if (h === null || h === 0n) throw new Win32Error('OpenSCManagerW', this.w.kernel32.GetLastError());
    try {
      return f(h);
    } finally {
      this.w.advapi32.CloseServiceHandle(h);
    }
  }

  /** Run `f` on the service, or return undefined when there is no such service. */
  private service<T>(name: string, access: number, f: (h: bigint) => T): T | undefined {
    return this.scm(SC_MANAGER_CONNECT, (scm) => {
      const h: Handle = this.w.advapi32.OpenServiceW(scm, wideZ(name), access);
      if (h === null || h === 0n) {
        const code = this.w.kernel32.GetLastError();
        if (code === ERROR_SERVICE_DOES_NOT_EXIST) return undefined;
        throw new Win32Error('OpenServiceW', code, name);
      }
      try {
        return f(h);
      } finally {
        this.w.advapi32.CloseServiceHandle(h);
      }
    });
  }

  /** The service's current state (SERVICE_RUNNING, …), or undefined when it does not exist. */
  state(name: string): number | undefined {
    return this.service(name, SERVICE_QUERY_STATUS, (h) => {
      const st = Buffer.alloc(SERVICE_STATUS.size);
      if (!this.w.advapi32.QueryServiceStatus(h, st)) throw new Win32Error('QueryServiceStatus', this.w.kernel32.GetLastError(), name);
      return decodeServiceStatus(st).currentState;
    });
  }

  /** The account it is configured to run as (lpServiceStartName: `.\\name`, `LocalSystem`, …), or undefined when there is no such service. */
  account(name: string): string | undefined {
    return this.service(name, SERVICE_QUERY_CONFIG, (h) => {
      const needed = Buffer.alloc(4);
      let config: Buffer = Buffer.alloc(0);
      for (let i = 0; i < 3; i++) {
        if (this.w.advapi32.QueryServiceConfigW(h, config.length ? config : null, config.length, needed)) {
          // The struct's strings are inside `config` itself, after the struct.
          return readWideZ(this.w.memory, readPtr(QUERY_SERVICE_CONFIGW, config, 0, 'lpServiceStartName')) ?? 'LocalSystem';
        }
        const code = this.w.kernel32.GetLastError();
        if (code !== ERROR_INSUFFICIENT_BUFFER) throw new Win32Error('QueryServiceConfigW', code, name);
        config = Buffer.alloc(Math.max(needed.readUInt32LE(), QUERY_SERVICE_CONFIGW.size));
      }
      throw new Win32Error('QueryServiceConfigW', ERROR_INSUFFICIENT_BUFFER, name);
    });
  }

  create(s: NewService): void {
    this.scm(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, (scm) => {
      const h = this.w.advapi32.CreateServiceW(scm, wideZ(s.name), wideZ(s.display), SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS,
        SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, wideZ(s.binaryPath), null, null, null, wideZ(s.account), s.passwordWideZ);
      if (h === null || h === 0n) throw new Win32Error('CreateServiceW', this.w.kernel32.GetLastError(), s.name);
      try {
        this.describe(h, s.description);
      } finally {
        this.w.advapi32.CloseServiceHandle(h);
      }
    });
  }

  /** Point an existing service at this command line (and description, restart policy). Its account is kept. */
  reconfigure(name: string, binaryPath: string, description: string): boolean {
    return this.service(name, SERVICE_CHANGE_CONFIG, (h) => {
      if (!this.w.advapi32.ChangeServiceConfigW(h, SERVICE_NO_CHANGE, SERVICE_AUTO_START, SERVICE_NO_CHANGE, wideZ(binaryPath), null, null, null, null, null, null)) {
        throw new Win32Error('ChangeServiceConfigW', this.w.kernel32.GetLastError(), name);
      }
      this.describe(h, description);
      return true;
    }) ?? false;
  }

  private describe(h: bigint, description: string): void {
    const d = encodeServiceDescription(this.w.memory, wideZ(description));
    if (!this.w.advapi32.ChangeServiceConfig2W(h, SERVICE_CONFIG_DESCRIPTION, d.buf)) {
      throw new Win32Error('ChangeServiceConfig2W', this.w.kernel32.GetLastError(), 'description');
    }
    const fa = encodeFailureActions(this.w.memory, 86_400, FAILURE_ACTIONS);
    if (!this.w.advapi32.ChangeServiceConfig2W(h, SERVICE_CONFIG_FAILURE_ACTIONS, fa.buf)) {
      throw new Win32Error('ChangeServiceConfig2W', this.w.kernel32.GetLastError(), 'failure actions');
    }
  }

  /** Start it; false when it was already running. */
  start(name: string): boolean {
    const r = this.service(name, SERVICE_START, (h) => {
      if (this.w.advapi32.StartServiceW(h, 0, null)) return true;
      const code = this.w.kernel32.GetLastError();
      if (code === ERROR_SERVICE_ALREADY_RUNNING) return false;
      throw new Win32Error('StartServiceW', code, name);
    });
    if (r === undefined) throw new Win32Error('OpenServiceW', ERROR_SERVICE_DOES_NOT_EXIST, name);
    return r;
  }

  /** Ask it to stop and wait until it has (or `timeoutMs` passed). 'not-running' when it was not. */
  async stop(name: string, timeoutMs = 30_000): Promise<'stopped' | 'not-running' | 'timeout' | 'absent'> {
    const asked = this.service(name, SERVICE_STOP | SERVICE_QUERY_STATUS, (h) => {
      const st = Buffer.alloc(SERVICE_STATUS.size);
      if (this.w.advapi32.ControlService(h, SERVICE_CONTROL_STOP, st)) return 'asked' as const;
      const code = this.w.kernel32.GetLastError();
      if (code === ERROR_SERVICE_NOT_ACTIVE) return 'not-running' as const;
      throw new Win32Error('ControlService', code, `${name}, stop`);
    });
    if (asked === undefined) return 'absent';
    if (asked === 'not-running') return asked;
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = this.state(name);
      if (s === undefined || s === SERVICE_STOPPED) return 'stopped';
      if (Date.now() > until) return 'timeout';
      await sleep(200);
    }
  }

  /** Mark it for deletion (it goes once stopped and every handle is closed). False when there was none. */
  delete(name: string): boolean {
    return this.service(name, DELETE, (h) => {
      if (!this.w.advapi32.DeleteService(h)) throw new Win32Error('DeleteService', this.w.kernel32.GetLastError(), name);
      return true;
    }) ?? false;
  }
}
