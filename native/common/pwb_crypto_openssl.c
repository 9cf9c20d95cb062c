/* pwb_crypto.h on OpenSSL 3 (libcrypto). Used by the PAM module and the native tests. */
/* HMAC_CTX is deprecated in OpenSSL 3 in favour of EVP_MAC, which fetches the algorithm on every use;
 * for a few short HMACs per password change the old API is simpler and faster. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "pwb_crypto.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

struct pwb_eph {
    EVP_PKEY *key;
    uint8_t pub[PWB_EPK];
};

void pwb_wipe(void *p, size_t n)
{
    if (p && n) OPENSSL_cleanse(p, n);
}

int pwb_ct_equal(const uint8_t *a, const uint8_t *b, size_t n) { return CRYPTO_memcmp(a, b, n) == 0; }

int pwb_random(uint8_t *out, size_t n) { return RAND_bytes(out, (int)n) == 1 ? 0 : -1; }

void pwb_hmac3(const uint8_t *key, size_t key_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
               const uint8_t *c, size_t c_len, uint8_t out[32])
{
    /* HMAC-SHA256 through the one-shot-per-part API; EVP_MAC would add a fetch per call for nothing. */
    unsigned int n = 32;
    HMAC_CTX *ctx = HMAC_CTX_new();
    int ok = ctx && HMAC_Init_ex(ctx, key, (int)key_len, EVP_sha256(), NULL) && HMAC_Update(ctx, a, a_len) &&
             (!b || HMAC_Update(ctx, b, b_len)) && (!c || HMAC_Update(ctx, c, c_len)) && HMAC_Final(ctx, out, &n);
    HMAC_CTX_free(ctx); /* clears the key schedule */
    /* A tag that could not be computed must never verify: fill with a value no peer can predict. */
    if (!ok && RAND_bytes(out, 32) != 1) memset(out, 0xA5, 32);
}

static int public_bytes(EVP_PKEY *key, uint8_t out[PWB_EPK])
{
    size_t n = 0;
    if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out, PWB_EPK, &n)) return -1;
    return n == PWB_EPK && out[0] == 0x04 ? 0 : -1;
}

/* A P-256 key from a known private scalar: derive the public point, then build the key from both. */
static EVP_PKEY *key_from_scalar(const uint8_t scalar[32])
{
    EVP_PKEY *key = NULL;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BIGNUM *priv = BN_secure_new();
    EC_POINT *pub = group ? EC_POINT_new(group) : NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    uint8_t pub_bytes[PWB_EPK];
    if (!group || !priv || !pub || !bld || !ctx) goto done;
    if (!BN_bin2bn(scalar, 32, priv) || !EC_POINT_mul(group, pub, priv, NULL, NULL, NULL)) goto done;
    if (EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, pub_bytes, sizeof pub_bytes, NULL) != PWB_EPK)
        goto done;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_bytes, sizeof pub_bytes))
        goto done;
    params = OSSL_PARAM_BLD_to_param(bld);
    if (!params || EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
        key = NULL;
done:
    OSSL_PARAM_free(params); /* the private BN copy in params is freed with it (clear: secure heap) */
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    EC_POINT_free(pub);
    BN_clear_free(priv);
    EC_GROUP_free(group);
    return key;
}

pwb_eph *pwb_eph_new(const uint8_t *private_scalar)
{
    pwb_eph *eph = OPENSSL_zalloc(sizeof *eph);
    if (!eph) return NULL;
    eph->key = private_scalar ? key_from_scalar(private_scalar) : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (!eph->key || public_bytes(eph->key, eph->pub) != 0) {
        pwb_eph_free(eph);
        return NULL;
    }
    return eph;
}

void pwb_eph_free(pwb_eph *eph)
{
    if (!eph) return;
    EVP_PKEY_free(eph->key); /* EC private keys are freed with BN_clear_free */
    OPENSSL_clear_free(eph, sizeof *eph);
}

const uint8_t *pwb_eph_public(const pwb_eph *eph) { return eph->pub; }

/* The bridge's public key as an EVP_PKEY; decoding the point checks that it is on the curve. */
static EVP_PKEY *peer_key(const uint8_t pub[PWB_EPK])
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, PWB_EPK),
        OSSL_PARAM_construct_end(),
    };
    if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        key = NULL;
    EVP_PKEY_CTX_free(ctx);
    return key;
}

static int ecdh(const pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], uint8_t z[32])
{
    int rc = -1;
    size_t n = 32;
    EVP_PKEY *peer = peer_key(bridge_pub);
    EVP_PKEY_CTX *ctx = peer ? EVP_PKEY_CTX_new_from_pkey(NULL, eph->key, NULL) : NULL;
    if (ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, peer) > 0 &&
        EVP_PKEY_derive(ctx, z, &n) > 0 && n == 32)
        rc = 0;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
    return rc;
}

int pwb_seal(pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], const uint8_t event_id[PWB_ID],
             const uint8_t *account, size_t account_len, uint8_t encoding, const uint8_t *iv, const uint8_t *password,
             size_t password_len, pwb_sealed *out)
{
    static const char salt[] = "pwbridge/1/seal";
    static const uint8_t one = 1;
    uint8_t z[32], prk[32], k[32];
    int rc = PWB_MALFORMED, n = 0, fin = 0;
    EVP_CIPHER_CTX *ctx = NULL;

    if (password_len > sizeof out->ct) return PWB_PASSWORD_TOO_LONG;
    if (ecdh(eph, bridge_pub, z) != 0) goto done;
    pwb_hmac3((const uint8_t *)salt, sizeof salt - 1, z, sizeof z, NULL, 0, NULL, 0, prk); /* HKDF-Extract */
    pwb_hmac3(prk, sizeof prk, event_id, PWB_ID, &one, 1, NULL, 0, k);                      /* HKDF-Expand, 1 block */

    memcpy(out->epk, eph->pub, PWB_EPK);
    if (iv) memcpy(out->iv, iv, PWB_IV);
    else if (pwb_random(out->iv, PWB_IV) != 0) goto done;

    ctx = EVP_CIPHER_CTX_new();
    if (!ctx || !EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k, out->iv)) goto done;
    if (!EVP_EncryptUpdate(ctx, NULL, &n, event_id, PWB_ID) || !EVP_EncryptUpdate(ctx, NULL, &n, account, (int)account_len) ||
        !EVP_EncryptUpdate(ctx, NULL, &n, &encoding, 1))
        goto done;
    n = 0;
    /* An empty password is a valid change; EVP_EncryptUpdate with no input is skipped. */
    if (password_len && !EVP_EncryptUpdate(ctx, out->ct, &n, password, (int)password_len)) goto done;
    if (!EVP_EncryptFinal_ex(ctx, out->ct + n, &fin)) goto done;
    if ((size_t)(n + fin) != password_len) goto done;
    if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, PWB_GCM_TAG, out->gcm_tag)) goto done;
    out->ct_len = (uint16_t)password_len;
    rc = PWB_OK;
done:
    EVP_CIPHER_CTX_free(ctx); /* clears the key schedule */
    pwb_wipe(z, sizeof z);
    pwb_wipe(prk, sizeof prk);
    pwb_wipe(k, sizeof k);
    return rc;
}
