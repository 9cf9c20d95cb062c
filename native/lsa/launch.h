/* Starting the filter's threads all or nothing. InitializeChangeNotify may answer FALSE only while no code
 * of ours runs on any thread: LSA may unload a package that said FALSE, and a thread left running in it
 * would crash lsass at its next instruction. So each thread is made suspended first; only when every one
 * exists are they let go. If one cannot be made, the others are released into a bare return (they run
 * nothing of the filter's), waited for, and the answer is FALSE. No thread is ever terminated, and nothing
 * slow is waited for: an abandoned thread runs a few instructions and ends. */
#ifndef PWB_LSA_LAUNCH_H
#define PWB_LSA_LAUNCH_H

#include <windows.h>

/* A thread's start (the loader's attach notifications, then a test and a return) takes microseconds; this
 * bound only keeps LSA's thread from waiting forever on a starved machine. */
#define PWB_LAUNCH_ABANDON_MS 5000

typedef struct {
    HANDLE thread;
    LPTHREAD_START_ROUTINE main;
    void *arg;
    volatile LONG go; /* 1: run main; 0: return at once */
} pwb_launch;

/* Make the thread, suspended, with a reserved stack of `stack` bytes. 0, or -1 (nothing was made).
 * `l` must outlive the thread (static storage). */
int pwb_launch_prepare(pwb_launch *l, LPTHREAD_START_ROUTINE main, void *arg, SIZE_T stack);
/* Let a prepared thread run `main`. */
void pwb_launch_go(pwb_launch *l);
/* Release a prepared thread into a bare return and wait for it to end: 0 once it has (or was never made),
 * -1 when it had not ended within PWB_LAUNCH_ABANDON_MS (then the DLL must stay loaded: answer TRUE). */
int pwb_launch_abandon(pwb_launch *l);

#endif
