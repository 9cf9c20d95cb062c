/* The capture's side of one connection. See pwb_client.h. */
#include "pwb_client.h"

#include <string.h>

#include "pwb_crypto.h"

/* Read one whole frame into buf (PWB_MAX_FRAME bytes) and decode it with `key`. The length is checked
 * before the rest is read, so a hostile server cannot make us read more than one frame's worth. */
static int read_frame(const pwb_transport *t, uint8_t *buf, const uint8_t *key, pwb_frame *f)
{
    size_t need = 0;
    if (t->read_exact(t->ctx, buf, 4) != 0) return PWB_IO;
    int rc = pwb_frame_decode(buf, 4, key, f, &need);
    if (rc != PWB_MORE) return rc == PWB_OK ? PWB_MALFORMED : rc;
    if (t->read_exact(t->ctx, buf + 4, need - 4) != 0) return PWB_IO;
    return pwb_frame_decode(buf, need, key, f, &need);
}

static int expect(pwb_session *s, const pwb_frame *f, uint8_t type)
{
    if (f->type != type) return PWB_UNEXPECTED;
    if (f->seq != s->seq_in + 1) return PWB_REPLAYED;
    s->seq_in = f->seq;
    return PWB_OK;
}

int pwb_session_open(pwb_session *s, const pwb_transport *t, const uint8_t secret[PWB_SECRET], pwb_hello *hello)
{
    uint8_t buf[PWB_MAX_FRAME], body[PWB_MAX_FRAME], nb[PWB_NONCE], k_hello[32];
    pwb_frame f;
    size_t n = 0;
    int rc;

    memset(s, 0, sizeof *s);
    s->t = t;
    /* CHALLENGE: untagged; a tagged type here would need a key we do not have yet. */
    rc = read_frame(t, buf, NULL, &f);
    if (rc == PWB_OK) rc = expect(s, &f, PWB_CHALLENGE);
    if (rc == PWB_OK) rc = pwb_parse_challenge(f.body, f.body_len, nb);
    if (rc != PWB_OK) goto fail;

    if (pwb_random(hello->nc, PWB_NONCE) != 0) {
        rc = PWB_IO;
        goto fail;
    }
    pwb_derive_keys(secret, nb, hello->nc, k_hello, s->k_c2b, s->k_b2c);

    pwb_writer w;
    pwb_w_init(&w, body, sizeof body);
    rc = pwb_hello_body(&w, hello);
    if (rc == PWB_OK) rc = pwb_frame_encode(buf, sizeof buf, &n, PWB_HELLO, ++s->seq_out, body, w.len, k_hello);
    if (rc != PWB_OK) goto fail;
    if (t->write_all(t->ctx, buf, n) != 0) {
        rc = PWB_IO;
        goto fail;
    }

    /* HELLO_ACK tagged with K_b2c: only a peer that knows S could make it. */
    rc = read_frame(t, buf, s->k_b2c, &f);
    if (rc == PWB_OK) rc = expect(s, &f, PWB_HELLO_ACK);
    if (rc == PWB_OK) rc = pwb_parse_hello_ack(f.body, f.body_len, &s->bridge_version);
    if (rc != PWB_OK) goto fail;
    pwb_wipe(k_hello, sizeof k_hello);
    return PWB_OK;
fail:
    pwb_wipe(k_hello, sizeof k_hello);
    pwb_session_close(s);
    return rc;
}

int pwb_session_send(pwb_session *s, uint8_t type, const uint8_t *body, size_t body_len)
{
    uint8_t buf[PWB_MAX_FRAME];
    size_t n = 0;
    int rc = pwb_frame_encode(buf, sizeof buf, &n, type, s->seq_out + 1, body, body_len, s->k_c2b);
    if (rc != PWB_OK) return rc;
    if (s->t->write_all(s->t->ctx, buf, n) != 0) return PWB_IO;
    s->seq_out++;
    return PWB_OK;
}

int pwb_session_read_ack(pwb_session *s, uint8_t event_id[PWB_ID], uint8_t *status, uint16_t *reason)
{
    uint8_t buf[PWB_MAX_FRAME];
    pwb_frame f;
    int rc = read_frame(s->t, buf, s->k_b2c, &f);
    if (rc == PWB_OK) rc = expect(s, &f, PWB_ACK);
    if (rc == PWB_OK) rc = pwb_parse_ack(f.body, f.body_len, event_id, status, reason);
    return rc;
}

void pwb_session_close(pwb_session *s)
{
    pwb_wipe(s->k_c2b, sizeof s->k_c2b);
    pwb_wipe(s->k_b2c, sizeof s->k_b2c);
}
