/* explain_site.c - the site model's part of an explanation (explain_site.h). */
#include "explain_site.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "compare.h"

/* Whether the code point at s[i..len) is a letter, a mark or a digit (and its bytes in *n). */
static int word_char_at(const char *s, size_t i, size_t len, size_t *n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t got = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (got < 1) {
        *n = 1; /* a byte that is not valid UTF-8 is no letter */
        return 0;
    }
    *n = (size_t)got;
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
}

/* word_of[i] = the first byte of the word (a run of letters, marks and digits) holding byte i, or -1. */
static void find_words(const char *s, size_t len, long *word_of)
{
    long word = -1;
    for (size_t i = 0, n; i < len; i += n) {
        if (word_char_at(s, i, len, &n))
            word = word >= 0 ? word : (long)i;
        else
            word = -1;
        for (size_t k = i; k < i + n; k++)
            word_of[k] = word;
    }
}

/* The first place in sorted[0..n) holding a slot above `below`. */
static size_t first_above(const uint32_t *sorted, size_t n, uint32_t below)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] <= below)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* How often slot occurs in sorted[0..n). */
static size_t occurrences(const uint32_t *sorted, size_t n, uint32_t slot)
{
    return first_above(sorted, n, slot) - (slot == 0 ? 0 : first_above(sorted, n, slot - 1));
}

/* Whether byte i of an n-gram that starts at byte first is the first of a word within it. */
static int enters_a_word(const long *word_of, uint32_t first, uint32_t i)
{
    return word_of[i] >= 0 && (i == first || word_of[i] != word_of[i - 1]);
}

/*
 * The text's character n-grams. A slot's value in the vector is shared equally by its occurrences,
 * an occurrence's push equally by the words of the comment as written that it touches.
 */
static cg_status add_text_ngrams(cg_explanation *e, const cg_site_model *site, const char *s, size_t len, int label,
                                 double scale)
{
    const cg_site_features *f = &site->features;
    if (f->text_max == 0 || f->text_weight == 0 || len == 0)
        return CG_OK;
    size_t bound = cg_site_text_ngram_bound(f, s, len);
    uint32_t *slot = malloc(bound * sizeof *slot), *start = malloc(bound * sizeof *start);
    uint32_t *end = malloc(bound * sizeof *end), *sorted = malloc(bound * sizeof *sorted);
    long *word_of = malloc(len * sizeof *word_of);
    double *pushed = calloc(len, sizeof *pushed); /* per word, indexed by its first byte */
    cg_status st = CG_ERR_NOMEM;
    if (!slot || !start || !end || !sorted || !word_of || !pushed)
        goto done;
    find_words(s, len, word_of);
    size_t n = cg_site_text_ngrams(&site->extractor.config, f, s, len, slot, start, end);
    memcpy(sorted, slot, n * sizeof *slot);
    qsort(sorted, n, sizeof *sorted, cg_compare_u32);
    int first = cg_feature_dim(&site->extractor.config) + 1;
    double writing = 0;
    for (size_t k = 0; k < n; k++) {
        int index = first + (int)slot[k];
        double push = cg_feature_value(e->ws, index) * cg_feature_push(&site->svm, index, label) /
                      (double)occurrences(sorted, n, slot[k]);
        size_t words = 0;
        for (uint32_t i = start[k]; i < end[k]; i++)
            words += enters_a_word(word_of, start[k], i);
        if (words == 0)
            writing += push;
        for (uint32_t i = start[k]; i < end[k] && words > 0; i++)
            if (enters_a_word(word_of, start[k], i))
                pushed[word_of[i]] += push / (double)words;
    }
    st = cg_unit_add(e, CG_UNIT_WRITING, writing * scale);
    char lower[64];
    for (size_t i = 0; i < len && st == CG_OK; i++) {
        if (word_of[i] != (long)i)
            continue;
        size_t w = i;
        while (w < len && word_of[w] == (long)i)
            w++;
        /* Words are compared as lower-cased text, as the normalised words of the extractor's part
         * are, so that one word seen by both parts is one reason. */
        char *copy = w - i <= sizeof lower ? lower : malloc(w - i);
        if (!copy) {
            st = CG_ERR_NOMEM;
            break;
        }
        for (size_t k = i; k < w; k++)
            copy[k - i] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k]);
        st = cg_unit_add_word(e, copy, w - i, pushed[i] * scale, (long)i, (long)w);
        if (copy != lower)
            free(copy);
    }
done:
    free(slot);
    free(start);
    free(end);
    free(sorted);
    free(word_of);
    free(pushed);
    return st;
}

/* Each author field: the push of the features a comment with that field alone and no text has in
 * the author block (a linear model: the fields' pushes add up to the comment's). */
static cg_status add_author(cg_explanation *e, const cg_site_model *site, const cg_comment *comment, int label,
                            double scale)
{
    const char *field[3] = {comment->author, comment->author_url, comment->author_email};
    int first = cg_site_dim(&site->extractor.config) - (1 << CG_SITE_AUTHOR_BITS) + 1;
    for (int k = 0; k < 3; k++) {
        if (!field[k] || !field[k][0] || site->features.author_weight == 0)
            continue;
        cg_comment alone = {"", 0, k == 0 ? field[k] : NULL, k == 1 ? field[k] : NULL, k == 2 ? field[k] : NULL};
        cg_status st = cg_site_vector(&site->extractor, &site->features, e->ws, &alone);
        if (st != CG_OK)
            return st;
        double push = 0;
        for (size_t i = 0; i < e->ws->n_nodes; i++)
            if (e->ws->nodes[i].index >= first)
                push += e->ws->nodes[i].value * cg_feature_push(&site->svm, e->ws->nodes[i].index, label);
        if ((st = cg_unit_add(e, CG_UNIT_AUTHOR_NAME + k, push * scale)) != CG_OK)
            return st;
    }
    return CG_OK;
}

cg_status cg_explain_site(cg_explanation *e, const cg_site_model *site, const cg_comment *comment, int label,
                          double scale)
{
    cg_status st = cg_unit_add_tokens(e, &site->extractor, &site->svm, label, scale);
    if (st == CG_OK)
        st = cg_unit_add_dense(e, &site->extractor.config, &site->svm, label, scale);
    if (st == CG_OK)
        st = add_text_ngrams(e, site, comment->text ? comment->text : "", comment->len, label, scale);
    if (st == CG_OK)
        st = add_author(e, site, comment, label, scale);
    return st;
}
