/* pipe_probe.exe: the other side of a pipe for test/windows/win-pipe*.test.ts (under Wine here, natively on
 * Windows). One JSON object per line on stdout.
 *
 *   pipe_probe dacl NAME          the pipe's owner and DACL as a client reads them (GetSecurityInfo)
 *   pipe_probe hold NAME SECONDS MAX [busy]  create NAME first with MAX instances and hold it; busy: connect
 *                                 to every instance itself, so none is free
 *   pipe_probe connect NAME MS    connect, read until the server closes or MS pass; what arrived
 *   pipe_probe counts PID         that process's handle and thread counts, as the system reports them
 *                                 (SystemProcessInformation: Wine's GetProcessHandleCount always says 0)
 */
#include <windows.h>
#include <winternl.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static void print_sid(PSID sid)
{
    WCHAR *s = NULL;
    if (sid && ConvertSidToStringSidW(sid, &s)) {
        printf("\"%ls\"", s);
        LocalFree(s);
    } else {
        printf("null");
    }
}

static int self_sid(void)
{
    HANDLE tok = NULL;
    BYTE buf[256];
    DWORD len = 0;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) return 0;
    int ok = GetTokenInformation(tok, TokenUser, buf, sizeof buf, &len);
    CloseHandle(tok);
    if (ok) print_sid(((TOKEN_USER *)buf)->User.Sid);
    return ok;
}

static HANDLE open_client(const WCHAR *name, DWORD access)
{
    for (int i = 0; i < 50; i++) {
        HANDLE h = CreateFileW(name, access, 0, NULL, OPEN_EXISTING, SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, NULL);
        if (h != INVALID_HANDLE_VALUE || GetLastError() != ERROR_PIPE_BUSY) return h;
        WaitNamedPipeW(name, 100);
    }
    return INVALID_HANDLE_VALUE;
}

static int dacl(const WCHAR *name)
{
    HANDLE h = open_client(name, GENERIC_READ | READ_CONTROL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("{\"error\":%lu}\n", GetLastError());
        return 1;
    }
    PSID owner = NULL;
    PACL acl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD err = GetSecurityInfo(h, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
                                NULL, &acl, NULL, &sd);
    CloseHandle(h);
    if (err) {
        printf("{\"error\":%lu}\n", err);
        return 1;
    }
    SECURITY_DESCRIPTOR_CONTROL ctl = 0;
    DWORD rev = 0;
    GetSecurityDescriptorControl(sd, &ctl, &rev);
    WCHAR *sddl = NULL;
    ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &sddl, NULL);
    printf("{\"owner\":");
    print_sid(owner);
    printf(",\"protected\":%ls,\"daclPresent\":%ls,\"sddl\":\"%ls\",\"aces\":[", (ctl & SE_DACL_PROTECTED) ? L"true" : L"false",
            acl ? L"true" : L"false", sddl ? sddl : L"");
    for (DWORD i = 0; acl && i < acl->AceCount; i++) {
        ACE_HEADER *ace = NULL;
        if (!GetAce(acl, i, (void **)&ace)) continue;
        printf("%ls{\"type\":%u,\"flags\":%u", i ? L"," : L"", ace->AceType, ace->AceFlags);
        if (ace->AceType == ACCESS_ALLOWED_ACE_TYPE || ace->AceType == ACCESS_DENIED_ACE_TYPE) {
            ACCESS_ALLOWED_ACE *a = (ACCESS_ALLOWED_ACE *)ace;
            printf(",\"mask\":%lu,\"sid\":", a->Mask);
            print_sid(&a->SidStart);
        }
        printf("}");
    }
    printf("]}\n");
    if (sddl) LocalFree(sddl);
    LocalFree(sd);
    return 0;
}

/* A squatter: creates NAME first with `max` instances (all of them), and with `busy` connects to each itself,
 * so none is free for a client that would ask who serves it. */
static int hold(const WCHAR *name, int seconds, int max, int busy)
{
    HANDLE h[8], c[8];
    int n = max < 1 ? 1 : max > 8 ? 8 : max;
    for (int i = 0; i < n; i++) {
        h[i] = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | (i == 0 ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0),
                                PIPE_TYPE_BYTE | PIPE_WAIT, (DWORD)n, 4096, 4096, 0, NULL);
        if (h[i] == INVALID_HANDLE_VALUE) {
            printf("{\"error\":%lu}\n", GetLastError());
            return 1;
        }
        c[i] = busy ? CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL) : INVALID_HANDLE_VALUE;
    }
    printf("{\"holding\":true,\"pid\":%lu,\"instances\":%d,\"busy\":%ls}\n", GetCurrentProcessId(), n, busy ? L"true" : L"false");
    fflush(stdout);
    Sleep((DWORD)seconds * 1000);
    for (int i = 0; i < n; i++) {
        if (c[i] != INVALID_HANDLE_VALUE) CloseHandle(c[i]);
        CloseHandle(h[i]);
    }
    return 0;
}

static int connect_and_read(const WCHAR *name, DWORD ms)
{
    HANDLE h = open_client(name, GENERIC_READ | GENERIC_WRITE);
    if (h == INVALID_HANDLE_VALUE) {
        printf("{\"connected\":false,\"error\":%lu}\n", GetLastError());
        return 1;
    }
    /* PIPE_NOWAIT reads, polled until the deadline: a blocking read could outlive it. */
    DWORD mode = PIPE_READMODE_BYTE | PIPE_NOWAIT;
    SetNamedPipeHandleState(h, &mode, NULL, NULL);
    ULONGLONG end = GetTickCount64() + ms;
    DWORD total = 0, err = 0;
    char buf[4096];
    while (GetTickCount64() < end) {
        DWORD n = 0;
        if (ReadFile(h, buf, sizeof buf, &n, NULL)) {
            total += n;
            continue;
        }
        err = GetLastError();
        if (err != ERROR_NO_DATA) break; /* ERROR_NO_DATA: nothing yet, still connected */
        err = 0;
        Sleep(5);
    }
    CloseHandle(h);
    printf("{\"connected\":true,\"pid\":%lu,\"sid\":", GetCurrentProcessId());
    self_sid();
    printf(",\"bytes\":%lu,\"error\":%lu,\"timedOut\":%ls}\n", total, err, err ? L"false" : L"true");
    return 0;
}

/* SystemExtendedHandleInformation (64): every handle in the system with its owner; not in winternl.h. */
typedef struct {
    PVOID Object;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR HandleValue;
    ULONG GrantedAccess;
    USHORT CreatorBackTraceIndex;
    USHORT ObjectTypeIndex;
    ULONG HandleAttributes;
    ULONG Reserved;
} handle_entry_ex;
typedef struct {
    ULONG_PTR NumberOfHandles;
    ULONG_PTR Reserved;
    handle_entry_ex Handles[1];
} handle_info_ex;

static long handles_of(DWORD pid)
{
    ULONG cap = 1 << 20, got = 0;
    for (;;) {
        handle_info_ex *info = malloc(cap);
        if (!info) return -1;
        NTSTATUS st = NtQuerySystemInformation((SYSTEM_INFORMATION_CLASS)64, info, cap, &got);
        if (st == (NTSTATUS)0xC0000004L) {
            free(info);
            cap *= 2;
            continue;
        }
        long n = st == 0 ? 0 : -1;
        for (ULONG_PTR i = 0; st == 0 && i < info->NumberOfHandles; i++)
            if (info->Handles[i].UniqueProcessId == pid) n++;
        free(info);
        return n;
    }
}

static int counts(DWORD pid)
{
    ULONG cap = 1 << 20, got = 0;
    BYTE *buf = NULL;
    NTSTATUS st;
    for (;;) {
        buf = malloc(cap);
        if (!buf) return 1;
        st = NtQuerySystemInformation(SystemProcessInformation, buf, cap, &got);
        if (st != (NTSTATUS)0xC0000004L) break; /* STATUS_INFO_LENGTH_MISMATCH: grow and ask again */
        free(buf);
        cap *= 2;
    }
    if (st != 0) {
        printf("{\"error\":%ld}\n", (long)st);
        free(buf);
        return 1;
    }
    for (BYTE *p = buf;;) {
        SYSTEM_PROCESS_INFORMATION *spi = (SYSTEM_PROCESS_INFORMATION *)p;
        if ((DWORD)(ULONG_PTR)spi->UniqueProcessId == pid) {
            printf("{\"pid\":%lu,\"handles\":%ld,\"handleTable\":%lu,\"threads\":%lu}\n", pid, handles_of(pid), spi->HandleCount,
                   spi->NumberOfThreads);
            free(buf);
            return 0;
        }
        if (!spi->NextEntryOffset) break;
        p += spi->NextEntryOffset;
    }
    printf("{\"error\":\"no such process\"}\n");
    free(buf);
    return 1;
}

int wmain(int argc, WCHAR **argv)
{
    if (argc >= 3 && wcscmp(argv[1], L"counts") == 0) return counts((DWORD)_wtoi(argv[2]));
    if (argc >= 3 && wcscmp(argv[1], L"dacl") == 0) return dacl(argv[2]);
    if (argc >= 5 && wcscmp(argv[1], L"hold") == 0) return hold(argv[2], _wtoi(argv[3]), _wtoi(argv[4]), argc >= 6 && wcscmp(argv[5], L"busy") == 0);
    if (argc >= 4 && wcscmp(argv[1], L"connect") == 0) return connect_and_read(argv[2], (DWORD)_wtoi(argv[3]));
    fprintf(stderr, "usage: pipe_probe dacl NAME | hold NAME SECONDS MAX [busy] | connect NAME MS | counts PID\n");
    return 2;
}
