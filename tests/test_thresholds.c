/*
 * test_thresholds.c - the unsure band's thresholds: the trade-off arithmetic behind `commentguard
 * thresholds` (src/cli/tradeoff.c) on rows worked out by hand, and reading the thresholds line
 * (cg_thresholds_parse) that score, serve and the blog example take.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "tradeoff.h"

/* Ten comments: gold label, the label the model gave, and the probability of that label.
 *
 *   on-topic labels: right at 0.95 0.80 0.62 0.55; wrong at 0.58 (off-topic), 0.90 (off-topic),
 *                    0.51 (abusive)      5 on-topic comments, 5 others
 *   off-topic label: right at 0.70; wrong at 0.60 (an on-topic comment)
 *                                        3 off-topic comments, 7 others
 *   abusive label:   right at 0.97       2 abusive comments, 8 others
 *
 * on-topic:  hold(t) = #{0.55 0.62 0.80 0.95 below t} / 5, miss(t) = #{0.51 0.58 0.90 at or above t} / 5
 * off-topic: hold(t) = #{0.70 below t} / 3,                 miss(t) = #{0.60 at or above t} / 7
 * abusive:   hold(t) = #{0.97 below t} / 2,                 miss(t) = 0 */
static const struct {
    cg_label gold, label;
    double p;
} rows[] = {
    {CG_ON_TOPIC, CG_ON_TOPIC, 0.95},  {CG_ON_TOPIC, CG_ON_TOPIC, 0.80}, {CG_ON_TOPIC, CG_ON_TOPIC, 0.62},
    {CG_ON_TOPIC, CG_ON_TOPIC, 0.55},  {CG_ON_TOPIC, CG_OFF_TOPIC, 0.60}, {CG_OFF_TOPIC, CG_ON_TOPIC, 0.58},
    {CG_OFF_TOPIC, CG_ON_TOPIC, 0.90}, {CG_OFF_TOPIC, CG_OFF_TOPIC, 0.70}, {CG_ABUSIVE, CG_ABUSIVE, 0.97},
    {CG_ABUSIVE, CG_ON_TOPIC, 0.51},
};
#define N_ROWS (sizeof rows / sizeof rows[0])

static cli_tradeoff t;

static void count(void)
{
    cg_label gold[N_ROWS];
    cg_result results[N_ROWS];
    for (size_t i = 0; i < N_ROWS; i++) {
        gold[i] = rows[i].gold;
        /* the rest of the probability split evenly over the other two classes */
        results[i] = (cg_result){.label = rows[i].label};
        for (int k = 0; k < CG_NUM_CLASSES; k++)
            results[i].prob[k] = k == (int)rows[i].label ? rows[i].p : (1 - rows[i].p) / 2;
    }
    cli_tradeoff_count(&t, gold, results, N_ROWS);
}

static int choose(int c, double hold_at_most, double miss_at_most)
{
    return cli_tradeoff_choose(&t, c, (cli_constraint){.hold_at_most = hold_at_most, .miss_at_most = miss_at_most});
}

TestSuite(tradeoff, .init = count);

Test(tradeoff, counts_by_class)
{
    cr_assert_eq(t.support[CG_ON_TOPIC], 5);
    cr_assert_eq(t.others[CG_ON_TOPIC], 5);
    cr_assert_eq(t.support[CG_OFF_TOPIC], 3);
    cr_assert_eq(t.others[CG_ABUSIVE], 8);
    /* at 0.60: on-topic holds 0.55, catches 0.51 and 0.58, misses 0.90 */
    cr_assert_eq(t.held[CG_ON_TOPIC][60], 1);
    cr_assert_eq(t.caught[CG_ON_TOPIC][60], 2);
    cr_assert_eq(t.missed[CG_ON_TOPIC][60], 1);
    /* a probability equal to the threshold is kept, as cg_classify does (p < t is unsure) */
    cr_assert_eq(t.held[CG_ON_TOPIC][62], 1);
    cr_assert_eq(t.held[CG_ON_TOPIC][63], 2);
    cr_assert_eq(t.missed[CG_OFF_TOPIC][60], 1);
    cr_assert_eq(t.missed[CG_OFF_TOPIC][61], 0);
}

Test(tradeoff, rates)
{
    cr_assert_float_eq(cli_tradeoff_hold(&t, CG_ON_TOPIC, 0), 0.0, 1e-12);
    cr_assert_float_eq(cli_tradeoff_miss(&t, CG_ON_TOPIC, 0), 3.0 / 5, 1e-12);
    cr_assert_float_eq(cli_tradeoff_hold(&t, CG_ON_TOPIC, 100), 4.0 / 5, 1e-12);
    cr_assert_float_eq(cli_tradeoff_miss(&t, CG_ON_TOPIC, 100), 0.0, 1e-12);
    cr_assert_float_eq(cli_tradeoff_miss(&t, CG_OFF_TOPIC, 50), 1.0 / 7, 1e-12);
    cr_assert_float_eq(cli_tradeoff_hold(&t, CG_ABUSIVE, 98), 1.0 / 2, 1e-12);
}

Test(tradeoff, hold_at_most_takes_the_highest_threshold_within_it)
{
    /* at most 1 of 5 on-topic, 0 of 3 off-topic, 0 of 2 abusive */
    cr_assert_eq(choose(CG_ON_TOPIC, 0.2, -1), 62);
    cr_assert_eq(choose(CG_OFF_TOPIC, 0.2, -1), 70);
    cr_assert_eq(choose(CG_ABUSIVE, 0.2, -1), 97);
    /* nothing may be held: below the lowest right probability */
    cr_assert_eq(choose(CG_ON_TOPIC, 0, -1), 55);
    cr_assert_eq(choose(CG_ON_TOPIC, 1, -1), 100);
}

Test(tradeoff, miss_at_most_takes_the_lowest_threshold_within_it)
{
    cr_assert_eq(choose(CG_ON_TOPIC, -1, 0.2), 59); /* 1 of 5: only 0.90 goes through */
    cr_assert_eq(choose(CG_OFF_TOPIC, -1, 0.2), 0); /* 1 of 7 is within 20% already */
    cr_assert_eq(choose(CG_ABUSIVE, -1, 0.2), 0);
    cr_assert_eq(choose(CG_ON_TOPIC, -1, 0), 91);
    cr_assert_eq(choose(CG_OFF_TOPIC, -1, 0), 61);
}

Test(tradeoff, both_limits)
{
    /* missing nothing on-topic takes 0.91, which holds 3 of 5 (60%) */
    cr_assert_eq(choose(CG_ON_TOPIC, 0.6, 0), 91);
    cr_assert_eq(choose(CG_ON_TOPIC, 0.5, 0), -1);
    cr_assert_eq(choose(CG_OFF_TOPIC, 0, 0), 61);
}

Test(tradeoff, impossible_miss_limit)
{
    /* a wrong label with probability 1 is kept at every threshold */
    cg_label gold[] = {CG_ON_TOPIC, CG_OFF_TOPIC};
    cg_result results[] = {{.label = CG_ON_TOPIC, .prob = {0.9, 0.1, 0}}, {.label = CG_ON_TOPIC, .prob = {1, 0, 0}}};
    cli_tradeoff_count(&t, gold, results, 2);
    cr_assert_eq(choose(CG_ON_TOPIC, -1, 0), -1);
    cr_assert_eq(choose(CG_ON_TOPIC, -1, 1), 0);
}

Test(tradeoff, the_printed_threshold_is_the_one_used)
{
    double th[CG_NUM_CLASSES];
    char err[200];
    cr_assert_eq(cg_thresholds_parse("on-topic=0.62,off-topic=0.70,abusive=0.97", th, err, sizeof err), CG_OK, "%s",
                 err);
    cr_assert(th[CG_ON_TOPIC] == cli_tradeoff_threshold(62));
    cr_assert(th[CG_OFF_TOPIC] == cli_tradeoff_threshold(70));
    cr_assert(th[CG_ABUSIVE] == cli_tradeoff_threshold(97));
    cr_assert(0.62 == cli_tradeoff_threshold(62)); /* the fixture's 0.62 is on the threshold */
}

Test(thresholds_parse, any_order_missing_classes_zero_and_white_space)
{
    double th[CG_NUM_CLASSES] = {9, 9, 9};
    char err[200];
    cr_assert_eq(cg_thresholds_parse("  abusive=1,on-topic=0.5\n", th, err, sizeof err), CG_OK, "%s", err);
    cr_assert(th[CG_ON_TOPIC] == 0.5 && th[CG_OFF_TOPIC] == 0 && th[CG_ABUSIVE] == 1);
    cr_assert_eq(cg_thresholds_parse("off-topic=0.125", th, err, sizeof err), CG_OK, "%s", err);
    cr_assert(th[CG_ON_TOPIC] == 0 && th[CG_OFF_TOPIC] == 0.125 && th[CG_ABUSIVE] == 0);
}

Test(thresholds_parse, bad_lines_are_refused_with_a_reason)
{
    static const struct {
        const char *spec, *why;
    } bad[] = {
        {"", "no thresholds"},
        {"on-topic=1.5", "from 0 to 1"},
        {"on-topic=-0.1", "from 0 to 1"},
        {"on-topic=.5", "from 0 to 1"},
        {"on-topic=0.5x", "unexpected 'x'"},
        {"spam=0.5", "expected on-topic=P"},
        {"on-topic=0.5,on-topic=0.6", "twice"},
        {"on-topic=0.5;off-topic=0.5", "unexpected ';off-topic=0.5'"},
        {"on-topic 0.5", "expected on-topic=P"},
        {"unsure=0.5", "expected on-topic=P"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double th[CG_NUM_CLASSES] = {7, 7, 7};
        char err[200] = "";
        cr_assert_eq(cg_thresholds_parse(bad[i].spec, th, err, sizeof err), CG_ERR_INPUT, "'%s' accepted", bad[i].spec);
        cr_assert(strstr(err, bad[i].why), "'%s': message '%s' lacks '%s'", bad[i].spec, err, bad[i].why);
        cr_assert(th[0] == 7 && th[1] == 7 && th[2] == 7, "'%s' changed the thresholds", bad[i].spec);
    }
}
