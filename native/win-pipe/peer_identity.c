/* See peer_identity.h.
 *
 * Two readings of the client's token user, each checked against the allowed SIDs:
 * - its process token (GetNamedPipeClientProcessId → OpenProcess → OpenProcessToken → TokenUser), as
 *   SO_PEERCRED reports the connecting process's credentials;
 * - the token it opened the pipe with: ImpersonateNamedPipeClient at the level the client granted (the filter
 *   grants SECURITY_IDENTIFICATION, enough to query, never to act as it), OpenThreadToken, RevertToSelf.
 * When both can be read, both must be allowed: the pid is an attribute of the pipe, the impersonation token
 * is what the kernel captured when the client opened it, so one cannot be made to vouch for the other. When
 * only one can be read, it decides: a service account that is not an administrator may be refused lsass.exe's
 * process token (its DACL grants SYSTEM and Administrators), and a client that connected anonymously gives
 * no pipe token. A client whose SID cannot be read at all is refused. */
#include "peer_identity.h"

#include <sddl.h>
#include <wchar.h>

static void image_of(HANDLE proc, WCHAR *out, DWORD cap)
{
    DWORD n = cap;
    if (!QueryFullProcessImageNameW(proc, 0, out, &n)) out[0] = 0;
}

void pwp_process_image(ULONG pid, WCHAR *out, DWORD cap)
{
    out[0] = 0;
    HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!proc) return;
    image_of(proc, out, cap);
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

/* The image path and the token user of the client's process, through one process handle. */
static DWORD from_process_token(ULONG pid, const pwp_sid_list *allowed, pwp_peer *out)
{
    if (pid == 0) return ERROR_INVALID_PARAMETER;
    HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!proc) return GetLastError();
    image_of(proc, out->image, MAX_PATH + 1);
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
    pwp_peer by_pipe;
    ZeroMemory(&by_pipe, sizeof by_pipe);
    DWORD err_proc = ERROR_CALL_NOT_IMPLEMENTED;
    if (!pipe_token_only) err_proc = from_process_token(out->pid, allowed, out);
    else if (out->pid) pwp_process_image(out->pid, out->image, MAX_PATH + 1);
    DWORD err_pipe = from_pipe_token(pipe, allowed, &by_pipe);
    if (!err_proc && !err_pipe) {
        int same = wcscmp(out->sid, by_pipe.sid) == 0;
        out->allowed = out->allowed && by_pipe.allowed;
        out->source = same ? "process and pipe token" : "process and pipe token differ";
        if (!same) { /* report the pipe's: it is who opened the pipe */
            wcsncpy_s(out->sid, PWP_SID_CHARS, by_pipe.sid, _TRUNCATE);
            out->allowed = 0;
        }
        return;
    }
    if (!err_pipe) {
        wcsncpy_s(out->sid, PWP_SID_CHARS, by_pipe.sid, _TRUNCATE);
        out->allowed = by_pipe.allowed;
        out->source = "pipe token";
        return;
    }
    if (!err_proc) return; /* out already holds it, source "process token" */
    out->sid[0] = 0;
    out->allowed = 0;
    out->error = pipe_token_only ? err_pipe : err_proc;
}
