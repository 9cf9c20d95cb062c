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

/* Entries that only take rights away: ignoring them can never make the check pass wrongly. */
static int denies_only(BYTE type)
{
    return type == ACCESS_DENIED_ACE_TYPE || type == ACCESS_DENIED_OBJECT_ACE_TYPE ||
           type == ACCESS_DENIED_CALLBACK_ACE_TYPE || type == ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE;
}

int pwb_dacl_ok(PSID owner, PACL dacl, DWORD forbidden, PSID reader)
{
    BYTE self_buf[256];
    PSID self = pwb_self_sid(self_buf, sizeof self_buf);
    GENERIC_MAPPING map = { FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS };
    /* No DACL at all grants everyone everything. */
    if (!owner || !dacl || !trusted(owner, self)) return -1;
    for (DWORD i = 0; i < dacl->AceCount; i++) {
        ACE_HEADER *ace = NULL;
        if (!GetAce(dacl, i, (void **)&ace)) return -1;
        if (ace->AceFlags & INHERIT_ONLY_ACE) continue; /* applies to children, not to this object */
        if (denies_only(ace->AceType)) continue;
        DWORD room = ace->AceSize > FIELD_OFFSET(ACCESS_ALLOWED_ACE, SidStart) ? ace->AceSize - FIELD_OFFSET(ACCESS_ALLOWED_ACE, SidStart) : 0;
        if (ace->AceType != ACCESS_ALLOWED_ACE_TYPE || room < 8) return -1;
        ACCESS_ALLOWED_ACE *a = (ACCESS_ALLOWED_ACE *)ace;
        PSID sid = (PSID)&a->SidStart;
        DWORD mask = a->Mask;
        if (GetSidLengthRequired(((SID *)sid)->SubAuthorityCount) > room || !IsValidSid(sid)) return -1;
        MapGenericMask(&mask, &map);
        if (trusted(sid, self)) continue;
        DWORD bad = mask & forbidden;
        if (reader && EqualSid(sid, reader)) bad &= ~(DWORD)(PWB_READ_RIGHTS | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE);
        if (bad) return -1;
    }
    return 0;
}

int pwb_acl_ok(HANDLE h, DWORD forbidden, PSID reader)
{
    PSID owner = NULL;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    if (GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, NULL,
                        &dacl, NULL, &sd) != ERROR_SUCCESS)
        return -1;
    int rc = pwb_dacl_ok(owner, dacl, forbidden, reader);
    LocalFree(sd);
    return rc;
}
