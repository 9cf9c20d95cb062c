/* The named pipe to the bridge, as a pwb_transport: overlapped I/O, every read and write bounded by one
 * deadline (the caller moves it per exchange), and a check of who serves the pipe before any byte. */
#ifndef PWB_LSA_PIPE_H
#define PWB_LSA_PIPE_H

#include <windows.h>

#include "pwb_client.h"

typedef struct {
    HANDLE h;
    HANDLE ev;
    ULONGLONG deadline; /* GetTickCount64 ms */
    pwb_transport t;
} pwb_pipe;

/* Why a connection was not made (kept for the worker's state; the filter logs nothing). */
enum { PWB_PIPE_OK = 0, PWB_PIPE_ABSENT = 1, PWB_PIPE_BUSY = 2, PWB_PIPE_NOT_SERVICE = 3, PWB_PIPE_ERROR = 4 };

/* The identity check: the SID of the process that serves the pipe equals `expected` (a SID string).
 * Real Windows and Wine alike run this same code; what a test changes is the ServiceSid it is given. */
int pwb_pipe_server_is(HANDLE pipe, const WCHAR *expected_sid);

/* Connect by `deadline_ms` (GetTickCount64) and check the server. PWB_PIPE_OK or why not. */
int pwb_pipe_connect(pwb_pipe *p, const WCHAR *name, const WCHAR *expected_sid, ULONGLONG deadline_ms);
void pwb_pipe_close(pwb_pipe *p);

#endif
