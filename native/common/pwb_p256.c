/* See pwb_p256.h. Field elements are 8 little-endian 32-bit limbs in Montgomery form (x * 2^256 mod p),
 * always fully reduced; points are projective (X : Y : Z) with the identity (0 : 1 : 0). */
#include "pwb_p256.h"

#include <string.h>

#include "pwb_crypto.h"

typedef struct {
    uint32_t v[8];
} fe;

typedef struct {
    fe x, y, z;
} point;

/* p = 2^256 - 2^224 + 2^192 + 2^96 - 1 */
static const fe P = { { 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 0, 1, 0xffffffff } };
/* The group order n, big-endian bytes. */
static const uint8_t N_BYTES[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};
static const uint8_t B_BYTES[32] = {
    0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
    0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
};
static const uint8_t G_BYTES[65] = {
    0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
    0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
    0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
    0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

/* ---- field ---- */

static uint32_t add_raw(fe *r, const fe *a, const fe *b)
{
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->v[i] + b->v[i];
        r->v[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
}

static uint32_t sub_raw(fe *r, const fe *a, const fe *b)
{
    uint64_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a->v[i] - b->v[i] - borrow;
        r->v[i] = (uint32_t)d;
        borrow = (d >> 32) & 1;
    }
    return (uint32_t)borrow;
}

/* r = a when mask is all ones, unchanged when it is zero. */
static void fe_cmov(fe *r, const fe *a, uint32_t mask)
{
    for (int i = 0; i < 8; i++) r->v[i] = (r->v[i] & ~mask) | (a->v[i] & mask);
}

static void fe_add(fe *r, const fe *a, const fe *b)
{
    fe s, d;
    uint32_t carry = add_raw(&s, a, b);
    uint32_t borrow = sub_raw(&d, &s, &P);
    fe_cmov(&s, &d, 0u - (carry | (borrow ^ 1u))); /* s >= p: take s - p */
    *r = s;
}

static void fe_sub(fe *r, const fe *a, const fe *b)
{
    fe d, e;
    uint32_t borrow = sub_raw(&d, a, b);
    add_raw(&e, &d, &P);
    fe_cmov(&d, &e, 0u - borrow); /* went below zero: add p back */
    *r = d;
}

/* Montgomery multiplication (CIOS): r = a * b / 2^256 mod p. -p^-1 mod 2^32 is 1 because p ends in
 * 32 one bits, so each reduction multiplier is just the low limb. */
static void fe_mul(fe *r, const fe *a, const fe *b)
{
    uint32_t t[10] = { 0 };
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            c += (uint64_t)t[j] + (uint64_t)a->v[j] * b->v[i];
            t[j] = (uint32_t)c;
            c >>= 32;
        }
        c += t[8];
        t[8] = (uint32_t)c;
        t[9] = (uint32_t)(c >> 32);
        uint32_t m = t[0];
        c = ((uint64_t)t[0] + (uint64_t)m * P.v[0]) >> 32;
        for (int j = 1; j < 8; j++) {
            c += (uint64_t)t[j] + (uint64_t)m * P.v[j];
            t[j - 1] = (uint32_t)c;
            c >>= 32;
        }
        c += t[8];
        t[7] = (uint32_t)c;
        t[8] = t[9] + (uint32_t)(c >> 32);
    }
    fe res, d;
    memcpy(res.v, t, sizeof res.v);
    uint32_t borrow = sub_raw(&d, &res, &P);
    fe_cmov(&res, &d, 0u - (t[8] | (borrow ^ 1u))); /* the result is below 2p: one conditional subtraction */
    *r = res;
    pwb_wipe(t, sizeof t);
}

/* 2^256 mod p (the Montgomery form of 1) and 2^512 mod p (to convert into Montgomery form). */
static void fe_consts(fe *one, fe *r2)
{
    static const fe zero;
    sub_raw(one, &zero, &P); /* 2^256 - p */
    *r2 = *one;
    for (int i = 0; i < 256; i++) fe_add(r2, r2, r2);
}

/* Big-endian bytes → Montgomery form. 0, or -1 when the value is not below p. */
static int fe_from_bytes(fe *r, const uint8_t in[32], const fe *r2)
{
    fe a, d;
    for (int i = 0; i < 8; i++)
        a.v[i] = (uint32_t)in[31 - 4 * i] | ((uint32_t)in[30 - 4 * i] << 8) | ((uint32_t)in[29 - 4 * i] << 16) |
                 ((uint32_t)in[28 - 4 * i] << 24);
    int below = sub_raw(&d, &a, &P); /* borrow: a < p */
    fe_mul(r, &a, r2);
    return below ? 0 : -1;
}

static void fe_to_bytes(uint8_t out[32], const fe *a)
{
    static const fe one_plain = { { 1, 0, 0, 0, 0, 0, 0, 0 } };
    fe x;
    fe_mul(&x, a, &one_plain); /* out of Montgomery form */
    for (int i = 0; i < 8; i++) {
        out[31 - 4 * i] = (uint8_t)x.v[i];
        out[30 - 4 * i] = (uint8_t)(x.v[i] >> 8);
        out[29 - 4 * i] = (uint8_t)(x.v[i] >> 16);
        out[28 - 4 * i] = (uint8_t)(x.v[i] >> 24);
    }
    pwb_wipe(&x, sizeof x);
}

/* a^(p-2) = 1/a (0 for 0). The exponent is public, so its bits may steer the loop. */
static void fe_inv(fe *r, const fe *a, const fe *one)
{
    fe e = P, acc = *one;
    e.v[0] -= 2;
    for (int i = 255; i >= 0; i--) {
        fe_mul(&acc, &acc, &acc);
        if ((e.v[i / 32] >> (i % 32)) & 1) fe_mul(&acc, &acc, a);
    }
    *r = acc;
}

static int fe_equal(const fe *a, const fe *b)
{
    uint32_t d = 0;
    for (int i = 0; i < 8; i++) d |= a->v[i] ^ b->v[i];
    return d == 0;
}

/* ---- curve ---- */

typedef struct {
    fe one, r2, b;
} curve;

static void curve_init(curve *c)
{
    fe_consts(&c->one, &c->r2);
    fe_from_bytes(&c->b, B_BYTES, &c->r2);
}

/* Complete addition for a = -3: correct for every pair of inputs, doubling and the identity included,
 * so the scalar multiplication below needs no branch. */
static void point_add(point *r, const point *p, const point *q, const fe *b)
{
    fe t0, t1, t2, t3, t4, x3, y3, z3;
    fe_mul(&t0, &p->x, &q->x);
    fe_mul(&t1, &p->y, &q->y);
    fe_mul(&t2, &p->z, &q->z);
    fe_add(&t3, &p->x, &p->y);
    fe_add(&t4, &q->x, &q->y);
    fe_mul(&t3, &t3, &t4);
    fe_add(&t4, &t0, &t1);
    fe_sub(&t3, &t3, &t4);
    fe_add(&t4, &p->y, &p->z);
    fe_add(&x3, &q->y, &q->z);
    fe_mul(&t4, &t4, &x3);
    fe_add(&x3, &t1, &t2);
    fe_sub(&t4, &t4, &x3);
    fe_add(&x3, &p->x, &p->z);
    fe_add(&y3, &q->x, &q->z);
    fe_mul(&x3, &x3, &y3);
    fe_add(&y3, &t0, &t2);
    fe_sub(&y3, &x3, &y3);
    fe_mul(&z3, b, &t2);
    fe_sub(&x3, &y3, &z3);
    fe_add(&z3, &x3, &x3);
    fe_add(&x3, &x3, &z3);
    fe_sub(&z3, &t1, &x3);
    fe_add(&x3, &t1, &x3);
    fe_mul(&y3, b, &y3);
    fe_add(&t1, &t2, &t2);
    fe_add(&t2, &t1, &t2);
    fe_sub(&y3, &y3, &t2);
    fe_sub(&y3, &y3, &t0);
    fe_add(&t1, &y3, &y3);
    fe_add(&y3, &t1, &y3);
    fe_add(&t1, &t0, &t0);
    fe_add(&t0, &t1, &t0);
    fe_sub(&t0, &t0, &t2);
    fe_mul(&t1, &t4, &y3);
    fe_mul(&t2, &t0, &y3);
    fe_mul(&y3, &x3, &z3);
    fe_add(&y3, &y3, &t2);
    fe_mul(&x3, &t3, &x3);
    fe_sub(&x3, &x3, &t1);
    fe_mul(&z3, &t4, &z3);
    fe_mul(&t1, &t3, &t0);
    fe_add(&z3, &z3, &t1);
    r->x = x3;
    r->y = y3;
    r->z = z3;
    pwb_wipe(&t0, sizeof t0);
    pwb_wipe(&t1, sizeof t1);
    pwb_wipe(&t2, sizeof t2);
    pwb_wipe(&t3, sizeof t3);
    pwb_wipe(&t4, sizeof t4);
}

/* Affine point from 65 bytes: 0 when it is 04 || X || Y with X, Y < p and y^2 = x^3 - 3x + b. */
static int point_from_bytes(point *r, const uint8_t in[65], const curve *c)
{
    fe lhs, rhs, t;
    if (in[0] != 0x04) return -1;
    if (fe_from_bytes(&r->x, in + 1, &c->r2) != 0 || fe_from_bytes(&r->y, in + 33, &c->r2) != 0) return -1;
    r->z = c->one;
    fe_mul(&lhs, &r->y, &r->y);
    fe_mul(&rhs, &r->x, &r->x);
    fe_mul(&rhs, &rhs, &r->x);
    fe_add(&t, &r->x, &r->x);
    fe_add(&t, &t, &r->x);
    fe_sub(&rhs, &rhs, &t);
    fe_add(&rhs, &rhs, &c->b);
    return fe_equal(&lhs, &rhs) ? 0 : -1;
}

/* r = k * p, one double and one add per bit of the 256-bit scalar, whatever its bits. */
static void point_mul(point *r, const uint8_t k[32], const point *p, const curve *c)
{
    static const fe zero;
    point acc = { zero, c->one, zero }, sum;
    for (int i = 0; i < 256; i++) {
        uint32_t bit = (k[i / 8] >> (7 - i % 8)) & 1;
        point_add(&acc, &acc, &acc, &c->b);
        point_add(&sum, &acc, p, &c->b);
        uint32_t mask = 0u - bit;
        fe_cmov(&acc.x, &sum.x, mask);
        fe_cmov(&acc.y, &sum.y, mask);
        fe_cmov(&acc.z, &sum.z, mask);
    }
    *r = acc;
    pwb_wipe(&acc, sizeof acc);
    pwb_wipe(&sum, sizeof sum);
}

/* Affine X (and Y) bytes of a projective point. -1 for the identity. */
static int point_to_bytes(const point *p, uint8_t x[32], uint8_t *y, const curve *c)
{
    static const fe zero;
    fe zi, t;
    if (fe_equal(&p->z, &zero)) return -1;
    fe_inv(&zi, &p->z, &c->one);
    fe_mul(&t, &p->x, &zi);
    fe_to_bytes(x, &t);
    if (y) {
        fe_mul(&t, &p->y, &zi);
        fe_to_bytes(y, &t);
    }
    pwb_wipe(&t, sizeof t);
    pwb_wipe(&zi, sizeof zi);
    return 0;
}

/* ---- API ---- */

int pwb_p256_scalar_ok(const uint8_t s[32])
{
    int lt = 0, gt = 0, nonzero = 0;
    for (int i = 0; i < 32; i++) {
        nonzero |= s[i];
        if (!lt && !gt) {
            if (s[i] < N_BYTES[i]) lt = 1;
            else if (s[i] > N_BYTES[i]) gt = 1;
        }
    }
    return nonzero && lt;
}

int pwb_p256_point_ok(const uint8_t pub[65])
{
    curve c;
    point p;
    curve_init(&c);
    return point_from_bytes(&p, pub, &c) == 0;
}

int pwb_p256_public(const uint8_t scalar[32], uint8_t out[65])
{
    curve c;
    point g, r;
    if (!pwb_p256_scalar_ok(scalar)) return -1;
    curve_init(&c);
    if (point_from_bytes(&g, G_BYTES, &c) != 0) return -1;
    point_mul(&r, scalar, &g, &c);
    out[0] = 0x04;
    int rc = point_to_bytes(&r, out + 1, out + 33, &c);
    pwb_wipe(&r, sizeof r);
    return rc;
}

int pwb_p256_ecdh(const uint8_t scalar[32], const uint8_t peer[65], uint8_t x[32])
{
    curve c;
    point q, r;
    if (!pwb_p256_scalar_ok(scalar)) return -1;
    curve_init(&c);
    if (point_from_bytes(&q, peer, &c) != 0) return -1;
    point_mul(&r, scalar, &q, &c);
    int rc = point_to_bytes(&r, x, NULL, &c);
    pwb_wipe(&r, sizeof r);
    return rc;
}
