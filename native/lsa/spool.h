/* The filter's spool: one file per change the bridge did not take, under <DataDir>\spool.
 * A file is a docs/protocol.md spool record (the CHANGE body, its password sealed to bridge.pub, tagged
 * with K_spool) wrapped with CryptProtectData in this account's user scope (SYSTEM's, in lsass) with extra
 * entropy derived from the install secret. Only SYSTEM on this machine, with this install's secret, can
 * unwrap it, so the filter drains its spool itself, in capture order, when the bridge answers.
 *
 * Names: <captured_at ms, 16 hex>-<capture seq, 8 hex>-<event id, 32 hex>.chg.dpapi, so name order is
 * capture order. They do not end in .chg: the bridge's own spool drain (Linux records) leaves them alone.
 * Written as .<name>.tmp, flushed, then renamed: a file with its final name is always complete. */
#ifndef PWB_LSA_SPOOL_H
#define PWB_LSA_SPOOL_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define PWB_SPOOL_NAME_LEN 68 /* 16 + 1 + 8 + 1 + 32 + 10 */

typedef struct {
    WCHAR name[PWB_SPOOL_NAME_LEN + 1];
} pwb_spool_name;

/* <data_dir>\spool, created with a protected DACL (SYSTEM, Administrators) when missing; then it must be
 * a real folder (no reparse point) that only trusted accounts can reach. 0 with `dir` set, or -1. */
int pwb_spool_dir(const WCHAR *data_dir, WCHAR dir[PWB_PATH_CAP]);
/* Protect and write one record. 0, or -1 (nothing left behind). */
int pwb_spool_write(const WCHAR *dir, uint64_t captured_at, uint32_t seq, const uint8_t event_id[16],
                    const uint8_t *record, size_t len, const uint8_t entropy[32]);
/* The `max` oldest spooled files, oldest first, and how many there are in all. */
size_t pwb_spool_list(const WCHAR *dir, pwb_spool_name *oldest, size_t max, uint32_t *total);
/* What reading a file came to. A failure that may pass (the file is held open or locked by another
 * program, an I/O error, DPAPI refusing to unwrap it) is PWB_SPOOL_TRANSIENT and worth another try; bytes
 * that were read in full and cannot be a record (empty, too long) are PWB_SPOOL_DAMAGED. */
enum { PWB_SPOOL_OK = 0, PWB_SPOOL_TRANSIENT = 1, PWB_SPOOL_DAMAGED = 2 };
/* Read and unprotect one file into `record`: PWB_SPOOL_*, with *error the Win32 error of a transient one. */
int pwb_spool_read(const WCHAR *dir, const WCHAR *name, const uint8_t entropy[32], uint8_t *record, size_t cap,
                   size_t *len, DWORD *error);
/* The bridge answered for it: delete. */
void pwb_spool_remove(const WCHAR *dir, const WCHAR *name);
/* Where pwb_spool_set_aside put a file. */
enum { PWB_ASIDE_REJECTED = 0, PWB_ASIDE_BAD = 1, PWB_ASIDE_DELETED = 2, PWB_ASIDE_STUCK = -1 };
/* Never read it again, and keep it for the administrator: moved to <dir>\rejected\ (made with the spool's
 * inherited DACL), out of the drain's way; failing that renamed <name>.bad in place; failing that deleted
 * (a lost change, but never one that blocks the rest). PWB_ASIDE_STUCK: none of these worked. */
int pwb_spool_set_aside(const WCHAR *dir, const WCHAR *name);

#endif
