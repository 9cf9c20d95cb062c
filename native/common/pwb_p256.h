/* P-256 arithmetic for the three jobs Windows CNG cannot do everywhere (pwb_crypto_bcrypt.c):
 * - the public point of a given private scalar (CNG has no call for it; the shared vectors need it, and
 *   the filter makes its ephemeral key this way so one path serves both);
 * - checking that bridge.pub is a point on the curve (Wine's CNG imports any 64 bytes);
 * - ECDH where BCryptSecretAgreement/BCryptDeriveKey are not implemented (Wine 8 stubs them; Windows
 *   has them and the backend uses them there).
 * Constant time in the scalar: complete addition formulas (Renes, Costello, Batina 2016, algorithm 4 for
 * a = -3), one double and one add per bit, the result chosen with a mask; Montgomery field arithmetic
 * with no branch on secret data. Not fast (about a millisecond per multiplication): used once per
 * ephemeral key and once per session key, never per password. */
#ifndef PWB_P256_H
#define PWB_P256_H

#include <stdint.h>

/* 1 when pub (65 bytes, 04 || X || Y) is an uncompressed point on P-256 with X, Y < p. */
int pwb_p256_point_ok(const uint8_t pub[65]);
/* 1 when the 32-byte big-endian scalar is in [1, n-1]. */
int pwb_p256_scalar_ok(const uint8_t scalar[32]);
/* out = scalar * G, uncompressed (65 bytes). 0 on success, -1 when the scalar is out of range. */
int pwb_p256_public(const uint8_t scalar[32], uint8_t out[65]);
/* x = the X coordinate of scalar * peer (the ECDH shared secret z). 0, or -1 when the peer is not a
 * point on the curve or the scalar is out of range. */
int pwb_p256_ecdh(const uint8_t scalar[32], const uint8_t peer[65], uint8_t x[32]);

#endif
