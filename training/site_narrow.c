/* site_narrow.c - narrower site features for a site whose vectors would pass their memory budget
 * (site_narrow.h). The order is measured (README, "Teach it your site", tools/site_large.py): adapting
 * on 10,000 rows of the corpus and judging other rows, leaving out the n-grams within words (a third
 * of the nodes) and the word bigrams changed the held-out ROC-AUCs by less than 0.002, and the text's
 * n-grams up to 4 code points instead of 5 (a fifth of the rest) by less than 0.005, where starting
 * them at 3 instead lost up to 0.013. */
#include "site_narrow.h"

int cg_site_narrow(cg_extractor_config *c, cg_site_features *f, const char **what)
{
    if (c->char_max > 0) {
        c->char_min = c->char_max = 0;
        *what = "no character n-grams within words";
        return 1;
    }
    if (c->word_ngrams > 1) {
        c->word_ngrams = 1;
        *what = "word unigrams only";
        return 1;
    }
    if (f->text_max > 4) {
        f->text_max = 4;
        if (f->text_min > 4)
            f->text_min = 4;
        *what = "character n-grams across the text up to 4 code points";
        return 1;
    }
    return 0;
}
