/* fold_confusables.c - pass 1 of cg_fold (fold.c says what the passes do): look-alike letters of
 * other scripts, and negative circled or squared letters, read as the Latin letters they imitate. */
#include "fold_confusables.h"

#include <stddef.h>

#include "fold_chars.h"

/* Scripts whose letters may imitate Latin ones; LATIN look-alikes are always folded. */
enum script { LATIN, CYRILLIC, GREEK, ARMENIAN, CHEROKEE, OTHER_SCRIPT };

/* Look-alikes as they are after case folding (lower-case forms; Cherokee in its upper-case block,
 * where case folding puts it; the Greek capitals that cg_fold_capital keeps), sorted by code
 * point. */
static const struct confusable {
    uint32_t from;
    char to;
    unsigned char script;
} confusables[] = {
    /* Latin */
    {0x00F0, 'd', LATIN}, {0x00F8, 'o', LATIN}, {0x0111, 'd', LATIN}, {0x0127, 'h', LATIN}, {0x0131, 'i', LATIN},
    {0x0138, 'k', LATIN}, {0x0142, 'l', LATIN}, {0x014B, 'n', LATIN}, {0x0167, 't', LATIN}, {0x0180, 'b', LATIN},
    {0x0183, 'b', LATIN}, {0x0185, 'b', LATIN}, {0x0188, 'c', LATIN}, {0x018C, 'd', LATIN}, {0x0192, 'f', LATIN},
    {0x0199, 'k', LATIN}, {0x019A, 'l', LATIN}, {0x019E, 'n', LATIN}, {0x01A5, 'p', LATIN}, {0x01AB, 't', LATIN},
    {0x01AD, 't', LATIN}, {0x01B4, 'y', LATIN}, {0x01B6, 'z', LATIN}, {0x01DD, 'e', LATIN}, {0x01E5, 'g', LATIN},
    {0x0221, 'd', LATIN}, {0x0234, 'l', LATIN}, {0x0235, 'n', LATIN}, {0x0236, 't', LATIN}, {0x0237, 'j', LATIN},
    {0x023C, 'c', LATIN}, {0x023F, 's', LATIN}, {0x0240, 'z', LATIN}, {0x0247, 'e', LATIN}, {0x0249, 'j', LATIN},
    {0x024B, 'q', LATIN}, {0x024D, 'r', LATIN}, {0x024F, 'y', LATIN}, {0x0251, 'a', LATIN}, {0x0253, 'b', LATIN},
    {0x0255, 'c', LATIN}, {0x0256, 'd', LATIN}, {0x0257, 'd', LATIN}, {0x0259, 'e', LATIN}, {0x025B, 'e', LATIN},
    {0x0260, 'g', LATIN}, {0x0261, 'g', LATIN}, {0x0262, 'g', LATIN}, {0x0266, 'h', LATIN}, {0x0268, 'i', LATIN},
    {0x0269, 'i', LATIN}, {0x026A, 'i', LATIN}, {0x026B, 'l', LATIN}, {0x026C, 'l', LATIN}, {0x026D, 'l', LATIN},
    {0x0271, 'm', LATIN}, {0x0272, 'n', LATIN}, {0x0273, 'n', LATIN}, {0x0274, 'n', LATIN}, {0x0275, 'o', LATIN},
    {0x027C, 'r', LATIN}, {0x027D, 'r', LATIN}, {0x027E, 'r', LATIN}, {0x0280, 'r', LATIN}, {0x0282, 's', LATIN},
    {0x0288, 't', LATIN}, {0x0289, 'u', LATIN}, {0x028B, 'v', LATIN}, {0x028F, 'y', LATIN}, {0x0290, 'z', LATIN},
    {0x0291, 'z', LATIN}, {0x0299, 'b', LATIN}, {0x029C, 'h', LATIN}, {0x029D, 'j', LATIN}, {0x029F, 'l', LATIN},
    {0x02A0, 'q', LATIN},
    /* Greek */
    {0x0396, 'z', GREEK}, {0x0397, 'h', GREEK}, {0x039C, 'm', GREEK}, {0x039D, 'n', GREEK}, {0x03A5, 'y', GREEK},
    {0x03B1, 'a', GREEK}, {0x03B2, 'b', GREEK}, {0x03B3, 'y', GREEK}, {0x03B5, 'e', GREEK}, {0x03B7, 'n', GREEK},
    {0x03B9, 'i', GREEK}, {0x03BA, 'k', GREEK}, {0x03BC, 'u', GREEK}, {0x03BD, 'v', GREEK}, {0x03BF, 'o', GREEK},
    {0x03C1, 'p', GREEK}, {0x03C3, 'c', GREEK}, {0x03C4, 't', GREEK}, {0x03C5, 'u', GREEK}, {0x03C7, 'x', GREEK},
    {0x03C9, 'w', GREEK}, {0x03F3, 'j', GREEK},
    /* Cyrillic */
    {0x0430, 'a', CYRILLIC}, {0x0432, 'b', CYRILLIC}, {0x0433, 'r', CYRILLIC}, {0x0435, 'e', CYRILLIC},
    {0x043A, 'k', CYRILLIC}, {0x043C, 'm', CYRILLIC}, {0x043D, 'h', CYRILLIC}, {0x043E, 'o', CYRILLIC},
    {0x043F, 'n', CYRILLIC}, {0x0440, 'p', CYRILLIC}, {0x0441, 'c', CYRILLIC}, {0x0442, 't', CYRILLIC},
    {0x0443, 'y', CYRILLIC}, {0x0445, 'x', CYRILLIC}, {0x044C, 'b', CYRILLIC}, {0x0455, 's', CYRILLIC},
    {0x0456, 'i', CYRILLIC}, {0x0458, 'j', CYRILLIC}, {0x045B, 'h', CYRILLIC}, {0x0461, 'w', CYRILLIC},
    {0x0475, 'v', CYRILLIC}, {0x049B, 'k', CYRILLIC}, {0x049D, 'k', CYRILLIC}, {0x04A3, 'h', CYRILLIC},
    {0x04AB, 'c', CYRILLIC}, {0x04AF, 'y', CYRILLIC}, {0x04B1, 'y', CYRILLIC}, {0x04B3, 'x', CYRILLIC},
    {0x04BB, 'h', CYRILLIC}, {0x04BD, 'e', CYRILLIC}, {0x04BF, 'e', CYRILLIC}, {0x04C4, 'k', CYRILLIC},
    {0x04C8, 'h', CYRILLIC}, {0x04CA, 'h', CYRILLIC}, {0x04CE, 'm', CYRILLIC}, {0x04CF, 'l', CYRILLIC},
    {0x04D9, 'e', CYRILLIC}, {0x04E9, 'o', CYRILLIC}, {0x04FD, 'x', CYRILLIC}, {0x04FF, 'x', CYRILLIC},
    {0x0501, 'd', CYRILLIC}, {0x0511, 'e', CYRILLIC}, {0x051B, 'q', CYRILLIC}, {0x051D, 'w', CYRILLIC},
    /* Armenian */
    {0x0566, 'q', ARMENIAN}, {0x0570, 'h', ARMENIAN}, {0x0575, 'j', ARMENIAN}, {0x0578, 'n', ARMENIAN},
    {0x057D, 'u', ARMENIAN}, {0x0581, 'g', ARMENIAN}, {0x0585, 'o', ARMENIAN},
    /* Cherokee */
    {0x13A0, 'd', CHEROKEE}, {0x13A1, 'r', CHEROKEE}, {0x13A2, 't', CHEROKEE}, {0x13A5, 'i', CHEROKEE},
    {0x13A9, 'y', CHEROKEE}, {0x13AA, 'a', CHEROKEE}, {0x13AB, 'j', CHEROKEE}, {0x13AC, 'e', CHEROKEE},
    {0x13B3, 'w', CHEROKEE}, {0x13B7, 'm', CHEROKEE}, {0x13BB, 'h', CHEROKEE}, {0x13BD, 'y', CHEROKEE},
    {0x13C0, 'g', CHEROKEE}, {0x13C2, 'h', CHEROKEE}, {0x13C3, 'z', CHEROKEE}, {0x13CF, 'b', CHEROKEE},
    {0x13D2, 'r', CHEROKEE}, {0x13D4, 'w', CHEROKEE}, {0x13D5, 's', CHEROKEE}, {0x13D9, 'v', CHEROKEE},
    {0x13DA, 's', CHEROKEE}, {0x13DE, 'l', CHEROKEE}, {0x13DF, 'c', CHEROKEE}, {0x13E2, 'p', CHEROKEE},
    {0x13E6, 'k', CHEROKEE}, {0x13F3, 'g', CHEROKEE}, {0x13F4, 'b', CHEROKEE},
    /* Latin */
    {0x1D00, 'a', LATIN}, {0x1D03, 'b', LATIN}, {0x1D04, 'c', LATIN}, {0x1D05, 'd', LATIN}, {0x1D07, 'e', LATIN},
    {0x1D0A, 'j', LATIN}, {0x1D0B, 'k', LATIN}, {0x1D0C, 'l', LATIN}, {0x1D0D, 'm', LATIN}, {0x1D0F, 'o', LATIN},
    {0x1D11, 'o', LATIN}, {0x1D18, 'p', LATIN}, {0x1D1B, 't', LATIN}, {0x1D1C, 'u', LATIN}, {0x1D20, 'v', LATIN},
    {0x1D21, 'w', LATIN}, {0x1D22, 'z', LATIN}, {0x1D6C, 'b', LATIN}, {0x1D6D, 'd', LATIN}, {0x1D6E, 'f', LATIN},
    {0x1D6F, 'm', LATIN}, {0x1D70, 'n', LATIN}, {0x1D71, 'p', LATIN}, {0x1D72, 'r', LATIN}, {0x1D73, 'r', LATIN},
    {0x1D74, 's', LATIN}, {0x1D75, 't', LATIN}, {0x1D76, 'z', LATIN}, {0x1D7B, 'i', LATIN}, {0x1D7D, 'p', LATIN},
    {0x1D7E, 'u', LATIN}, {0x1D80, 'b', LATIN}, {0x1D81, 'd', LATIN}, {0x1D82, 'f', LATIN}, {0x1D83, 'g', LATIN},
    {0x1D84, 'k', LATIN}, {0x1D85, 'l', LATIN}, {0x1D86, 'm', LATIN}, {0x1D87, 'n', LATIN}, {0x1D88, 'p', LATIN},
    {0x1D89, 'r', LATIN}, {0x1D8A, 's', LATIN}, {0x1D8C, 'v', LATIN}, {0x1D8D, 'x', LATIN}, {0x1D8E, 'z', LATIN},
    {0x1D8F, 'a', LATIN}, {0x1D91, 'd', LATIN}, {0x1D92, 'e', LATIN}, {0x1D96, 'i', LATIN}, {0x1D99, 'u', LATIN},
    {0x2C65, 'a', LATIN}, {0x2C66, 't', LATIN}, {0x2C68, 'h', LATIN}, {0x2C6A, 'k', LATIN}, {0x2C6C, 'z', LATIN},
    {0x2C71, 'v', LATIN}, {0x2C73, 'w', LATIN}, {0x2C74, 'v', LATIN}, {0x2C78, 'e', LATIN}, {0x2C7A, 'o', LATIN},
    {0xA730, 'f', LATIN}, {0xA731, 's', LATIN}, {0xA741, 'k', LATIN}, {0xA743, 'k', LATIN}, {0xA745, 'k', LATIN},
    {0xA747, 'l', LATIN}, {0xA749, 'l', LATIN}, {0xA74B, 'o', LATIN}, {0xA74D, 'o', LATIN}, {0xA751, 'p', LATIN},
    {0xA753, 'p', LATIN}, {0xA755, 'p', LATIN}, {0xA757, 'q', LATIN}, {0xA759, 'q', LATIN}, {0xA75F, 'v', LATIN},
    {0xA7A1, 'g', LATIN}, {0xA7A3, 'k', LATIN}, {0xA7A5, 'n', LATIN}, {0xA7A7, 'r', LATIN}, {0xA7A9, 's', LATIN},
    {0xA7AF, 'q', LATIN}, {0xA7B5, 'b', LATIN}, {0xAB30, 'a', LATIN}, {0xAB34, 'e', LATIN}, {0xAB47, 'r', LATIN},
    {0xAB48, 'r', LATIN}, {0xAB52, 'u', LATIN},
};

static const struct confusable *find_confusable(uint32_t c)
{
    size_t lo = 0, hi = sizeof confusables / sizeof confusables[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (confusables[mid].from == c)
            return &confusables[mid];
        if (confusables[mid].from < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The script of a letter, by its block. */
static enum script script_of(uint32_t c)
{
    if (c < 0x2B0 || (c >= 0x1D00 && c < 0x1DC0) || (c >= 0x1E00 && c < 0x1F00) || (c >= 0x2C60 && c < 0x2C80) ||
        (c >= 0xA720 && c < 0xA800) || (c >= 0xAB30 && c < 0xAB70))
        return LATIN;
    if ((c >= 0x370 && c < 0x400) || (c >= 0x1F00 && c < 0x2000))
        return GREEK;
    if ((c >= 0x400 && c < 0x530) || (c >= 0x1C80 && c < 0x1C90) || (c >= 0x2DE0 && c < 0x2E00) ||
        (c >= 0xA640 && c < 0xA6A0))
        return CYRILLIC;
    if (c >= 0x530 && c < 0x590)
        return ARMENIAN;
    if ((c >= 0x13A0 && c < 0x1400) || (c >= 0xAB70 && c < 0xABC0))
        return CHEROKEE;
    return OTHER_SCRIPT;
}

/* The letter a negative circled or squared capital stands for (🅕, 🅵: symbols that compatibility
 * decomposition leaves alone), or 0. */
static uint32_t letter_symbol(uint32_t c)
{
    if (c >= 0x1F150 && c <= 0x1F169)
        return 'a' + (c - 0x1F150);
    if (c >= 0x1F170 && c <= 0x1F189)
        return 'a' + (c - 0x1F170);
    return 0;
}

/* Scripts (bit 1 << script) of which the text has a letter that no Latin letter looks like: the
 * text is really written in them, at least in part. */
static unsigned genuine_scripts(const uint32_t *cps, size_t n)
{
    unsigned genuine = 0;
    for (size_t i = 0; i < n; i++)
        if (cps[i] >= 0x370 && is_letter(cps[i]) && !find_confusable(cps[i]))
            genuine |= 1u << script_of(cps[i]);
    return genuine;
}

/* Fold the look-alikes of the word cps[a..b) as the rules above say; returns whether any was. */
static int fold_word_confusables(uint32_t *cps, size_t a, size_t b, unsigned genuine)
{
    unsigned scripts = 0;
    for (size_t i = a; i < b; i++) {
        if (!is_letter(cps[i]))
            continue;
        const struct confusable *e = cps[i] < 0x80 ? NULL : find_confusable(cps[i]);
        scripts |= 1u << (e ? e->script : cps[i] < 0x80 ? LATIN : script_of(cps[i]));
    }
    int mixed = (scripts & (scripts - 1)) != 0;
    int any = 0;
    for (size_t i = a; i < b; i++) {
        const struct confusable *e = cps[i] < 0x80 ? NULL : find_confusable(cps[i]);
        if (e && (e->script == LATIN || mixed || !(genuine & (1u << e->script)))) {
            cps[i] = (uint32_t)e->to;
            any = 1;
        } else if (cps[i] >= 0x391 && cps[i] < 0x3AA && is_two_faced(cps[i] + 0x20)) {
            cps[i] += 0x20; /* a capital kept by cg_fold_capital, not folded: case-fold it */
        }
    }
    return any;
}

void cg_fold_confusables(uint32_t *cps, size_t n, uint32_t *folded)
{
    unsigned genuine = genuine_scripts(cps, n);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        if (letter_symbol(cps[i])) {
            while (end < n && letter_symbol(cps[end])) {
                cps[end] = letter_symbol(cps[end]);
                end++;
            }
            (*folded)++;
        } else if (is_alnum(cps[i])) {
            int foreign = 0;
            while (end < n && is_alnum(cps[end]))
                foreign |= cps[end++] >= 0x80;
            if (foreign && fold_word_confusables(cps, i, end, genuine))
                (*folded)++;
        } else {
            end++;
        }
        i = end;
    }
}
