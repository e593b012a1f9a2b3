/* memcpy, memmove and memcmp for the static musl build of `mtlskit` (`make dist`).
 *
 * musl's x86_64 memcpy copies with `rep movsq` whatever the size and finishes with one
 * `movsb` per remaining byte, and its memcmp compares one byte per iteration: in the musl
 * binary memcpy was 15% of the samples of `mtlskit inspect --json` on a trust bundle, whose
 * JSON writer makes about 50,000 short copies (BENCHMARKS.md "Inspection"). These
 * copy short blocks with two overlapping loads and stores, longer ones 64 bytes per
 * iteration, and compare eight bytes at a time. native-proxy/build.rs links this file into
 * musl builds only; glibc builds keep glibc's. scripts/dist.sh runs fastmem-test.c, which
 * checks every size up to 600 at every alignment against a byte loop (and every overlap for
 * memmove) before the binary is built. */
#include <stddef.h>
#include <stdint.h>
#include <emmintrin.h>

typedef uint64_t u64u __attribute__((__may_alias__, __aligned__(1)));
typedef uint32_t u32u __attribute__((__may_alias__, __aligned__(1)));
typedef uint16_t u16u __attribute__((__may_alias__, __aligned__(1)));

#define LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define STORE(p, v) _mm_storeu_si128((__m128i *)(void *)(p), (v))

/* Up to 64 bytes: everything is loaded before anything is stored, so it is also a correct
 * memmove. */
static inline __attribute__((always_inline)) void copy_upto64(unsigned char *d,
                                                              const unsigned char *s, size_t n)
{
    if (n > 32) {
        __m128i a = LOAD(s), b = LOAD(s + 16), c = LOAD(s + n - 32), e = LOAD(s + n - 16);
        STORE(d, a);
        STORE(d + 16, b);
        STORE(d + n - 32, c);
        STORE(d + n - 16, e);
    } else if (n >= 16) {
        __m128i a = LOAD(s), b = LOAD(s + n - 16);
        STORE(d, a);
        STORE(d + n - 16, b);
    } else if (n >= 8) {
        uint64_t a = *(const u64u *)s, b = *(const u64u *)(s + n - 8);
        *(u64u *)d = a;
        *(u64u *)(d + n - 8) = b;
    } else if (n >= 4) {
        uint32_t a = *(const u32u *)s, b = *(const u32u *)(s + n - 4);
        *(u32u *)d = a;
        *(u32u *)(d + n - 4) = b;
    } else if (n >= 2) {
        uint16_t a = *(const u16u *)s, b = *(const u16u *)(s + n - 2);
        *(u16u *)d = a;
        *(u16u *)(d + n - 2) = b;
    } else if (n == 1) {
        *d = *s;
    }
}

/* More than 64 bytes, front to back: the last 64 bytes are loaded first and stored last, so
 * this is also a correct memmove when the destination starts before the source. */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
    __m128i t0 = LOAD(s + n - 64), t1 = LOAD(s + n - 48), t2 = LOAD(s + n - 32),
            t3 = LOAD(s + n - 16);
    for (size_t i = 0; i + 64 < n; i += 64) {
        __m128i a = LOAD(s + i), b = LOAD(s + i + 16), c = LOAD(s + i + 32),
                e = LOAD(s + i + 48);
        STORE(d + i, a);
        STORE(d + i + 16, b);
        STORE(d + i + 32, c);
        STORE(d + i + 48, e);
    }
    STORE(d + n - 64, t0);
    STORE(d + n - 48, t1);
    STORE(d + n - 32, t2);
    STORE(d + n - 16, t3);
}

/* More than 64 bytes, back to front (a memmove whose destination starts inside the source). */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
    __m128i h0 = LOAD(s), h1 = LOAD(s + 16), h2 = LOAD(s + 32), h3 = LOAD(s + 48);
    for (size_t i = n; i > 64; i -= 64) {
        __m128i a = LOAD(s + i - 64), b = LOAD(s + i - 48), c = LOAD(s + i - 32),
                e = LOAD(s + i - 16);
        STORE(d + i - 64, a);
        STORE(d + i - 48, b);
        STORE(d + i - 32, c);
        STORE(d + i - 16, e);
    }
    STORE(d, h0);
    STORE(d + 16, h1);
    STORE(d + 32, h2);
    STORE(d + 48, h3);
}

void *memcpy(void *restrict dest, const void *restrict src, size_t n)
{
    unsigned char *d = dest;
    const unsigned char *s = src;
    if (n <= 64) {
        copy_upto64(d, s, n);
    } else if (n < 4096) {
        copy_forward(d, s, n);
    } else {
        /* long copies: the CPU's fast string copy */
        size_t count = n;
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(count) : : "memory");
    }
    return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
    unsigned char *d = dest;
    const unsigned char *s = src;
    if (n <= 64) {
        copy_upto64(d, s, n);
    } else if ((uintptr_t)d - (uintptr_t)s >= n) {
        copy_forward(d, s, n); /* the destination starts before the source or after its end */
    } else {
        copy_backward(d, s, n);
    }
    return dest;
}

int memcmp(const void *left, const void *right, size_t n)
{
    const unsigned char *l = left, *r = right;
    for (; n >= 8; n -= 8, l += 8, r += 8) {
        uint64_t a = *(const u64u *)l, b = *(const u64u *)r;
        if (a != b) {
            a = __builtin_bswap64(a);
            b = __builtin_bswap64(b);
            return a < b ? -1 : 1;
        }
    }
    for (; n; n--, l++, r++) {
        if (*l != *r) {
            return *l - *r;
        }
    }
    return 0;
}
