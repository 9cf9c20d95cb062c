/* See pipe_transport.h. */
#include "pipe_transport.h"

#include <sddl.h>

int pwb_pipe_server_is(HANDLE pipe, const WCHAR *expected_sid)
{
    ULONG pid = 0;
    BYTE buf[256];
    DWORD len = 0;
    PSID want = NULL;
    int same = 0;
    if (!expected_sid || !expected_sid[0] || !ConvertStringSidToSidW(expected_sid, &want)) return 0;
    if (GetNamedPipeServerProcessId(pipe, &pid)) {
        HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
        HANDLE tok = NULL;
        if (proc && OpenProcessToken(proc, TOKEN_QUERY, &tok)) {
            if (GetTokenInformation(tok, TokenUser, buf, sizeof buf, &len))
                same = EqualSid(((TOKEN_USER *)buf)->User.Sid, want) != 0;
            CloseHandle(tok);
        }
        if (proc) CloseHandle(proc);
    }
    LocalFree(want);
    return same;
}

static DWORD left_ms(const pwb_pipe *p)
{
    ULONGLONG now = GetTickCount64();
    return now >= p->deadline ? 0 : (DWORD)(p->deadline - now);
}

/* Wait for one overlapped operation until the deadline; cancel it when time is up. 0 with *n set. */
static int finish(pwb_pipe *p, OVERLAPPED *ov, BOOL started, DWORD *n)
{
    if (!started && GetLastError() != ERROR_IO_PENDING) return -1;
    if (WaitForSingleObject(ov->hEvent, left_ms(p)) != WAIT_OBJECT_0) {
        CancelIoEx(p->h, ov);
        GetOverlappedResult(p->h, ov, n, TRUE); /* the buffer is ours again only once the I/O is done */
        return -1;
    }
    return GetOverlappedResult(p->h, ov, n, FALSE) ? 0 : -1;
}

static int write_all(void *ctx, const uint8_t *buf, size_t n)
{
    pwb_pipe *p = ctx;
    while (n > 0) {
        OVERLAPPED ov = { 0 };
        DWORD done = 0, chunk = n > 65536 ? 65536 : (DWORD)n;
        ov.hEvent = p->ev;
        if (finish(p, &ov, WriteFile(p->h, buf, chunk, NULL, &ov), &done) != 0 || done == 0) return -1;
        buf += done;
        n -= done;
    }
    return 0;
}

static int read_exact(void *ctx, uint8_t *buf, size_t n)
{
    pwb_pipe *p = ctx;
    while (n > 0) {
        OVERLAPPED ov = { 0 };
        DWORD done = 0, chunk = n > 65536 ? 65536 : (DWORD)n;
        ov.hEvent = p->ev;
        if (finish(p, &ov, ReadFile(p->h, buf, chunk, NULL, &ov), &done) != 0 || done == 0) return -1;
        buf += done;
        n -= done;
    }
    return 0;
}

int pwb_pipe_connect(pwb_pipe *p, const WCHAR *name, const WCHAR *expected_sid, ULONGLONG deadline_ms)
{
    p->h = INVALID_HANDLE_VALUE;
    p->deadline = deadline_ms;
    p->t.ctx = p;
    p->t.write_all = write_all;
    p->t.read_exact = read_exact;
    p->ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!p->ev) return PWB_PIPE_ERROR;
    for (;;) {
        /* SECURITY_IDENTIFICATION: whoever serves the pipe may learn who we are, never act as us (SYSTEM). */
        p->h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, NULL);
        if (p->h != INVALID_HANDLE_VALUE) break;
        DWORD err = GetLastError();
        if (err != ERROR_PIPE_BUSY) {
            pwb_pipe_close(p);
            return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ? PWB_PIPE_ABSENT : PWB_PIPE_ERROR;
        }
        DWORD left = left_ms(p);
        if (left == 0 || !WaitNamedPipeW(name, left)) {
            pwb_pipe_close(p);
            return PWB_PIPE_BUSY;
        }
    }
    /* Who serves it? Only the bridge's account may receive even a sealed change, or our HELLO. */
    if (!pwb_pipe_server_is(p->h, expected_sid)) {
        pwb_pipe_close(p);
        return PWB_PIPE_NOT_SERVICE;
    }
    return PWB_PIPE_OK;
}

void pwb_pipe_close(pwb_pipe *p)
{
    if (p->h != INVALID_HANDLE_VALUE && p->h != NULL) CloseHandle(p->h);
    if (p->ev) CloseHandle(p->ev);
    p->h = INVALID_HANDLE_VALUE;
    p->ev = NULL;
}
