/* See capture_files.h. */
#define _GNU_SOURCE
#include "capture_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pwb_crypto.h"

/* Read exactly `len` bytes from a regular file that nobody but root or us could have written, and that
 * is no looser than `max_mode`. The size must be exact: a key file of another length is not ours.
 * KEYS_UNREADABLE when it cannot be read or is not safe to trust; KEYS_MALFORMED when its size is wrong. */
static int read_exact_file(const char *dir, const char *name, mode_t max_mode, uint8_t *out, size_t len, char *why,
                           size_t why_len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        snprintf(why, why_len, "key path is too long");
        return -1;
    }
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_len, "open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = KEYS_UNREADABLE;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, why_len, "%s is not a regular file", path);
    } else if (st.st_uid != 0 && st.st_uid != geteuid()) {
        snprintf(why, why_len, "%s is owned by uid %u, not root", path, (unsigned)st.st_uid);
    } else if ((st.st_mode & 0777 & ~max_mode) != 0) {
        snprintf(why, why_len, "%s has mode %04o, looser than %04o", path, (unsigned)(st.st_mode & 0777), (unsigned)max_mode);
    } else if ((size_t)st.st_size != len) {
        snprintf(why, why_len, "%s holds %lld bytes, not %zu", path, (long long)st.st_size, len);
        rc = KEYS_MALFORMED;
    } else {
        size_t done = 0;
        ssize_t k = 0;
        while (done < len) {
            k = read(fd, out + done, len - done);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) break;
            done += (size_t)k;
        }
        /* Short (the file shrank after fstat) or failed: an I/O problem, not a key of the wrong form. */
        if (done == len) rc = 0;
        else if (k < 0) snprintf(why, why_len, "read %s: %s", path, strerror(errno));
        else snprintf(why, why_len, "short read of %s (%zu of %zu bytes)", path, done, len);
    }
    close(fd);
    if (rc != 0) pwb_wipe(out, len);
    return rc;
}

int read_keys(const char *keys_dir, uint8_t secret[PWB_SECRET], uint8_t bridge_pub[PWB_EPK], char *why, size_t why_len)
{
    int rc = read_exact_file(keys_dir, "capture.secret", 0600, secret, PWB_SECRET, why, why_len);
    if (rc != 0) return rc;
    rc = read_exact_file(keys_dir, "bridge.pub", 0644, bridge_pub, PWB_EPK, why, why_len);
    /* Only bytes that were read are judged: a file that could not be read has no format to be wrong. */
    if (rc == 0 && bridge_pub[0] != 0x04) {
        snprintf(why, why_len, "%s/bridge.pub starts with 0x%02x, not 0x04: not an uncompressed P-256 point", keys_dir,
                 bridge_pub[0]);
        pwb_wipe(bridge_pub, PWB_EPK);
        rc = KEYS_MALFORMED;
    }
    if (rc != 0) pwb_wipe(secret, PWB_SECRET);
    return rc;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void read_boot_id(uint8_t out[16])
{
    char text[64] = { 0 };
    memset(out, 0, 16);
    int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return;
    uint8_t id[16];
    int got = 0;
    for (ssize_t i = 0; i < n && got < 32; i++) {
        if (text[i] == '-') continue;
        int v = hex_value(text[i]);
        if (v < 0) return;
        if (got % 2 == 0) id[got / 2] = (uint8_t)(v << 4);
        else id[got / 2] |= (uint8_t)v;
        got++;
    }
    if (got == 32) memcpy(out, id, 16);
}

void machine_name(char *out, size_t cap)
{
    struct utsname u;
    if (uname(&u) == 0 && pwb_name_ok((const uint8_t *)u.nodename, strlen(u.nodename)) && strlen(u.nodename) < cap) {
        strcpy(out, u.nodename);
        return;
    }
    snprintf(out, cap, "localhost");
}
