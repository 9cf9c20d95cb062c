// Is the LSA filter installed, and could lsass have loaded it? Read from the registry and System32 alone;
// the filter's hello (FilterStateTracker) is what proves it is loaded.
//
// - not in `Notification Packages`                          → not-installed
// - listed, but System32\pwbridge_filter.dll missing or not a 64-bit DLL → faulted (lsass cannot load it)
// - LSA protection on (RunAsPPL 1 or 2) and the DLL unsigned → faulted (a protected lsass loads only
//   plug-ins signed to Microsoft's requirements)
// - otherwise pending-reboot: LSA reads Notification Packages only at boot. Before a boot that started after
//   the install (InstalledAt, written by `pwbridge install`), a reboot is required; after one, the filter's
//   hello is awaited (it says hello as soon as it reaches the service), and the hello makes it active.
// - the pipe's server (the service process itself, or for `status` the account the service manager starts
//   the service as) is another SID than HKLM\SOFTWARE\pwbridge ServiceSid → faulted, because the filter
//   checks the pipe server's SID against ServiceSid before it sends a byte, and will not send to it.
//
// The full Notification Packages list goes into `details`, which `pwbridge status` prints.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FilterProbe } from '../../service/filter-state';
import { filetimeToMs } from './filetime';
import { hasPackage } from './notification-packages';
import { is64BitImage, readPeInfo, type PeInfo } from './pe-file';
import {
  FILTER_DLL, FILTER_PACKAGE, LSA_KEY, NOTIFICATION_PACKAGES, PWBRIDGE_KEY, RUN_AS_PPL, VALUE_DISABLED, VALUE_INSTALLED_AT, VALUE_SERVICE_SID,
} from './places';
import { decodeList, decodeNumber, decodeString, type RegistryPort } from './registry';

/** Everything the decision rests on, gathered first so the decision is a pure function. */
export interface FilterFacts {
  packages: string[];
  /** Irregularities in the REG_MULTI_SZ (shown, not acted on). */
  packagesIrregular: string[];
  dllPath: string;
  /** undefined: the DLL file is missing; otherwise what its PE headers say (or why they could not be read). */
  dll?: PeInfo | { error: string };
  /** RunAsPPL's value; 0 when absent. */
  runAsPpl: number;
  /** When install last made a change only a reboot applies (ms), if recorded. */
  installedAtMs?: number;
  /** When this boot started (ms). */
  bootMs: number;
  /** The filter's kill switch (HKLM\SOFTWARE\pwbridge Disabled = 1). */
  killSwitch: boolean;
  /**
   * Who serves the pipe: the SID, what it is (this service process, or the service as the service manager
   * has it configured, for `status`), and ServiceSid (undefined: not set).
   */
  identity?: { servingSid: string; servedBy: string; serviceSid?: string };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Boot time from the kernel is whole seconds; InstalledAt is ms. Within this, they are "the same moment". */
const CLOCK_SLACK_MS = 2000;

export function decideFilterState(f: FilterFacts): FilterProbe {
  const details = [`Notification Packages: ${f.packages.length ? f.packages.join(', ') : '(empty)'}${f.packagesIrregular.length ? ` (${f.packagesIrregular.join('; ')})` : ''}`];
  if (f.runAsPpl !== 0) details.push(`LSA protection: on (RunAsPPL = ${f.runAsPpl})`);
  if (f.killSwitch) details.push(`the filter's kill switch is on (HKLM\\${PWBRIDGE_KEY} ${VALUE_DISABLED} = 1): it reports nothing`);
  const probe = (state: FilterProbe['state'], reason: string): FilterProbe => ({ state, reason, details });

  if (!hasPackage(f.packages)) {
    return probe('not-installed', f.dll
      ? `${FILTER_PACKAGE} is not in Notification Packages (${f.dllPath} is there, but LSA only loads what that list names)`
      : `${FILTER_PACKAGE} is not in Notification Packages`);
  }
  if (!f.dll) return probe('faulted', `${FILTER_PACKAGE} is in Notification Packages but ${f.dllPath} is missing, so LSA cannot load it`);
  if ('error' in f.dll) return probe('faulted', `${f.dllPath} cannot be read as a DLL (${f.dll.error}), so LSA cannot load it`);
  if (!is64BitImage(f.dll)) return probe('faulted', `${f.dllPath} is not a 64-bit Windows DLL, and lsass.exe is 64-bit: it cannot load it`);
  if (f.runAsPpl !== 0 && !f.dll.signed) {
    return probe('faulted', `LSA protection is on (RunAsPPL = ${f.runAsPpl}) and ${FILTER_DLL} is unsigned: a protected lsass.exe loads only `
      + 'plug-ins signed to Microsoft\'s requirements, so it does not load the filter. Turn LSA protection off (see docs/windows.md, "LSA protection"), or remove pwbridge');
  }
  if (f.identity && f.identity.servingSid.toUpperCase() !== f.identity.serviceSid?.toUpperCase()) {
    return probe('faulted', `${f.identity.servedBy} ${f.identity.servingSid}, but HKLM\\${PWBRIDGE_KEY} ${VALUE_SERVICE_SID} is `
      + `${f.identity.serviceSid ?? 'not set'}: the filter sends only to a pipe served by that SID, so it will not send to it. `
      + 'Run the service as the account pwbridge install set it up with (services.msc, Log On), or run pwbridge install again, which sets both');
  }
  const ppl = f.runAsPpl !== 0 ? '; LSA protection is on, so lsass loads the filter only if its signature meets Microsoft\'s requirements' : '';
  if (f.installedAtMs === undefined) {
    return probe('pending-reboot', `${FILTER_PACKAGE} is registered, but when is not recorded (HKLM\\${PWBRIDGE_KEY} ${VALUE_INSTALLED_AT}): waiting for the filter's hello in this boot${ppl}`);
  }
  if (f.bootMs + CLOCK_SLACK_MS < f.installedAtMs) {
    return probe('pending-reboot', `reboot required: the filter was installed at ${iso(f.installedAtMs)}, after this boot began (${iso(f.bootMs)}); LSA loads it at the next boot${ppl}`);
  }
  return probe('pending-reboot', `rebooted since the install (${iso(f.installedAtMs)}; this boot began ${iso(f.bootMs)}): waiting for the filter's hello, which it sends as soon as it reaches the service${ppl}`);
}

export interface FilterProbeDeps {
  registry: RegistryPort;
  system32Dir: string;
  bootMs(): number;
  readFile?: (p: string) => Buffer;
  /** Who serves the pipe (this process's SID in the service; the configured account's for `status`), to hold against ServiceSid. */
  serving?: { sid: string; by: string };
}

/** Gather the facts (registry, System32, boot time) and decide. Never throws: a failure is "faulted". */
export function probeWindowsFilter(d: FilterProbeDeps): FilterProbe {
  try {
    return decideFilterState(gatherFilterFacts(d));
  } catch (e) {
    return { state: 'faulted', reason: `cannot read the filter's registration: ${(e as Error).message}` };
  }
}

export function gatherFilterFacts(d: FilterProbeDeps): FilterFacts {
  const read = d.readFile ?? ((p: string) => fs.readFileSync(p));
  const value = d.registry.get(LSA_KEY, NOTIFICATION_PACKAGES);
  const list = value ? decodeList(value) : { values: [], irregular: [] };
  const dllPath = path.join(d.system32Dir, FILTER_DLL);
  let dll: FilterFacts['dll'];
  let bytes: Buffer | undefined;
  try {
    bytes = read(dllPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') dll = { error: (e as Error).message };
  }
  if (bytes) {
    try {
      dll = readPeInfo(bytes);
    } catch (e) {
      dll = { error: (e as Error).message };
    }
  }
  const num = (key: string, name: string): number | bigint | undefined => {
    const v = d.registry.get(key, name);
    if (!v) return undefined;
    try {
      return decodeNumber(v);
    } catch {
      return undefined;
    }
  };
  const str = (key: string, name: string): string | undefined => {
    const v = d.registry.get(key, name);
    try {
      return v ? decodeString(v) : undefined;
    } catch {
      return undefined;
    }
  };
  const ppl = num(LSA_KEY, RUN_AS_PPL);
  const installed = num(PWBRIDGE_KEY, VALUE_INSTALLED_AT);
  return {
    packages: list.values,
    packagesIrregular: list.irregular,
    dllPath,
    dll,
    runAsPpl: ppl === undefined ? 0 : Number(ppl),
    installedAtMs: typeof installed === 'bigint' && installed > 0n ? filetimeToMs(installed) : undefined,
    bootMs: d.bootMs(),
    killSwitch: num(PWBRIDGE_KEY, VALUE_DISABLED) === 1,
    ...(d.serving ? { identity: { servingSid: d.serving.sid, servedBy: d.serving.by, serviceSid: str(PWBRIDGE_KEY, VALUE_SERVICE_SID) } } : {}),
  };
}
