/* pam_pwbridge: a PAM `password` module that reports each successful password change to the pwbridge
 * service (docs/protocol.md). Placed `optional` after pam_unix, it acts in the PAM_UPDATE_AUTHTOK pass:
 * it checks that the change really happened here (the account's /etc/shadow hash verifies the new
 * password: local_check.h says why PAM leaves no other way to know), seals the new password to the
 * bridge's key, sends it over the bridge's Unix socket, and when the bridge is down or does not ack in
 * time, keeps the sealed event in the root-only spool.
 *
 * Rules it keeps, because it runs inside passwd/chpasswd/sshd on the user's behalf:
 * - it never fails or alters the password change: every path returns PAM_SUCCESS;
 * - it never waits longer than `timeout=` ms (default 500) for the bridge;
 * - it never writes the password in clear anywhere, and wipes every copy it made;
 * - it sends nothing to a socket served by anyone but root or the configured service uid;
 * - it logs nothing of PAM_USER before checking it (user_name.h). */
#define _GNU_SOURCE
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "capture_files.h"
#include "local_check.h"
#include "pwb_client.h"
#include "pwb_crypto.h"
#include "pwb_wire.h"
#include "spool_file.h"
#include "unix_transport.h"
#include "user_name.h"

#ifndef PWB_CAPTURE_VERSION
#error "PWB_CAPTURE_VERSION is package.json's version, passed by the build (native/package-version.cmake)"
#endif
#define DEFAULT_DIR "/var/lib/pwbridge"
#define DEFAULT_TIMEOUT_MS 500
#define PATH_CAP 1024

typedef struct {
    char dir[PATH_CAP];
    char socket[PATH_CAP];
    uid_t uid;
    int timeout_ms;
    int shadow_check; /* 0 with shadow_check=off: for stacks whose password store is not /etc/shadow */
    int debug;
} options;

static int copy_arg(pam_handle_t *pamh, char *dst, const char *value, const char *name)
{
    if (strlen(value) == 0 || strlen(value) >= PATH_CAP || value[0] != '/') {
        pam_syslog(pamh, LOG_ERR, "%s= must be an absolute path shorter than %d bytes; using the default", name, PATH_CAP);
        return -1;
    }
    strcpy(dst, value);
    return 0;
}

/* Unknown or bad arguments are logged and ignored: a typo in /etc/pam.d must not break password changes. */
static void parse_options(pam_handle_t *pamh, int argc, const char **argv, options *o)
{
    int have_socket = 0;
    memset(o, 0, sizeof *o);
    strcpy(o->dir, DEFAULT_DIR);
    o->uid = (uid_t)-1;
    o->timeout_ms = DEFAULT_TIMEOUT_MS;
    o->shadow_check = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        char *end = NULL;
        if (strncmp(a, "dir=", 4) == 0) {
            copy_arg(pamh, o->dir, a + 4, "dir");
        } else if (strncmp(a, "socket=", 7) == 0) {
            have_socket = copy_arg(pamh, o->socket, a + 7, "socket") == 0;
        } else if (strncmp(a, "uid=", 4) == 0) {
            unsigned long v = strtoul(a + 4, &end, 10);
            if (a[4] && end && *end == '\0' && v < (unsigned long)(uid_t)-1) o->uid = (uid_t)v;
            else pam_syslog(pamh, LOG_ERR, "uid= must be a number; ignored");
        } else if (strncmp(a, "timeout=", 8) == 0) {
            long v = strtol(a + 8, &end, 10);
            if (a[8] && end && *end == '\0' && v >= 10 && v <= 10000) o->timeout_ms = (int)v;
            else pam_syslog(pamh, LOG_ERR, "timeout= must be 10..10000 ms; using %d", DEFAULT_TIMEOUT_MS);
        } else if (strcmp(a, "shadow_check=off") == 0) {
            o->shadow_check = 0;
        } else if (strcmp(a, "debug") == 0) {
            o->debug = 1;
        } else {
            pam_syslog(pamh, LOG_ERR, "unknown argument \"%.64s\" ignored", a);
        }
    }
    if (!have_socket && (size_t)snprintf(o->socket, PATH_CAP, "%s/run/capture.sock", o->dir) >= PATH_CAP) o->socket[0] = '\0';
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t account_id(const char *user)
{
    struct passwd pw, *found = NULL;
    char buf[4096];
    if (getpwnam_r(user, &pw, buf, sizeof buf, &found) == 0 && found) return (uint32_t)found->pw_uid;
    return 0xFFFFFFFFu;
}

/* One delivery attempt: connect, check the server, handshake, CHANGE, ACK. 0 when the bridge answered
 * for this event (stored, duplicate or refused: a refused event will never be accepted, and the bridge
 * logged why); -1 with a reason otherwise, and the caller spools. */
static int deliver(const options *o, const uint8_t secret[PWB_SECRET], pwb_hello *hello, const uint8_t *body,
                   size_t body_len, const uint8_t event_id[PWB_ID], uint8_t *status, uint16_t *reason, char *why,
                   size_t why_len)
{
    unix_conn conn;
    pwb_session s;
    uint8_t acked[PWB_ID];
    if (o->socket[0] == '\0') {
        snprintf(why, why_len, "no socket path");
        return -1;
    }
    if (unix_connect(&conn, o->socket, monotonic_ms() + o->timeout_ms, o->uid, why, why_len) != 0) return -1;
    int rc = pwb_session_open(&s, &conn.t, secret, hello);
    if (rc != PWB_OK) {
        snprintf(why, why_len, "handshake: %s", rc == PWB_IO ? "no answer in time or connection closed" : pwb_result_name(rc));
        unix_close(&conn);
        return -1;
    }
    rc = pwb_session_send(&s, PWB_CHANGE, body, body_len);
    if (rc == PWB_OK) rc = pwb_session_read_ack(&s, acked, status, reason);
    if (rc == PWB_OK && !pwb_ct_equal(acked, event_id, PWB_ID)) rc = PWB_UNEXPECTED;
    pwb_session_close(&s);
    unix_close(&conn);
    if (rc != PWB_OK) {
        snprintf(why, why_len, "no ack: %s", rc == PWB_IO ? "no answer in time or connection closed" : pwb_result_name(rc));
        return -1;
    }
    return 0;
}

/* 1 when the change is to be reported: pam_unix really stored it (or that cannot be checked here, and the
 * line's placement is what vouches for it). 0, with the reason logged, when it did not happen on this
 * machine. Never fails the change: at worst the vault does not hear of it, and reconcile sees it. */
static int changed_here(pam_handle_t *pamh, const options *o, const char *user, const char *token)
{
    char why[256] = { 0 };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    local_verdict v = local_password_check(SHADOW_PATH, user, token, why, sizeof why);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long took_us = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
    switch (v) {
    case LOCAL_SET:
        /* What the check costs (one crypt verify) is said here, so it can be measured on the real stack. */
        if (o->debug)
            pam_syslog(pamh, LOG_DEBUG, "change for %s confirmed in %s (%lld.%03lld ms)", user, SHADOW_PATH, took_us / 1000, took_us % 1000);
        return 1;
    case LOCAL_NOT_SET:
        pam_syslog(pamh, LOG_WARNING,
                   "change for %s NOT reported: %s, so pam_unix did not store it (it failed under a 'required' "
                   "control, which lets the stack go on, or the stack went around it)", user, why);
        return 0;
    case LOCAL_NO_ENTRY:
        pam_syslog(pamh, LOG_NOTICE, "change for %s NOT reported: %s, so it is no local password pam_unix keeps "
                   "(shadow_check=off reports such changes too)", user, why);
        return 0;
    case LOCAL_UNKNOWN:
    default:
        pam_syslog(pamh, LOG_NOTICE, "change for %s not confirmed locally (%s): reported on the stack's placement alone", user, why);
        return 1;
    }
}

static void capture(pam_handle_t *pamh, const options *o)
{
    const void *item = NULL;
    const char *user, *token;
    uint8_t secret[PWB_SECRET], bridge_pub[PWB_EPK], k_spool[32];
    uint8_t body[PWB_MAX_FRAME], record[PWB_MAX_FRAME + 512];
    char keys_dir[PATH_CAP + 8], spool_dir[PATH_CAP + 8], machine[PWB_MAX_NAME + 1], why[256] = { 0 };
    pwb_sealed sealed;
    pwb_eph *eph = NULL;
    size_t record_len = 0;
    int rc;

    if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || !item) {
        pam_syslog(pamh, LOG_ERR, "no user name: change not captured");
        return;
    }
    user = item;
    /* Checked before any line names it; from here on `user` is printable UTF-8 and safe to log. */
    if (!user_name_ok(user)) {
        char shown[USER_SHOWN_CAP];
        user_name_shown(user, shown);
        pam_syslog(pamh, LOG_ERR, "user name \"%s\" is not 1..256 bytes of UTF-8 without control characters: change not captured", shown);
        return;
    }
    if (pam_get_item(pamh, PAM_AUTHTOK, &item) != PAM_SUCCESS || !item) {
        pam_syslog(pamh, LOG_ERR, "no new password for %s (is pam_pwbridge after pam_unix?): change not captured", user);
        return;
    }
    token = item;
    if (o->shadow_check && !changed_here(pamh, o, user, token)) return;
    snprintf(keys_dir, sizeof keys_dir, "%s/keys", o->dir);
    snprintf(spool_dir, sizeof spool_dir, "%s/spool", o->dir);
    rc = read_keys(keys_dir, secret, bridge_pub, why, sizeof why);
    if (rc != 0) {
        if (rc == KEYS_MALFORMED)
            pam_syslog(pamh, LOG_ERR, "change for %s LOST: the install's keys are malformed (%s); reinstall pwbridge", user, why);
        else
            pam_syslog(pamh, LOG_ERR, "change for %s LOST: cannot read the install's keys (%s); is pwbridge installed?", user, why);
        return;
    }

    pwb_change change = {
        .captured_at = now_ms(),
        .account_id = account_id(user),
        .account = (const uint8_t *)user,
        .account_len = strlen(user),
        .encoding = PWB_ENC_RAW,
        .sealed = &sealed,
    };
    pwb_writer w;
    pwb_w_init(&w, body, sizeof body);
    rc = pwb_random(change.event_id, PWB_ID) == 0 && (eph = pwb_eph_new(NULL)) != NULL ? PWB_OK : PWB_IO;
    if (rc == PWB_OK)
        rc = pwb_seal(eph, bridge_pub, change.event_id, change.account, change.account_len, PWB_ENC_RAW, NULL,
                      (const uint8_t *)token, strlen(token), &sealed);
    if (rc == PWB_OK) rc = pwb_change_body(&w, &change);
    if (rc != PWB_OK) {
        pam_syslog(pamh, LOG_ERR, "change for %s LOST: cannot seal it (%s)", user,
                   rc == PWB_PASSWORD_TOO_LONG ? "password longer than 2048 bytes" : pwb_result_name(rc));
        goto done;
    }

    machine_name(machine, sizeof machine);
    pwb_hello hello = {
        .kind = PWB_KIND_PAM,
        .capture_version = PWB_CAPTURE_VERSION,
        .machine = (const uint8_t *)machine,
        .machine_len = strlen(machine),
    };
    read_boot_id(hello.boot_id);
    if (pwb_random(hello.session_id, sizeof hello.session_id) != 0) memset(hello.session_id, 0, sizeof hello.session_id);

    uint8_t status = 0;
    uint16_t reason = 0;
    if (deliver(o, secret, &hello, body, w.len, change.event_id, &status, &reason, why, sizeof why) == 0) {
        if (status == PWB_ACK_REFUSED)
            pam_syslog(pamh, LOG_WARNING, "bridge refused the change for %s (%s); see pwbridge events", user, pwb_result_name(reason));
        else if (o->debug)
            pam_syslog(pamh, LOG_DEBUG, "change for %s delivered (%s)", user, status == PWB_ACK_STORED ? "stored" : "duplicate");
        goto done;
    }

    /* The bridge did not take it: keep it, sealed, for the bridge to drain when it (re)starts. */
    char spool_why[256] = { 0 };
    pwb_derive_label(secret, "spool", k_spool);
    rc = pwb_spool_record(record, sizeof record, &record_len, PWB_KIND_PAM, hello.machine, hello.machine_len, body, w.len, k_spool);
    if (rc == PWB_OK && spool_write(spool_dir, change.event_id, record, record_len, spool_why, sizeof spool_why) == 0)
        pam_syslog(pamh, LOG_NOTICE, "bridge unavailable (%s): change for %s spooled in %s", why, user, spool_dir);
    else
        pam_syslog(pamh, LOG_ERR, "bridge unavailable (%s) and spool failed (%s): change for %s LOST", why,
                   rc == PWB_OK ? spool_why : pwb_result_name(rc), user);
done:
    pwb_eph_free(eph);
    pwb_wipe(secret, sizeof secret);
    pwb_wipe(k_spool, sizeof k_spool);
    pwb_wipe(&sealed, sizeof sealed);
    pwb_wipe(body, sizeof body);
    pwb_wipe(record, sizeof record);
}

/* Everything else is hidden (-fvisibility=hidden and the version script); this is the one way in. */
__attribute__((visibility("default"))) PAM_EXTERN int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    /* PAM_PRELIM_CHECK runs before anything changed: only the update pass is a change to report. */
    if (flags & PAM_UPDATE_AUTHTOK) {
        options o;
        parse_options(pamh, argc, argv, &o);
        capture(pamh, &o);
    }
    return PAM_SUCCESS;
}
