/* What the filter reads from the machine: the install's key files and the facts its HELLO carries. */
#ifndef PWB_LSA_HOST_H
#define PWB_LSA_HOST_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>

#include "pwb_wire.h"

/* <data_dir>\keys\capture.secret (32 bytes) and bridge.pub (65 bytes, an uncompressed point), as on Linux.
 * Each must be a regular file (no reparse point) owned by SYSTEM, Administrators or us; nobody else may
 * write either, and only `service_sid` (may be NULL) may read the secret. 0, or -1 with both wiped. */
int pwb_read_keys(const WCHAR *data_dir, PSID service_sid, uint8_t secret[PWB_SECRET], uint8_t bridge_pub[PWB_EPK]);

/* The DNS host name (what the bridge's os.hostname() says) as UTF-8, else "localhost". NUL-terminated. */
void pwb_machine_name(char out[PWB_MAX_NAME + 1]);

/* 16 bytes naming this boot: HMAC-SHA256(key "pwbridge/1/boot", u64 LE boot time in whole seconds since
 * the Unix epoch), first 16 bytes. The boot time is the kernel's (NtQuerySystemInformation
 * SystemTimeOfDayInformation.BootTime), the same for every reader, so the bridge can compute it too. */
void pwb_boot_id(uint8_t out[16]);

/* UTF-16 → UTF-8 without replacement characters: -1 on a lone surrogate or when it does not fit. */
int pwb_utf8(const WCHAR *in, size_t in_len, char *out, size_t cap, size_t *out_len);

/* dst = a "\" b (NUL-terminated); -1 when it does not fit. */
int pwb_path(WCHAR *dst, size_t cap, const WCHAR *a, const WCHAR *b);

#endif
