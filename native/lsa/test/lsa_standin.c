/* lsa_standin.exe: what lsass.exe does with password filters at boot and on a password change, for the
 * MSI test under Wine (test/windows/msi-install.test.ts). Unlike harness.exe it knows nothing of
 * pwbridge: it reads HKLM\SYSTEM\CurrentControlSet\Control\Lsa "Notification Packages", loads each
 * package from System32, and calls InitializeChangeNotify; a package that is missing, lacks the export or
 * answers FALSE is skipped, as LSA skips it. So it proves that what the MSI registered is what LSA loads.
 *
 * At start it prints one line per package, then "ready N" (N packages loaded). Then, one command per line
 * on stdin, each answered by one line:
 *   change ACCOUNT RID     the next line holds the new password as UTF-16LE in hex (never on a command
 *                          line); every package's PasswordFilter is asked (a FALSE rejects the change, and
 *                          no package is notified), then every PasswordChangeNotify
 *                          → ok change filter=1|0 notify=<status of each, hex> at=<Unix time of the notify, ms>
 *   exit                   ExitProcess without unloading anything, as a shutdown ends lsass
 * End of input also ends it that way. The password lives only in one buffer here, wiped after the call. */
#include <windows.h>
#include <ntsecapi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"

typedef BOOLEAN(NTAPI *init_fn)(void);
typedef BOOLEAN(NTAPI *filter_fn)(PUNICODE_STRING, PUNICODE_STRING, PUNICODE_STRING, BOOLEAN);
typedef NTSTATUS(NTAPI *notify_fn)(PUNICODE_STRING, ULONG, PUNICODE_STRING);

#define MAX_PACKAGES 16
#define MAX_LINE 4096

typedef struct {
    WCHAR name[64];
    filter_fn filter;
    notify_fn notify;
} package;

static package g_packages[MAX_PACKAGES];
static int g_count;

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* LSA loads "<name>.dll" from System32 for each name in the list. */
static void load_package(const WCHAR *name)
{
    WCHAR path[MAX_PATH];
    UINT n = GetSystemDirectoryW(path, MAX_PATH);
    if (n == 0 || n + wcslen(name) + 6 >= MAX_PATH || wcslen(name) >= 64) {
        say("skip %ls path", name);
        return;
    }
    wcscat(path, L"\\");
    wcscat(path, name);
    wcscat(path, L".dll");
    HMODULE m = LoadLibraryW(path);
    if (!m) {
        say("skip %ls load-error %lu", name, GetLastError());
        return;
    }
    init_fn init = (init_fn)(void *)GetProcAddress(m, "InitializeChangeNotify");
    filter_fn filter = (filter_fn)(void *)GetProcAddress(m, "PasswordFilter");
    notify_fn notify = (notify_fn)(void *)GetProcAddress(m, "PasswordChangeNotify");
    if (!init || (!filter && !notify)) {
        say("skip %ls no-exports", name);
        return;
    }
    if (!init()) {
        say("skip %ls init-false", name);
        return;
    }
    if (g_count == MAX_PACKAGES) {
        say("skip %ls too-many", name);
        return;
    }
    package *p = &g_packages[g_count++];
    wcscpy(p->name, name);
    p->filter = filter;
    p->notify = notify;
    say("loaded %ls", name);
}

static void load_all(void)
{
    HKEY key;
    LSTATUS rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\Lsa", 0, KEY_READ, &key);
    if (rc != ERROR_SUCCESS) {
        say("no-lsa-key %ld", (long)rc);
        return;
    }
    static WCHAR list[8192];
    DWORD type = 0, size = sizeof list - 2 * sizeof(WCHAR);
    memset(list, 0, sizeof list);
    rc = RegQueryValueExW(key, L"Notification Packages", NULL, &type, (BYTE *)list, &size);
    RegCloseKey(key);
    if (rc != ERROR_SUCCESS || type != REG_MULTI_SZ) {
        say("no-packages %ld %lu", (long)rc, type);
        return;
    }
    for (WCHAR *s = list; *s; s += wcslen(s) + 1) load_package(s);
}

static void fill(UNICODE_STRING *u, WCHAR *text, size_t bytes)
{
    u->Buffer = text;
    u->Length = (USHORT)bytes;
    u->MaximumLength = (USHORT)bytes;
}

static void change(const char *args, char *line)
{
    WCHAR account[257];
    char acct[257];
    unsigned long rid = 0;
    if (sscanf(args, "%256s %lu", acct, &rid) != 2) {
        say("err change needs ACCOUNT RID");
        return;
    }
    int an = MultiByteToWideChar(CP_UTF8, 0, acct, -1, account, 257);
    if (an <= 1) {
        say("err account");
        return;
    }
    if (!fgets(line, MAX_LINE, stdin)) {
        say("err no password line");
        return;
    }
    /* The one copy of the password: the LSA-owned buffer the packages are given. */
    static WCHAR password[1024];
    long pn = pwb_unhex(line, strcspn(line, "\r\n"), (BYTE *)password, sizeof password);
    SecureZeroMemory(line, MAX_LINE);
    if (pn < 0 || pn % 2) {
        SecureZeroMemory(password, sizeof password);
        say("err password hex");
        return;
    }
    UNICODE_STRING user, full, pw;
    fill(&user, account, (size_t)(an - 1) * sizeof(WCHAR));
    fill(&full, account, (size_t)(an - 1) * sizeof(WCHAR));
    fill(&pw, password, (size_t)pn);
    BOOLEAN accepted = TRUE;
    for (int i = 0; i < g_count && accepted; i++)
        if (g_packages[i].filter && !g_packages[i].filter(&user, &full, &pw, TRUE)) accepted = FALSE;
    char statuses[MAX_PACKAGES * 12] = "";
    FILETIME at;
    GetSystemTimePreciseAsFileTime(&at);
    if (accepted) {
        for (int i = 0; i < g_count; i++) {
            NTSTATUS st = g_packages[i].notify ? g_packages[i].notify(&user, (ULONG)rid, &pw) : 0;
            char one[12];
            snprintf(one, sizeof one, "%s%lx", i ? "," : "", (unsigned long)st);
            strcat(statuses, one);
        }
    }
    SecureZeroMemory(password, sizeof password);
    /* FILETIME: 100 ns since 1601; the Unix epoch is 11644473600 s later. */
    ULONGLONG ticks = ((ULONGLONG)at.dwHighDateTime << 32 | at.dwLowDateTime) - 116444736000000000ULL;
    say("ok change filter=%d notify=%s at=%llu.%04llu", accepted ? 1 : 0, statuses[0] ? statuses : "-", ticks / 10000,
        ticks % 10000);
}

int main(void)
{
    static char line[MAX_LINE];
    load_all();
    say("ready %d", g_count);
    while (fgets(line, sizeof line, stdin)) {
        if (strncmp(line, "change ", 7) == 0) change(line + 7, line);
        else if (strncmp(line, "exit", 4) == 0) break;
        else say("err unknown command");
        SecureZeroMemory(line, sizeof line);
    }
    ExitProcess(0);
}
