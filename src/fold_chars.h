/* fold_chars.h - the character classes the passes of cg_fold share (fold.c, fold_confusables.c,
 * fold_leet.c), inline: they run for every code point of a comment. */
#ifndef CG_FOLD_CHARS_H
#define CG_FOLD_CHARS_H

#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

static inline int is_space(uint32_t c)
{
    if (c < 0x80)
        return c <= ' ' || c == 0x7F;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ||
           cat == UTF8PROC_CATEGORY_CC;
}

static inline int is_letter(uint32_t c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z';
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static inline int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* A letter or a digit of any script: what words are made of. */
static inline int is_alnum(uint32_t c)
{
    if (c < 0x80)
        return is_letter(c) || is_digit(c);
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

static inline int is_vowel(uint32_t c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Digits that may stand for a letter. */
static inline int is_leet_digit(uint32_t c)
{
    return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7';
}

/* Whether cps[0..n) spells the ASCII word w. */
static inline int spells(const uint32_t *cps, size_t n, const char *w)
{
    size_t i = 0;
    while (i < n && w[i] && cps[i] == (unsigned char)w[i])
        i++;
    return i == n && w[i] == '\0';
}

/* Greek letters whose capital imitates another Latin letter than the small one (Η and η). */
static inline int is_two_faced(uint32_t small)
{
    return small == 0x03B6 || small == 0x03B7 || small == 0x03BC || small == 0x03BD || small == 0x03C5;
}

/* Where the span of non-space code points that starts at i ends. */
static inline size_t span_end(const uint32_t *cps, size_t i, size_t n)
{
    while (i < n && !is_space(cps[i]))
        i++;
    return i;
}

#endif
