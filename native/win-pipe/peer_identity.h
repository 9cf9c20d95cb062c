/* Who is at the other end of a pipe: the process (pid, image path) and its token user, the Windows mirror of
 * SO_PEERCRED. Also used on the holder of a name we could not take. No N-API here. */
#ifndef PWP_PEER_IDENTITY_H
#define PWP_PEER_IDENTITY_H

#include <windows.h>

#include "pipe_security.h"

typedef struct {
    ULONG pid;                    /* 0 when the OS did not say */
    WCHAR sid[PWP_SID_CHARS];     /* empty when the token could not be read */
    WCHAR image[MAX_PATH + 1];    /* empty when the process could not be opened */
    const char *source;           /* where the SID came from: "process and pipe token", "process token", "pipe token",
                                     or "process and pipe token differ" (then it is the pipe's, and refused) */
    DWORD error;                  /* why sid is empty (Win32 error), else 0 */
    int allowed;                  /* the SID is one of the allowed ones */
} pwp_peer;

/* The connected client of a server instance, checked against `allowed` (see peer_identity.c for the two readings).
 * `pipe_token_only`: skip the process token (tests use it to exercise the pipe token alone). */
void pwp_client_identify(HANDLE pipe, const pwp_sid_list *allowed, int pipe_token_only, pwp_peer *out);

/* The image path of a process, or an empty string. */
void pwp_process_image(ULONG pid, WCHAR *out, DWORD cap);

#endif
