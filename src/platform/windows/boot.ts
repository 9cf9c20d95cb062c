// This boot: when it started, and its id as the filter's HELLO carries it.
//
// Both come from the kernel's boot time (NtQuerySystemInformation, SystemTimeOfDayInformation: the first
// field is BootTime, a FILETIME), the same value for every process, so the bridge computes the same id the
// filter DLL does (native/lsa/host.h, pwb_boot_id): HMAC-SHA256 keyed "pwbridge/1/boot" over the boot
// time in whole seconds since 1970 as 8 bytes little-endian, first 16 bytes, here in hex.

import { createHmac } from 'node:crypto';
import type { Win32 } from './binding';
import { FILETIME_UNIX_EPOCH } from './filetime';

const SYSTEM_TIME_OF_DAY_INFORMATION = 3;
/** SYSTEM_TIMEOFDAY_INFORMATION: BootTime, CurrentTime, TimeZoneBias, TimeZoneId, Reserved, BootTimeBias, SleepTimeBias. */
const TIME_OF_DAY_SIZE = 48;

/** The boot time in whole seconds since 1970 (0 when the kernel will not say, as the DLL does). */
export function bootTimeSeconds(w: Win32): number {
  const info = Buffer.alloc(TIME_OF_DAY_SIZE);
  const status = w.ntdll.NtQuerySystemInformation(SYSTEM_TIME_OF_DAY_INFORMATION, info, info.length, null);
  const boot = info.readBigUInt64LE(0);
  if (status < 0 || boot <= FILETIME_UNIX_EPOCH) return 0;
  return Number(boot / 10_000_000n - 11_644_473_600n);
}

/** The 16-byte boot id in hex, from the boot time in seconds (pwb_boot_id's derivation). */
export function bootIdFor(bootSeconds: number): string {
  const le = Buffer.alloc(8);
  le.writeBigUInt64LE(BigInt(bootSeconds));
  return createHmac('sha256', 'pwbridge/1/boot').update(le).digest().subarray(0, 16).toString('hex');
}
