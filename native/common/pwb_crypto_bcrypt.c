/* pwb_crypto.h on Windows CNG (bcrypt.dll), for the LSA filter and its Windows tests.
 * - HMAC-SHA256: BCRYPT_SHA256_ALGORITHM opened with BCRYPT_ALG_HANDLE_HMAC_FLAG.
 * - AES-256-GCM: BCRYPT_AES_ALGORITHM with BCRYPT_CHAIN_MODE_GCM.
 * - Random: BCryptGenRandom with the system-preferred RNG.
 * - ECDH P-256: BCRYPT_ECDH_P256_ALGORITHM; BCryptDeriveKey(BCRYPT_KDF_HMAC) does HKDF-Extract inside
 *   CNG, so the shared secret z never reaches this process's memory. Where CNG has no secret agreement
 *   (Wine 8 stubs BCryptSecretAgreement and BCryptDeriveKey), pwb_p256.c computes z instead. Either way the
 *   bridge key is first checked to be a point on the curve (Wine's CNG imports any 64 bytes).
 * The ephemeral key's public point is computed by pwb_p256.c from its private scalar: CNG cannot make the
 * point of a given scalar, which the shared vectors need, and one way of making keys serves both uses.
 * No CRT call: the filter DLL is built without a C runtime. Algorithm handles are opened once, on first
 * use (never from DllMain), and kept for the life of the process. */
#include <windows.h>
#include <bcrypt.h>

#include "pwb_crypto.h"
#include "pwb_p256.h"

#ifndef BCRYPT_SUCCESS
#define BCRYPT_SUCCESS(s) (((NTSTATUS)(s)) >= 0)
#endif

struct pwb_eph {
    uint8_t d[32];
    uint8_t pub[PWB_EPK];
    /* HKDF-Extract(salt, ECDH(d, bridge key)) for the bridge key in prk_for: one ECDH per ephemeral key
     * and bridge key, as docs/protocol.md allows. An eph is used by one thread at a time. */
    int have_prk;
    uint8_t prk_for[PWB_EPK];
    uint8_t prk[32];
};

static const char SEAL_SALT[] = "pwbridge/1/seal";

static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static BCRYPT_ALG_HANDLE g_hmac, g_aes, g_ecdh;
static volatile LONG g_cng_ecdh_broken; /* set once CNG's secret agreement failed (Wine) */

static BOOL CALLBACK open_algorithms(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once, (void)param, (void)ctx;
    if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&g_hmac, BCRYPT_SHA256_ALGORITHM, NULL, BCRYPT_ALG_HANDLE_HMAC_FLAG)))
        g_hmac = NULL;
    if (BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&g_aes, BCRYPT_AES_ALGORITHM, NULL, 0))) {
        if (!BCRYPT_SUCCESS(BCryptSetProperty(g_aes, BCRYPT_CHAINING_MODE, (PUCHAR)BCRYPT_CHAIN_MODE_GCM,
                                              sizeof(BCRYPT_CHAIN_MODE_GCM), 0))) {
            BCryptCloseAlgorithmProvider(g_aes, 0);
            g_aes = NULL;
        }
    } else {
        g_aes = NULL;
    }
    if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&g_ecdh, BCRYPT_ECDH_P256_ALGORITHM, NULL, 0))) g_ecdh = NULL;
    return TRUE;
}

static void algorithms(void) { InitOnceExecuteOnce(&g_once, open_algorithms, NULL, NULL); }

void pwb_wipe(void *p, size_t n)
{
    if (p && n) SecureZeroMemory(p, n);
}

int pwb_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    volatile uint8_t d = 0;
    for (size_t i = 0; i < n; i++) d = (uint8_t)(d | (a[i] ^ b[i]));
    return d == 0;
}

int pwb_random(uint8_t *out, size_t n)
{
    if (n > 0xFFFFFFFFu) return -1;
    return BCRYPT_SUCCESS(BCryptGenRandom(NULL, out, (ULONG)n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)) ? 0 : -1;
}

static int hash_part(BCRYPT_HASH_HANDLE h, const uint8_t *p, size_t n)
{
    if (!p || n == 0) return 1;
    return n <= 0xFFFFFFFFu && BCRYPT_SUCCESS(BCryptHashData(h, (PUCHAR)p, (ULONG)n, 0));
}

void pwb_hmac3(const uint8_t *key, size_t key_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
               const uint8_t *c, size_t c_len, uint8_t out[32])
{
    BCRYPT_HASH_HANDLE h = NULL;
    algorithms();
    int ok = g_hmac && key_len <= 0xFFFFFFFFu &&
             BCRYPT_SUCCESS(BCryptCreateHash(g_hmac, &h, NULL, 0, (PUCHAR)key, (ULONG)key_len, 0)) &&
             hash_part(h, a, a_len) && hash_part(h, b, b_len) && hash_part(h, c, c_len) &&
             BCRYPT_SUCCESS(BCryptFinishHash(h, out, 32, 0));
    if (h) BCryptDestroyHash(h); /* CNG wipes the key schedule it made */
    /* A tag that could not be computed must never verify: fill with a value no peer can predict. */
    if (!ok && pwb_random(out, 32) != 0)
        for (int i = 0; i < 32; i++) out[i] = 0xA5;
}

pwb_eph *pwb_eph_new(const uint8_t *private_scalar)
{
    pwb_eph *eph = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *eph);
    if (!eph) return NULL;
    if (private_scalar) {
        for (int i = 0; i < 32; i++) eph->d[i] = private_scalar[i];
    } else {
        /* Rejection sampling: a random 256-bit value is at or above n about once in 2^32 draws. */
        for (int tries = 0; tries < 16; tries++) {
            if (pwb_random(eph->d, sizeof eph->d) != 0) break;
            if (pwb_p256_scalar_ok(eph->d)) break;
        }
    }
    if (pwb_p256_public(eph->d, eph->pub) != 0) {
        pwb_eph_free(eph);
        return NULL;
    }
    return eph;
}

void pwb_eph_free(pwb_eph *eph)
{
    if (!eph) return;
    pwb_wipe(eph, sizeof *eph);
    HeapFree(GetProcessHeap(), 0, eph);
}

const uint8_t *pwb_eph_public(const pwb_eph *eph) { return eph->pub; }

/* HKDF-Extract inside CNG: HMAC(salt, z) through BCRYPT_KDF_HMAC. 0, or -1 when CNG cannot. */
static int cng_prk(const pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], uint8_t prk[32])
{
    uint8_t priv[sizeof(BCRYPT_ECCKEY_BLOB) + 96], pub[sizeof(BCRYPT_ECCKEY_BLOB) + 64];
    BCRYPT_KEY_HANDLE mine = NULL, theirs = NULL;
    BCRYPT_SECRET_HANDLE secret = NULL;
    ULONG n = 0;
    int rc = -1;
    BCRYPT_ECCKEY_BLOB *hp = (BCRYPT_ECCKEY_BLOB *)priv, *hq = (BCRYPT_ECCKEY_BLOB *)pub;

    if (!g_ecdh || g_cng_ecdh_broken) return -1;
    hp->dwMagic = BCRYPT_ECDH_PRIVATE_P256_MAGIC;
    hp->cbKey = 32;
    for (int i = 0; i < 64; i++) priv[sizeof *hp + i] = eph->pub[1 + i];
    for (int i = 0; i < 32; i++) priv[sizeof *hp + 64 + i] = eph->d[i];
    hq->dwMagic = BCRYPT_ECDH_PUBLIC_P256_MAGIC;
    hq->cbKey = 32;
    for (int i = 0; i < 64; i++) pub[sizeof *hq + i] = bridge_pub[1 + i];

    BCryptBuffer params[2] = {
        { sizeof(BCRYPT_SHA256_ALGORITHM), KDF_HASH_ALGORITHM, (PVOID)BCRYPT_SHA256_ALGORITHM },
        { sizeof SEAL_SALT - 1, KDF_HMAC_KEY, (PVOID)SEAL_SALT },
    };
    BCryptBufferDesc desc = { BCRYPTBUFFER_VERSION, 2, params };
    if (BCRYPT_SUCCESS(BCryptImportKeyPair(g_ecdh, NULL, BCRYPT_ECCPRIVATE_BLOB, &mine, priv, sizeof priv, 0)) &&
        BCRYPT_SUCCESS(BCryptImportKeyPair(g_ecdh, NULL, BCRYPT_ECCPUBLIC_BLOB, &theirs, pub, sizeof pub, 0)) &&
        BCRYPT_SUCCESS(BCryptSecretAgreement(mine, theirs, &secret, 0)) &&
        BCRYPT_SUCCESS(BCryptDeriveKey(secret, BCRYPT_KDF_HMAC, &desc, prk, 32, &n, 0)) && n == 32)
        rc = 0;
    if (secret) BCryptDestroySecret(secret);
    if (theirs) BCryptDestroyKey(theirs);
    if (mine) BCryptDestroyKey(mine);
    pwb_wipe(priv, sizeof priv);
    if (rc != 0) {
        pwb_wipe(prk, 32);
        InterlockedExchange(&g_cng_ecdh_broken, 1);
    }
    return rc;
}

static int seal_prk(pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], uint8_t prk[32])
{
    if (eph->have_prk && pwb_ct_equal(eph->prk_for, bridge_pub, PWB_EPK)) {
        for (int i = 0; i < 32; i++) prk[i] = eph->prk[i];
        return 0;
    }
    if (!pwb_p256_point_ok(bridge_pub)) return -1;
    if (cng_prk(eph, bridge_pub, prk) != 0) {
        uint8_t z[32];
        if (pwb_p256_ecdh(eph->d, bridge_pub, z) != 0) return -1;
        pwb_hmac3((const uint8_t *)SEAL_SALT, sizeof SEAL_SALT - 1, z, sizeof z, NULL, 0, NULL, 0, prk);
        pwb_wipe(z, sizeof z);
    }
    for (int i = 0; i < PWB_EPK; i++) eph->prk_for[i] = bridge_pub[i];
    for (int i = 0; i < 32; i++) eph->prk[i] = prk[i];
    eph->have_prk = 1;
    return 0;
}

int pwb_seal(pwb_eph *eph, const uint8_t bridge_pub[PWB_EPK], const uint8_t event_id[PWB_ID],
             const uint8_t *account, size_t account_len, uint8_t encoding, const uint8_t *iv, const uint8_t *password,
             size_t password_len, pwb_sealed *out)
{
    static const uint8_t one = 1;
    uint8_t prk[32], k[32], aad[PWB_ID + PWB_MAX_NAME + 1];
    BCRYPT_KEY_HANDLE key = NULL;
    ULONG n = 0;
    int rc = PWB_MALFORMED;

    if (password_len > sizeof out->ct) return PWB_PASSWORD_TOO_LONG;
    if (account_len > PWB_MAX_NAME) return PWB_MALFORMED;
    algorithms();
    if (!g_aes) return PWB_MALFORMED;
    /* The cached PRK lives in the eph, which the caller owns and uses from one thread. */
    if (seal_prk(eph, bridge_pub, prk) != 0) goto done;
    pwb_hmac3(prk, sizeof prk, event_id, PWB_ID, &one, 1, NULL, 0, k); /* HKDF-Expand, one block */

    for (int i = 0; i < PWB_EPK; i++) out->epk[i] = eph->pub[i];
    if (iv) {
        for (int i = 0; i < PWB_IV; i++) out->iv[i] = iv[i];
    } else if (pwb_random(out->iv, PWB_IV) != 0) {
        goto done;
    }
    size_t a = 0;
    for (size_t i = 0; i < PWB_ID; i++) aad[a++] = event_id[i];
    for (size_t i = 0; i < account_len; i++) aad[a++] = account[i];
    aad[a++] = encoding;

    BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO info;
    BCRYPT_INIT_AUTH_MODE_INFO(info);
    info.pbNonce = out->iv;
    info.cbNonce = PWB_IV;
    info.pbAuthData = aad;
    info.cbAuthData = (ULONG)a;
    info.pbTag = out->gcm_tag;
    info.cbTag = PWB_GCM_TAG;
    if (!BCRYPT_SUCCESS(BCryptGenerateSymmetricKey(g_aes, &key, NULL, 0, k, sizeof k, 0))) goto done;
    /* An empty password is a valid change: GCM then only authenticates the AAD. */
    if (!BCRYPT_SUCCESS(BCryptEncrypt(key, (PUCHAR)password, (ULONG)password_len, &info, NULL, 0, out->ct,
                                      (ULONG)sizeof out->ct, &n, 0)) ||
        n != password_len)
        goto done;
    out->ct_len = (uint16_t)password_len;
    rc = PWB_OK;
done:
    if (key) BCryptDestroyKey(key);
    pwb_wipe(prk, sizeof prk);
    pwb_wipe(k, sizeof k);
    return rc;
}
