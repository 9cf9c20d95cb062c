/* See queue.h. The slots are static: the queue costs no allocation at load or per call.
 *
 * No lock. Each slot carries a turn that says whose it is: even, the callers' to fill (for the lap
 * turn/2 of the ring); odd, the worker's to empty. A caller claims a position with one compare-exchange on
 * the tail, fills that slot and hands it over by setting its turn; the worker copies a slot out and wipes
 * it with nothing held that a caller needs. So a caller never waits on the worker, whatever the worker is
 * doing (under Wine an SRW lock that is held puts the waiter to sleep at once: tens of µs, measured).
 * A caller descheduled between its claim and its hand-over holds up only the worker, at that slot, until
 * it is back (before, it would have held the lock every other caller needed).
 * The worker sleeps on g_published with WaitOnAddress, which compares and sleeps atomically against
 * WakeByAddress*: a change published after the worker last looked ends its wait, so no wake is lost. */
#include "queue.h"

#include "pwb_crypto.h"

typedef struct {
    volatile LONG64 turn;
    pwb_item item;
} slot;

static slot g_slots[PWB_QUEUE_SLOTS];
static volatile LONG64 g_tail;     /* the next position a caller claims */
static volatile LONG64 g_head;     /* the next position the worker takes; written by the worker only */
static volatile LONG g_published;  /* bumped after each hand-over (and by pwb_queue_wake): what the worker sleeps on */
static volatile LONG g_dropped;

static uint64_t now_unix_ms(void)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime; /* 100 ns since 1601 */
    return t / 10000 - 11644473600000ULL;
}

void pwb_count_dropped(void) { InterlockedIncrement(&g_dropped); }
uint32_t pwb_dropped(void) { return (uint32_t)InterlockedCompareExchange(&g_dropped, 0, 0); }

/* Position pos (64 bits: never wraps) is free to fill when its slot's turn is 2*lap, ready to take at
 * 2*lap+1, and free again for the next lap at 2*lap+2 once the worker has wiped it. */
static LONG64 lap_of(LONG64 pos) { return pos / PWB_QUEUE_SLOTS; }

/* Claim a free position, or -1 when the queue is full (the oldest slot not yet emptied). Lock-free: the
 * loop only goes round again when another caller claimed the same position first. */
static LONG64 claim(void)
{
    LONG64 pos = g_tail;
    for (;;) {
        LONG64 turn = g_slots[pos % PWB_QUEUE_SLOTS].turn, free_turn = 2 * lap_of(pos);
        if (turn == free_turn) {
            LONG64 seen = InterlockedCompareExchange64(&g_tail, pos + 1, pos);
            if (seen == pos) return pos;
            pos = seen;
        } else if (turn < free_turn) {
            return -1; /* a lap behind: the worker has not emptied this slot yet */
        } else {
            pos = g_tail; /* another caller took this position and it has moved on */
        }
    }
}

int pwb_queue_push(const WCHAR *account, size_t account_len, uint32_t rid, const WCHAR *password, size_t password_len)
{
    if (account_len == 0 || account_len > PWB_SLOT_ACCOUNT || password_len > PWB_SLOT_PASSWORD) {
        pwb_count_dropped();
        return -1;
    }
    uint64_t at = now_unix_ms();
    LONG64 pos = claim();
    if (pos < 0) {
        pwb_count_dropped();
        return -1;
    }
    slot *s = &g_slots[pos % PWB_QUEUE_SLOTS];
    pwb_item *it = &s->item;
    it->captured_at = at;
    it->seq = (uint32_t)pos; /* capture order within this load, as the tail hands positions out */
    it->rid = rid;
    it->account_len = (uint16_t)account_len;
    it->password_len = (uint16_t)password_len;
    for (size_t i = 0; i < account_len; i++) it->account[i] = account[i];
    for (size_t i = 0; i < password_len; i++) it->password[i] = password[i];
    InterlockedExchange64(&s->turn, 2 * lap_of(pos) + 1); /* a full barrier: the copy is visible before the turn */
    InterlockedIncrement(&g_published);
    /* Only a system call when the worker sleeps on it; when it is awake this reads a wait list and returns. */
    WakeByAddressSingle((PVOID)&g_published);
    return 0;
}

/* The slot at the head, if a caller has handed it over. */
static slot *ready_head(LONG64 *lap)
{
    LONG64 head = g_head;
    slot *s = &g_slots[head % PWB_QUEUE_SLOTS];
    *lap = lap_of(head);
    return s->turn == 2 * *lap + 1 ? s : NULL;
}

int pwb_queue_pop(pwb_item *out, DWORD wait_ms)
{
    LONG64 lap;
    slot *s = ready_head(&lap);
    if (!s && wait_ms > 0) {
        pwb_queue_wait(wait_ms);
        s = ready_head(&lap);
    }
    if (!s) return 0;
    pwb_item *it = &s->item;
    out->captured_at = it->captured_at;
    out->seq = it->seq;
    out->rid = it->rid;
    out->account_len = it->account_len;
    out->password_len = it->password_len;
    for (size_t i = 0; i < it->account_len; i++) out->account[i] = it->account[i];
    for (size_t i = 0; i < it->password_len; i++) out->password[i] = it->password[i];
    pwb_wipe(it, sizeof *it);
    InterlockedExchange64(&s->turn, 2 * lap + 2); /* wiped before a caller may fill it again */
    InterlockedIncrement64(&g_head);
    return 1;
}

void pwb_queue_wait(DWORD wait_ms)
{
    LONG seen = g_published;
    LONG64 lap;
    if (wait_ms == 0 || ready_head(&lap)) return;
    /* Returns at once if anything was published since `seen` was read; may also return early (spuriously):
     * the worker's loop looks at the queue again either way. */
    WaitOnAddress((volatile VOID *)&g_published, &seen, sizeof seen, wait_ms);
}

void pwb_queue_wake(void)
{
    InterlockedIncrement(&g_published);
    WakeByAddressAll((PVOID)&g_published);
}

uint32_t pwb_queue_depth(void)
{
    LONG64 head = g_head, tail = g_tail; /* head first: tail only grows, so this is never negative */
    return (uint32_t)(tail - head);
}
