/* See launch.h. */
#include "launch.h"

#ifdef PWB_TEST_FAIL_LAUNCH
/* Test builds only (the CMake target pwbridge_filter_failstart, never shipped): the PWB_TEST_FAIL_LAUNCH-th
 * thread of a load fails to be made, as when CreateThread fails in a starved lsass. Nothing read at run
 * time turns this on: the shipped DLL has no such code. */
static volatile LONG g_prepared;
#endif

static DWORD WINAPI trampoline(LPVOID p)
{
    pwb_launch *l = p;
    if (!InterlockedCompareExchange(&l->go, 0, 0)) return 0;
    return l->main(l->arg);
}

int pwb_launch_prepare(pwb_launch *l, LPTHREAD_START_ROUTINE main, void *arg, SIZE_T stack)
{
    l->thread = NULL;
    l->main = main;
    l->arg = arg;
    InterlockedExchange(&l->go, 0);
#ifdef PWB_TEST_FAIL_LAUNCH
    if (InterlockedIncrement(&g_prepared) == PWB_TEST_FAIL_LAUNCH) return -1;
#endif
    l->thread = CreateThread(NULL, stack, trampoline, l, CREATE_SUSPENDED | STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    return l->thread ? 0 : -1;
}

void pwb_launch_go(pwb_launch *l)
{
    if (!l->thread) return;
    InterlockedExchange(&l->go, 1);
    ResumeThread(l->thread);
    CloseHandle(l->thread);
    l->thread = NULL;
}

int pwb_launch_abandon(pwb_launch *l)
{
    if (!l->thread) return 0;
    InterlockedExchange(&l->go, 0);
    ResumeThread(l->thread);
    /* Until it has left our code: a test of `go` and a return, so this wait is as short as a thread's start. */
    int ended = WaitForSingleObject(l->thread, PWB_LAUNCH_ABANDON_MS) == WAIT_OBJECT_0;
    CloseHandle(l->thread);
    l->thread = NULL;
    return ended ? 0 : -1;
}
