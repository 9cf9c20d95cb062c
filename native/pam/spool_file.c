/* See spool_file.h. */
#define _GNU_SOURCE
#include "spool_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int open_spool_dir(const char *dir, char *why, size_t why_len)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(why, why_len, "mkdir %s: %s", dir, strerror(errno));
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(why, why_len, "open %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(dfd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
        snprintf(why, why_len, "%s is not a folder of uid %u with mode 0700", dir, (unsigned)geteuid());
        close(dfd);
        return -1;
    }
    return dfd;
}

int spool_write(const char *spool_dir, const uint8_t event_id[PWB_ID], const uint8_t *record, size_t len, char *why,
                size_t why_len)
{
    char name[2 * PWB_ID + 5], tmp[2 * PWB_ID + 7];
    for (int i = 0; i < PWB_ID; i++) snprintf(name + 2 * i, 3, "%02x", event_id[i]);
    snprintf(tmp, sizeof tmp, ".%.*s.tmp", 2 * PWB_ID, name);
    strcat(name, ".chg");

    int dfd = open_spool_dir(spool_dir, why, why_len);
    if (dfd < 0) return -1;
    int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, why_len, "create %s/%s: %s", spool_dir, tmp, strerror(errno));
        close(dfd);
        return -1;
    }
    size_t done = 0;
    int rc = 0;
    while (done < len) {
        ssize_t k = write(fd, record + done, len - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            rc = -1;
            break;
        }
        done += (size_t)k;
    }
    /* Durable before it gets its name: a reboot leaves either nothing or the whole record. */
    if (rc == 0 && fsync(fd) != 0) rc = -1;
    if (close(fd) != 0) rc = -1;
    if (rc == 0 && renameat(dfd, tmp, dfd, name) != 0) rc = -1;
    if (rc == 0 && fsync(dfd) != 0) rc = -1;
    if (rc != 0) {
        snprintf(why, why_len, "write %s/%s: %s", spool_dir, name, strerror(errno));
        unlinkat(dfd, tmp, 0);
    }
    close(dfd);
    return rc;
}
