/* A pwb_transport over a Unix stream socket with one deadline for the whole exchange. Non-blocking,
 * close-on-exec, no SIGPIPE: the password change it serves must never hang or die because of it. */
#ifndef PWB_UNIX_TRANSPORT_H
#define PWB_UNIX_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pwb_client.h"

typedef struct {
    int fd;
    int64_t deadline_ms; /* CLOCK_MONOTONIC */
    pwb_transport t;
} unix_conn;

int64_t monotonic_ms(void);

/* Connect to `path` before `deadline_ms` (trying again while the listener's backlog is full, and saying
 * "bridge busy" if it stays full), then check who serves it (SO_PEERCRED): root, or `allowed_uid` when it
 * is not (uid_t)-1. Returns 0, or -1 with a reason (no secret in it) in `why`. */
int unix_connect(unix_conn *c, const char *path, int64_t deadline_ms, uid_t allowed_uid, char *why, size_t why_len);
void unix_close(unix_conn *c);

#endif
