/* The C codec against the shared test vectors (test/vectors/frames.json, which the TypeScript tests
 * read too), plus the codec's own edge cases. Usage: codec_test PATH/TO/frames.json. Prints one line per
 * check; exits 1 if any failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pwb_client.h"
#include "pwb_crypto.h"
#include "pwb_wire.h"

static int failures, checks;

#define CHECK(cond, ...)                                                                                           \
    do {                                                                                                           \
        checks++;                                                                                                  \
        if (!(cond)) {                                                                                             \
            failures++;                                                                                            \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                            \
            printf(__VA_ARGS__);                                                                                   \
            printf("\n");                                                                                          \
        }                                                                                                          \
    } while (0)

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    if (n > cap) {
        fprintf(stderr, "vector too long for buffer\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v)) {
        fprintf(stderr, "vector field %s missing\n", key);
        exit(2);
    }
    return v->valuestring;
}
static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v)) {
        fprintf(stderr, "vector field %s missing\n", key);
        exit(2);
    }
    return v->valuedouble;
}
static size_t hexfield(const cJSON *o, const char *key, uint8_t *out, size_t cap) { return unhex(str(o, key), out, cap); }
static int same(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) { return an == bn && memcmp(a, b, an) == 0; }

typedef struct {
    uint8_t secret[32], nb[32], nc[32], k_hello[32], k_c2b[32], k_b2c[32], bridge_pub[65], eph_priv[32], eph_pub[65];
} keys_t;

static void check_keys(const cJSON *k, keys_t *K)
{
    uint8_t want[32];
    hexfield(k, "secret", K->secret, 32);
    hexfield(k, "nb", K->nb, 32);
    hexfield(k, "nc", K->nc, 32);
    hexfield(k, "bridge_public", K->bridge_pub, 65);
    hexfield(k, "ephemeral_private", K->eph_priv, 32);
    hexfield(k, "ephemeral_public", K->eph_pub, 65);
    pwb_derive_keys(K->secret, K->nb, K->nc, K->k_hello, K->k_c2b, K->k_b2c);
    hexfield(k, "k_hello", want, 32);
    CHECK(memcmp(want, K->k_hello, 32) == 0, "K_hello differs from the vector");
    hexfield(k, "k_c2b", want, 32);
    CHECK(memcmp(want, K->k_c2b, 32) == 0, "K_c2b differs from the vector");
    hexfield(k, "k_b2c", want, 32);
    CHECK(memcmp(want, K->k_b2c, 32) == 0, "K_b2c differs from the vector");
    pwb_eph *eph = pwb_eph_new(K->eph_priv);
    CHECK(eph && memcmp(pwb_eph_public(eph), K->eph_pub, 65) == 0, "ephemeral public key differs from the vector");
    pwb_eph_free(eph);
}

static const uint8_t *key_for(const char *name, const keys_t *K)
{
    if (strcmp(name, "hello") == 0) return K->k_hello;
    if (strcmp(name, "c2b") == 0) return K->k_c2b;
    if (strcmp(name, "b2c") == 0) return K->k_b2c;
    return NULL;
}

/* Encode the frame from its fields; the result must equal frame_hex byte for byte. */
static void check_encode(const cJSON *fr, const keys_t *K, uint8_t *body_out, size_t *body_len_out)
{
    const char *name = str(fr, "name"), *type = str(fr, "type");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(fr, "fields");
    uint8_t body[PWB_MAX_FRAME], frame[PWB_MAX_FRAME], want[PWB_MAX_FRAME * 2];
    pwb_writer w;
    pwb_w_init(&w, body, sizeof body);
    int rc = PWB_OK;
    pwb_sealed sealed;
    if (strcmp(type, "CHALLENGE") == 0) {
        uint8_t nb[32];
        hexfield(f, "nb", nb, 32);
        pwb_w_bytes(&w, nb, 32);
    } else if (strcmp(type, "HELLO") == 0) {
        pwb_hello h = { .kind = (uint8_t)num(f, "kind"), .capture_version = (uint32_t)num(f, "capture_version") };
        hexfield(f, "boot_id", h.boot_id, 16);
        hexfield(f, "session_id", h.session_id, 16);
        hexfield(f, "nc", h.nc, 32);
        h.machine = (const uint8_t *)str(f, "machine");
        h.machine_len = strlen(str(f, "machine"));
        rc = pwb_hello_body(&w, &h);
    } else if (strcmp(type, "HELLO_ACK") == 0) {
        pwb_w_u32(&w, (uint32_t)num(f, "bridge_version"));
    } else if (strcmp(type, "CHANGE") == 0) {
        uint8_t pw[PWB_MAX_PASSWORD * 2], iv[12], sealed_want[PWB_MAX_FRAME];
        pwb_change c = { .captured_at = (uint64_t)num(f, "captured_at"), .account_id = (uint32_t)num(f, "account_id"),
                         .encoding = (uint8_t)num(f, "encoding"), .sealed = &sealed };
        hexfield(f, "event_id", c.event_id, 16);
        c.account = (const uint8_t *)str(f, "account");
        c.account_len = strlen(str(f, "account"));
        size_t pw_len = hexfield(f, "password_hex", pw, sizeof pw);
        hexfield(f, "iv", iv, 12);
        pwb_eph *eph = pwb_eph_new(K->eph_priv);
        rc = pwb_seal(eph, K->bridge_pub, c.event_id, c.account, c.account_len, c.encoding, iv, pw, pw_len, &sealed);
        pwb_eph_free(eph);
        CHECK(rc == PWB_OK, "%s: seal failed (%s)", name, pwb_result_name(rc));
        pwb_writer sw;
        uint8_t sealed_got[PWB_MAX_FRAME];
        pwb_w_init(&sw, sealed_got, sizeof sealed_got);
        pwb_w_bytes(&sw, sealed.epk, 65);
        pwb_w_bytes(&sw, sealed.iv, 12);
        pwb_w_u16(&sw, sealed.ct_len);
        pwb_w_bytes(&sw, sealed.ct, sealed.ct_len);
        pwb_w_bytes(&sw, sealed.gcm_tag, 16);
        size_t sn = hexfield(f, "sealed_hex", sealed_want, sizeof sealed_want);
        CHECK(same(sealed_got, sw.len, sealed_want, sn), "%s: sealed bytes differ from the vector", name);
        if (rc == PWB_OK) rc = pwb_change_body(&w, &c);
    } else if (strcmp(type, "ACK") == 0) {
        uint8_t id[16];
        hexfield(f, "event_id", id, 16);
        pwb_w_bytes(&w, id, 16);
        pwb_w_u8(&w, (uint8_t)num(f, "status"));
        pwb_w_u16(&w, (uint16_t)num(f, "reason"));
    } else if (strcmp(type, "HEARTBEAT") == 0) {
        rc = pwb_heartbeat_body(&w, (uint32_t)num(f, "queued"), (uint32_t)num(f, "spooled"), (uint32_t)num(f, "dropped"));
    }
    CHECK(rc == PWB_OK && !w.failed, "%s: body encode failed", name);
    size_t bn = hexfield(fr, "body_hex", want, sizeof want);
    CHECK(same(body, w.len, want, bn), "%s: body bytes differ from the vector", name);
    size_t n = 0;
    rc = pwb_frame_encode(frame, sizeof frame, &n, (uint8_t)(strcmp(type, "CHALLENGE") == 0 ? PWB_CHALLENGE :
                                                            strcmp(type, "HELLO") == 0 ? PWB_HELLO :
                                                            strcmp(type, "HELLO_ACK") == 0 ? PWB_HELLO_ACK :
                                                            strcmp(type, "CHANGE") == 0 ? PWB_CHANGE :
                                                            strcmp(type, "ACK") == 0 ? PWB_ACK : PWB_HEARTBEAT),
                          (uint64_t)num(fr, "seq"), body, w.len, key_for(str(fr, "key"), K));
    size_t fn = hexfield(fr, "frame_hex", want, sizeof want);
    CHECK(rc == PWB_OK && same(frame, n, want, fn), "%s: frame bytes differ from the vector", name);
    memcpy(body_out, body, w.len);
    *body_len_out = w.len;
}

/* Decode frame_hex (whole, then byte by byte) and check the fields the capture reads. */
static void check_decode(const cJSON *fr, const keys_t *K)
{
    const char *name = str(fr, "name"), *type = str(fr, "type");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(fr, "fields");
    uint8_t raw[PWB_MAX_FRAME * 2];
    size_t n = hexfield(fr, "frame_hex", raw, sizeof raw), used = 0;
    const uint8_t *key = key_for(str(fr, "key"), K);
    pwb_frame fm;
    int rc = pwb_frame_decode(raw, n, key, &fm, &used);
    CHECK(rc == PWB_OK && used == n && fm.seq == (uint64_t)num(fr, "seq"), "%s: decode: %s", name, pwb_result_name(rc));
    /* A stream that arrives in pieces: every proper prefix asks for more, never decodes or refuses. */
    for (size_t cut = 0; cut < n; cut++) {
        int r = pwb_frame_decode(raw, cut, key, &fm, &used);
        if (r != PWB_MORE || used > n) {
            CHECK(0, "%s: prefix of %zu bytes gave %s", name, cut, pwb_result_name(r));
            break;
        }
    }
    if (key) {
        uint8_t wrong[32];
        memcpy(wrong, key, 32);
        wrong[0] ^= 1;
        CHECK(pwb_frame_decode(raw, n, wrong, &fm, &used) == PWB_BAD_TAG, "%s: a wrong key must give bad-tag", name);
        raw[n - 1] ^= 0x80;
        CHECK(pwb_frame_decode(raw, n, key, &fm, &used) == PWB_BAD_TAG, "%s: a flipped tag bit must give bad-tag", name);
        raw[n - 1] ^= 0x80;
        raw[PWB_HEADER] ^= 1;
        CHECK(pwb_frame_decode(raw, n, key, &fm, &used) == PWB_BAD_TAG, "%s: a flipped body bit must give bad-tag", name);
        raw[PWB_HEADER] ^= 1;
    }
    rc = pwb_frame_decode(raw, n, key, &fm, &used);
    if (strcmp(type, "CHALLENGE") == 0) {
        uint8_t nb[32], want[32];
        hexfield(f, "nb", want, 32);
        CHECK(pwb_parse_challenge(fm.body, fm.body_len, nb) == PWB_OK && memcmp(nb, want, 32) == 0, "%s: nb", name);
    } else if (strcmp(type, "HELLO_ACK") == 0) {
        uint32_t v = 0;
        CHECK(pwb_parse_hello_ack(fm.body, fm.body_len, &v) == PWB_OK && v == (uint32_t)num(f, "bridge_version"),
              "%s: bridge_version", name);
    } else if (strcmp(type, "ACK") == 0) {
        uint8_t id[16], want[16], status = 9;
        uint16_t reason = 9;
        hexfield(f, "event_id", want, 16);
        CHECK(pwb_parse_ack(fm.body, fm.body_len, id, &status, &reason) == PWB_OK && memcmp(id, want, 16) == 0 &&
                  status == (uint8_t)num(f, "status") && reason == (uint16_t)num(f, "reason"),
              "%s: ack fields", name);
    }
}

/* The refusal streams are what a capture might send; the header-level ones are the C decoder's job too. */
static void check_refusals(const cJSON *refusals, const keys_t *K)
{
    static const struct { const char *name; int result; } header_level[] = {
        { "oversized_length_only", PWB_OVERSIZED }, { "length_below_minimum", PWB_MALFORMED },
        { "bad_version", PWB_BAD_VERSION },         { "nonzero_flags", PWB_MALFORMED },
        { "unknown_type", PWB_MALFORMED },          { "truncated_hello", PWB_MORE },
        { "hello_bad_tag", PWB_BAD_TAG },
    };
    size_t seen = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, refusals) {
        const char *name = str(r, "name");
        for (size_t i = 0; i < sizeof header_level / sizeof header_level[0]; i++) {
            if (strcmp(name, header_level[i].name) != 0) continue;
            seen++;
            uint8_t raw[PWB_MAX_FRAME * 2];
            const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "input_hex"), 0);
            size_t n = unhex(first->valuestring, raw, sizeof raw), used = 0;
            pwb_frame fm;
            int rc = pwb_frame_decode(raw, n, K->k_hello, &fm, &used);
            CHECK(rc == header_level[i].result, "refusal %s: got %s, want %s", name, pwb_result_name(rc),
                  pwb_result_name(header_level[i].result));
        }
    }
    CHECK(seen == sizeof header_level / sizeof header_level[0], "only %zu header-level refusal vectors found", seen);
}

static void check_spool(const cJSON *root, const keys_t *K)
{
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(root, "spool");
    if (!sp) {
        CHECK(0, "frames.json has no spool vector");
        return;
    }
    uint8_t k_spool[32], want_k[32], body[PWB_MAX_FRAME], rec[PWB_MAX_FRAME + 512], want[PWB_MAX_FRAME * 2];
    pwb_derive_label(K->secret, "spool", k_spool);
    hexfield(cJSON_GetObjectItemCaseSensitive(root, "keys"), "k_spool", want_k, 32);
    CHECK(memcmp(k_spool, want_k, 32) == 0, "K_spool differs from the vector");
    size_t bn = hexfield(sp, "body_hex", body, sizeof body), n = 0;
    const char *machine = str(sp, "machine");
    int rc = pwb_spool_record(rec, sizeof rec, &n, (uint8_t)num(sp, "kind"), (const uint8_t *)machine, strlen(machine),
                              body, bn, k_spool);
    size_t wn = hexfield(sp, "record_hex", want, sizeof want);
    CHECK(rc == PWB_OK && same(rec, n, want, wn), "spool record differs from the vector");
}

static void check_edges(void)
{
    /* Names: valid UTF-8 without NUL, 1..256 bytes. */
    CHECK(pwb_name_ok((const uint8_t *)"J\xc3\xbcrgen", 7), "valid UTF-8 name refused");
    CHECK(!pwb_name_ok((const uint8_t *)"", 0), "empty name accepted");
    CHECK(!pwb_name_ok((const uint8_t *)"a\0b", 3), "name with NUL accepted");
    CHECK(!pwb_name_ok((const uint8_t *)"\xc0\xaf", 2), "overlong encoding accepted");
    CHECK(!pwb_name_ok((const uint8_t *)"\xed\xa0\x80", 3), "UTF-16 surrogate in UTF-8 accepted");
    CHECK(!pwb_name_ok((const uint8_t *)"\xf4\x90\x80\x80", 4), "code point above U+10FFFF accepted");
    CHECK(!pwb_name_ok((const uint8_t *)"\xe2\x82", 2), "truncated sequence accepted");
    uint8_t long_name[257];
    memset(long_name, 'a', sizeof long_name);
    CHECK(pwb_name_ok(long_name, 256) && !pwb_name_ok(long_name, 257), "name limit is not 256 bytes");

    /* u64 beyond 2^53-1 is refused on both sides. */
    uint8_t buf[16];
    pwb_writer w;
    pwb_w_init(&w, buf, sizeof buf);
    pwb_w_u64(&w, PWB_MAX_U64 + 1);
    CHECK(w.failed, "u64 above 2^53-1 written");
    pwb_w_init(&w, buf, 4);
    pwb_w_u64(&w, 1);
    CHECK(w.failed, "writer overflow not caught");

    /* ACK combinations beyond the table are malformed. */
    uint8_t ack[19] = { 0 }, id[16], st;
    uint16_t why;
    ack[16] = 0, ack[17] = 1;
    CHECK(pwb_parse_ack(ack, 19, id, &st, &why) == PWB_MALFORMED, "stored with a reason accepted");
    ack[16] = 2, ack[17] = 0;
    CHECK(pwb_parse_ack(ack, 19, id, &st, &why) == PWB_MALFORMED, "refused without a reason accepted");
    ack[16] = 3;
    CHECK(pwb_parse_ack(ack, 19, id, &st, &why) == PWB_MALFORMED, "unknown status accepted");
    ack[16] = 2, ack[17] = 8;
    CHECK(pwb_parse_ack(ack, 19, id, &st, &why) == PWB_OK && st == 2 && why == 8, "refused/password-too-long refused");
    CHECK(pwb_parse_ack(ack, 18, id, &st, &why) == PWB_MALFORMED, "short ACK accepted");

    /* Encoding refuses a frame over MAX_FRAME; a tagged type needs a key. */
    static uint8_t big[PWB_MAX_FRAME], out[PWB_MAX_FRAME];
    size_t n;
    static const uint8_t key[32];
    CHECK(pwb_frame_encode(out, sizeof out, &n, PWB_CHANGE, 1, big, PWB_MAX_FRAME - PWB_HEADER - PWB_TAG + 1, key) ==
              PWB_OVERSIZED,
          "oversized frame encoded");
    CHECK(pwb_frame_encode(out, sizeof out, &n, PWB_CHANGE, 1, big, PWB_MAX_FRAME - PWB_HEADER - PWB_TAG, key) == PWB_OK &&
              n == PWB_MAX_FRAME,
          "a frame of exactly MAX_FRAME refused");
    CHECK(pwb_frame_encode(out, sizeof out, &n, PWB_ACK, 1, big, 19, NULL) == PWB_NO_ROOM, "tagged frame without a key");

    /* Sealing refuses a bridge key that is not on the curve. */
    uint8_t bad_pub[65] = { 0x04 }, ev[16] = { 0 };
    pwb_sealed s;
    pwb_eph *eph = pwb_eph_new(NULL);
    CHECK(eph != NULL, "random ephemeral key");
    CHECK(pwb_seal(eph, bad_pub, ev, (const uint8_t *)"a", 1, 1, NULL, (const uint8_t *)"pw", 2, &s) == PWB_MALFORMED,
          "sealed to a point not on the curve");
    pwb_eph_free(eph);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: codec_test frames.json\n");
        return 2;
    }
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 2;
    }
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root) {
        fprintf(stderr, "%s: not JSON\n", argv[1]);
        return 2;
    }
    keys_t K;
    check_keys(cJSON_GetObjectItemCaseSensitive(root, "keys"), &K);
    const cJSON *fr;
    size_t frames = 0;
    cJSON_ArrayForEach(fr, cJSON_GetObjectItemCaseSensitive(root, "frames")) {
        uint8_t body[PWB_MAX_FRAME];
        size_t bn = 0;
        check_encode(fr, &K, body, &bn);
        check_decode(fr, &K);
        frames++;
    }
    CHECK(frames >= 10, "only %zu frame vectors", frames);
    check_refusals(cJSON_GetObjectItemCaseSensitive(root, "refusals"), &K);
    check_spool(root, &K);
    check_edges();
    cJSON_Delete(root);
    printf("%s: %d checks, %d failed (%zu frame vectors)\n", failures ? "FAIL" : "ok", checks, failures, frames);
    return failures ? 1 : 0;
}
