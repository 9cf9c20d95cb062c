/* pwbridge_filter.dll: an LSA password filter (a "notification package") that reports each local
 * password change to the pwbridge service. lsass.exe loads it at boot from the Notification Packages
 * list and calls the three exports below; everything slow happens on the worker thread (worker.c).
 *
 * Rules it keeps, because it runs inside lsass.exe (a crash reboots the machine, a hang blocks every
 * password change, a careless channel hands passwords to whoever squats the pipe):
 * - no export fails, blocks or waits on the bridge; nothing raises an exception;
 * - the password is copied once, into a bounded queue, and every copy is wiped; LSA's buffer is LSA's;
 * - nothing is sent before the pipe's server proved to be the service's account and to hold the
 *   install secret, and the password only ever leaves sealed to the bridge's key. */
#include <windows.h>
#include <ntsecapi.h>

#include "config.h"
#include "kill_switch.h"
#include "launch.h"
#include "queue.h"
#include "worker.h"

#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#endif

#if defined(__GNUC__) && defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define PWB_NO_CANARY __attribute__((no_stack_protector))
#endif
#endif
#ifndef PWB_NO_CANARY
#define PWB_NO_CANARY
#endif

#if defined(__GNUC__)
void pwb_stack_guard_init(void); /* crt.c: the mingw build has no C runtime to do it */
#endif

static volatile LONG g_ready;
static pwb_launch g_watcher, g_worker; /* static: a thread's pwb_launch must outlive it */

/* DllMain. Contract: runs under the loader lock, so the safest DllMain is one that does nothing. No
 * thread, no registry, no file, no allocation: only opting out of thread attach/detach calls. */
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) DisableThreadLibraryCalls(instance);
    return TRUE;
}

/* InitializeChangeNotify. Contract: called once by LSA when it loads the package, before any other
 * export; TRUE keeps the package loaded, FALSE tells LSA not to call it, and LSA may then unload the DLL.
 * Opens the settings key, reads the kill switch and starts its watcher and the worker (threads: never from
 * DllMain). Both or neither (launch.h): without a worker the filter would only fill its queue, without a
 * watcher the switch would need a reboot, so FALSE when either cannot be made; but FALSE only once no code
 * of ours runs on any thread. In the one case where an abandoned thread has not ended in time, TRUE with
 * g_ready still 0: the DLL stays loaded and does nothing, which is safe; an unload under a thread is not. */
PWB_NO_CANARY BOOLEAN NTAPI InitializeChangeNotify(void)
{
#if defined(__GNUC__)
    pwb_stack_guard_init(); /* before any function with a canary runs; nothing of ours is on the stack */
#endif
    pwb_config_open();
    if (pwb_switch_prepare(&g_watcher) != 0) return FALSE;
    if (pwb_worker_prepare(&g_worker) != 0) return pwb_switch_abandon(&g_watcher) == 0 ? FALSE : TRUE;
    InterlockedExchange(&g_ready, 1);
    pwb_launch_go(&g_watcher);
    pwb_launch_go(&g_worker);
    return TRUE;
}

/* PasswordFilter. Contract: LSA asks every package whether a new password is acceptable, before the
 * change; any package may still reject it after us, so this is no place to report anything. pwbridge
 * judges no password: TRUE, nothing read, nothing sent. */
BOOLEAN NTAPI PasswordFilter(PUNICODE_STRING AccountName, PUNICODE_STRING FullName, PUNICODE_STRING Password,
                             BOOLEAN SetOperation)
{
    (void)AccountName, (void)FullName, (void)Password, (void)SetOperation;
    return TRUE;
}

/* PasswordChangeNotify. Contract: LSA calls it after the change was made, on its own thread, possibly on
 * several at once, and waits for it; the return value is ignored but must be STATUS_SUCCESS. The buffers
 * are LSA's: read, never written, never kept. Here: the built-in exclusions (*$, krbtgt*), the kill switch
 * (a flag the watcher thread keeps in step with the Disabled value: no registry read here), then one copy
 * into the bounded queue. No I/O, no allocation, no lock, no wait (queue.c); NULL arguments and a
 * full queue (the change is counted as dropped) return STATUS_SUCCESS like everything else. */
NTSTATUS NTAPI PasswordChangeNotify(PUNICODE_STRING UserName, ULONG RelativeId, PUNICODE_STRING NewPassword)
{
    if (!g_ready || !UserName || !NewPassword || !UserName->Buffer || UserName->Length < sizeof(WCHAR) ||
        (NewPassword->Length && !NewPassword->Buffer))
        return STATUS_SUCCESS;
    size_t account_len = UserName->Length / sizeof(WCHAR), password_len = NewPassword->Length / sizeof(WCHAR);
    if (pwb_excluded_builtin(UserName->Buffer, account_len) || pwb_disabled()) return STATUS_SUCCESS;
    if ((UserName->Length | NewPassword->Length) & 1) { /* not whole UTF-16 units: cannot be sent unaltered */
        pwb_count_dropped();
        return STATUS_SUCCESS;
    }
    pwb_queue_push(UserName->Buffer, account_len, RelativeId, NewPassword->Buffer, password_len);
    return STATUS_SUCCESS;
}
