/* The spool on Linux (docs/protocol.md "Spool"): one file per undelivered event in a root-only folder,
 * written so that a name ending in .chg is always a complete, durable record. */
#ifndef PWB_SPOOL_FILE_H
#define PWB_SPOOL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "pwb_wire.h"

/* Write `record` as <spool_dir>/<event id hex>.chg. Creates spool_dir (0700) when missing, and refuses a
 * folder that is a symlink, not ours, or open to others. 0, or -1 with a reason in `why`. */
int spool_write(const char *spool_dir, const uint8_t event_id[PWB_ID], const uint8_t *record, size_t len, char *why,
                size_t why_len);

#endif
