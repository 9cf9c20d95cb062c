/* What PAM_USER may be before the module logs it or sends it. PAM_USER is whatever the calling program
 * passed to pam_start (a name typed at a login prompt, sent by an ssh client...), so it is checked before
 * it reaches a log line: a newline in it would let the caller forge a second syslog entry. */
#ifndef PWB_USER_NAME_H
#define PWB_USER_NAME_H

#include <stddef.h>

/* 1 when `user` is 1..256 bytes of UTF-8 (pwb_name_ok) with no control character (C0, DEL or C1). */
int user_name_ok(const char *user);

/* A printable, bounded form of an untrusted name for a log line: ASCII letters as they are, every other
 * byte (controls, '"', '\', non-ASCII) as \xNN, at most USER_SHOWN_BYTES input bytes then "...". */
#define USER_SHOWN_BYTES 64
#define USER_SHOWN_CAP (USER_SHOWN_BYTES * 4 + 4)
void user_name_shown(const char *user, char out[USER_SHOWN_CAP]);

#endif
