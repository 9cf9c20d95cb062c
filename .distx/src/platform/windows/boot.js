"use strict";
// This boot: when it started, and its id as the filter's HELLO carries it.
//
// Both come from the kernel's boot time (NtQuerySystemInformation, SystemTimeOfDayInformation: the first
// field is BootTime, a FILETIME), the same value for every process, so the bridge computes the same id the
// filter DLL does (native/lsa/host.h, pwb_boot_id): HMAC-SHA256 keyed "pwbridge/1/boot" over the boot
// time in whole seconds since 1970 as 8 bytes little-endian, first 16 bytes, here in hex.
Object.defineProperty(exports, "__esModule", { value: true });
exports.bootTimeSeconds = bootTimeSeconds;
exports.bootIdFor = bootIdFor;
const node_crypto_1 = require("node:crypto");
const filetime_1 = require("./filetime");
const SYSTEM_TIME_OF_DAY_INFORMATION = 3;
/** SYSTEM_TIMEOFDAY_INFORMATION: BootTime, CurrentTime, TimeZoneBias, TimeZoneId, Reserved, BootTimeBias, SleepTimeBias. */
const TIME_OF_DAY_SIZE = 48;
/** The boot time in whole seconds since 1970 (0 when the kernel will not say, as the DLL does). */
function bootTimeSeconds(w) {
    const info = Buffer.alloc(TIME_OF_DAY_SIZE);
    const status = w.ntdll.NtQuerySystemInformation(SYSTEM_TIME_OF_DAY_INFORMATION, info, info.length, null);
    const boot = info.readBigUInt64LE(0);
    if (status < 0 || boot <= filetime_1.FILETIME_UNIX_EPOCH)
        return 0;
    return Number(boot / 10000000n - 11644473600n);
}
/** The 16-byte boot id in hex, from the boot time in seconds (pwb_boot_id's derivation). */
function bootIdFor(bootSeconds) {
    const le = Buffer.alloc(8);
    le.writeBigUInt64LE(BigInt(bootSeconds));
    return (0, node_crypto_1.createHmac)('sha256', 'pwbridge/1/boot').update(le).digest().subarray(0, 16).toString('hex');
}
//# sourceMappingURL=boot.js.map