/* When the drain gives up on the spool file at its head. The drain goes oldest first, so the bridge gets
 * changes in capture order; a file that cannot be used right now (held open by an antivirus or a backup,
 * DPAPI failing, a bridge that drops the connection on it) holds the newer ones behind it, but only for a
 * while. A failure that may pass is retried with a growing pause; only a file that failed at least
 * PWB_RETRY_ATTEMPTS times, the first at least the span (SpoolRetrySeconds) ago, is given up on, set
 * aside and reported (worker.c). A file that is certainly damaged does not come here: it is set aside at
 * once. One head at a time: the state is for one name, and a new head starts afresh. */
#ifndef PWB_LSA_SPOOL_RETRY_H
#define PWB_LSA_SPOOL_RETRY_H

#include <windows.h>
#include <stdint.h>

#include "spool.h"

#define PWB_RETRY_ATTEMPTS 5
#define PWB_RETRY_FIRST_MS 500
#define PWB_RETRY_LONGEST_MS 60000

typedef struct {
    pwb_spool_name name; /* empty: no file is failing */
    uint32_t attempts;
    ULONGLONG first, next; /* GetTickCount64 of the first failure; no new try before `next` */
    DWORD error;           /* the last failure's Win32 error (0: the bridge did not answer for it) */
} pwb_retry;

/* `name` failed once more at `now`. 1 when it is time to give up on it, else 0 (and `next` is set). */
int pwb_retry_failed(pwb_retry *r, const WCHAR *name, ULONGLONG now, DWORD span_ms, DWORD error);
/* Whether `name` may be tried at `now`: any file but the failing one may; that one once its pause is over. */
int pwb_retry_due(const pwb_retry *r, const WCHAR *name, ULONGLONG now);
/* When the failing file may be tried again (0: no file is failing). */
ULONGLONG pwb_retry_next(const pwb_retry *r);
/* It worked, or the file is gone or set aside. */
void pwb_retry_clear(pwb_retry *r);

#endif
