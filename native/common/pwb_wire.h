/* The capture protocol's bytes (docs/protocol.md, version 1): frame header, tags, message bodies, spool
 * records. No I/O, no allocation, no globals: the PAM module and the LSA filter (lsass.exe) both link it,
 * and every function is safe to call from any thread. Bounds are checked on every read and write. */
#ifndef PWB_WIRE_H
#define PWB_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define PWB_VERSION 1
#define PWB_MAX_FRAME 4096
#define PWB_HEADER 16
#define PWB_MIN_LEN (PWB_HEADER - 4)
#define PWB_TAG 32
#define PWB_NONCE 32
#define PWB_ID 16
#define PWB_SECRET 32
#define PWB_EPK 65
#define PWB_IV 12
#define PWB_GCM_TAG 16
#define PWB_MAX_PASSWORD 1024
#define PWB_MAX_NAME 256
#define PWB_MAX_U64 9007199254740991ULL /* 2^53 - 1: the TypeScript side holds u64 as numbers */

enum pwb_type { PWB_CHALLENGE = 1, PWB_HELLO = 2, PWB_HELLO_ACK = 3, PWB_CHANGE = 4, PWB_ACK = 5, PWB_HEARTBEAT = 6 };
enum pwb_kind { PWB_KIND_PAM = 1, PWB_KIND_LSA = 2, PWB_KIND_REFERENCE = 3, PWB_KIND_SELFTEST = 4 };
enum pwb_encoding { PWB_ENC_RAW = 1, PWB_ENC_UTF16LE = 2 };
enum pwb_ack_status { PWB_ACK_STORED = 0, PWB_ACK_DUPLICATE = 1, PWB_ACK_REFUSED = 2 };

/* Results. Positive values are the protocol's reason codes; PWB_OK and PWB_MORE are not refusals. */
enum pwb_result {
    PWB_OK = 0,
    PWB_OVERSIZED = 1,
    PWB_TRUNCATED = 2,
    PWB_MALFORMED = 3,
    PWB_BAD_VERSION = 4,
    PWB_BAD_TAG = 5,
    PWB_REPLAYED = 6,
    PWB_UNEXPECTED = 7,
    PWB_PASSWORD_TOO_LONG = 8,
    PWB_MORE = -1,    /* the buffer holds only part of a frame: read more */
    PWB_NO_ROOM = -2, /* an output buffer is too small (a caller bug, never the peer's) */
};
const char *pwb_result_name(int result);

/* A bounded writer: the first overflow sets `failed` and every later write is a no-op. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int failed;
} pwb_writer;
void pwb_w_init(pwb_writer *w, uint8_t *buf, size_t cap);
void pwb_w_u8(pwb_writer *w, uint8_t v);
void pwb_w_u16(pwb_writer *w, uint16_t v);
void pwb_w_u32(pwb_writer *w, uint32_t v);
void pwb_w_u64(pwb_writer *w, uint64_t v);
void pwb_w_bytes(pwb_writer *w, const void *p, size_t n);
/* A protocol string (u16 length + bytes); refuses (sets failed) what pwb_name_ok refuses. */
void pwb_w_name(pwb_writer *w, const uint8_t *s, size_t n);

/* A bounded reader: the first short read sets `failed`; reads after that return zeros. */
typedef struct {
    const uint8_t *p;
    size_t len;
    size_t pos;
    int failed;
} pwb_reader;
void pwb_r_init(pwb_reader *r, const uint8_t *p, size_t len);
uint8_t pwb_r_u8(pwb_reader *r);
uint16_t pwb_r_u16(pwb_reader *r);
uint32_t pwb_r_u32(pwb_reader *r);
uint64_t pwb_r_u64(pwb_reader *r);
const uint8_t *pwb_r_bytes(pwb_reader *r, size_t n);
/* A protocol string; NULL (and failed) unless it passes pwb_name_ok. */
const uint8_t *pwb_r_name(pwb_reader *r, size_t *n);
/* Was everything read exactly, with nothing left over? */
int pwb_r_done(const pwb_reader *r);

/* 1..PWB_MAX_NAME bytes of valid UTF-8 (no overlongs, no surrogates) and no NUL. */
int pwb_name_ok(const uint8_t *s, size_t n);
uint16_t pwb_le16(const uint8_t *p);
uint32_t pwb_le32(const uint8_t *p);
uint64_t pwb_le64(const uint8_t *p);

/* The HMAC the tags use: HMAC-SHA256(key, a ‖ b ‖ c); b and c may be NULL. Provided by the crypto
 * backend (pwb_crypto_openssl.c on Linux, BCrypt on Windows). */
void pwb_hmac3(const uint8_t *key, size_t key_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
               const uint8_t *c, size_t c_len, uint8_t out[32]);

/* Encode a frame: header, body, and (for every type but CHALLENGE) the tag made with `key`. */
int pwb_frame_encode(uint8_t *out, size_t cap, size_t *out_len, uint8_t type, uint64_t seq, const uint8_t *body,
                     size_t body_len, const uint8_t key[32]);

typedef struct {
    uint8_t type;
    uint64_t seq;
    const uint8_t *body; /* points into the input buffer */
    size_t body_len;
} pwb_frame;

/* Decode the frame at the start of buf[0..len). Checks, in the protocol's order: length, version, type,
 * flags, then the tag (with `key`; CHALLENGE has none). Returns PWB_OK (*consumed = frame size),
 * PWB_MORE (*consumed = bytes needed in all), or a reason. The body's fields are the caller's to parse. */
int pwb_frame_decode(const uint8_t *buf, size_t len, const uint8_t key[32], pwb_frame *out, size_t *consumed);

/* The per-connection keys from the install secret and both nonces. */
void pwb_derive_keys(const uint8_t secret[PWB_SECRET], const uint8_t nb[PWB_NONCE], const uint8_t nc[PWB_NONCE],
                     uint8_t k_hello[32], uint8_t k_c2b[32], uint8_t k_b2c[32]);
/* A sub-key of the install secret: HMAC(S, "pwbridge/1/" ‖ label), e.g. label "spool". */
void pwb_derive_label(const uint8_t secret[PWB_SECRET], const char *label, uint8_t out[32]);

typedef struct {
    uint8_t kind;
    uint32_t capture_version;
    uint8_t boot_id[16];
    uint8_t session_id[16];
    uint8_t nc[PWB_NONCE];
    const uint8_t *machine;
    size_t machine_len;
} pwb_hello;

/* The sealed password as it goes on the wire (epk ‖ iv ‖ ct_len ‖ ct ‖ gcm_tag). */
typedef struct {
    uint8_t epk[PWB_EPK];
    uint8_t iv[PWB_IV];
    uint16_t ct_len;
    uint8_t ct[PWB_MAX_PASSWORD * 2]; /* room for a too-long password: the bridge answers it with a refusal */
    uint8_t gcm_tag[PWB_GCM_TAG];
} pwb_sealed;

typedef struct {
    uint8_t event_id[PWB_ID];
    uint64_t captured_at;
    uint32_t account_id;
    const uint8_t *account;
    size_t account_len;
    uint8_t encoding;
    const pwb_sealed *sealed;
} pwb_change;

int pwb_hello_body(pwb_writer *w, const pwb_hello *h);
int pwb_change_body(pwb_writer *w, const pwb_change *c);
int pwb_heartbeat_body(pwb_writer *w, uint32_t queued, uint32_t spooled, uint32_t dropped);

int pwb_parse_challenge(const uint8_t *body, size_t len, uint8_t nb[PWB_NONCE]);
int pwb_parse_hello_ack(const uint8_t *body, size_t len, uint32_t *bridge_version);
int pwb_parse_ack(const uint8_t *body, size_t len, uint8_t event_id[PWB_ID], uint8_t *status, uint16_t *reason);

/* A spool record (docs/protocol.md "Spool"): header, machine, CHANGE body, tag with K_spool. */
int pwb_spool_record(uint8_t *out, size_t cap, size_t *out_len, uint8_t kind, const uint8_t *machine,
                     size_t machine_len, const uint8_t *change_body, size_t body_len, const uint8_t k_spool[32]);

#endif
