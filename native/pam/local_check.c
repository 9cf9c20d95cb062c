/* See local_check.h. */
#define _GNU_SOURCE /* fgetspent_r */
#include "local_check.h"

#include <crypt.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <shadow.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pwb_crypto.h"

#define HASH_CAP 512
#define LIBCRYPT "libcrypt.so.1"

/* libcrypt is opened here, on the first check, not linked: a process that makes one change (passwd) paid
 * for mapping and relocating it at pam_start even when nothing verifies (shadow_check=off). Where the check
 * runs, pam_unix is earlier in the stack and has loaded it already, so this dlopen only counts a reference.
 * Its handle, or NULL with the reason in `why`; the caller dlcloses it. */
static void *open_libcrypt(__typeof__(crypt_rn) **fn, char *why, size_t why_len)
{
    void *lib = dlopen(LIBCRYPT, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, why_len, "cannot load %s for the hash check: %s", LIBCRYPT, e ? e : "unknown error");
        return NULL;
    }
    void *sym = dlsym(lib, "crypt_rn");
    if (!sym) {
        snprintf(why, why_len, "%s has no crypt_rn", LIBCRYPT);
        dlclose(lib);
        return NULL;
    }
    memcpy(fn, &sym, sizeof sym); /* POSIX: a data pointer from dlsym holds the function's address */
    return lib;
}

/* Copy `user`'s hash field from the shadow file into `hash`. 1 found, 0 not there, -1 with a reason when
 * the file cannot be read. The file is read through our own stdio buffer and line buffer, so the other
 * accounts' hashes it held can be wiped afterwards (fclose would free libc's buffer as it is). */
static int shadow_hash(const char *path, const char *user, char hash[HASH_CAP], char *why, size_t why_len)
{
    char iobuf[BUFSIZ], line[8192];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    setvbuf(f, iobuf, _IOFBF, sizeof iobuf);
    struct spwd sp, *found = NULL;
    int rc = 0;
    for (;;) {
        int e = fgetspent_r(f, &sp, line, sizeof line, &found);
        if (e != 0 || !found) {
            /* ENOENT is the end of the file; anything else (a line longer than 8 KiB) is a read failure. */
            if (e != 0 && e != ENOENT) {
                snprintf(why, why_len, "cannot read %s: %s", path, strerror(e));
                rc = -1;
            }
            break;
        }
        if (strcmp(sp.sp_namp, user) != 0) continue;
        if (strlen(sp.sp_pwdp) >= HASH_CAP) {
            snprintf(why, why_len, "%s's hash in %s is longer than %d bytes", user, path, HASH_CAP - 1);
            rc = -1;
        } else {
            strcpy(hash, sp.sp_pwdp);
            rc = 1;
        }
        break;
    }
    fclose(f);
    pwb_wipe(line, sizeof line);
    pwb_wipe(iobuf, sizeof iobuf);
    return rc;
}

local_verdict local_password_check(const char *shadow_path, const char *user, const char *token, char *why, size_t why_len)
{
    char hash[HASH_CAP] = { 0 };
    int found = shadow_hash(shadow_path, user, hash, why, why_len);
    if (found < 0) return LOCAL_UNKNOWN;
    if (found == 0) {
        snprintf(why, why_len, "%s has no entry in %s", user, shadow_path);
        return LOCAL_NO_ENTRY;
    }
    __typeof__(crypt_rn) *crypt_fn = NULL;
    void *lib = open_libcrypt(&crypt_fn, why, why_len);
    if (!lib) {
        pwb_wipe(hash, sizeof hash);
        return LOCAL_UNKNOWN;
    }
    /* crypt_rn's work area is large (32 KiB) and holds intermediate state derived from the password. */
    struct crypt_data *work = calloc(1, sizeof *work);
    if (!work) {
        dlclose(lib);
        pwb_wipe(hash, sizeof hash);
        snprintf(why, why_len, "out of memory for the hash check");
        return LOCAL_UNKNOWN;
    }
    /* A locked ("!..."), disabled ("*") or empty hash is no valid setting: crypt_rn returns NULL, and
     * that is a mismatch: pam_unix writes a fresh hash of the new password when it changes it. */
    const char *out = crypt_fn(token, hash, work, (int)sizeof *work);
    size_t n = strlen(hash);
    int same = out != NULL && strlen(out) == n && pwb_ct_equal((const uint8_t *)out, (const uint8_t *)hash, n);
    pwb_wipe(work, sizeof *work);
    free(work);
    dlclose(lib);
    pwb_wipe(hash, sizeof hash);
    if (same) return LOCAL_SET;
    snprintf(why, why_len, "%s's hash in %s does not verify the new password", user, shadow_path);
    return LOCAL_NOT_SET;
}
