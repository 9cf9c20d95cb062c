/* See kill_switch.h. */
#include "kill_switch.h"

#include "queue.h"

static const WCHAR KEY_PATH[] = L"SOFTWARE\\pwbridge";

static volatile LONG g_disabled; /* written by the watcher only; an aligned LONG, read without a lock */
static volatile LONG g_started;
static HANDLE g_flipped; /* auto-reset: set on each published change, for pwb_switch_wait */

static HKEY open_key(void)
{
    HKEY k = NULL;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, KEY_PATH, 0, KEY_QUERY_VALUE | KEY_NOTIFY | KEY_WOW64_64KEY, &k) != ERROR_SUCCESS)
        return NULL;
    return k;
}

/* Disabled == 1 through *key; a key that is gone is closed (*key = NULL) and counts as "not disabled". */
static LONG read_disabled(HKEY *key)
{
    DWORD v = 0, type = 0, size = sizeof v;
    if (!*key) return 0;
    LONG rc = RegQueryValueExW(*key, L"Disabled", NULL, &type, (BYTE *)&v, &size);
    if (rc == ERROR_KEY_DELETED || rc == ERROR_INVALID_HANDLE) {
        RegCloseKey(*key);
        *key = NULL;
        return 0;
    }
    return rc == ERROR_SUCCESS && type == REG_DWORD && size == sizeof v && v == 1;
}

static void publish(LONG disabled)
{
    if (InterlockedExchange(&g_disabled, disabled) == disabled) return;
    if (g_flipped) SetEvent(g_flipped);
    pwb_queue_wake(); /* the worker hangs up (or resumes) now, not at the end of its current wait */
}

static DWORD WINAPI watch_main(LPVOID arg)
{
    HKEY key = (HKEY)arg;
    HANDLE changed = CreateEventW(NULL, FALSE, FALSE, NULL);
    int armed = 0;
    for (;;) {
        if (!key) key = open_key();
        /* Arm before reading: a change made between the read and the wait still signals the event. */
        if (key && changed && !armed)
            armed = RegNotifyChangeKeyValue(key, FALSE, REG_NOTIFY_CHANGE_LAST_SET, changed, TRUE) == ERROR_SUCCESS;
        publish(read_disabled(&key));
        if (!key) armed = 0; /* a closed key's notification is gone with it */
        if (armed) {
            /* Signalled: re-arm (a notification fires once). Timed out: still armed, only re-read. */
            if (WaitForSingleObject(changed, PWB_SWITCH_RECHECK_MS) == WAIT_OBJECT_0) armed = 0;
        } else {
            Sleep(PWB_SWITCH_RECHECK_MS); /* no key yet, or it cannot be watched: look again later */
        }
    }
    return 0; /* not reached: the watcher lives as long as lsass */
}

int pwb_switch_prepare(pwb_launch *l)
{
    if (InterlockedCompareExchange(&g_started, 1, 0) != 0) return 0;
    HKEY key = open_key();
    InterlockedExchange(&g_disabled, read_disabled(&key));
    if (!g_flipped) g_flipped = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (pwb_launch_prepare(l, watch_main, key, 64 * 1024) != 0) {
        if (key) RegCloseKey(key);
        InterlockedExchange(&g_started, 0);
        return -1;
    }
    return 0;
}

int pwb_switch_abandon(pwb_launch *l)
{
    HKEY key = (HKEY)l->arg;
    if (pwb_launch_abandon(l) != 0) return -1; /* it may still run watch_main's caller: leave it its key */
    if (key) RegCloseKey(key);
    l->arg = NULL;
    InterlockedExchange(&g_started, 0);
    return 0;
}

int pwb_disabled(void) { return g_disabled == 1; }

void pwb_switch_wait(DWORD wait_ms)
{
    if (g_flipped) WaitForSingleObject(g_flipped, wait_ms);
    else Sleep(wait_ms);
}
