/* Who may use the pipe: the allowed SIDs, the pipe's security descriptor built from them, and the SID this
 * process runs as. No N-API here. */
#ifndef PWP_PIPE_SECURITY_H
#define PWP_PIPE_SECURITY_H

#include <windows.h>

#define PWP_MAX_SIDS 8
#define PWP_SID_CHARS 192

typedef struct {
    PSID sid[PWP_MAX_SIDS]; /* LocalAlloc'ed by ConvertStringSidToSidW */
    int count;
} pwp_sid_list;

/* Parse string SIDs into `out`; 0, or the Win32 error of the first that does not parse. */
DWORD pwp_sids_parse(const WCHAR *const *sids, int count, pwp_sid_list *out);
void pwp_sids_free(pwp_sid_list *list);
int pwp_sids_contain(const pwp_sid_list *list, PSID sid);

/* The token user of this process, as a string SID (S-1-5-…); 0, or the Win32 error. */
DWORD pwp_self_sid(WCHAR *out, DWORD cap);

/* The pipe's security descriptor: owner = this process's user, a protected DACL with one allow entry per
 * allowed SID and nothing else. LocalFree the result. 0, or the Win32 error. */
DWORD pwp_pipe_security(const pwp_sid_list *allowed, PSECURITY_DESCRIPTOR *out);

#endif
