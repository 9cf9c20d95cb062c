/* See worker.h. One loop:
 *   connect when not connected and the backoff allows (pipe, server identity, CHALLENGE/HELLO/HELLO_ACK,
 *   then a HEARTBEAT); drain the spool oldest first while connected; take queued changes, seal them and
 *   send them in one batch (or spool them when not connected, or when older changes are still spooled, so
 *   the bridge always receives changes in capture order); heartbeat every HeartbeatSeconds; wait.
 * A change leaves the filter's hands only on an ACK from the bridge (stored, duplicate or refused): on
 * any failure it goes to the spool, and a spooled one stays on disk until its ACK. */
#include "worker.h"

#include <windows.h>
#include <sddl.h>

#include "config.h"
#include "host.h"
#include "kill_switch.h"
#include "pipe_transport.h"
#include "pwb_client.h"
#include "pwb_crypto.h"
#include "pwb_wire.h"
#include "queue.h"
#include "report.h"
#include "spool.h"
#include "spool_retry.h"

#ifndef PWB_CAPTURE_VERSION
#error "PWB_CAPTURE_VERSION is package.json's version, passed by the build (native/package-version.cmake)"
#endif

#define BATCH 32
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 10000
#define RECORD_CAP (PWB_MAX_FRAME + 512)

typedef struct {
    uint8_t body[PWB_MAX_FRAME];
    size_t body_len;
    uint8_t event_id[PWB_ID];
    uint64_t captured_at;
    uint32_t seq;
    int from_spool;
    pwb_spool_name name;
    int answered;
} flight;

/* Everything below belongs to the worker thread alone. */
static flight g_flights[BATCH];
static pwb_item g_item;
static uint8_t g_record[RECORD_CAP];
static pwb_config g_cfg;
static pwb_eph *g_eph;
static uint8_t g_session_id[16];
static char g_machine[PWB_MAX_NAME + 1]; /* read once per load: a rename takes a reboot */
static size_t g_machine_len;

static struct {
    int loaded;
    uint8_t secret[PWB_SECRET];
    uint8_t bridge_pub[PWB_EPK];
} g_keys;

static struct {
    pwb_pipe pipe;
    pwb_session s;
    int open;
    ULONGLONG next_try, last_try, last_sent;
    int last_slow; /* the last failed attempt ran into its deadline (a hung server, not an absent one) */
    DWORD backoff;
    uint32_t spooled; /* files waiting, as of the last listing and our writes since */
    int spool_listed;
} w;

static pwb_retry g_retry;       /* the spool file at the drain's head, while it fails */
static pwb_spool_name g_stuck; /* set aside but neither movable nor deletable: skipped until the next load */

static volatile LONG g_started;

static void drop_keys(void)
{
    pwb_wipe(&g_keys, sizeof g_keys);
}

/* The install's keys, read at most once per turn of the loop and wiped at its end. */
static int keys(void)
{
    if (g_keys.loaded) return 0;
    PSID reader = NULL;
    if (g_cfg.service_sid[0]) ConvertStringSidToSidW(g_cfg.service_sid, &reader);
    int rc = pwb_read_keys(g_cfg.data_dir, reader, g_keys.secret, g_keys.bridge_pub);
    if (reader) LocalFree(reader);
    g_keys.loaded = rc == 0;
    return rc;
}

static void disconnect(void)
{
    if (!w.open) return;
    pwb_session_close(&w.s);
    pwb_pipe_close(&w.pipe);
    w.open = 0;
}

static void fail_attempt(ULONGLONG started)
{
    ULONGLONG now = GetTickCount64();
    w.backoff = w.backoff ? (w.backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : w.backoff * 2) : BACKOFF_MIN_MS;
    w.next_try = now + w.backoff;
    w.last_try = now;
    w.last_slow = now - started >= 500;
}

static int send_heartbeat(void)
{
    uint8_t body[12];
    pwb_writer bw;
    pwb_w_init(&bw, body, sizeof body);
    pwb_heartbeat_body(&bw, pwb_queue_depth(), w.spooled, pwb_dropped());
    w.pipe.deadline = GetTickCount64() + g_cfg.timeout_ms;
    if (pwb_session_send(&w.s, PWB_HEARTBEAT, body, bw.len) != PWB_OK) {
        disconnect();
        return -1;
    }
    w.last_sent = GetTickCount64();
    return 0;
}

static void try_connect(void)
{
    ULONGLONG started = GetTickCount64();
    if (keys() != 0) {
        fail_attempt(started);
        return;
    }
    if (pwb_pipe_connect(&w.pipe, g_cfg.pipe_name, g_cfg.service_sid, started + g_cfg.timeout_ms) != PWB_PIPE_OK) {
        fail_attempt(started);
        return;
    }
    pwb_hello hello = { PWB_KIND_LSA, PWB_CAPTURE_VERSION, { 0 }, { 0 }, { 0 }, (const uint8_t *)g_machine, g_machine_len };
    pwb_boot_id(hello.boot_id);
    for (int i = 0; i < 16; i++) hello.session_id[i] = g_session_id[i];
    /* The bridge must prove it holds the install secret (HELLO_ACK) before anything else is sent. */
    if (pwb_session_open(&w.s, &w.pipe.t, g_keys.secret, &hello) != PWB_OK) {
        pwb_pipe_close(&w.pipe);
        fail_attempt(started);
        return;
    }
    w.open = 1;
    w.backoff = 0;
    w.spool_listed = 0;
    send_heartbeat(); /* the counters, at once: the bridge learns of drops without waiting a period */
}

/* Send the batch and read one ACK per CHANGE, in any order. Marks what the bridge answered for; on any
 * failure the connection is closed and the rest stays unanswered (the caller keeps it). */
static void send_batch(size_t n)
{
    w.pipe.deadline = GetTickCount64() + g_cfg.timeout_ms;
    for (size_t i = 0; i < n; i++) {
        if (pwb_session_send(&w.s, PWB_CHANGE, g_flights[i].body, g_flights[i].body_len) != PWB_OK) {
            disconnect();
            return;
        }
    }
    w.last_sent = GetTickCount64();
    for (size_t k = 0; k < n; k++) {
        uint8_t id[PWB_ID], status = 0;
        uint16_t reason = 0;
        if (pwb_session_read_ack(&w.s, id, &status, &reason) != PWB_OK) {
            disconnect();
            return;
        }
        size_t i = 0;
        while (i < n && (g_flights[i].answered || !pwb_ct_equal(g_flights[i].event_id, id, PWB_ID))) i++;
        if (i == n) { /* an ACK for nothing we sent: not our bridge's behaviour */
            disconnect();
            return;
        }
        /* Stored, duplicate, or refused (the bridge logged why and will never take it): done either way. */
        g_flights[i].answered = 1;
    }
}

static void spool_one(const flight *f, const WCHAR *dir)
{
    uint8_t k_spool[32], entropy[32];
    size_t len = 0;
    if (w.spooled >= g_cfg.spool_max || keys() != 0) {
        pwb_count_dropped();
        return;
    }
    pwb_derive_label(g_keys.secret, "spool", k_spool);
    pwb_derive_label(g_keys.secret, "lsa-dpapi", entropy);
    if (pwb_spool_record(g_record, sizeof g_record, &len, PWB_KIND_LSA, (const uint8_t *)g_machine, g_machine_len, f->body,
                         f->body_len, k_spool) == PWB_OK &&
        pwb_spool_write(dir, f->captured_at, f->seq, f->event_id, g_record, len, entropy) == 0)
        w.spooled++;
    else
        pwb_count_dropped();
    pwb_wipe(k_spool, sizeof k_spool);
    pwb_wipe(entropy, sizeof entropy);
    pwb_wipe(g_record, sizeof g_record);
}

static void spool_unanswered(size_t n)
{
    WCHAR dir[PWB_PATH_CAP];
    int have_dir = pwb_spool_dir(g_cfg.data_dir, dir) == 0;
    for (size_t i = 0; i < n; i++) {
        if (g_flights[i].answered || g_flights[i].from_spool) continue;
        if (have_dir) spool_one(&g_flights[i], dir);
        else pwb_count_dropped();
    }
}

/* Seal the queued change in g_item into flight f. 0, or -1 (dropped: the caller counts it). */
static int seal_item(flight *f)
{
    char account[PWB_MAX_NAME + 1];
    size_t account_len = 0;
    pwb_sealed sealed;
    int rc = -1;
    if (pwb_utf8(g_item.account, g_item.account_len, account, PWB_MAX_NAME, &account_len) != 0 ||
        !pwb_name_ok((const uint8_t *)account, account_len) || keys() != 0)
        goto done;
    if (!g_eph && !(g_eph = pwb_eph_new(NULL))) goto done;
    pwb_change c = { { 0 }, g_item.captured_at, g_item.rid, (const uint8_t *)account, account_len, PWB_ENC_UTF16LE, &sealed };
    if (pwb_random(c.event_id, PWB_ID) != 0) goto done;
    /* The password as LSA gave it, UTF-16LE: never converted here, so never altered. */
    if (pwb_seal(g_eph, g_keys.bridge_pub, c.event_id, c.account, c.account_len, PWB_ENC_UTF16LE, NULL,
                 (const uint8_t *)g_item.password, (size_t)g_item.password_len * 2, &sealed) != PWB_OK)
        goto done;
    pwb_writer bw;
    pwb_w_init(&bw, f->body, sizeof f->body);
    if (pwb_change_body(&bw, &c) != PWB_OK) goto done;
    f->body_len = bw.len;
    for (int i = 0; i < PWB_ID; i++) f->event_id[i] = c.event_id[i];
    f->captured_at = g_item.captured_at;
    f->seq = g_item.seq;
    f->from_spool = 0;
    f->answered = 0;
    rc = 0;
done:
    pwb_wipe(&sealed, sizeof sealed);
    return rc;
}

/* Up to BATCH queued changes, sealed into flights. Every copy of a password is wiped before this returns. */
static size_t take_from_queue(void)
{
    size_t n = 0;
    while (n < BATCH && pwb_queue_pop(&g_item, 0)) {
        if (pwb_excluded_configured(g_item.account, g_item.account_len)) {
            pwb_wipe(&g_item, sizeof g_item);
            continue;
        }
        if (seal_item(&g_flights[n]) == 0) n++;
        else pwb_count_dropped();
        pwb_wipe(&g_item, sizeof g_item);
    }
    return n;
}

/* A spool record as pwb_spool_record writes it, checked with K_spool: its CHANGE body into f. 0, -1 when
 * the tag does not verify, -2 when the tagged record is malformed. */
static int load_record(const uint8_t *rec, size_t len, const uint8_t k_spool[32], flight *f)
{
    uint8_t want[32];
    if (len < PWB_TAG + 12) return -1;
    pwb_hmac3(k_spool, 32, rec, len - PWB_TAG, NULL, 0, NULL, 0, want);
    int tag_ok = pwb_ct_equal(want, rec + len - PWB_TAG, PWB_TAG);
    pwb_wipe(want, sizeof want);
    if (!tag_ok) return -1;
    pwb_reader r;
    size_t machine_len = 0;
    pwb_r_init(&r, rec, len - PWB_TAG);
    const uint8_t *magic = pwb_r_bytes(&r, 4);
    uint8_t version = pwb_r_u8(&r), kind = pwb_r_u8(&r);
    uint16_t reserved = pwb_r_u16(&r);
    pwb_r_name(&r, &machine_len);
    uint32_t body_len = pwb_r_u32(&r);
    const uint8_t *body = body_len <= PWB_MAX_FRAME ? pwb_r_bytes(&r, body_len) : NULL;
    if (!magic || magic[0] != 'P' || magic[1] != 'W' || magic[2] != 'B' || magic[3] != 'S' || version != 1 ||
        kind != PWB_KIND_LSA || reserved != 0 || !body || body_len < PWB_ID || !pwb_r_done(&r))
        return -2;
    for (uint32_t i = 0; i < body_len; i++) f->body[i] = body[i];
    f->body_len = body_len;
    for (int i = 0; i < PWB_ID; i++) f->event_id[i] = body[i];
    f->from_spool = 1;
    f->answered = 0;
    return 0;
}

static int same_name(const WCHAR *a, const WCHAR *b)
{
    for (int i = 0; i < PWB_SPOOL_NAME_LEN; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* Give up on a spool file: out of the drain's way (spool.h says where), counted as dropped so the
 * heartbeat tells the bridge, and reported to the event log with why (`why` continues "set aside: "). */
static void set_aside(const WCHAR *dir, const WCHAR *name, const WCHAR *why)
{
    static const WCHAR *const where[] = { L"moved to spool\\rejected", L"renamed .bad in place",
                                          L"deleted (it could not be moved)" };
    pwb_text t = { { 0 }, 0 };
    int at = pwb_spool_set_aside(dir, name);
    pwb_text_add(&t, L"pwbridge_filter: spool file ");
    pwb_text_add(&t, name);
    pwb_text_add(&t, L" set aside (");
    pwb_text_add(&t, at >= 0 ? where[at] : L"it could neither be moved nor deleted: skipped until the next boot");
    pwb_text_add(&t, L"): ");
    pwb_text_add(&t, why);
    pwb_report_warning(PWB_EVENT_SPOOL_REFUSED, t.buf);
    if (at == PWB_ASIDE_STUCK)
        for (int i = 0; i <= PWB_SPOOL_NAME_LEN; i++) g_stuck.name[i] = name[i];
    if (same_name(g_retry.name.name, name)) pwb_retry_clear(&g_retry);
    pwb_count_dropped();
    if (w.spooled) w.spooled--;
}

/* The head failed once more (error 0: the bridge dropped the connection without answering for it). 1 when
 * it was given up on and set aside, 0 when it waits for its next try. */
static int head_failed(const WCHAR *dir, const WCHAR *name, DWORD error)
{
    ULONGLONG now = GetTickCount64();
    DWORD span_ms = g_cfg.spool_retry_s * 1000;
    if (!pwb_retry_failed(&g_retry, name, now, span_ms, error)) return 0;
    pwb_text why = { { 0 }, 0 };
    pwb_text_add(&why, error ? L"it could not be read or unwrapped " : L"the bridge dropped the connection without answering for it ");
    pwb_text_num(&why, g_retry.attempts);
    pwb_text_add(&why, L" times over ");
    pwb_text_num(&why, (now - g_retry.first) / 1000);
    pwb_text_add(&why, L" s");
    if (error) {
        pwb_text_add(&why, L" (last Win32 error ");
        pwb_text_num(&why, error);
        pwb_text_add(&why, L")");
    }
    set_aside(dir, name, why.buf);
    return 1;
}

/* The oldest spooled changes, sent in one batch; each file goes once the bridge answered for it. In capture
 * order: a file that fails in a way that may pass stops the batch there and is tried again after a pause
 * (spool_retry.h), the newer ones waiting behind it; a damaged one is set aside at once and the rest go on.
 * A head that failed before is sent alone, so that a connection dropped on it is its own doing. */
static void drain_batch(void)
{
    static pwb_spool_name names[BATCH];
    WCHAR dir[PWB_PATH_CAP];
    uint8_t k_spool[32], entropy[32];
    size_t n = 0, len = 0;
    uint32_t total = 0;
    if (pwb_spool_dir(g_cfg.data_dir, dir) != 0 || keys() != 0) {
        w.spooled = 0; /* nothing we can read: do not spin on it */
        w.spool_listed = 1;
        return;
    }
    size_t listed = pwb_spool_list(dir, names, BATCH, &total);
    int stuck_seen = 0;
    for (size_t i = 0; i < listed; i++) stuck_seen |= g_stuck.name[0] && same_name(names[i].name, g_stuck.name);
    if (g_stuck.name[0] && !stuck_seen) g_stuck.name[0] = 0; /* someone removed it */
    w.spooled = total - (stuck_seen ? 1 : 0);
    w.spool_listed = 1;
    pwb_derive_label(g_keys.secret, "spool", k_spool);
    pwb_derive_label(g_keys.secret, "lsa-dpapi", entropy);
    int head = 1;
    for (size_t i = 0; i < listed; i++) {
        const WCHAR *name = names[i].name;
        if (stuck_seen && same_name(name, g_stuck.name)) continue;
        if (head && g_retry.name.name[0] && !same_name(g_retry.name.name, name)) pwb_retry_clear(&g_retry); /* gone */
        if (!pwb_retry_due(&g_retry, name, GetTickCount64())) break; /* pausing: the newer ones wait behind it */
        flight *f = &g_flights[n];
        DWORD error = 0;
        int rc = pwb_spool_read(dir, name, entropy, g_record, sizeof g_record, &len, &error);
        int loaded = rc == PWB_SPOOL_OK ? load_record(g_record, len, k_spool, f) : 1;
        pwb_wipe(g_record, sizeof g_record);
        if (loaded == 0) {
            f->name = names[i];
            n++;
            head = 0;
            if (same_name(g_retry.name.name, name)) break; /* a suspect: alone */
            continue;
        }
        if (rc == PWB_SPOOL_TRANSIENT && (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND)) {
            if (w.spooled) w.spooled--; /* gone since the listing (an administrator took it): nothing to keep */
            continue;
        }
        if (rc == PWB_SPOOL_TRANSIENT) {
            if (n > 0) break; /* the older ones first; this one is the head next time */
            if (head_failed(dir, name, error)) continue;
            break;
        }
        set_aside(dir, name,
                  rc == PWB_SPOOL_DAMAGED ? L"its bytes cannot be a spool record (empty, or too long)"
                  : loaded == -1          ? L"its K_spool tag does not verify (another install's record, or damaged)"
                                          : L"its record is malformed (magic, version, kind or lengths)");
    }
    pwb_wipe(k_spool, sizeof k_spool);
    pwb_wipe(entropy, sizeof entropy);
    if (n == 0) return;
    send_batch(n);
    /* Timed out: a hung bridge, not this record's doing. Cut before the deadline: it may be. */
    int cut_early = !w.open && GetTickCount64() < w.pipe.deadline;
    for (size_t i = 0; i < n; i++) {
        if (!g_flights[i].answered) continue;
        if (same_name(g_retry.name.name, g_flights[i].name.name)) pwb_retry_clear(&g_retry);
        pwb_spool_remove(dir, g_flights[i].name.name);
        w.spooled--;
    }
    if (cut_early && !g_flights[0].answered) head_failed(dir, g_flights[0].name.name, 0);
}

static void list_spool(void)
{
    static pwb_spool_name first[1];
    WCHAR dir[PWB_PATH_CAP];
    uint32_t total = 0;
    if (pwb_spool_dir(g_cfg.data_dir, dir) == 0) pwb_spool_list(dir, first, 1, &total);
    w.spooled = total;
    w.spool_listed = 1;
}

static DWORD WINAPI worker_main(LPVOID unused)
{
    (void)unused;
    if (pwb_random(g_session_id, sizeof g_session_id) != 0) g_session_id[0] = 1;
    pwb_machine_name(g_machine);
    while (g_machine[g_machine_len]) g_machine_len++;
    for (;;) {
        pwb_config_read(&g_cfg);
        if (pwb_disabled()) {
            /* The kill switch: no connection, no heartbeat, no disk. Queued changes wait for it to be lifted;
             * the watcher wakes us when it is. */
            disconnect();
            drop_keys();
            pwb_switch_wait(1000);
            continue;
        }
        ULONGLONG now = GetTickCount64();
        /* New work may retry sooner than the backoff, a second after an attempt that failed fast (no pipe:
         * the service may be back by now). Not after one that hung: the queue goes to the spool first. */
        int work = pwb_queue_depth() > 0;
        if (!w.open && (now >= w.next_try || (work && !w.last_slow && now - w.last_try >= BACKOFF_MIN_MS))) try_connect();
        if (!w.spool_listed) list_spool();
        ULONGLONG retry_at = pwb_retry_next(&g_retry);
        if (w.open && w.spooled > 0 && now >= retry_at) {
            drain_batch();
        } else {
            /* Sent live only when nothing older waits in the spool; else spooled behind it, in order. */
            size_t n = take_from_queue();
            if (n > 0) {
                if (w.open && w.spooled == 0) send_batch(n);
                spool_unanswered(n);
            } else if (w.open && now - w.last_sent >= (ULONGLONG)g_cfg.heartbeat_s * 1000) {
                send_heartbeat();
            } else {
                ULONGLONG due = w.open ? w.last_sent + (ULONGLONG)g_cfg.heartbeat_s * 1000 : w.next_try;
                if (w.open && w.spooled > 0 && retry_at < due) due = retry_at;
                DWORD wait = due > now ? (DWORD)(due - now > 1000 ? 1000 : due - now) : 1;
                drop_keys();
                pwb_queue_wait(wait);
            }
        }
        drop_keys();
    }
    return 0; /* not reached: the worker lives as long as lsass */
}

int pwb_worker_prepare(pwb_launch *l)
{
    if (InterlockedCompareExchange(&g_started, 1, 0) != 0) return 0;
    w.pipe.h = INVALID_HANDLE_VALUE;
    if (pwb_launch_prepare(l, worker_main, NULL, 256 * 1024) != 0) {
        InterlockedExchange(&g_started, 0);
        return -1;
    }
    return 0;
}

int pwb_worker_abandon(pwb_launch *l)
{
    if (pwb_launch_abandon(l) != 0) return -1;
    InterlockedExchange(&g_started, 0);
    return 0;
}
