/* The capture protocol's bytes. See pwb_wire.h and docs/protocol.md; the TypeScript twin is src/protocol/. */
#include "pwb_wire.h"

#include <string.h>

#include "pwb_crypto.h"

const char *pwb_result_name(int result)
{
    switch (result) {
    case PWB_OK: return "ok";
    case PWB_OVERSIZED: return "oversized";
    case PWB_TRUNCATED: return "truncated";
    case PWB_MALFORMED: return "malformed";
    case PWB_BAD_VERSION: return "bad-version";
    case PWB_BAD_TAG: return "bad-tag";
    case PWB_REPLAYED: return "replayed";
    case PWB_UNEXPECTED: return "unexpected";
    case PWB_PASSWORD_TOO_LONG: return "password-too-long";
    case PWB_MORE: return "need-more";
    case PWB_NO_ROOM: return "no-room";
    default: return "unknown";
    }
}

uint16_t pwb_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
uint32_t pwb_le32(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }
uint64_t pwb_le64(const uint8_t *p) { return (uint64_t)pwb_le32(p) | ((uint64_t)pwb_le32(p + 4) << 32); }

/* ---- writer ---- */

void pwb_w_init(pwb_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->failed = 0;
}

void pwb_w_bytes(pwb_writer *w, const void *p, size_t n)
{
    if (w->failed || n > w->cap - w->len) {
        w->failed = 1;
        return;
    }
    if (n) memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void pwb_w_u8(pwb_writer *w, uint8_t v) { pwb_w_bytes(w, &v, 1); }
void pwb_w_u16(pwb_writer *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    pwb_w_bytes(w, b, 2);
}
void pwb_w_u32(pwb_writer *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    pwb_w_bytes(w, b, 4);
}
void pwb_w_u64(pwb_writer *w, uint64_t v)
{
    if (v > PWB_MAX_U64) {
        w->failed = 1;
        return;
    }
    pwb_w_u32(w, (uint32_t)v);
    pwb_w_u32(w, (uint32_t)(v >> 32));
}
void pwb_w_name(pwb_writer *w, const uint8_t *s, size_t n)
{
    if (!s || !pwb_name_ok(s, n)) {
        w->failed = 1;
        return;
    }
    pwb_w_u16(w, (uint16_t)n);
    pwb_w_bytes(w, s, n);
}

/* ---- reader ---- */

void pwb_r_init(pwb_reader *r, const uint8_t *p, size_t len)
{
    r->p = p;
    r->len = len;
    r->pos = 0;
    r->failed = 0;
}

const uint8_t *pwb_r_bytes(pwb_reader *r, size_t n)
{
    if (r->failed || n > r->len - r->pos) {
        r->failed = 1;
        return NULL;
    }
    const uint8_t *at = r->p + r->pos;
    r->pos += n;
    return at;
}
uint8_t pwb_r_u8(pwb_reader *r)
{
    const uint8_t *p = pwb_r_bytes(r, 1);
    return p ? p[0] : 0;
}
uint16_t pwb_r_u16(pwb_reader *r)
{
    const uint8_t *p = pwb_r_bytes(r, 2);
    return p ? pwb_le16(p) : 0;
}
uint32_t pwb_r_u32(pwb_reader *r)
{
    const uint8_t *p = pwb_r_bytes(r, 4);
    return p ? pwb_le32(p) : 0;
}
uint64_t pwb_r_u64(pwb_reader *r)
{
    const uint8_t *p = pwb_r_bytes(r, 8);
    uint64_t v = p ? pwb_le64(p) : 0;
    if (v > PWB_MAX_U64) r->failed = 1;
    return v;
}
const uint8_t *pwb_r_name(pwb_reader *r, size_t *n)
{
    size_t len = pwb_r_u16(r);
    const uint8_t *s = pwb_r_bytes(r, len);
    if (!s || !pwb_name_ok(s, len)) {
        r->failed = 1;
        return NULL;
    }
    *n = len;
    return s;
}
int pwb_r_done(const pwb_reader *r) { return !r->failed && r->pos == r->len; }

int pwb_name_ok(const uint8_t *s, size_t n)
{
    if (n < 1 || n > PWB_MAX_NAME) return 0;
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c == 0) return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t extra;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (extra > n - i - 1) return 0;
        for (size_t k = 1; k <= extra; k++) {
            uint8_t cc = s[i + k];
            if ((cc & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += extra + 1;
    }
    return 1;
}

/* ---- frames ---- */

int pwb_frame_encode(uint8_t *out, size_t cap, size_t *out_len, uint8_t type, uint64_t seq, const uint8_t *body,
                     size_t body_len, const uint8_t key[32])
{
    int tagged = type != PWB_CHALLENGE;
    size_t total = PWB_HEADER + body_len + (tagged ? PWB_TAG : 0);
    if (total > PWB_MAX_FRAME) return PWB_OVERSIZED;
    if (total > cap || (tagged && !key)) return PWB_NO_ROOM;
    pwb_writer w;
    pwb_w_init(&w, out, cap);
    pwb_w_u32(&w, (uint32_t)(total - 4));
    pwb_w_u8(&w, PWB_VERSION);
    pwb_w_u8(&w, type);
    pwb_w_u16(&w, 0);
    pwb_w_u64(&w, seq);
    pwb_w_bytes(&w, body, body_len);
    if (w.failed) return PWB_NO_ROOM;
    if (tagged) pwb_hmac3(key, 32, out + 4, w.len - 4, NULL, 0, NULL, 0, out + w.len);
    *out_len = total;
    return PWB_OK;
}

int pwb_frame_decode(const uint8_t *buf, size_t len, const uint8_t key[32], pwb_frame *out, size_t *consumed)
{
    if (len < 4) {
        *consumed = 4;
        return PWB_MORE;
    }
    uint32_t flen = pwb_le32(buf);
    if (flen > PWB_MAX_FRAME - 4) return PWB_OVERSIZED; /* refused before reading the rest */
    if (flen < PWB_MIN_LEN) return PWB_MALFORMED;
    if (len < 4 + (size_t)flen) {
        *consumed = 4 + (size_t)flen;
        return PWB_MORE;
    }
    uint8_t version = buf[4], type = buf[5];
    if (version != PWB_VERSION) return PWB_BAD_VERSION;
    if (type < PWB_CHALLENGE || type > PWB_HEARTBEAT) return PWB_MALFORMED;
    if (pwb_le16(buf + 6) != 0) return PWB_MALFORMED;
    uint64_t seq = pwb_le64(buf + 8);
    size_t body_len = (size_t)flen - (PWB_HEADER - 4);
    if (type != PWB_CHALLENGE) {
        if (body_len < PWB_TAG) return PWB_MALFORMED;
        body_len -= PWB_TAG;
        if (!key) return PWB_UNEXPECTED; /* the caller holds no key for a tagged frame in this state */
        uint8_t want[32];
        pwb_hmac3(key, 32, buf + 4, PWB_HEADER - 4 + body_len, NULL, 0, NULL, 0, want);
        int same = pwb_ct_equal(want, buf + PWB_HEADER + body_len, PWB_TAG);
        pwb_wipe(want, sizeof want);
        if (!same) return PWB_BAD_TAG;
    }
    out->type = type;
    out->seq = seq;
    out->body = buf + PWB_HEADER;
    out->body_len = body_len;
    *consumed = 4 + (size_t)flen;
    return PWB_OK;
}

/* ---- keys ---- */

static void label_hmac(const uint8_t secret[PWB_SECRET], const char *label, const uint8_t *a, size_t a_len,
                       const uint8_t *b, size_t b_len, uint8_t out[32])
{
    pwb_hmac3(secret, PWB_SECRET, (const uint8_t *)label, strlen(label), a, a_len, b, b_len, out);
}

void pwb_derive_keys(const uint8_t secret[PWB_SECRET], const uint8_t nb[PWB_NONCE], const uint8_t nc[PWB_NONCE],
                     uint8_t k_hello[32], uint8_t k_c2b[32], uint8_t k_b2c[32])
{
    label_hmac(secret, "pwbridge/1/hello", nb, PWB_NONCE, NULL, 0, k_hello);
    label_hmac(secret, "pwbridge/1/c2b", nb, PWB_NONCE, nc, PWB_NONCE, k_c2b);
    label_hmac(secret, "pwbridge/1/b2c", nb, PWB_NONCE, nc, PWB_NONCE, k_b2c);
}

void pwb_derive_label(const uint8_t secret[PWB_SECRET], const char *label, uint8_t out[32])
{
    static const char prefix[] = "pwbridge/1/";
    pwb_hmac3(secret, PWB_SECRET, (const uint8_t *)prefix, sizeof prefix - 1, (const uint8_t *)label, strlen(label),
              NULL, 0, out);
}

/* ---- bodies ---- */

int pwb_hello_body(pwb_writer *w, const pwb_hello *h)
{
    pwb_w_u8(w, h->kind);
    pwb_w_u32(w, h->capture_version);
    pwb_w_bytes(w, h->boot_id, 16);
    pwb_w_bytes(w, h->session_id, 16);
    pwb_w_bytes(w, h->nc, PWB_NONCE);
    pwb_w_name(w, h->machine, h->machine_len);
    return w->failed ? PWB_NO_ROOM : PWB_OK;
}

int pwb_change_body(pwb_writer *w, const pwb_change *c)
{
    const pwb_sealed *s = c->sealed;
    if (s->epk[0] != 0x04 || s->ct_len > sizeof s->ct) return PWB_MALFORMED;
    pwb_w_bytes(w, c->event_id, PWB_ID);
    pwb_w_u64(w, c->captured_at);
    pwb_w_u32(w, c->account_id);
    pwb_w_name(w, c->account, c->account_len);
    pwb_w_u8(w, c->encoding);
    pwb_w_bytes(w, s->epk, PWB_EPK);
    pwb_w_bytes(w, s->iv, PWB_IV);
    pwb_w_u16(w, s->ct_len);
    pwb_w_bytes(w, s->ct, s->ct_len);
    pwb_w_bytes(w, s->gcm_tag, PWB_GCM_TAG);
    return w->failed ? PWB_NO_ROOM : PWB_OK;
}

int pwb_heartbeat_body(pwb_writer *w, uint32_t queued, uint32_t spooled, uint32_t dropped)
{
    pwb_w_u32(w, queued);
    pwb_w_u32(w, spooled);
    pwb_w_u32(w, dropped);
    return w->failed ? PWB_NO_ROOM : PWB_OK;
}

int pwb_parse_challenge(const uint8_t *body, size_t len, uint8_t nb[PWB_NONCE])
{
    pwb_reader r;
    pwb_r_init(&r, body, len);
    const uint8_t *p = pwb_r_bytes(&r, PWB_NONCE);
    if (!pwb_r_done(&r)) return PWB_MALFORMED;
    memcpy(nb, p, PWB_NONCE);
    return PWB_OK;
}

int pwb_parse_hello_ack(const uint8_t *body, size_t len, uint32_t *bridge_version)
{
    pwb_reader r;
    pwb_r_init(&r, body, len);
    uint32_t v = pwb_r_u32(&r);
    if (!pwb_r_done(&r)) return PWB_MALFORMED;
    *bridge_version = v;
    return PWB_OK;
}

int pwb_parse_ack(const uint8_t *body, size_t len, uint8_t event_id[PWB_ID], uint8_t *status, uint16_t *reason)
{
    pwb_reader r;
    pwb_r_init(&r, body, len);
    const uint8_t *id = pwb_r_bytes(&r, PWB_ID);
    uint8_t st = pwb_r_u8(&r);
    uint16_t why = pwb_r_u16(&r);
    if (!pwb_r_done(&r)) return PWB_MALFORMED;
    /* stored/duplicate carry reason 0; refused carries a known reason; anything else is malformed */
    if (st == PWB_ACK_STORED || st == PWB_ACK_DUPLICATE) {
        if (why != 0) return PWB_MALFORMED;
    } else if (st == PWB_ACK_REFUSED) {
        if (why < PWB_OVERSIZED || why > PWB_PASSWORD_TOO_LONG) return PWB_MALFORMED;
    } else {
        return PWB_MALFORMED;
    }
    memcpy(event_id, id, PWB_ID);
    *status = st;
    *reason = why;
    return PWB_OK;
}

/* ---- spool ---- */

int pwb_spool_record(uint8_t *out, size_t cap, size_t *out_len, uint8_t kind, const uint8_t *machine,
                     size_t machine_len, const uint8_t *change_body, size_t body_len, const uint8_t k_spool[32])
{
    if (body_len > PWB_MAX_FRAME) return PWB_OVERSIZED;
    pwb_writer w;
    pwb_w_init(&w, out, cap);
    pwb_w_bytes(&w, "PWBS", 4);
    pwb_w_u8(&w, 1);
    pwb_w_u8(&w, kind);
    pwb_w_u16(&w, 0);
    pwb_w_name(&w, machine, machine_len);
    pwb_w_u32(&w, (uint32_t)body_len);
    pwb_w_bytes(&w, change_body, body_len);
    if (w.failed || w.cap - w.len < PWB_TAG) return PWB_NO_ROOM;
    pwb_hmac3(k_spool, 32, out, w.len, NULL, 0, NULL, 0, out + w.len);
    *out_len = w.len + PWB_TAG;
    return PWB_OK;
}
