/* The crypto the capture needs, behind one small interface so each platform brings its own library:
 * pwb_crypto_openssl.c (Linux, libcrypto) and, for the LSA filter, BCrypt (Windows CNG). */
#ifndef PWB_CRYPTO_H
#define PWB_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "pwb_wire.h"

/* Zero memory in a way the compiler may not drop. */
void pwb_wipe(void *p, size_t n);
/* Constant-time comparison: 1 when equal. */
int pwb_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);
/* Fill with random bytes from the OS's CSPRNG; 0 on success. */
int pwb_random(uint8_t *out, size_t n);

/* A capture's ephemeral P-256 key pair (docs/protocol.md "Sealing"). One per capture session. */
typedef struct pwb_eph pwb_eph;
/* A fresh key pair, or (tests, vectors) the one with the given 32-byte private scalar. NULL on failure. */
pwb_eph *pwb_eph_new(const uint8_t *private_scalar);
/* Wipes the private key and frees. NULL is fine. */
void pwb_eph_free(pwb_eph *eph);
/* The 65-byte uncompressed public point. */
const uint8_t *pwb_eph_public(const pwb_eph *eph);

/* Seal `password` to the bridge's public key: ECDH → HKDF-SHA256 (salt "pwbridge/1/seal", info = event
 * id) → AES-256-GCM with AAD event_id ‖ account ‖ encoding. `iv` NULL means a random one. Returns PWB_OK,
 * PWB_PASSWORD_TOO_LONG (more than fits in pwb_sealed), or PWB_MALFORMED (bridge_pub is not a point on the
 * curve, or the library failed). Every intermediate secret is wiped before it returns. `eph` is not const:
 * a backend may cache in it what it derived for this bridge key (the CNG one keeps the HKDF PRK, so one
 * ECDH per eph and bridge key), so one eph is used by one thread at a time. */
int pwb_seal(pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], const uint8_t event_id[PWB_ID],
             const uint8_t *account, size_t account_len, uint8_t encoding, const uint8_t *iv, const uint8_t *password,
             size_t password_len, pwb_sealed *out);

#endif
