/* Smoke test: load pam_pwbridge.so the way libpam does (dlopen, RTLD_NOW) and find its entry point.
 * Usage: dlopen_test PATH. Exit 0 when it loads and pam_sm_chauthtok is there, and no codec symbol
 * (pwb_*) leaked out of the version script. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dlopen_test MODULE.so\n");
        return 2;
    }
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    int rc = 0;
    if (!dlsym(h, "pam_sm_chauthtok")) {
        fprintf(stderr, "pam_sm_chauthtok is not exported\n");
        rc = 1;
    }
    static const char *const hidden[] = { "pwb_frame_decode", "pwb_seal", "pwb_hmac3", "spool_write", "unix_connect" };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        if (dlsym(h, hidden[i])) {
            fprintf(stderr, "%s is exported; only pam_sm_* may be\n", hidden[i]);
            rc = 1;
        }
    }
    dlclose(h);
    if (rc == 0) printf("ok: loaded, pam_sm_chauthtok found, codec symbols hidden\n");
    return rc;
}
