/* Checks native-proxy/fastmem.c against byte loops: memcpy for every size up to 600 at every
 * source and destination alignment 0..15, memmove for every overlap of those sizes in both
 * directions, memcmp's sign for a difference at every position. Built with -fno-builtin so
 * that the calls reach fastmem.c (scripts/dist.sh). Exits 1 on the first difference. */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#define MAX 600
#define PAD 64

static unsigned char source[MAX + 2 * PAD], got[MAX + 4 * PAD], want[MAX + 4 * PAD];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
}

/* the reference copy: a byte loop that the compiler cannot turn into a memcpy call */
static void bytecopy(unsigned char *d, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) ((volatile unsigned char *)d)[i] = s[i];
}

static int fail(const char *what, size_t n, size_t a, size_t b)
{
    printf("fastmem-test: %s wrong for size %zu, offsets %zu %zu\n", what, n, a, b);
    return 1;
}

int main(void)
{
    fill(source, sizeof source, 1);
    for (size_t n = 0; n <= MAX; n++) {
        for (size_t so = 0; so < 16; so++) {
            for (size_t d = 0; d < 16; d++) {
                fill(got, sizeof got, 7);
                bytecopy(want, got, sizeof got);
                for (size_t i = 0; i < n; i++) want[PAD + d + i] = source[so + i];
                if (memcpy(got + PAD + d, source + so, n) != got + PAD + d) return fail("memcpy result", n, so, d);
                for (size_t i = 0; i < sizeof got; i++)
                    if (got[i] != want[i]) return fail("memcpy", n, so, d);
            }
        }
        /* memmove within one buffer: source at PAD + 2 * 64 - shift .. for shifts -80..80 */
        for (int shift = -80; shift <= 80; shift++) {
            size_t s = PAD + 96, dst = (size_t)((int)s + shift);
            fill(got, sizeof got, (unsigned)(n + 3));
            bytecopy(want, got, sizeof got);
            unsigned char copy[MAX];
            for (size_t i = 0; i < n; i++) copy[i] = got[s + i];
            for (size_t i = 0; i < n; i++) want[dst + i] = copy[i];
            if (memmove(got + dst, got + s, n) != got + dst) return fail("memmove result", n, s, dst);
            for (size_t i = 0; i < sizeof got; i++)
                if (got[i] != want[i]) return fail("memmove", n, s, dst);
        }
        /* memcmp: equal, and one byte different at each position, both ways */
        for (size_t o = 0; o < 8; o++) {
            unsigned char a[MAX + 8], b[MAX + 8];
            fill(a, sizeof a, (unsigned)n);
            bytecopy(b + o, a + o, n);
            if (memcmp(a + o, b + o, n) != 0) return fail("memcmp equal", n, o, o);
            for (size_t i = 0; i < n; i++) {
                unsigned char keep = b[o + i];
                b[o + i] = (unsigned char)(a[o + i] + 1 + (i % 200));
                int want_sign = a[o + i] < b[o + i] ? -1 : 1;
                int r = memcmp(a + o, b + o, n), back = memcmp(b + o, a + o, n);
                if ((r < 0 ? -1 : r > 0) != want_sign || (back < 0 ? -1 : back > 0) != -want_sign)
                    return fail("memcmp sign", n, o, i);
                b[o + i] = keep;
            }
        }
    }
    /* long copies (the rep movsb path) */
    static unsigned char big[3][70000];
    fill(big[0], sizeof big[0], 9);
    for (size_t n = 4090; n < 70000; n = n * 3 + 7) {
        memset(big[1], 0, sizeof big[1]);
        memcpy(big[1] + 3, big[0] + 5, n);
        for (size_t i = 0; i < n; i++) if (big[1][3 + i] != big[0][5 + i]) return fail("memcpy long", n, 5, 3);
        if (big[1][2] != 0 || (3 + n < sizeof big[1] && big[1][3 + n] != 0)) return fail("memcpy long bounds", n, 5, 3);
    }
    puts("fastmem-test: memcpy, memmove and memcmp agree with byte loops");
    return 0;
}
