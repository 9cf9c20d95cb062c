// The Windows platform as src/platform/index.ts selects it: netapi32 accounts, the LSA filter probe, the
// kernel's boot id, and the Windows Event Log. Everything Win32 goes through one loaded binding.

import type { Config } from '../../config/config';
import type { KeyFileAccessCheck } from '../../protocol/key-files';
import type { StateStore } from '../../ports/journal.port';
import type { Platform } from '../index';
import { AccountLookup } from './account-lookup';
import { loadWin32, type Win32 } from './binding';
import { bootIdFor, bootTimeSeconds } from './boot';
import { computerName } from './computer-name';
import { WindowsEventSink } from './event-sink';
import { probeWindowsFilter } from './filter-probe';
import { windowsFileAccess, windowsKeyFileAccess } from './key-file-access';
import { SERVICE_NAME, system32 } from './places';
import { processUserSid } from './process-identity';
import { Registry } from './registry';
import { SERVICE_RUNNING, ServiceControl } from './service-control';
import { WindowsAccounts } from './windows.accounts';

export { WindowsAccounts } from './windows.accounts';
export { WindowsEventSink } from './event-sink';

/** This process's user SID: the service compares it with ServiceSid; the pipe's DACL is SYSTEM plus it. */
export function ownSid(w: Win32 = loadWin32()): string {
  return processUserSid(w);
}

/** The account the service manager starts pwbridge as, and its SID; undefined when there is no service or no such account. */
function configuredServiceSid(w: Win32): { account: string; sid: string } | undefined {
  try {
    const account = new ServiceControl(w).account(SERVICE_NAME);
    const sid = account === undefined ? undefined : new AccountLookup(w).sidOfLogonName(account);
    return account !== undefined && sid ? { account, sid } : undefined;
  } catch {
    return undefined; // an administrator's `status` must show the rest whatever this says
  }
}

/** The NetBIOS computer name: config's default `machine` on Windows. */
export function machineName(w: Win32 = loadWin32()): string {
  return computerName(w);
}

/** Whether the service control manager says the pwbridge service runs (false when there is no such service). */
export function serviceRunning(w: Win32 = loadWin32()): boolean {
  return new ServiceControl(w).state(SERVICE_NAME) === SERVICE_RUNNING;
}

/** The owner-and-DACL check of key files (key-file-access.ts). */
export function keyFileAccess(w: Win32 = loadWin32()): KeyFileAccessCheck {
  return windowsKeyFileAccess(w, new Registry(w));
}

/** The same check for another file that holds a secret, without the keys' advice. */
export function secretFileAccess(w: Win32 = loadWin32()): KeyFileAccessCheck {
  return windowsFileAccess(w, new Registry(w));
}

/** The state-store key under which the last-set stabilizer keeps its values (filetime.ts). */
export const LAST_SET_KEY = 'windowsLastSet';

export function windowsPlatform(config: Config, opts: { store?: Pick<StateStore, 'getValue' | 'setValue'>; win32?: Win32; servesCapture?: boolean } = {}): Platform {
  const w = opts.win32 ?? loadWin32();
  const registry = new Registry(w);
  const store = opts.store;
  const bootSeconds = () => bootTimeSeconds(w);
  // The filter sends only to ServiceSid: the process serving the pipe is judged by who it runs as, and any
  // other (`status`) by the account the service manager starts the service as.
  const serving = (): { sid: string; by: string } | undefined => {
    if (opts.servesCapture) return { sid: ownSid(w), by: 'this service runs as' };
    const configured = configuredServiceSid(w);
    return configured && { sid: configured.sid, by: `the service ${SERVICE_NAME} is set to log on as ${configured.account},` };
  };
  return {
    // The fingerprint is the RID and when the password was set, which are not secret (`net user` shows
    // them), so no fingerprint key is needed here.
    accounts: new WindowsAccounts({
      win32: w,
      machine: config.machine,
      lastSetStore: store && {
        load: () => store.getValue<Record<string, number>>(LAST_SET_KEY),
        save: (v) => store.setValue(LAST_SET_KEY, v),
      },
    }),
    probeFilter: () => probeWindowsFilter({ registry, system32Dir: system32(), bootMs: () => bootSeconds() * 1000, serving: serving() }),
    bootId: () => bootIdFor(bootSeconds()),
    // A named pipe has no uid; its DACL and the filter's check of the server's SID decide who talks.
    peerUid: () => undefined,
    osEvents: new WindowsEventSink(w, config.machine),
  };
}
