/* See unix_transport.h. */
#define _GNU_SOURCE /* struct ucred */
#include "unix_transport.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for `events` until the deadline. 0 when ready, -1 on timeout or error. */
static int wait_for(int fd, short events, int64_t deadline_ms)
{
    for (;;) {
        int64_t left = deadline_ms - monotonic_ms();
        if (left <= 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct pollfd p = { .fd = fd, .events = events };
        int n = poll(&p, 1, (int)left);
        if (n > 0) return 0;
        if (n < 0 && errno != EINTR) return -1;
    }
}

static int write_all(void *ctx, const uint8_t *p, size_t n)
{
    unix_conn *c = ctx;
    while (n > 0) {
        ssize_t k = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (k > 0) {
            p += k;
            n -= (size_t)k;
        } else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (wait_for(c->fd, POLLOUT, c->deadline_ms) != 0) return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

static int read_exact(void *ctx, uint8_t *p, size_t n)
{
    unix_conn *c = ctx;
    while (n > 0) {
        ssize_t k = recv(c->fd, p, n, MSG_DONTWAIT);
        if (k > 0) {
            p += k;
            n -= (size_t)k;
        } else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (wait_for(c->fd, POLLIN, c->deadline_ms) != 0) return -1;
        } else {
            if (k == 0) errno = ECONNRESET; /* closed before the whole frame came */
            return -1;
        }
    }
    return 0;
}

/* A Unix listener whose backlog is full answers a non-blocking connect with EAGAIN at once, and the socket
 * stays unconnected: unlike TCP's EINPROGRESS there is no pending connect to wait for (poll says POLLOUT
 * and SO_PEERCRED then reports uid -1 for the peer that is not there). So try again, a few ms apart, up
 * to the deadline: a bridge that is busy for a moment takes the change; one that stays busy gets it from
 * the spool. 0 connected; -1 with errno, and *busy set when the listener was full at least once. */
static int connect_by(int fd, const struct sockaddr_un *addr, int64_t deadline_ms, int *busy)
{
    int pause_ms = 2;
    *busy = 0;
    for (;;) {
        if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0) return 0;
        if (errno == EINTR) continue;
        if (errno == EISCONN) return 0; /* an interrupted attempt that completed */
        if (errno == EINPROGRESS) {
            int err = 0;
            socklen_t len = sizeof err;
            if (wait_for(fd, POLLOUT, deadline_ms) != 0) return -1;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return -1;
            if (err == 0) return 0;
            errno = err;
            return -1;
        }
        if (errno != EAGAIN) return -1;
        *busy = 1;
        int64_t left = deadline_ms - monotonic_ms();
        if (left <= 0) {
            errno = EAGAIN;
            return -1;
        }
        poll(NULL, 0, (int)(left < pause_ms ? left : pause_ms));
        if (pause_ms < 50) pause_ms *= 2;
    }
}

int unix_connect(unix_conn *c, const char *path, int64_t deadline_ms, uid_t allowed_uid, char *why, size_t why_len)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int busy = 0;
    int64_t started = monotonic_ms();
    c->fd = -1;
    c->deadline_ms = deadline_ms;
    c->t.ctx = c;
    c->t.write_all = write_all;
    c->t.read_exact = read_exact;

    if (strlen(path) >= sizeof addr.sun_path) {
        snprintf(why, why_len, "socket path is longer than %zu bytes", sizeof addr.sun_path - 1);
        return -1;
    }
    strcpy(addr.sun_path, path);
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (c->fd < 0) {
        snprintf(why, why_len, "socket: %s", strerror(errno));
        return -1;
    }
    if (connect_by(c->fd, &addr, deadline_ms, &busy) != 0) {
        if (busy && errno == EAGAIN)
            snprintf(why, why_len, "bridge busy: %s refused new connections (listen backlog full) for %lld ms", path,
                     (long long)(monotonic_ms() - started));
        else
            snprintf(why, why_len, "connect %s: %s", path, strerror(errno));
        unix_close(c);
        return -1;
    }
    /* Who serves this socket? Only root or the service's user may receive even a sealed change. */
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        snprintf(why, why_len, "SO_PEERCRED: %s", strerror(errno));
        unix_close(c);
        return -1;
    }
    if (cred.uid != 0 && (allowed_uid == (uid_t)-1 || cred.uid != allowed_uid)) {
        snprintf(why, why_len, "%s is served by uid %u (pid %d), which is neither root nor the service's user", path,
                 (unsigned)cred.uid, (int)cred.pid);
        unix_close(c);
        return -1;
    }
    return 0;
}

void unix_close(unix_conn *c)
{
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}
