/* See pipe_security.h. */
#include "pipe_security.h"

#include <sddl.h>
#include <stdio.h>
#include <wchar.h>

DWORD pwp_sids_parse(const WCHAR *const *sids, int count, pwp_sid_list *out)
{
    out->count = 0;
    if (count < 1 || count > PWP_MAX_SIDS) return ERROR_INVALID_PARAMETER;
    for (int i = 0; i < count; i++) {
        if (!ConvertStringSidToSidW(sids[i], &out->sid[i])) {
            DWORD err = GetLastError();
            pwp_sids_free(out);
            return err ? err : ERROR_INVALID_SID;
        }
        out->count = i + 1;
    }
    return 0;
}

void pwp_sids_free(pwp_sid_list *list)
{
    for (int i = 0; i < list->count; i++) LocalFree(list->sid[i]);
    list->count = 0;
}

int pwp_sids_contain(const pwp_sid_list *list, PSID sid)
{
    for (int i = 0; i < list->count; i++)
        if (EqualSid(list->sid[i], sid)) return 1;
    return 0;
}

static DWORD token_user_sid(HANDLE token, WCHAR *out, DWORD cap)
{
    BYTE buf[256];
    DWORD len = 0;
    WCHAR *s = NULL;
    if (!GetTokenInformation(token, TokenUser, buf, sizeof buf, &len)) return GetLastError();
    PSID sid = ((TOKEN_USER *)buf)->User.Sid;
    if (!ConvertSidToStringSidW(sid, &s)) return GetLastError();
    DWORD err = wcslen(s) < cap ? 0 : ERROR_INSUFFICIENT_BUFFER;
    if (!err) wcscpy_s(out, cap, s);
    LocalFree(s);
    return err;
}

DWORD pwp_self_sid(WCHAR *out, DWORD cap)
{
    HANDLE tok = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) return GetLastError();
    DWORD err = token_user_sid(tok, out, cap);
    CloseHandle(tok);
    return err;
}

DWORD pwp_pipe_security(const pwp_sid_list *allowed, PSECURITY_DESCRIPTOR *out)
{
    /* D:P — protected: nothing is inherited or merged in; O: — the server's own user owns the pipe.
     * The server's own SID gets full control (adding instances needs FILE_CREATE_PIPE_INSTANCE); every other
     * allowed SID gets read and write, what a client opening with GENERIC_READ | GENERIC_WRITE (the filter)
     * needs. Nobody else gets an entry: not Everyone, not Administrators, not anonymous. */
    WCHAR self[PWP_SID_CHARS];
    WCHAR sddl[32 + PWP_MAX_SIDS * (PWP_SID_CHARS + 16)];
    DWORD err = pwp_self_sid(self, PWP_SID_CHARS);
    if (err) return err;
    int n = swprintf(sddl, sizeof sddl / sizeof sddl[0], L"O:%lsD:P(A;;GA;;;%ls)", self, self);
    for (int i = 0; i < allowed->count && n > 0; i++) {
        WCHAR *s = NULL;
        if (!ConvertSidToStringSidW(allowed->sid[i], &s)) return GetLastError();
        if (wcscmp(s, self) != 0)
            n += swprintf(sddl + n, sizeof sddl / sizeof sddl[0] - (size_t)n, L"(A;;GRGW;;;%ls)", s);
        LocalFree(s);
    }
    if (n <= 0) return ERROR_INSUFFICIENT_BUFFER;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, out, NULL)) return GetLastError();
    return 0;
}
