/* The capture's side of one connection (docs/protocol.md "Handshake and messages"), over any transport:
 * a Unix socket in the PAM module, a named pipe in the LSA filter. The transport owns deadlines and the
 * check of who serves the endpoint; this file owns the bytes and the keys. */
#ifndef PWB_CLIENT_H
#define PWB_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "pwb_wire.h"

/* Transport failure (timeout, closed, refused): distinct from the protocol's reason codes. */
#define PWB_IO (-3)

typedef struct {
    void *ctx;
    /* Write all n bytes, or fail (return non-zero) by the transport's deadline. */
    int (*write_all)(void *ctx, const uint8_t *p, size_t n);
    /* Read exactly n bytes, or fail (return non-zero) by the transport's deadline. */
    int (*read_exact)(void *ctx, uint8_t *p, size_t n);
} pwb_transport;

typedef struct {
    const pwb_transport *t;
    uint8_t k_c2b[32];
    uint8_t k_b2c[32];
    uint64_t seq_out; /* the last seq this side sent */
    uint64_t seq_in;  /* the last seq the bridge sent */
    uint32_t bridge_version;
} pwb_session;

/* CHALLENGE → HELLO → HELLO_ACK. `hello->nc` is filled with fresh random bytes here. On PWB_OK the
 * bridge has proven it knows the install secret. On anything else the session is wiped. */
int pwb_session_open(pwb_session *s, const pwb_transport *t, const uint8_t secret[PWB_SECRET], pwb_hello *hello);
/* Send one tagged frame (CHANGE or HEARTBEAT body) with the next seq. */
int pwb_session_send(pwb_session *s, uint8_t type, const uint8_t *body, size_t body_len);
/* Read the next ACK (tag, seq and body checked). */
int pwb_session_read_ack(pwb_session *s, uint8_t event_id[PWB_ID], uint8_t *status, uint16_t *reason);
/* Wipe the connection keys. */
void pwb_session_close(pwb_session *s);

#endif
