// The Windows platform as src/platform/index.ts selects it: netapi32 accounts, the LSA filter probe, the
// kernel's boot id, and the Windows Event Log. Everything Win32 goes through one loaded binding.

import type { Config } from '../../config/config';
import type { StateStore } from '../../ports/journal.port';
import type { Platform } from '../index';
import { loadWin32, type Win32 } from './binding';
import { bootIdFor, bootTimeSeconds } from './boot';
import { WindowsEventSink } from './event-sink';
import { probeWindowsFilter } from './filter-probe';
import { system32 } from './places';
import { Registry } from './registry';
import { WindowsAccounts } from './windows.accounts';

export { WindowsAccounts } from './windows.accounts';
export { WindowsEventSink } from './event-sink';

/** The state-store key under which the last-set stabilizer keeps its values (filetime.ts). */
export const LAST_SET_KEY = 'windowsLastSet';

export function windowsPlatform(config: Config, opts: { store?: Pick<StateStore, 'getValue' | 'setValue'>; win32?: Win32 } = {}): Platform {
  const w = opts.win32 ?? loadWin32();
  const registry = new Registry(w);
  const store = opts.store;
  const bootSeconds = () => bootTimeSeconds(w);
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
    probeFilter: () => probeWindowsFilter({ registry, system32Dir: system32(), bootMs: () => bootSeconds() * 1000 }),
    bootId: () => bootIdFor(bootSeconds()),
    // A named pipe has no uid; its DACL and the filter's check of the server's SID decide who talks.
    peerUid: () => undefined,
    osEvents: new WindowsEventSink(w, config.machine),
  };
}
