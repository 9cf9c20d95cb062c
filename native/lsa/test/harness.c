/* harness.exe: plays lsass.exe for pwbridge_filter.dll in tests (test/windows/, under Wine or on Windows).
 *
 * It loads the real DLL with LoadLibrary and calls its three exports the way LSA does (UNICODE_STRINGs it
 * owns), serves the named pipe itself and relays each connection's bytes to a TCP port on 127.0.0.1 (Wine
 * has no AF_UNIX; the test's relay carries them on to the real bridge's Unix socket), and looks at what the
 * DLL leaves behind: the frames that crossed the pipe, the spool folder, and this process's own memory.
 *
 * Commands, one per line on stdin; each answer ends with a line "ok ..." or "err ...".
 *   load PATH                     LoadLibraryW and GetProcAddress of the three exports
 *   init                          InitializeChangeNotify()                       → ok init 1|0
 *   unload                        FreeLibrary, as LSA may after a FALSE from InitializeChangeNotify
 *   threadcount                   threads of this process now (a Toolhelp snapshot) → ok threadcount <n>
 *   filter ACCOUNT PASSWORD       PasswordFilter(...)                            → ok filter 1|0
 *   notify ACCOUNT RID PASSWORD   PasswordChangeNotify(...)                      → ok notify <status> <ns>
 *                                 ACCOUNT and PASSWORD are UTF-16LE in hex; "-" passes a NULL UNICODE_STRING*,
 *                                 "nul" one whose Buffer is NULL, "" (an empty hex) an empty string
 *   threads N COUNT               N threads released at once, thread t calls COUNT times with account "mt<t>"
 *                                 and password "mt<t>-<k>"                       → ok threads <slowest ns>
 *   burst COUNT ACCOUNT PASSWORD  COUNT calls back to back                       → ok burst <slowest ns>
 *   reg set NAME dword N | reg set NAME sz TEXT | reg set NAME multi A|B | reg del NAME | reg clear | reg drop
 *                                 values under HKLM\SOFTWARE\pwbridge (TEXT is UTF-8, the rest of the line);
 *                                 clear removes every value, drop the key itself (set makes it again)
 *   serve relay PORT              serve the pipe (PipeName, else \\.\pipe\pwbridge), relay to 127.0.0.1:PORT
 *   serve off                     stop serving and cut the connections
 *   stats                         what crossed the pipe: connections (ever, and open now), HELLO/CHANGE/
 *                                 HEARTBEAT frames from the DLL, ACKs to it, the last HEARTBEAT's counters
 *   waitack N MS                  wait until N ACKs went to the DLL             → ok waitack <acks>
 *   spool                         files named *.chg.dpapi in <DataDir>\spool     → ok spool <n>
 *   spoolput AT SEQ ID RECORD     write RECORD (hex) as the DLL's spool file <AT>-<SEQ>-<ID>, through spool.c's
 *                                 pwb_spool_write with this install's DPAPI entropy (AT and SEQ decimal, ID hex)
 *   lock NAME / unlock            hold <DataDir>\spool\NAME open with no sharing (an antivirus, a backup) / let go
 *   aclcheck FORBIDDEN SDDL       acl.c's pwb_dacl_ok on the owner and DACL of SDDL (FORBIDDEN: hex rights)
 *                                 → ok aclcheck pass|fail types=<the DACL's ACE types>
 *   acecheck FORBIDDEN TYPE MASK  the same on owner SYSTEM and a DACL built byte by byte: SYSTEM full control,
 *                                 then one ACE of TYPE (decimal) granting Everyone MASK (hex). For the ACE types
 *                                 Wine's SDDL parser lacks (object "OA" = 5, callback "XA" = 9): an object ACE
 *                                 gets no GUIDs, a callback ACE 4 bytes of application data after its SID
 *                                 → ok acecheck pass|fail type=<the second ACE's type as read back>
 *   sid                           this process's token SID (what ServiceSid must name to trust our pipe)
 *   facts                         the boot id and machine name, computed as the DLL computes them
 *   plant HEX / unplant           put bytes in a heap block (the scanner's positive control) / wipe it
 *   scan HEX                      search this process's committed memory for the bytes → ok scan <hits>
 *   bench COUNT BURST up|down     time COUNT calls with QueryPerformanceCounter, letting the DLL catch up
 *                                 after every BURST (up: all ACKed; down: all spooled, then the files
 *                                 removed)                     → ok bench <p50 ns> <p99 ns> <max ns> <mean ns>
 *   sleep MS
 *   exit                          ExitProcess without unloading anything: lsass at shutdown, so the next
 *                                 harness process is the machine after a reboot
 *
 * The password bytes of a call live only in one buffer of this harness (g_call), which it wipes after the
 * call; `scan` skips its own read buffer and reports any other copy. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <ntsecapi.h>
#include <sddl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tlhelp32.h>

#include "../config.h"
#include "../host.h"
#include "../acl.h"
#include "../spool.h"
#include "pwb_crypto.h"
#include "hex.h"

typedef BOOLEAN(NTAPI *init_fn)(void);
typedef BOOLEAN(NTAPI *filter_fn)(PUNICODE_STRING, PUNICODE_STRING, PUNICODE_STRING, BOOLEAN);
typedef NTSTATUS(NTAPI *notify_fn)(PUNICODE_STRING, ULONG, PUNICODE_STRING);

static HMODULE g_dll;
static init_fn g_init;
static filter_fn g_filter;
static notify_fn g_notify;

/* The buffer the harness owns for a call (account then password), wiped after each call. */
#define CALL_BYTES (64 * 1024)
static BYTE *g_call;

static LARGE_INTEGER g_freq;

static void reply(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static int64_t ns_between(LARGE_INTEGER a, LARGE_INTEGER b)
{
    return (int64_t)((double)(b.QuadPart - a.QuadPart) * 1e9 / (double)g_freq.QuadPart);
}

/* Hex straight into `out`, byte by byte: no other copy of the decoded bytes is made. -1 on bad hex. */
static long unhex(const char *hex, BYTE *out, size_t cap)
{
    return pwb_unhex(hex, strlen(hex), out, cap);
}

/* ---------------------------------------------------------------- calls, the way LSA makes them */

typedef struct {
    UNICODE_STRING s;
    int kind; /* 0: s, 1: NULL pointer */
} arg;

/* An argument from its token: "-" NULL pointer, "nul" NULL Buffer, else UTF-16LE hex placed at `at`. */
static int make_arg(const char *tok, BYTE *at, size_t cap, arg *a)
{
    memset(a, 0, sizeof *a);
    if (strcmp(tok, "-") == 0) {
        a->kind = 1;
        return 0;
    }
    if (strcmp(tok, "nul") == 0) return 0;
    long n = strcmp(tok, "\"\"") == 0 ? 0 : unhex(tok, at, cap);
    if (n < 0 || n > 0xFFFE) return -1;
    a->s.Buffer = (PWSTR)at;
    a->s.Length = (USHORT)n;
    a->s.MaximumLength = (USHORT)n;
    return 0;
}

static PUNICODE_STRING ptr(arg *a) { return a->kind == 1 ? NULL : &a->s; }

static void cmd_notify(char *account, char *rid_s, char *password)
{
    arg acc, pw;
    if (!g_notify) { reply("err not loaded"); return; }
    if (make_arg(account, g_call, 4096, &acc) != 0 || make_arg(password, g_call + 4096, CALL_BYTES - 4096, &pw) != 0)
        { reply("err bad argument"); return; }
    ULONG rid = (ULONG)strtoul(rid_s, NULL, 10);
    LARGE_INTEGER a, b;
    QueryPerformanceCounter(&a);
    NTSTATUS st = g_notify(ptr(&acc), rid, ptr(&pw));
    QueryPerformanceCounter(&b);
    SecureZeroMemory(g_call, CALL_BYTES); /* our copy; the DLL had to make its own */
    reply("ok notify %08lx %lld", (unsigned long)st, (long long)ns_between(a, b));
}

static void cmd_filter(char *account, char *password)
{
    arg acc, pw;
    if (!g_filter) { reply("err not loaded"); return; }
    if (make_arg(account, g_call, 4096, &acc) != 0 || make_arg(password, g_call + 4096, CALL_BYTES - 4096, &pw) != 0)
        { reply("err bad argument"); return; }
    BOOLEAN ok = g_filter(ptr(&acc), NULL, ptr(&pw), FALSE);
    SecureZeroMemory(g_call, CALL_BYTES);
    reply("ok filter %d", ok ? 1 : 0);
}

/* A UTF-16 string from ASCII, into `out` (which the caller wipes). */
static USHORT ascii16(const char *s, WCHAR *out)
{
    USHORT n = 0;
    for (; s[n]; n++) out[n] = (WCHAR)(unsigned char)s[n];
    return (USHORT)(n * 2);
}

typedef struct {
    int t, count;
    HANDLE go;
    int64_t slowest;
} thread_job;

static DWORD WINAPI notify_thread(LPVOID p)
{
    thread_job *j = p;
    WCHAR account[32], password[64];
    char a[32], pw[64];
    UNICODE_STRING ua, up;
    snprintf(a, sizeof a, "mt%d", j->t);
    ua.Buffer = account;
    ua.Length = ua.MaximumLength = ascii16(a, account);
    WaitForSingleObject(j->go, INFINITE);
    for (int k = 0; k < j->count; k++) {
        snprintf(pw, sizeof pw, "mt%d-%d", j->t, k);
        up.Buffer = password;
        up.Length = up.MaximumLength = ascii16(pw, password);
        LARGE_INTEGER x, y;
        QueryPerformanceCounter(&x);
        g_notify(&ua, (ULONG)(1000 + j->t), &up);
        QueryPerformanceCounter(&y);
        int64_t ns = ns_between(x, y);
        if (ns > j->slowest) j->slowest = ns;
    }
    SecureZeroMemory(password, sizeof password);
    SecureZeroMemory(pw, sizeof pw);
    return 0;
}

static void cmd_threads(int n, int count)
{
    thread_job jobs[64];
    HANDLE th[64];
    if (!g_notify) { reply("err not loaded"); return; }
    if (n < 1 || n > 64 || count < 1) { reply("err bad argument"); return; }
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, NULL);
    for (int t = 0; t < n; t++) {
        jobs[t].t = t;
        jobs[t].count = count;
        jobs[t].go = go;
        jobs[t].slowest = 0;
        th[t] = CreateThread(NULL, 0, notify_thread, &jobs[t], 0, NULL);
    }
    Sleep(50); /* every thread is waiting on `go` */
    SetEvent(go);
    WaitForMultipleObjects((DWORD)n, th, TRUE, INFINITE);
    int64_t slowest = 0;
    for (int t = 0; t < n; t++) {
        CloseHandle(th[t]);
        if (jobs[t].slowest > slowest) slowest = jobs[t].slowest;
    }
    CloseHandle(go);
    reply("ok threads %lld", (long long)slowest);
}

static void cmd_burst(int count, char *account, char *password)
{
    arg acc, pw;
    int64_t slowest = 0;
    if (!g_notify) { reply("err not loaded"); return; }
    if (make_arg(account, g_call, 4096, &acc) != 0 || make_arg(password, g_call + 4096, CALL_BYTES - 4096, &pw) != 0)
        { reply("err bad argument"); return; }
    for (int i = 0; i < count; i++) {
        LARGE_INTEGER a, b;
        QueryPerformanceCounter(&a);
        g_notify(ptr(&acc), 1000, ptr(&pw));
        QueryPerformanceCounter(&b);
        if (ns_between(a, b) > slowest) slowest = ns_between(a, b);
    }
    SecureZeroMemory(g_call, CALL_BYTES);
    reply("ok burst %lld", (long long)slowest);
}

/* ---------------------------------------------------------------- registry */

static HKEY settings(void)
{
    HKEY k = NULL;
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\pwbridge", 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, NULL,
                        &k, NULL) != ERROR_SUCCESS)
        return NULL;
    return k;
}

static void cmd_reg(char *rest)
{
    WCHAR name[128], text[4096];
    char *verb = strtok(rest, " ");
    HKEY k = settings();
    LONG rc = ERROR_INVALID_PARAMETER;
    if (!k) { reply("err cannot open HKLM\\SOFTWARE\\pwbridge"); return; }
    if (verb && strcmp(verb, "clear") == 0) {
        rc = RegDeleteTreeW(k, NULL);
    } else if (verb && strcmp(verb, "drop") == 0) {
        rc = RegDeleteTreeW(k, NULL);
        if (rc == ERROR_SUCCESS) rc = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\pwbridge", KEY_WOW64_64KEY, 0);
    } else if (verb && strcmp(verb, "del") == 0) {
        char *n = strtok(NULL, " ");
        if (n && MultiByteToWideChar(CP_UTF8, 0, n, -1, name, 128) > 0) {
            rc = RegDeleteValueW(k, name);
            if (rc == ERROR_FILE_NOT_FOUND) rc = ERROR_SUCCESS;
        }
    } else if (verb && strcmp(verb, "set") == 0) {
        char *n = strtok(NULL, " "), *type = strtok(NULL, " "), *value = strtok(NULL, "");
        if (!value) value = "";
        if (n && type && MultiByteToWideChar(CP_UTF8, 0, n, -1, name, 128) > 0) {
            if (strcmp(type, "dword") == 0) {
                DWORD v = (DWORD)strtoul(value, NULL, 10);
                rc = RegSetValueExW(k, name, 0, REG_DWORD, (const BYTE *)&v, sizeof v);
            } else if (strcmp(type, "sz") == 0) {
                int len = MultiByteToWideChar(CP_UTF8, 0, value, -1, text, 4096);
                if (len > 0) rc = RegSetValueExW(k, name, 0, REG_SZ, (const BYTE *)text, (DWORD)len * 2);
            } else if (strcmp(type, "multi") == 0) {
                int len = MultiByteToWideChar(CP_UTF8, 0, value, -1, text, 4094);
                if (len > 0) {
                    for (int i = 0; i < len; i++)
                        if (text[i] == L'|') text[i] = 0;
                    text[len] = 0; /* the list's final terminator */
                    rc = RegSetValueExW(k, name, 0, REG_MULTI_SZ, (const BYTE *)text, (DWORD)(len + 1) * 2);
                }
            }
        }
    }
    RegCloseKey(k);
    if (rc == ERROR_SUCCESS) reply("ok reg");
    else reply("err reg %ld", (long)rc);
}

/* ---------------------------------------------------------------- the pipe server and its relay */

typedef struct {
    LONG connections, hello, change, heartbeat, ack;
    LONG hb_queued, hb_spooled, hb_dropped;
} relay_stats;

static relay_stats g_stats;
static CRITICAL_SECTION g_lock;
static HANDLE g_server_thread, g_stop;
static int g_port;

#define MAX_CONN 16
typedef struct {
    int used;
    HANDLE pipe;
    SOCKET sock;
} conn;
static conn g_conns[MAX_CONN];

/* Frames as they pass, for the stats (the tags are not checked: the relay has no key). */
typedef struct {
    BYTE buf[8192];
    size_t len;
    int to_dll;
} framer;

static void frames_seen(framer *f, const BYTE *p, size_t n)
{
    while (n > 0) {
        size_t take = n < sizeof f->buf - f->len ? n : sizeof f->buf - f->len;
        memcpy(f->buf + f->len, p, take);
        f->len += take;
        p += take;
        n -= take;
        for (;;) {
            if (f->len < 4) break;
            uint32_t flen = pwb_le32(f->buf);
            if (flen > sizeof f->buf - 4) { /* not a frame we could hold: stop counting this stream */
                f->len = 0;
                break;
            }
            if (f->len < 4 + flen) break;
            BYTE type = f->buf[5];
            EnterCriticalSection(&g_lock);
            if (f->to_dll) {
                if (type == 5) g_stats.ack++;
            } else if (type == 2) {
                g_stats.hello++;
            } else if (type == 4) {
                g_stats.change++;
            } else if (type == 6 && flen >= 12 + 12) {
                g_stats.heartbeat++;
                g_stats.hb_queued = (LONG)pwb_le32(f->buf + 16);
                g_stats.hb_spooled = (LONG)pwb_le32(f->buf + 20);
                g_stats.hb_dropped = (LONG)pwb_le32(f->buf + 24);
            }
            LeaveCriticalSection(&g_lock);
            memmove(f->buf, f->buf + 4 + flen, f->len - 4 - flen);
            f->len -= 4 + flen;
        }
    }
}

typedef struct {
    HANDLE pipe;
    SOCKET sock;
} pair;

/* DLL → bridge: pipe reads (overlapped) to socket sends. */
static DWORD WINAPI pipe_to_sock(LPVOID p)
{
    pair *c = p;
    static framer mine; /* one DLL connection at a time: the worker has one */
    BYTE buf[16384];
    OVERLAPPED ov;
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    mine.len = 0;
    mine.to_dll = 0;
    for (;;) {
        DWORD got = 0;
        memset(&ov, 0, sizeof ov);
        ov.hEvent = ev;
        if (!ReadFile(c->pipe, buf, sizeof buf, NULL, &ov) && GetLastError() != ERROR_IO_PENDING) break;
        if (!GetOverlappedResult(c->pipe, &ov, &got, TRUE) || got == 0) break;
        frames_seen(&mine, buf, got);
        if (send(c->sock, (const char *)buf, (int)got, 0) != (int)got) break;
    }
    shutdown(c->sock, SD_SEND);
    CloseHandle(ev);
    return 0;
}

/* bridge → DLL: socket receives to pipe writes. Owns the pair's cleanup. */
static DWORD WINAPI sock_to_pipe(LPVOID p)
{
    pair *c = p;
    BYTE buf[16384];
    static framer mine;
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    mine.len = 0;
    mine.to_dll = 1;
    HANDLE reader = CreateThread(NULL, 0, pipe_to_sock, c, 0, NULL);
    for (;;) {
        int got = recv(c->sock, (char *)buf, sizeof buf, 0);
        if (got <= 0) break;
        frames_seen(&mine, buf, (size_t)got);
        OVERLAPPED ov;
        DWORD done = 0;
        memset(&ov, 0, sizeof ov);
        ov.hEvent = ev;
        if (!WriteFile(c->pipe, buf, (DWORD)got, NULL, &ov) && GetLastError() != ERROR_IO_PENDING) break;
        if (!GetOverlappedResult(c->pipe, &ov, &done, TRUE) || done != (DWORD)got) break;
    }
    /* Either side is gone: end the other, as a closed connection would. */
    CancelIoEx(c->pipe, NULL);
    DisconnectNamedPipe(c->pipe);
    WaitForSingleObject(reader, 5000);
    CloseHandle(reader);
    EnterCriticalSection(&g_lock);
    for (int i = 0; i < MAX_CONN; i++)
        if (g_conns[i].used && g_conns[i].pipe == c->pipe) g_conns[i].used = 0;
    LeaveCriticalSection(&g_lock);
    closesocket(c->sock);
    CloseHandle(c->pipe);
    CloseHandle(ev);
    free(c);
    return 0;
}

static void pipe_name(WCHAR *out, size_t cap)
{
    pwb_config c;
    pwb_config_read(&c);
    size_t i = 0;
    for (; c.pipe_name[i] && i + 1 < cap; i++) out[i] = c.pipe_name[i];
    out[i] = 0;
}

static DWORD WINAPI server_main(LPVOID unused)
{
    WCHAR name[256];
    int first = 1;
    (void)unused;
    pipe_name(name, 256);
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    while (WaitForSingleObject(g_stop, 0) != WAIT_OBJECT_0) {
        HANDLE h = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                                    PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                                    PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, NULL);
        if (h == INVALID_HANDLE_VALUE) {
            Sleep(20);
            continue;
        }
        first = 0;
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.hEvent = ev;
        BOOL connected = ConnectNamedPipe(h, &ov);
        DWORD err = connected ? ERROR_PIPE_CONNECTED : GetLastError();
        if (err == ERROR_IO_PENDING) {
            HANDLE waits[2] = { ev, g_stop };
            DWORD r = WaitForMultipleObjects(2, waits, FALSE, INFINITE);
            DWORD dummy = 0;
            if (r != WAIT_OBJECT_0 || !GetOverlappedResult(h, &ov, &dummy, FALSE)) {
                CancelIoEx(h, &ov);
                CloseHandle(h);
                continue;
            }
        } else if (err != ERROR_PIPE_CONNECTED) {
            CloseHandle(h);
            continue;
        }
        InterlockedIncrement(&g_stats.connections);
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        struct sockaddr_in addr;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_port = htons((u_short)g_port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (s == INVALID_SOCKET || connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) {
            if (s != INVALID_SOCKET) closesocket(s);
            DisconnectNamedPipe(h);
            CloseHandle(h);
            continue;
        }
        pair *c = malloc(sizeof *c);
        c->pipe = h;
        c->sock = s;
        EnterCriticalSection(&g_lock);
        for (int i = 0; i < MAX_CONN; i++)
            if (!g_conns[i].used) {
                g_conns[i].used = 1;
                g_conns[i].pipe = h;
                g_conns[i].sock = s;
                break;
            }
        LeaveCriticalSection(&g_lock);
        HANDLE t = CreateThread(NULL, 0, sock_to_pipe, c, 0, NULL);
        if (t) CloseHandle(t);
    }
    CloseHandle(ev);
    return 0;
}

static void cmd_serve(char *rest)
{
    char *mode = strtok(rest, " ");
    if (mode && strcmp(mode, "relay") == 0) {
        char *port = strtok(NULL, " ");
        if (g_server_thread) { reply("err already serving"); return; }
        g_port = port ? atoi(port) : 0;
        if (g_port <= 0 || g_port > 65535) { reply("err bad port"); return; }
        ResetEvent(g_stop);
        g_server_thread = CreateThread(NULL, 0, server_main, NULL, 0, NULL);
        Sleep(100); /* the first instance exists */
        { reply("ok serve"); return; }
    }
    if (mode && strcmp(mode, "off") == 0) {
        if (g_server_thread) {
            SetEvent(g_stop);
            WaitForSingleObject(g_server_thread, 5000);
            CloseHandle(g_server_thread);
            g_server_thread = NULL;
        }
        EnterCriticalSection(&g_lock);
        for (int i = 0; i < MAX_CONN; i++)
            if (g_conns[i].used) shutdown(g_conns[i].sock, SD_BOTH); /* its relay thread cleans up */
        LeaveCriticalSection(&g_lock);
        for (int tries = 0; tries < 100; tries++) {
            int busy = 0;
            EnterCriticalSection(&g_lock);
            for (int i = 0; i < MAX_CONN; i++) busy |= g_conns[i].used;
            LeaveCriticalSection(&g_lock);
            if (!busy) break;
            Sleep(20);
        }
        { reply("ok serve off"); return; }
    }
    reply("err serve relay PORT | serve off");
}

static void cmd_stats(void)
{
    long open = 0;
    EnterCriticalSection(&g_lock);
    relay_stats s = g_stats;
    for (int i = 0; i < MAX_CONN; i++) open += g_conns[i].used;
    LeaveCriticalSection(&g_lock);
    reply("ok stats connections=%ld open=%ld hello=%ld change=%ld heartbeat=%ld ack=%ld hb_queued=%ld hb_spooled=%ld "
          "hb_dropped=%ld",
          s.connections, open, s.hello, s.change, s.heartbeat, s.ack, s.hb_queued, s.hb_spooled, s.hb_dropped);
}

static LONG acks(void)
{
    EnterCriticalSection(&g_lock);
    LONG n = g_stats.ack;
    LeaveCriticalSection(&g_lock);
    return n;
}

static int wait_acks(LONG n, DWORD ms)
{
    ULONGLONG end = GetTickCount64() + ms;
    while (acks() < n) {
        if (GetTickCount64() > end) return -1;
        Sleep(2);
    }
    return 0;
}

/* ---------------------------------------------------------------- the spool, as files */

static int spool_dir(WCHAR *dir, size_t cap)
{
    pwb_config c;
    pwb_config_read(&c);
    return pwb_path(dir, cap, c.data_dir, L"spool");
}

/* The spooled files; with `remove`, delete them too. */
static long spool_files(int remove)
{
    WCHAR dir[PWB_PATH_CAP], pattern[PWB_PATH_CAP + 16], path[PWB_PATH_CAP + 80];
    WIN32_FIND_DATAW fd;
    long n = 0;
    if (spool_dir(dir, PWB_PATH_CAP) != 0 || pwb_path(pattern, PWB_PATH_CAP + 16, dir, L"*.chg.dpapi") != 0) return -1;
    HANDLE f = FindFirstFileW(pattern, &fd);
    if (f == INVALID_HANDLE_VALUE) return 0;
    do {
        n++;
        if (remove && pwb_path(path, PWB_PATH_CAP + 80, dir, fd.cFileName) == 0) DeleteFileW(path);
    } while (FindNextFileW(f, &fd));
    FindClose(f);
    return n;
}

/* ---------------------------------------------------------------- memory */

static BYTE *g_planted;
static size_t g_planted_len;

static void cmd_plant(const char *hex)
{
    size_t cap = strlen(hex) / 2 + 1;
    if (g_planted) {
        SecureZeroMemory(g_planted, g_planted_len);
        free(g_planted);
    }
    g_planted = malloc(cap);
    long n = unhex(hex, g_planted, cap);
    g_planted_len = n > 0 ? (size_t)n : 0;
    reply(n > 0 ? "ok plant" : "err bad hex");
}

static void cmd_unplant(void)
{
    if (g_planted) {
        SecureZeroMemory(g_planted, g_planted_len);
        free(g_planted);
    }
    g_planted = NULL;
    g_planted_len = 0;
    reply("ok unplant");
}

/* Every committed, readable region of this process (private, image and mapped), read through
 * ReadProcessMemory into one buffer of our own, which is skipped and wiped. The pattern is held XORed with
 * a mask, so the scanner does not carry the bytes it looks for. */
static void cmd_scan(const char *hex)
{
    enum { CHUNK = 1 << 20, MASK = 0x5A };
    BYTE pat[4096];
    long n = unhex(hex, pat, sizeof pat);
    if (n <= 0) { reply("err bad hex"); return; }
    for (long i = 0; i < n; i++) pat[i] ^= MASK;
    BYTE *buf = VirtualAlloc(NULL, CHUNK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (!buf) { reply("err no memory"); return; }
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    BYTE *at = (BYTE *)si.lpMinimumApplicationAddress;
    long hits = 0, regions = 0;
    unsigned long long scanned = 0;
    char where[512] = "";
    MEMORY_BASIC_INFORMATION mbi;
    while (at < (BYTE *)si.lpMaximumApplicationAddress && VirtualQuery(at, &mbi, sizeof mbi) == sizeof mbi) {
        BYTE *base = mbi.BaseAddress;
        SIZE_T size = mbi.RegionSize;
        at = base + size;
        if (mbi.State != MEM_COMMIT || (mbi.Protect & (PAGE_NOACCESS | PAGE_GUARD)) || base == buf) continue;
        regions++;
        /* Chunks overlap by n-1 bytes so a copy that straddles two is still seen. */
        for (SIZE_T off = 0; off < size;) {
            SIZE_T want = size - off < CHUNK ? size - off : CHUNK, got = 0;
            if (!ReadProcessMemory(GetCurrentProcess(), base + off, buf, want, &got) || got == 0) break;
            scanned += got;
            for (SIZE_T i = 0; i + (SIZE_T)n <= got; i++) {
                if ((BYTE)(buf[i] ^ MASK) != pat[0]) continue;
                long k = 1;
                while (k < n && (BYTE)(buf[i + k] ^ MASK) == pat[k]) k++;
                if (k == n) {
                    hits++;
                    size_t used = strlen(where);
                    if (used < sizeof where - 40)
                        snprintf(where + used, sizeof where - used, " %p/%s", (void *)(base + off + i),
                                 mbi.Type == MEM_IMAGE ? "image" : mbi.Type == MEM_MAPPED ? "mapped" : "private");
                }
            }
            SecureZeroMemory(buf, got);
            if (off + got >= size) break;
            off += got > (SIZE_T)n ? got - (SIZE_T)n + 1 : got;
        }
    }
    VirtualFree(buf, 0, MEM_RELEASE);
    SecureZeroMemory(pat, sizeof pat);
    reply("ok scan %ld regions=%ld bytes=%llu%s", hits, regions, scanned, where);
}

/* ---------------------------------------------------------------- bench */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void cmd_bench(long count, long burst, const char *mode)
{
    int up = strcmp(mode, "up") == 0;
    if (!g_notify) { reply("err not loaded"); return; }
    if (count < 1 || burst < 1 || burst > 200) { reply("err bad argument"); return; }
    int64_t *ns = malloc(sizeof *ns * (size_t)count);
    WCHAR *account = (WCHAR *)g_call, *password = (WCHAR *)(g_call + 256);
    char text[64];
    UNICODE_STRING ua, up_s;
    ua.Buffer = account;
    ua.Length = ua.MaximumLength = ascii16("benchuser", account);
    LONG acked = acks();
    for (long i = 0; i < count; i++) {
        /* A password of typical length, different each time (built outside the timed call). */
        snprintf(text, sizeof text, "Bench-%08ld-Pass!", i);
        up_s.Buffer = password;
        up_s.Length = up_s.MaximumLength = ascii16(text, password);
        LARGE_INTEGER a, b;
        QueryPerformanceCounter(&a);
        g_notify(&ua, 1001, &up_s);
        QueryPerformanceCounter(&b);
        ns[i] = ns_between(a, b);
        if ((i + 1) % burst == 0 || i + 1 == count) {
            /* Let the DLL catch up, so every timed call finds room in its queue as a rare real change does. */
            long sent = i % burst + 1;
            if (up) {
                if (wait_acks(acked + sent, 60000) != 0) {
                    free(ns);
                    { reply("err bench: the DLL did not deliver a burst in 60 s (acks %ld of %ld)", acks() - acked, sent); return; }
                }
                acked += sent;
            } else {
                ULONGLONG end = GetTickCount64() + 60000;
                while (spool_files(0) < sent) {
                    if (GetTickCount64() > end) {
                        free(ns);
                        { reply("err bench: the DLL did not spool a burst in 60 s"); return; }
                    }
                    Sleep(5); /* each look is a directory listing: do not crowd the DLL's own file work */
                }
                spool_files(1);
            }
        }
    }
    SecureZeroMemory(g_call, CALL_BYTES);
    SecureZeroMemory(text, sizeof text);
    double sum = 0;
    for (long i = 0; i < count; i++) sum += (double)ns[i];
    qsort(ns, (size_t)count, sizeof *ns, cmp_i64);
    reply("ok bench %lld %lld %lld %.0f", (long long)ns[count / 2], (long long)ns[(size_t)((double)count * 0.99)],
          (long long)ns[count - 1], sum / (double)count);
    free(ns);
}

/* ---------------------------------------------------------------- threads, spool files, ACLs */

static void cmd_unload(void)
{
    if (!g_dll) { reply("err not loaded"); return; }
    BOOL ok = FreeLibrary(g_dll);
    g_dll = NULL;
    g_init = NULL, g_filter = NULL, g_notify = NULL;
    ok ? reply("ok unload") : reply("err FreeLibrary %lu", (unsigned long)GetLastError());
}

static void cmd_threadcount(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te;
    long n = 0;
    if (snap == INVALID_HANDLE_VALUE) { reply("err snapshot %lu", (unsigned long)GetLastError()); return; }
    te.dwSize = sizeof te;
    for (BOOL more = Thread32First(snap, &te); more; more = Thread32Next(snap, &te))
        if (te.th32OwnerProcessID == GetCurrentProcessId()) n++;
    CloseHandle(snap);
    reply("ok threadcount %ld", n);
}

static int hex_nibble(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

static void cmd_spoolput(const char *at_s, const char *seq_s, const char *id_hex, const char *record_hex)
{
    static BYTE record[16384];
    uint8_t id[16], secret[PWB_SECRET], pub[PWB_EPK], entropy[32];
    WCHAR dir[PWB_PATH_CAP];
    pwb_config c;
    if (strlen(id_hex) != 32) { reply("err id: 32 hex digits"); return; }
    for (int i = 0; i < 16; i++) {
        int hi = hex_nibble(id_hex[2 * i]), lo = hex_nibble(id_hex[2 * i + 1]);
        if (hi < 0 || lo < 0) { reply("err id: hex"); return; }
        id[i] = (uint8_t)(hi << 4 | lo);
    }
    long n = unhex(record_hex, record, sizeof record);
    if (n <= 0) { reply("err record: hex"); return; }
    pwb_config_read(&c);
    if (pwb_read_keys(c.data_dir, NULL, secret, pub) != 0) { reply("err keys"); return; }
    pwb_derive_label(secret, "lsa-dpapi", entropy);
    int rc = pwb_spool_dir(c.data_dir, dir) == 0 ?
             pwb_spool_write(dir, strtoull(at_s, NULL, 10), (uint32_t)strtoul(seq_s, NULL, 10), id, record, (size_t)n, entropy) : -1;
    SecureZeroMemory(secret, sizeof secret);
    SecureZeroMemory(entropy, sizeof entropy);
    rc == 0 ? reply("ok spoolput") : reply("err spoolput %lu", (unsigned long)GetLastError());
}

static HANDLE g_locked = INVALID_HANDLE_VALUE;

static void cmd_lock(const char *name)
{
    WCHAR dir[PWB_PATH_CAP], wname[128], path[PWB_PATH_CAP + 130];
    if (g_locked != INVALID_HANDLE_VALUE) { reply("err already locked"); return; }
    if (spool_dir(dir, PWB_PATH_CAP) != 0 || MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 128) <= 0 ||
        pwb_path(path, PWB_PATH_CAP + 130, dir, wname) != 0)
        { reply("err lock path"); return; }
    /* No sharing at all: every other open fails with ERROR_SHARING_VIOLATION while this handle lives. */
    g_locked = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    g_locked != INVALID_HANDLE_VALUE ? reply("ok lock") : reply("err lock %lu", (unsigned long)GetLastError());
}

static void cmd_unlock(void)
{
    if (g_locked != INVALID_HANDLE_VALUE) CloseHandle(g_locked);
    g_locked = INVALID_HANDLE_VALUE;
    reply("ok unlock");
}

static void cmd_aclcheck(const char *forbidden_hex, const char *sddl)
{
    WCHAR w[2048];
    PSECURITY_DESCRIPTOR sd = NULL;
    PSID owner = NULL;
    PACL dacl = NULL;
    BOOL defaulted = FALSE, present = FALSE;
    if (MultiByteToWideChar(CP_UTF8, 0, sddl, -1, w, 2048) <= 0 ||
        !ConvertStringSecurityDescriptorToSecurityDescriptorW(w, SDDL_REVISION_1, &sd, NULL))
        { reply("err sddl %lu", (unsigned long)GetLastError()); return; }
    GetSecurityDescriptorOwner(sd, &owner, &defaulted);
    GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
    /* The ACE types as parsed, so a test can see that the entry it means to test is really there. */
    char types[256] = "";
    for (DWORD i = 0; dacl && i < dacl->AceCount; i++) {
        ACE_HEADER *ace = NULL;
        if (GetAce(dacl, i, (void **)&ace)) snprintf(types + strlen(types), sizeof types - strlen(types), "%s%u", i ? "," : "", (unsigned)ace->AceType);
    }
    int rc = pwb_dacl_ok(owner, present ? dacl : NULL, (DWORD)strtoul(forbidden_hex, NULL, 16), NULL);
    LocalFree(sd);
    reply("ok aclcheck %s types=%s", rc == 0 ? "pass" : "fail", types);
}

/* The DACL of acecheck, byte by byte (AddAce would refuse types it does not know). */
static DWORD build_dacl(BYTE *buf, DWORD cap, BYTE type, DWORD mask)
{
    BYTE sy[SECURITY_MAX_SID_SIZE], wd[SECURITY_MAX_SID_SIZE];
    DWORD sy_len = sizeof sy, wd_len = sizeof wd;
    if (!CreateWellKnownSid(WinLocalSystemSid, NULL, sy, &sy_len) || !CreateWellKnownSid(WinWorldSid, NULL, wd, &wd_len)) return 0;
    sy_len = GetLengthSid(sy), wd_len = GetLengthSid(wd);
    int object = type == 5 || type == 6 || type == 11 || type == 12;
    int callback = type >= 9 && type <= 12;
    DWORD first = 8 + sy_len, second = 8 + (object ? 4 : 0) + wd_len + (callback ? 4 : 0), total = 8 + first + second;
    if (total > cap) return 0;
    memset(buf, 0, total);
    buf[0] = object ? ACL_REVISION_DS : ACL_REVISION;
    *(WORD *)(buf + 2) = (WORD)total;
    *(WORD *)(buf + 4) = 2;
    BYTE *a = buf + 8;
    a[0] = ACCESS_ALLOWED_ACE_TYPE, *(WORD *)(a + 2) = (WORD)first, *(DWORD *)(a + 4) = FILE_ALL_ACCESS;
    memcpy(a + 8, sy, sy_len);
    a += first;
    a[0] = type, *(WORD *)(a + 2) = (WORD)second, *(DWORD *)(a + 4) = mask;
    memcpy(a + 8 + (object ? 4 : 0), wd, wd_len); /* an object ACE's Flags = 0: no GUIDs follow */
    return total;
}

static void cmd_acecheck(const char *forbidden_hex, const char *type_s, const char *mask_hex)
{
    static BYTE acl[512];
    BYTE sy[SECURITY_MAX_SID_SIZE];
    DWORD sy_len = sizeof sy;
    if (!build_dacl(acl, sizeof acl, (BYTE)atoi(type_s), (DWORD)strtoul(mask_hex, NULL, 16)) ||
        !CreateWellKnownSid(WinLocalSystemSid, NULL, sy, &sy_len))
        { reply("err acecheck build"); return; }
    ACE_HEADER *ace = NULL;
    int rc = pwb_dacl_ok(sy, (PACL)acl, (DWORD)strtoul(forbidden_hex, NULL, 16), NULL);
    reply("ok acecheck %s type=%u", rc == 0 ? "pass" : "fail", GetAce((PACL)acl, 1, (void **)&ace) ? (unsigned)ace->AceType : 999u);
}

/* ---------------------------------------------------------------- main */

static void cmd_load(const char *path)
{
    WCHAR w[1024];
    if (MultiByteToWideChar(CP_UTF8, 0, path, -1, w, 1024) <= 0) { reply("err bad path"); return; }
    HMODULE m = LoadLibraryW(w);
    if (!m) { reply("err LoadLibrary %lu", (unsigned long)GetLastError()); return; }
    g_dll = m;
    g_init = (init_fn)(void (*)(void))GetProcAddress(m, "InitializeChangeNotify");
    g_filter = (filter_fn)(void (*)(void))GetProcAddress(m, "PasswordFilter");
    g_notify = (notify_fn)(void (*)(void))GetProcAddress(m, "PasswordChangeNotify");
    if (!g_init || !g_filter || !g_notify) { reply("err missing export"); return; }
    reply("ok load");
}

int main(void)
{
    static char line[1 << 17];
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    QueryPerformanceFrequency(&g_freq);
    InitializeCriticalSection(&g_lock);
    g_stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    g_call = VirtualAlloc(NULL, CALL_BYTES, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    setvbuf(stdout, NULL, _IONBF, 0);
    reply("ok ready");
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        char *cmd = strtok(line, " ");
        if (!cmd) continue;
        if (strcmp(cmd, "load") == 0) {
            char *p = strtok(NULL, "");
            p ? cmd_load(p) : reply("err load PATH");
        } else if (strcmp(cmd, "unload") == 0) {
            cmd_unload();
        } else if (strcmp(cmd, "threadcount") == 0) {
            cmd_threadcount();
        } else if (strcmp(cmd, "spoolput") == 0) {
            char *a = strtok(NULL, " "), *s = strtok(NULL, " "), *i = strtok(NULL, " "), *r = strtok(NULL, " ");
            a && s && i && r ? cmd_spoolput(a, s, i, r) : reply("err spoolput AT SEQ ID RECORD");
        } else if (strcmp(cmd, "lock") == 0) {
            char *n = strtok(NULL, " ");
            n ? cmd_lock(n) : reply("err lock NAME");
        } else if (strcmp(cmd, "unlock") == 0) {
            cmd_unlock();
        } else if (strcmp(cmd, "acecheck") == 0) {
            char *f = strtok(NULL, " "), *t = strtok(NULL, " "), *m = strtok(NULL, " ");
            f && t && m ? cmd_acecheck(f, t, m) : reply("err acecheck FORBIDDEN TYPE MASK");
        } else if (strcmp(cmd, "aclcheck") == 0) {
            char *f = strtok(NULL, " "), *s = strtok(NULL, "");
            f && s ? cmd_aclcheck(f, s) : reply("err aclcheck FORBIDDEN SDDL");
        } else if (strcmp(cmd, "init") == 0) {
            g_init ? reply("ok init %d", g_init() ? 1 : 0) : reply("err not loaded");
        } else if (strcmp(cmd, "notify") == 0) {
            char *a = strtok(NULL, " "), *r = strtok(NULL, " "), *p = strtok(NULL, " ");
            a && r && p ? cmd_notify(a, r, p) : reply("err notify ACCOUNT RID PASSWORD");
        } else if (strcmp(cmd, "filter") == 0) {
            char *a = strtok(NULL, " "), *p = strtok(NULL, " ");
            a && p ? cmd_filter(a, p) : reply("err filter ACCOUNT PASSWORD");
        } else if (strcmp(cmd, "threads") == 0) {
            char *n = strtok(NULL, " "), *c = strtok(NULL, " ");
            n && c ? cmd_threads(atoi(n), atoi(c)) : reply("err threads N COUNT");
        } else if (strcmp(cmd, "burst") == 0) {
            char *c = strtok(NULL, " "), *a = strtok(NULL, " "), *p = strtok(NULL, " ");
            c && a && p ? cmd_burst(atoi(c), a, p) : reply("err burst COUNT ACCOUNT PASSWORD");
        } else if (strcmp(cmd, "reg") == 0) {
            char *rest = strtok(NULL, "");
            rest ? cmd_reg(rest) : reply("err reg ...");
        } else if (strcmp(cmd, "serve") == 0) {
            char *rest = strtok(NULL, "");
            rest ? cmd_serve(rest) : reply("err serve ...");
        } else if (strcmp(cmd, "stats") == 0) {
            cmd_stats();
        } else if (strcmp(cmd, "waitack") == 0) {
            char *n = strtok(NULL, " "), *ms = strtok(NULL, " ");
            if (!n || !ms) reply("err waitack N MS");
            else if (wait_acks(atol(n), (DWORD)atol(ms)) == 0) reply("ok waitack %ld", acks());
            else reply("err waitack timeout: %ld acks", acks());
        } else if (strcmp(cmd, "spool") == 0) {
            reply("ok spool %ld", spool_files(0));
        } else if (strcmp(cmd, "sid") == 0) {
            BYTE buf[256];
            LPWSTR s = NULL;
            PSID sid = pwb_self_sid(buf, sizeof buf);
            if (sid && ConvertSidToStringSidW(sid, &s)) {
                reply("ok sid %ls", s);
                LocalFree(s);
            } else {
                reply("err sid");
            }
        } else if (strcmp(cmd, "facts") == 0) {
            uint8_t id[16];
            char machine[PWB_MAX_NAME + 1], idhex[33];
            pwb_boot_id(id);
            pwb_machine_name(machine);
            for (int i = 0; i < 16; i++) snprintf(idhex + 2 * i, 3, "%02x", id[i]);
            reply("ok facts %s %s", idhex, machine);
        } else if (strcmp(cmd, "plant") == 0) {
            char *h = strtok(NULL, " ");
            h ? cmd_plant(h) : reply("err plant HEX");
        } else if (strcmp(cmd, "unplant") == 0) {
            cmd_unplant();
        } else if (strcmp(cmd, "scan") == 0) {
            char *h = strtok(NULL, " ");
            h ? cmd_scan(h) : reply("err scan HEX");
        } else if (strcmp(cmd, "bench") == 0) {
            char *c = strtok(NULL, " "), *b = strtok(NULL, " "), *m = strtok(NULL, " ");
            c && b && m ? cmd_bench(atol(c), atol(b), m) : reply("err bench COUNT BURST up|down");
        } else if (strcmp(cmd, "sleep") == 0) {
            char *ms = strtok(NULL, " ");
            Sleep(ms ? (DWORD)atol(ms) : 0);
            reply("ok sleep");
        } else if (strcmp(cmd, "exit") == 0) {
            reply("ok exit");
            ExitProcess(0);
        } else {
            reply("err unknown command %s", cmd);
        }
        SecureZeroMemory(line, sizeof line); /* it held hex of a password */
    }
    return 0;
}
