/* What the module reads from the machine: the install's key files and the facts the HELLO carries. */
#ifndef PWB_CAPTURE_FILES_H
#define PWB_CAPTURE_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "pwb_wire.h"

/* <keys_dir>/capture.secret (32 bytes, mode 0600) and <keys_dir>/bridge.pub (65 bytes, not writable by
 * others), each a regular file owned by root or by us. 0, or -1 with a reason in `why`. */
int read_keys(const char *keys_dir, uint8_t secret[PWB_SECRET], uint8_t bridge_pub[PWB_EPK], char *why, size_t why_len);

/* The 16 bytes of /proc/sys/kernel/random/boot_id; zeros when it cannot be read. */
void read_boot_id(uint8_t out[16]);

/* The machine's name (uname nodename) when it is a valid protocol string, else "localhost". */
void machine_name(char *out, size_t cap);

#endif
