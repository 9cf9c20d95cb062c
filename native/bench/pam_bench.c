/* pam_bench: times pam_chauthtok through the real libpam, for `npm run bench -- pam` (bench/run.ts).
 *
 *   pam_bench SERVICE USER N [PASS_A PASS_B [GAP_MS]]
 *
 * pam_start once, then N password changes for USER, each timed with CLOCK_MONOTONIC around the one
 * pam_chauthtok call. The conversation answers old / new / new, and the changes alternate between two
 * passwords (PASS_A → PASS_B → PASS_A …), so each one is a valid change for pam_matrix, whose password
 * file must hold USER with PASS_A when it starts. GAP_MS (default 0) is a pause between changes, outside
 * the timed call, so each change finds the services it talks to idle, as a real, rare, change does.
 * Prints `start US`, the microseconds pam_start took (it reads the service and dlopens its modules, so
 * adding it to the first change gives the cost of a one-change process like passwd), then one line per
 * change: the microseconds it took.
 * A failed change is an error (exit 1): a bench that times failures would time the wrong thing.
 *
 * Run under pam_wrapper (LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR=DIR) so the
 * service comes from a private folder and /etc/pam.d is never read or touched. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

typedef struct {
    const char *old_pw;
    const char *new_pw;
    int prompts; /* prompts answered in this change: the first is the old password, the rest the new */
} answers;

static int converse(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
    answers *a = data;
    struct pam_response *r = calloc((size_t)n, sizeof *r);
    if (!r) return PAM_BUF_ERR;
    for (int i = 0; i < n; i++) {
        switch (msg[i]->msg_style) {
        case PAM_PROMPT_ECHO_OFF:
        case PAM_PROMPT_ECHO_ON:
            r[i].resp = strdup(a->prompts++ == 0 ? a->old_pw : a->new_pw);
            if (!r[i].resp) {
                for (int j = 0; j < i; j++) free(r[j].resp);
                free(r);
                return PAM_BUF_ERR;
            }
            break;
        case PAM_ERROR_MSG:
            fprintf(stderr, "pam_bench: PAM error message: %s\n", msg[i]->msg);
            break;
        default: /* PAM_TEXT_INFO: nothing to answer */
            break;
        }
    }
    *resp = r;
    return PAM_SUCCESS;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 6 && argc != 7) {
        fprintf(stderr, "usage: pam_bench SERVICE USER N [PASS_A PASS_B [GAP_MS]]\n");
        return 2;
    }
    char *end = NULL;
    long n = strtol(argv[3], &end, 10);
    if (!argv[3][0] || *end != '\0' || n < 1 || n > 1000000) {
        fprintf(stderr, "pam_bench: N must be 1..1000000\n");
        return 2;
    }
    const char *pw[2] = { argc >= 6 ? argv[4] : "bench-pass-A-1", argc >= 6 ? argv[5] : "bench-pass-B-2" };
    long gap_ms = 0;
    if (argc == 7) {
        gap_ms = strtol(argv[6], &end, 10);
        if (!argv[6][0] || *end != '\0' || gap_ms < 0 || gap_ms > 10000) {
            fprintf(stderr, "pam_bench: GAP_MS must be 0..10000\n");
            return 2;
        }
    }
    const struct timespec gap = { gap_ms / 1000, (gap_ms % 1000) * 1000000L };

    answers a = { 0 };
    struct pam_conv conv = { converse, &a };
    pam_handle_t *pamh = NULL;
    struct timespec s0, s1;
    clock_gettime(CLOCK_MONOTONIC, &s0);
    int rc = pam_start(argv[1], argv[2], &conv, &pamh);
    clock_gettime(CLOCK_MONOTONIC, &s1);
    if (rc != PAM_SUCCESS) {
        fprintf(stderr, "pam_bench: pam_start: %s\n", pam_strerror(pamh, rc));
        return 1;
    }
    long *us = calloc((size_t)n, sizeof *us);
    if (!us) return 1;
    for (long i = 0; i < n; i++) {
        struct timespec t0, t1;
        if (i > 0 && gap_ms > 0) nanosleep(&gap, NULL);
        a.old_pw = pw[i % 2];
        a.new_pw = pw[(i + 1) % 2];
        a.prompts = 0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = pam_chauthtok(pamh, 0);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc != PAM_SUCCESS) {
            fprintf(stderr, "pam_bench: change %ld: pam_chauthtok: %s\n", i, pam_strerror(pamh, rc));
            pam_end(pamh, rc);
            free(us);
            return 1;
        }
        us[i] = (long)(t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000L;
    }
    pam_end(pamh, PAM_SUCCESS);
    /* Printed after the loop, so stdout's writes never land inside a timed call. */
    printf("start %ld\n", (long)(s1.tv_sec - s0.tv_sec) * 1000000L + (s1.tv_nsec - s0.tv_nsec) / 1000L);
    for (long i = 0; i < n; i++) printf("%ld\n", us[i]);
    free(us);
    return fflush(stdout) == 0 ? 0 : 1;
}
