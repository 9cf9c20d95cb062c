/* pwb_crypto.h on Nettle (libnettle, libhogweed with GMP), for the PAM module and the native tests.
 *
 * Why not OpenSSL 3 any more: a PAM password module runs in a new process for almost every change
 * (`passwd`, `chpasswd`), and OpenSSL 3's first call in a process loads its configuration and providers and
 * seeds its DRBG: 4 to 18 ms measured here, nearly all of the module's cost per `passwd`. Nettle has no
 * global state to initialise; the same first change costs about 0.6 ms (P-256 key generation, ECDH,
 * HKDF-SHA256, AES-256-GCM). Nettle is on every Debian through GnuTLS.
 * - Random: getrandom(2), the kernel's CSPRNG (blocks only before the pool is first seeded at boot).
 * - P-256: hogweed's secp256r1, whose scalar multiplications are side-channel silent (no branch or
 *   memory access depends on the scalar). ecc_point_set checks the bridge key is a point on the curve.
 * - HMAC-SHA256 and AES-256-GCM: Nettle's.
 * Secrets held in GMP integers or Nettle contexts (the private scalar, the shared X, the HKDF keys) are
 * wiped before they are freed: GMP itself never clears what it frees. */
/* explicit_bzero, getrandom: glibc declares them outside strict C11. */
#define _DEFAULT_SOURCE
#include "pwb_crypto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

struct pwb_eph {
    struct ecc_scalar d;
    uint8_t pub[PWB_EPK];
};

static const char SEAL_SALT[] = "pwbridge/1/seal";

void pwb_wipe(void *p, size_t n)
{
    if (p && n) explicit_bzero(p, n);
}

int pwb_ct_equal(const uint8_t *a, const uint8_t *b, size_t n) { return memeql_sec(a, b, n); }

int pwb_random(uint8_t *out, size_t n)
{
    while (n > 0) {
        ssize_t got = getrandom(out, n, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        out += got;
        n -= (size_t)got;
    }
    return 0;
}

void pwb_hmac3(const uint8_t *key, size_t key_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
               const uint8_t *c, size_t c_len, uint8_t out[32])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, key_len, key);
    hmac_sha256_update(&ctx, a_len, a);
    if (b) hmac_sha256_update(&ctx, b_len, b);
    if (c) hmac_sha256_update(&ctx, c_len, c);
    hmac_sha256_digest(&ctx, 32, out);
    pwb_wipe(&ctx, sizeof ctx); /* holds the key's inner and outer pads */
}

/* Zero a GMP integer's limbs, then free it (mpz_clear does not clear). */
static void mpz_wipe_clear(mpz_t z)
{
    size_t n = mpz_size(z);
    if (n) pwb_wipe(mpz_limbs_modify(z, (mp_size_t)n), n * sizeof(mp_limb_t));
    mpz_clear(z);
}

/* Zero a Nettle scalar's or point's limbs before ecc_*_clear frees them. */
static void wipe_limbs(mp_limb_t *p, mp_size_t n) { pwb_wipe(p, (size_t)n * sizeof(mp_limb_t)); }

/* Random bytes for ecc_scalar_random, which has no way to fail: a failure is noted and checked after. */
struct rng {
    int failed;
};
static void rng_fill(void *ctx, size_t n, uint8_t *dst)
{
    if (pwb_random(dst, n) != 0) {
        ((struct rng *)ctx)->failed = 1;
        memset(dst, 0, n);
    }
}

/* 04 || X || Y of a point (X, Y fixed-width big-endian). */
static void point_bytes(const struct ecc_point *p, uint8_t out[PWB_EPK])
{
    mpz_t x, y;
    mpz_init(x);
    mpz_init(y);
    ecc_point_get(p, x, y);
    out[0] = 0x04;
    nettle_mpz_get_str_256(32, out + 1, x);
    nettle_mpz_get_str_256(32, out + 33, y);
    mpz_clear(x);
    mpz_clear(y);
}

pwb_eph *pwb_eph_new(const uint8_t *private_scalar)
{
    const struct ecc_curve *curve = nettle_get_secp_256r1();
    pwb_eph *eph = calloc(1, sizeof *eph);
    struct ecc_point q;
    int ok;
    if (!eph) return NULL;
    ecc_scalar_init(&eph->d, curve);
    if (private_scalar) {
        mpz_t z;
        mpz_init(z);
        nettle_mpz_set_str_256_u(z, 32, private_scalar);
        ok = ecc_scalar_set(&eph->d, z); /* 0 unless 0 < z < n */
        mpz_wipe_clear(z);
    } else {
        struct rng rng = { 0 };
        ecc_scalar_random(&eph->d, &rng, rng_fill);
        ok = !rng.failed;
    }
    if (!ok) {
        pwb_eph_free(eph);
        return NULL;
    }
    ecc_point_init(&q, curve);
    ecc_point_mul_g(&q, &eph->d);
    point_bytes(&q, eph->pub);
    ecc_point_clear(&q);
    return eph;
}

void pwb_eph_free(pwb_eph *eph)
{
    if (!eph) return;
    wipe_limbs(eph->d.p, ecc_size(eph->d.ecc));
    ecc_scalar_clear(&eph->d);
    pwb_wipe(eph, sizeof *eph);
    free(eph);
}

const uint8_t *pwb_eph_public(const pwb_eph *eph) { return eph->pub; }

/* z = X(d * bridge_pub). -1 when bridge_pub is not an uncompressed point on the curve. */
static int ecdh(const pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], uint8_t z[32])
{
    const struct ecc_curve *curve = eph->d.ecc;
    struct ecc_point peer, shared;
    mpz_t x, y;
    int rc = -1;
    if (bridge_pub[0] != 0x04) return -1;
    mpz_init(x);
    mpz_init(y);
    ecc_point_init(&peer, curve);
    ecc_point_init(&shared, curve);
    nettle_mpz_set_str_256_u(x, 32, bridge_pub + 1);
    nettle_mpz_set_str_256_u(y, 32, bridge_pub + 33);
    if (ecc_point_set(&peer, x, y)) { /* 1 only for a point on P-256 with coordinates below p */
        ecc_point_mul(&shared, &eph->d, &peer);
        ecc_point_get(&shared, x, y);
        nettle_mpz_get_str_256(32, z, x);
        rc = 0;
    }
    wipe_limbs(shared.p, 2 * ecc_size(curve));
    ecc_point_clear(&shared);
    ecc_point_clear(&peer);
    mpz_wipe_clear(x);
    mpz_wipe_clear(y);
    return rc;
}

int pwb_seal(pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], const uint8_t event_id[PWB_ID],
             const uint8_t *account, size_t account_len, uint8_t encoding, const uint8_t *iv, const uint8_t *password,
             size_t password_len, pwb_sealed *out)
{
    static const uint8_t one = 1;
    uint8_t z[32], prk[32], k[32];
    struct gcm_aes256_ctx gcm;
    int rc = PWB_MALFORMED;

    if (password_len > sizeof out->ct) return PWB_PASSWORD_TOO_LONG;
    if (ecdh(eph, bridge_pub, z) != 0) goto done;
    pwb_hmac3((const uint8_t *)SEAL_SALT, sizeof SEAL_SALT - 1, z, sizeof z, NULL, 0, NULL, 0, prk); /* HKDF-Extract */
    pwb_hmac3(prk, sizeof prk, event_id, PWB_ID, &one, 1, NULL, 0, k);                                /* HKDF-Expand, 1 block */

    memcpy(out->epk, eph->pub, PWB_EPK);
    if (iv) memcpy(out->iv, iv, PWB_IV);
    else if (pwb_random(out->iv, PWB_IV) != 0) goto done;

    gcm_aes256_set_key(&gcm, k);
    gcm_aes256_set_iv(&gcm, PWB_IV, out->iv);
    /* The AAD in one call: Nettle's GCM takes AAD in blocks of 16 bytes except for the last update. */
    {
        uint8_t aad[PWB_ID + PWB_MAX_NAME + 1];
        size_t aad_len = PWB_ID + account_len + 1;
        if (account_len > PWB_MAX_NAME) goto done_gcm;
        memcpy(aad, event_id, PWB_ID);
        memcpy(aad + PWB_ID, account, account_len);
        aad[PWB_ID + account_len] = encoding;
        gcm_aes256_update(&gcm, aad_len, aad);
    }
    if (password_len) gcm_aes256_encrypt(&gcm, password_len, out->ct, password);
    gcm_aes256_digest(&gcm, PWB_GCM_TAG, out->gcm_tag);
    out->ct_len = (uint16_t)password_len;
    rc = PWB_OK;
done_gcm:
    pwb_wipe(&gcm, sizeof gcm); /* the AES key schedule */
done:
    pwb_wipe(z, sizeof z);
    pwb_wipe(prk, sizeof prk);
    pwb_wipe(k, sizeof k);
    return rc;
}
