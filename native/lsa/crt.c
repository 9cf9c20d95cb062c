/* The few C runtime pieces the mingw-w64 build of the filter needs, so that the DLL links no C runtime
 * at all (-nostdlib): GCC emits calls to mem* for copies and zeroing, and -fstack-protector-strong calls
 * __stack_chk_fail with __stack_chk_guard. MSVC builds link the static CRT instead and use /GS.
 * Compiled with -fno-builtin and -fno-tree-loop-distribute-patterns, so these loops do not become calls
 * to themselves. */
#include <windows.h>
#include <bcrypt.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

/* A fixed value until InitializeChangeNotify draws a random one: even a known canary stops a linear
 * overflow from reaching a return address unnoticed. */
uintptr_t __stack_chk_guard = (uintptr_t)0x2f8a71c95be3d046ULL;
static volatile LONG g_guard_set;

/* Reseeding is safe only from a function without a canary of its own (GCC 11 and later can say so). */
#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define PWB_RESEED_GUARD 1
#endif
#endif

__attribute__((noreturn)) void __stack_chk_fail(void)
{
    /* A smashed stack inside lsass: stop here, as MSVC's /GS does, rather than run on. */
    RaiseFailFastException(NULL, NULL, 0);
    TerminateProcess(GetCurrentProcess(), 0xC0000409); /* STATUS_STACK_BUFFER_OVERRUN */
    for (;;) {
    }
}

/* Called once, first thing in InitializeChangeNotify (itself without a canary): no function that saved
 * the old value is on any stack yet. */
#ifdef PWB_RESEED_GUARD
__attribute__((no_stack_protector)) void pwb_stack_guard_init(void)
{
    uintptr_t g = 0;
    if (InterlockedCompareExchange(&g_guard_set, 1, 0) != 0) return;
    if (BCryptGenRandom(NULL, (PUCHAR)&g, sizeof g, BCRYPT_USE_SYSTEM_PREFERRED_RNG) >= 0 && g != 0)
        __stack_chk_guard = g;
}
#else
void pwb_stack_guard_init(void) { (void)g_guard_set; }
#endif
