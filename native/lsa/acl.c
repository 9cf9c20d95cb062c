/* See acl.h. */
#include "acl.h"

#include <aclapi.h>

PSID pwb_self_sid(BYTE *buf, DWORD cap)
{
    HANDLE tok = NULL;
    DWORD len = 0;
    PSID sid = NULL;
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
        if (GetTokenInformation(tok, TokenUser, buf, cap, &len)) sid = ((TOKEN_USER *)buf)->User.Sid;
        CloseHandle(tok);
    }
    return sid;
}

static int trusted(PSID sid, PSID self)
{
    return IsWellKnownSid(sid, WinLocalSystemSid) || IsWellKnownSid(sid, WinBuiltinAdministratorsSid) ||
           (self && EqualSid(sid, self));
}

int pwb_acl_ok(HANDLE h, DWORD forbidden, PSID reader)
{
    BYTE self_buf[256];
    PSID self = pwb_self_sid(self_buf, sizeof self_buf), owner = NULL;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    int ok = 0;
    if (GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, NULL,
                        &dacl, NULL, &sd) != ERROR_SUCCESS)
        return -1;
    /* No DACL at all grants everyone everything. */
    if (owner && dacl && trusted(owner, self)) {
        GENERIC_MAPPING map = { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS };
        ok = 1;
        for (DWORD i = 0; ok && i < dacl->AceCount; i++) {
            ACE_HEADER *ace = NULL;
            if (!GetAce(dacl, i, (void **)&ace)) {
                ok = 0;
                break;
            }
            if (ace->AceType != ACCESS_ALLOWED_ACE_TYPE || (ace->AceFlags & INHERIT_ONLY_ACE)) continue;
            ACCESS_ALLOWED_ACE *a = (ACCESS_ALLOWED_ACE *)ace;
            PSID sid = (PSID)&a->SidStart;
            DWORD mask = a->Mask;
            MapGenericMask(&mask, &map);
            if (trusted(sid, self)) continue;
            DWORD bad = mask & forbidden;
            if (reader && EqualSid(sid, reader)) bad &= ~(DWORD)(PWB_READ_RIGHTS | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE);
            if (bad) ok = 0;
        }
    }
    LocalFree(sd);
    return ok ? 0 : -1;
}
