/* test_site_budget.c - the site vectors' memory budget of `train --base` (training/site_narrow.h,
 * cg_site_data_load's budget, --vector-memory): a site whose vectors fit keeps its features exactly;
 * one whose vectors would not gets narrower features, step by step, and its bundle says which. The
 * base is trained on the test fixture; the site is fixtures/site/blog.jsonl (42 rows). */
#define _GNU_SOURCE
#include "support.h"

#include "adapt.h"
#include "adapt_report.h"
#include "site_data.h"
#include "site_narrow.h"

#define SITE_FIXTURE CG_FIXTURES "/site/blog.jsonl"

static char tmp[64];
static char *base_dir;

static void setup(void)
{
    cgt_make_tmpdir(tmp, "site_budget");
    base_dir = cgt_train_bundle(tmp, "base");
}

static void teardown(void)
{
    free(base_dir);
    cgt_remove_tree(tmp);
}

TestSuite(site_budget, .init = setup, .fini = teardown);

Test(site_budget, narrowing_takes_its_steps_in_order_and_skips_what_is_already_narrow)
{
    cg_adapt_options opt;
    cg_adapt_options_default(&opt, NULL, NULL, NULL);
    cg_extractor_config c = opt.site_extractor;
    cg_site_features f = opt.features;
    const char *what = NULL;
    cr_assert(c.char_min == 1 && c.char_max == 5 && c.word_ngrams == 2 && f.text_min == 1 && f.text_max == 5);
    cr_assert_eq(cg_site_narrow(&c, &f, &what), 1);
    cr_assert_str_eq(what, "no character n-grams within words");
    cr_assert(c.char_min == 0 && c.char_max == 0 && c.word_ngrams == 2 && f.text_min == 1 && f.text_max == 5);
    cr_assert_eq(cg_site_narrow(&c, &f, &what), 1);
    cr_assert_str_eq(what, "word unigrams only");
    cr_assert(c.char_max == 0 && c.word_ngrams == 1 && f.text_min == 1 && f.text_max == 5);
    cr_assert_eq(cg_site_narrow(&c, &f, &what), 1);
    cr_assert_str_eq(what, "character n-grams across the text up to 4 code points");
    cr_assert(c.char_max == 0 && c.word_ngrams == 1 && f.text_min == 1 && f.text_max == 4);
    cg_extractor_config last = c;
    cg_site_features last_f = f;
    what = NULL;
    cr_assert_eq(cg_site_narrow(&c, &f, &what), 0);
    cr_assert_null(what);
    cr_assert_eq(memcmp(&c, &last, sizeof c), 0, "nothing changes when no step is left");
    cr_assert_eq(memcmp(&f, &last_f, sizeof f), 0);

    /* asked without n-grams within words, with word unigrams and text n-grams 5-6: only the text's step,
     * and its n-grams stay one range (4-4) */
    c = opt.site_extractor;
    c.char_min = c.char_max = 0;
    c.word_ngrams = 1;
    f = opt.features;
    f.text_min = 5;
    f.text_max = 6;
    cr_assert_eq(cg_site_narrow(&c, &f, &what), 1);
    cr_assert_str_eq(what, "character n-grams across the text up to 4 code points");
    cr_assert(f.text_min == 4 && f.text_max == 4);
    cr_assert_null(cg_site_features_check(&f));
    /* no text n-grams stay none */
    f.text_min = f.text_max = 0;
    cr_assert_eq(cg_site_narrow(&c, &f, &what), 0);
    cr_assert(f.text_min == 0 && f.text_max == 0);
}

/* The fixture's site vectors with these features and budget (nodes, 0: none). */
static void load(const cg_extractor_config *config, const cg_site_features *features, size_t budget,
                 cg_extractor *site, cg_site_features *f, cg_site_data *d)
{
    char err[512] = "";
    *f = *features;
    cr_assert_eq(cg_extractor_init(site, config, err, sizeof err), CG_OK, "%s", err);
    cg_model *base = NULL;
    cr_assert_eq(cg_model_open(base_dir, &base, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_site_data_load(SITE_FIXTURE, &base, site, f, 1.0, budget, d, err, sizeof err), CG_OK, "%s",
                 err);
    cr_assert_null(base);
    cr_assert_eq(d->p.n, 42);
}

/* Nodes of the vectors as held: each row's own, its bias node and its terminator. */
static size_t nodes_held(const cg_site_data *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->p.n; i++) {
        const struct svm_node *x = d->p.x[i];
        while (x->index != -1)
            x++;
        n += (size_t)(x - d->p.x[i]) + 1;
    }
    return n;
}

static void assert_same_vectors(const cg_site_data *a, const cg_site_data *b)
{
    cr_assert_eq(a->p.n, b->p.n);
    cr_assert_eq(a->p.dim, b->p.dim);
    for (size_t i = 0; i < a->p.n; i++) {
        size_t k = 0;
        for (; a->p.x[i][k].index != -1; k++) {
            cr_assert_eq(a->p.x[i][k].index, b->p.x[i][k].index, "row %zu node %zu", i, k);
            cr_assert_eq(a->p.x[i][k].value, b->p.x[i][k].value, "row %zu node %zu", i, k);
        }
        cr_assert_eq(b->p.x[i][k].index, -1, "row %zu has more nodes", i);
    }
}

Test(site_budget, vectors_that_fit_keep_their_features_and_those_that_do_not_are_narrowed)
{
    cg_adapt_options opt;
    cg_adapt_options_default(&opt, base_dir, SITE_FIXTURE, NULL);
    cg_extractor site[4];
    cg_site_features f[4];
    cg_site_data d[4];

    /* no budget: the features as asked */
    load(&opt.site_extractor, &opt.features, 0, &site[0], &f[0], &d[0]);
    size_t all = nodes_held(&d[0]);
    cr_assert_eq(d[0].nodes, all);
    cr_assert_eq(d[0].n_narrowed, 0);
    cr_assert_eq(d[0].over_budget, 0);

    /* a budget of exactly that many nodes: the same vectors, the same features */
    load(&opt.site_extractor, &opt.features, all, &site[1], &f[1], &d[1]);
    cr_assert_eq(d[1].n_narrowed, 0);
    cr_assert_eq(d[1].nodes, all);
    cr_assert_eq(memcmp(&site[1].config, &opt.site_extractor, sizeof site[1].config), 0);
    assert_same_vectors(&d[0], &d[1]);

    /* one node fewer: no character n-grams within words, the vectors of exactly those features */
    load(&opt.site_extractor, &opt.features, all - 1, &site[2], &f[2], &d[2]);
    cr_assert_eq(d[2].n_narrowed, 1);
    cr_assert_str_eq(d[2].narrowed[0], "no character n-grams within words");
    cr_assert_eq(d[2].over_budget, 0);
    cr_assert(site[2].config.char_min == 0 && site[2].config.char_max == 0);
    cr_assert(f[2].text_min == 1 && f[2].text_max == 5 && site[2].config.word_ngrams == 2);
    cg_extractor_config narrow = opt.site_extractor;
    narrow.char_min = narrow.char_max = 0;
    load(&narrow, &opt.features, 0, &site[3], &f[3], &d[3]);
    assert_same_vectors(&d[2], &d[3]);
    cr_assert_eq(d[2].nodes, nodes_held(&d[3]));
    cr_assert_lt(d[2].nodes, all);
    cg_site_data_free(&d[3]);
    cg_extractor_destroy(&site[3]);

    /* a budget nothing fits: every step, and the vectors made anyway */
    load(&opt.site_extractor, &opt.features, 1, &site[3], &f[3], &d[3]);
    cr_assert_eq(d[3].n_narrowed, 3);
    cr_assert_str_eq(d[3].narrowed[1], "word unigrams only");
    cr_assert_str_eq(d[3].narrowed[2], "character n-grams across the text up to 4 code points");
    cr_assert_eq(d[3].over_budget, 1);
    cr_assert(site[3].config.char_max == 0 && site[3].config.word_ngrams == 1 && f[3].text_min == 1 &&
              f[3].text_max == 4);
    cr_assert_eq(d[3].nodes, nodes_held(&d[3]));
    cr_assert_lt(d[3].nodes, d[2].nodes);
    for (int k = 0; k < 4; k++) {
        cg_site_data_free(&d[k]);
        cg_extractor_destroy(&site[k]);
    }
}

/* A bundle adapted under a budget its vectors pass is the bundle adapted with the narrowed features
 * asked for (site.svm byte for byte), and its bundle.json and card say what it reads. */
Test(site_budget, a_narrowed_bundle_is_the_bundle_of_the_narrower_options)
{
    char out[128], direct[128], err[512] = "";
    snprintf(out, sizeof out, "%s/narrowed", tmp);
    snprintf(direct, sizeof direct, "%s/direct", tmp);
    cg_adapt_options opt;
    cg_adapt_options_default(&opt, base_dir, SITE_FIXTURE, out);
    opt.repeats = 0;
    cg_adapt_report rep;
    /* measure the fixture's vectors, then give them one node less than that */
    opt.vector_mb = 0;
    cr_assert_eq(cg_adapt_run(&opt, &rep, err, sizeof err), CG_OK, "%s", err);
    size_t all = rep.vector_nodes;
    cr_assert_eq(rep.n_narrowed, 0);
    cg_adapt_report_free(&rep);
    opt.vector_mb = (double)(all - 1) * 16 / (1024 * 1024);
    cr_assert_eq(cg_adapt_run(&opt, &rep, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(rep.n_narrowed, 1);
    cr_assert_eq(rep.site_extractor.char_max, 0);
    cr_assert_eq(opt.site_extractor.char_max, 5, "the options are left as given");
    cr_assert_eq(cg_adapt_write(&opt, &rep, err, sizeof err), CG_OK, "%s", err);
    cg_adapt_report_free(&rep);

    cg_adapt_options plain;
    cg_adapt_options_default(&plain, base_dir, SITE_FIXTURE, direct);
    plain.repeats = 0;
    plain.vector_mb = 0;
    plain.site_extractor.char_min = plain.site_extractor.char_max = 0;
    cr_assert_eq(cg_adapt_run(&plain, &rep, err, sizeof err), CG_OK, "%s", err);
    cr_assert_eq(cg_adapt_write(&plain, &rep, err, sizeof err), CG_OK, "%s", err);
    cg_adapt_report_free(&rep);

    static const char *const same[] = {"site.svm", "site.idf", "bundle.json"};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
        char a[256], b[256];
        snprintf(a, sizeof a, "%s/%s", out, same[k]);
        snprintf(b, sizeof b, "%s/%s", direct, same[k]);
        size_t la, lb;
        char *ta = cgt_read_file(a, &la), *tb = cgt_read_file(b, &lb);
        cr_assert(la == lb && memcmp(ta, tb, la) == 0, "%s differs", same[k]);
        free(ta);
        free(tb);
    }
    char path[256];
    snprintf(path, sizeof path, "%s/bundle.json", out);
    char *settings = cgt_read_file(path, NULL);
    cr_assert_not_null(strstr(settings, "\"char_ngrams\": [\n        0,\n        0\n      ]"), "%s", settings);
    free(settings);
    snprintf(path, sizeof path, "%s/CARD.md", out);
    char *card = cgt_read_file(path, NULL);
    cr_assert_not_null(strstr(card, "so the site features were narrowed: no character n-grams within words."), "%s",
                       card);
    free(card);
    cg_model *m = NULL;
    cr_assert_eq(cg_model_open(out, &m, err, sizeof err), CG_OK, "%s", err);
    cg_model_free(m);
}
