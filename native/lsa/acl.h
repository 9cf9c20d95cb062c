/* Who may touch the files the filter trusts: the Windows side of the PAM module's owner and mode checks.
 * Trusted are SYSTEM, BUILTIN\Administrators and the account this process runs as (SYSTEM in lsass). */
#ifndef PWB_LSA_ACL_H
#define PWB_LSA_ACL_H

#include <windows.h>

/* Rights that change a file or folder, or its security. */
#define PWB_WRITE_RIGHTS                                                                                         \
    (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES | FILE_DELETE_CHILD | DELETE |   \
     WRITE_DAC | WRITE_OWNER)
#define PWB_READ_RIGHTS (FILE_READ_DATA | FILE_READ_EA)

/* 0 when the object behind `h` is owned by a trusted SID and no ACE allows anyone else any of `forbidden`,
 * except that `reader` (may be NULL) may hold read rights. -1 otherwise. */
int pwb_acl_ok(HANDLE h, DWORD forbidden, PSID reader);
/* The same judgement on an owner and a DACL already read (a NULL DACL grants everyone everything: -1).
 * Deny by default: a DACL may hold only ACCESS_ALLOWED entries, which are judged, and access-denied
 * entries of any kind, which can only take rights away. Any other type (callback, object, conditional or
 * compound allow entries, or one this code does not know) fails the check, whoever it names: an entry we
 * cannot judge may grant anything. */
int pwb_dacl_ok(PSID owner, PACL dacl, DWORD forbidden, PSID reader);
/* The SID of the process token, for the trusted list; in `buf`. NULL on failure. */
PSID pwb_self_sid(BYTE *buf, DWORD cap);

#endif
