/* See queue.h. The slots are static: the queue costs no allocation at load or per call. */
#include "queue.h"

#include "pwb_crypto.h"

static pwb_item g_slots[PWB_QUEUE_SLOTS];
static uint32_t g_head, g_count, g_seq;
static SRWLOCK g_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE g_nonempty = CONDITION_VARIABLE_INIT;
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

int pwb_queue_push(const WCHAR *account, size_t account_len, uint32_t rid, const WCHAR *password, size_t password_len)
{
    if (account_len == 0 || account_len > PWB_SLOT_ACCOUNT || password_len > PWB_SLOT_PASSWORD) {
        pwb_count_dropped();
        return -1;
    }
    uint64_t at = now_unix_ms();
    AcquireSRWLockExclusive(&g_lock);
    if (g_count == PWB_QUEUE_SLOTS) {
        ReleaseSRWLockExclusive(&g_lock);
        pwb_count_dropped();
        return -1;
    }
    pwb_item *s = &g_slots[(g_head + g_count) % PWB_QUEUE_SLOTS];
    s->captured_at = at;
    s->seq = g_seq++;
    s->rid = rid;
    s->account_len = (uint16_t)account_len;
    s->password_len = (uint16_t)password_len;
    for (size_t i = 0; i < account_len; i++) s->account[i] = account[i];
    for (size_t i = 0; i < password_len; i++) s->password[i] = password[i];
    g_count++;
    ReleaseSRWLockExclusive(&g_lock);
    WakeConditionVariable(&g_nonempty);
    return 0;
}

int pwb_queue_pop(pwb_item *out, DWORD wait_ms)
{
    int taken = 0;
    AcquireSRWLockExclusive(&g_lock);
    if (g_count == 0 && wait_ms > 0) SleepConditionVariableSRW(&g_nonempty, &g_lock, wait_ms, 0);
    if (g_count > 0) {
        pwb_item *s = &g_slots[g_head];
        out->captured_at = s->captured_at;
        out->seq = s->seq;
        out->rid = s->rid;
        out->account_len = s->account_len;
        out->password_len = s->password_len;
        for (size_t i = 0; i < s->account_len; i++) out->account[i] = s->account[i];
        for (size_t i = 0; i < s->password_len; i++) out->password[i] = s->password[i];
        pwb_wipe(s, sizeof *s);
        g_head = (g_head + 1) % PWB_QUEUE_SLOTS;
        g_count--;
        taken = 1;
    }
    ReleaseSRWLockExclusive(&g_lock);
    return taken;
}

void pwb_queue_wait(DWORD wait_ms)
{
    AcquireSRWLockExclusive(&g_lock);
    if (g_count == 0 && wait_ms > 0) SleepConditionVariableSRW(&g_nonempty, &g_lock, wait_ms, 0);
    ReleaseSRWLockExclusive(&g_lock);
}

void pwb_queue_wake(void) { WakeAllConditionVariable(&g_nonempty); }

uint32_t pwb_queue_depth(void)
{
    AcquireSRWLockShared(&g_lock);
    uint32_t n = g_count;
    ReleaseSRWLockShared(&g_lock);
    return n;
}
