/* The bounded queue between PasswordChangeNotify (LSA's threads, any number at once) and the worker.
 * A push claims a preallocated slot with one compare-exchange, copies the account and password into it and
 * wakes the worker: no lock, no allocation, no I/O, nothing waited for (queue.c says how). A full queue or a
 * value too long for a slot is counted as dropped, never waited for. */
#ifndef PWB_LSA_QUEUE_H
#define PWB_LSA_QUEUE_H

#include <windows.h>
#include <stdint.h>

#define PWB_QUEUE_SLOTS 256
#define PWB_SLOT_ACCOUNT 256   /* UTF-16 units: far above the SAM's 20 */
#define PWB_SLOT_PASSWORD 1024 /* UTF-16 units: 2048 bytes, all a CHANGE frame can carry (the bridge refuses above 1024) */

typedef struct {
    uint64_t captured_at; /* ms since the Unix epoch */
    uint32_t seq;         /* per load, in capture order: orders spool files captured in the same ms */
    uint32_t rid;
    uint16_t account_len;  /* UTF-16 units */
    uint16_t password_len; /* UTF-16 units */
    WCHAR account[PWB_SLOT_ACCOUNT];
    WCHAR password[PWB_SLOT_PASSWORD];
} pwb_item;

/* Copy one change in. Returns 0, or -1 when it was dropped (queue full, or a value too long). */
int pwb_queue_push(const WCHAR *account, size_t account_len, uint32_t rid, const WCHAR *password, size_t password_len);
/* Take the oldest change into *out (the slot is wiped), waiting up to wait_ms for one. 1 when taken.
 * The worker's alone: one taker at a time is what lets the queue go without a lock. */
int pwb_queue_pop(pwb_item *out, DWORD wait_ms);
/* Wait up to wait_ms for the queue to hold something (or a pwb_queue_wake); the change stays queued. */
void pwb_queue_wait(DWORD wait_ms);
/* End a pwb_queue_wait early: the kill switch flipped, the worker must look at it now. */
void pwb_queue_wake(void);
/* Changes waiting now (claimed by a caller, not yet taken), and changes dropped since load. */
uint32_t pwb_queue_depth(void);
uint32_t pwb_dropped(void);
/* Count a change lost after it left the queue (spool full, or it could not be sealed or kept). */
void pwb_count_dropped(void);

#endif
