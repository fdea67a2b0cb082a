/* fold.c - undoing the tricks people use to hide words from filters.
 *
 * Confusables: letters of other scripts that look like Latin ones (Cyrillic а, Greek ο) are read
 * as the Latin letter they imitate, in the spirit of the skeletons of Unicode TS #39. */
#include "fold.h"

#include <string.h>

static const struct { uint32_t from, to; } confusables[] = {
    /* Cyrillic */
    {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'}, {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'}, {0x043E, 'o'},
    {0x0440, 'p'}, {0x0441, 'c'}, {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'},
    {0x0458, 'j'}, {0x04BB, 'h'}, {0x0501, 'd'}, {0x051B, 'q'}, {0x051D, 'w'}, {0x0475, 'v'}, {0x04CF, 'l'},
    /* Greek */
    {0x03B1, 'a'}, {0x03B2, 'b'}, {0x03B5, 'e'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'},
    {0x03C1, 'p'}, {0x03C4, 't'}, {0x03C5, 'u'}, {0x03C7, 'x'}, {0x03F2, 'c'},
    /* Latin look-alikes outside ASCII */
    {0x0131, 'i'}, {0x0269, 'i'}, {0x0261, 'g'}, {0x1D00, 'a'}, {0x0280, 'r'}, {0x029F, 'l'},
};

static uint32_t skeleton(uint32_t cp)
{
    size_t lo = 0, hi = sizeof confusables / sizeof confusables[0];
    for (size_t i = lo; i < hi; i++)
        if (confusables[i].from == cp)
            return confusables[i].to;
    return cp;
}

size_t cg_fold(uint32_t *cps, size_t n, uint32_t *folded)
{
    for (size_t i = 0; i < n; i++) {
        if (cps[i] < 0x80)
            continue;
        uint32_t s = skeleton(cps[i]);
        if (s != cps[i]) {
            cps[i] = s;
            (*folded)++;
        }
    }
    return n;
}

/* Length of the UTF-8 sequence starting with byte c (1 for stray continuation bytes). */
static size_t sequence_length(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

size_t cg_fold_word(const char *word, size_t len, char *out, uint32_t *folded)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t k = sequence_length((unsigned char)word[i]);
        if (k > len - i)
            k = len - i;
        size_t run = 1;
        while (i + (run + 1) * k <= len && memcmp(word + i, word + i + run * k, k) == 0)
            run++;
        int letter = !((unsigned char)word[i] < 0x80 && !(((unsigned char)word[i] | 0x20) >= 'a' &&
                                                          ((unsigned char)word[i] | 0x20) <= 'z'));
        size_t keep = (run >= 3 && letter) ? 1 : run;
        if (keep != run)
            (*folded)++;
        for (size_t r = 0; r < keep; r++, n += k)
            memcpy(out + n, word + i, k);
        i += run * k;
    }
    return n;
}
