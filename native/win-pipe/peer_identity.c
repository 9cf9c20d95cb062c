/* See peer_identity.h.
 *
 * The SID is read from the client's process token (GetNamedPipeClientProcessId → OpenProcess →
 * OpenProcessToken → TokenUser), as SO_PEERCRED reports the connecting process's credentials. A service
 * account that is not an administrator may be refused lsass.exe's token (its DACL grants SYSTEM and
 * Administrators); then the SID is read from the token the client opened the pipe with:
 * ImpersonateNamedPipeClient at the level the client granted (the filter grants SECURITY_IDENTIFICATION,
 * enough to query, never to act as it), OpenThreadToken, RevertToSelf. Either way it is the client's
 * token user, and a client whose SID cannot be read at all is refused. */
#include "peer_identity.h"

#include <sddl.h>
#include <wchar.h>

void pwp_process_image(ULONG pid, WCHAR *out, DWORD cap)
{
    out[0] = 0;
    HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!proc) return;
    DWORD n = cap;
    if (!QueryFullProcessImageNameW(proc, 0, out, &n)) out[0] = 0;
    CloseHandle(proc);
}

/* TokenUser of `token` into out (string, checked against allowed); 0 or the Win32 error. */
static DWORD read_token_user(HANDLE token, const pwp_sid_list *allowed, pwp_peer *out)
{
    BYTE buf[256];
    DWORD len = 0;
    WCHAR *s = NULL;
    if (!GetTokenInformation(token, TokenUser, buf, sizeof buf, &len)) return GetLastError();
    PSID sid = ((TOKEN_USER *)buf)->User.Sid;
    if (!ConvertSidToStringSidW(sid, &s)) return GetLastError();
    wcsncpy_s(out->sid, PWP_SID_CHARS, s, _TRUNCATE);
    LocalFree(s);
    out->allowed = pwp_sids_contain(allowed, sid);
    return 0;
}

static DWORD from_process_token(ULONG pid, const pwp_sid_list *allowed, pwp_peer *out)
{
    if (pid == 0) return ERROR_INVALID_PARAMETER;
    HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!proc) return GetLastError();
    HANDLE tok = NULL;
    DWORD err = OpenProcessToken(proc, TOKEN_QUERY, &tok) ? read_token_user(tok, allowed, out) : GetLastError();
    if (tok) CloseHandle(tok);
    CloseHandle(proc);
    if (!err) out->source = "process token";
    return err;
}

static DWORD from_pipe_token(HANDLE pipe, const pwp_sid_list *allowed, pwp_peer *out)
{
    if (!ImpersonateNamedPipeClient(pipe)) return GetLastError();
    HANDLE tok = NULL;
    /* OpenAsSelf: the access check on the token is made against our own identity, not the client's. */
    DWORD err = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &tok) ? 0 : GetLastError();
    if (!RevertToSelf()) {
        /* This thread would go on as the client: nothing may run on it any more. */
        FatalAppExitW(0, L"pwbridge_pipe: RevertToSelf failed after identifying a pipe client");
    }
    if (!err) err = read_token_user(tok, allowed, out);
    if (tok) CloseHandle(tok);
    if (!err) out->source = "pipe token";
    return err;
}

void pwp_client_identify(HANDLE pipe, const pwp_sid_list *allowed, int pipe_token_only, pwp_peer *out)
{
    ZeroMemory(out, sizeof *out);
    out->source = "";
    if (!GetNamedPipeClientProcessId(pipe, &out->pid)) out->pid = 0;
    if (out->pid) pwp_process_image(out->pid, out->image, MAX_PATH + 1);
    DWORD err = pipe_token_only ? ERROR_CALL_NOT_IMPLEMENTED : from_process_token(out->pid, allowed, out);
    if (err) err = from_pipe_token(pipe, allowed, out);
    if (err) {
        out->sid[0] = 0;
        out->allowed = 0;
    }
    out->error = err;
}
