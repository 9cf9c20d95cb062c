/* Did the change the module is about to report really happen on this machine?
 *
 * PAM gives a module no way to ask how the lines before it fared: in the PAM_UPDATE_AUTHTOK pass the
 * module sees PAM_AUTHTOK, and that is set as soon as pam_unix (or pam_pwquality, or any module) read the
 * new password, whether or not pam_unix then stored it. A `required` pam_unix that fails (shadow locked,
 * a read-only /etc, a refused password) lets the stack go on to us with that token. What the module can
 * know is the result: after a real change, the account's hash in /etc/shadow verifies the new password. */
#ifndef PWB_LOCAL_CHECK_H
#define PWB_LOCAL_CHECK_H

#include <stddef.h>

#define SHADOW_PATH "/etc/shadow"

typedef enum {
    LOCAL_SET,      /* the account's shadow hash verifies the new password */
    LOCAL_NOT_SET,  /* it is in the shadow file and its hash does not: the change did not happen here */
    LOCAL_NO_ENTRY, /* no shadow entry: not a local password pam_unix keeps (an LDAP/SSSD/Kerberos account) */
    LOCAL_UNKNOWN,  /* the shadow file cannot be read (not root) or the check itself failed */
} local_verdict;

/* Look `user` up in `shadow_path` and verify `token` against its hash with libcrypt (one crypt_rn: the
 * same work pam_unix did once to make the hash). A reason goes to `why` for every verdict but LOCAL_SET.
 * Every copy of the hash and libcrypt's work area is wiped before it returns. */
local_verdict local_password_check(const char *shadow_path, const char *user, const char *token, char *why, size_t why_len);

#endif
