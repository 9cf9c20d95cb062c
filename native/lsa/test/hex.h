/* Hex text to bytes, for the test programs that take passwords on stdin (harness.exe, lsa_standin.exe):
 * straight into `out`, byte by byte, so no other copy of the decoded bytes is made. */
#ifndef PWB_LSA_TEST_HEX_H
#define PWB_LSA_TEST_HEX_H
#include <stddef.h>

static int pwb_hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The first `n` characters of `hex` into `out` (at most `cap` bytes): the byte count, or -1 on bad hex. */
static long pwb_unhex(const char *hex, size_t n, unsigned char *out, size_t cap)
{
    if (n % 2 || n / 2 > cap) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = pwb_hex_digit(hex[2 * i]), lo = pwb_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(n / 2);
}
#endif
