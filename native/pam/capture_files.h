/* What the module reads from the machine: the install's key files and the facts the HELLO carries. */
#ifndef PWB_CAPTURE_FILES_H
#define PWB_CAPTURE_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "pwb_wire.h"

/* Why the keys could not be used: the file could not be read (missing, unreadable, short read) or is not
 * safe to trust (owner, mode, not a regular file), or it was read and is not a key (size, point format). */
#define KEYS_UNREADABLE (-1)
#define KEYS_MALFORMED (-2)

/* <keys_dir>/capture.secret (32 bytes, mode 0600) and <keys_dir>/bridge.pub (65 bytes, not writable by
 * others), each a regular file owned by root or by us. 0, or KEYS_UNREADABLE / KEYS_MALFORMED with a
 * reason in `why`; nothing of the keys is left in the buffers then. */
int read_keys(const char *keys_dir, uint8_t secret[PWB_SECRET], uint8_t bridge_pub[PWB_EPK], char *why, size_t why_len);

/* The 16 bytes of /proc/sys/kernel/random/boot_id; zeros when it cannot be read. */
void read_boot_id(uint8_t out[16]);

/* The machine's name (uname nodename) when it is a valid protocol string, else "localhost". */
void machine_name(char *out, size_t cap);

#endif
