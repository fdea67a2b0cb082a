#!/usr/bin/python3
"""site_recipes.py - how far other site models get on the YouTube halves (issue 20), outside the C code.

A scikit-learn check beside `tools/site_curve.py --youtube`: for each of the corpus's four videos (source
youtube-spam of CORPUS/train.jsonl and dev.jsonl) and each seed, the same stratified half as site_curve draws is
the site's rows and the other half is judged; the ROC-AUC of each recipe's off-topic score against on-topic, mean
over the seeds, per video. With --base-scores, a JSONL file of `commentguard score --format jsonl` output for the
videos' rows in file order (train.jsonl's, then dev.jsonl's), the recipes "+base" add G times the base's log-odds of
off-topic against on-topic to the logistic regression's decision value.

Recipes (logistic regression, balanced class weights, on hashed (2^18) binary n-grams, each weighted by its IDF
among the half's rows and L2-normalised, lower-cased):
  wb C          character 1-5-grams within words (char_wb), C
  wb+text C     those and character 1-5-grams across the text (char)
  text C        character 1-5-grams across the text only
  wb+text+words C    and word unigrams
  nbsvm         binary character n-grams scaled by their naive Bayes log-count ratio (Wang and Manning 2012), C 1

  tools/site_recipes.py --corpus ../shared/data/corpus [--seeds 5] [--base-scores BASE.jsonl --gain 0.1]

Needs scikit-learn and numpy (Debian python3-sklearn; run with /usr/bin/python3).
"""
import argparse, json, math, os, random, sys

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ON, OFF = "on-topic", "off-topic"


def videos_of(corpus):
    rows = []
    for name in ("train.jsonl", "dev.jsonl"):
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            rows += [r for r in map(json.loads, f) if r.get("source") == "youtube-spam"]
    by_video = {}
    for i, r in enumerate(rows):
        by_video.setdefault(r.get("article", ""), []).append(i)
    return rows, by_video


def halves(rows, idx, seed):
    """site_curve.py's draw: random.Random(seed), half of each label's rows."""
    rng, half = random.Random(seed), []
    for label in (ON, OFF):
        of_label = [i for i in idx if rows[i]["label"] == label]
        half += rng.sample(of_label, len(of_label) // 2)
    chosen = set(half)
    return half, [i for i in idx if i not in chosen]


def blocks(train, test, kinds, idf=True):
    a, b = [], []
    for analyzer, lo, hi in kinds:
        h = HashingVectorizer(analyzer=analyzer, ngram_range=(lo, hi), n_features=2 ** 18, alternate_sign=False,
                              norm=None, binary=True)
        x, y = h.transform(train), h.transform(test)
        if idf:
            t = TfidfTransformer().fit(x)
            x, y = t.transform(x), t.transform(y)
        a.append(x)
        b.append(y)
    return sp.hstack(a).tocsr(), sp.hstack(b).tocsr()


def logistic(kinds, c):
    def fit(train, y, test):
        x, t = blocks(train, test, kinds)
        return LogisticRegression(C=c, class_weight="balanced", solver="liblinear").fit(x, y).decision_function(t)
    return fit


def nbsvm(train, y, test):
    x, t = blocks(train, test, (("char_wb", 1, 5), ("char", 1, 5)), idf=False)
    p, q = 1 + x[y == 1].sum(0), 1 + x[y == 0].sum(0)
    r = sp.diags(np.asarray(np.log((p / p.sum()) / (q / q.sum()))).ravel())
    return LogisticRegression(C=1, class_weight="balanced", solver="liblinear").fit(x @ r, y).decision_function(t @ r)


WB, TEXT, WORDS = ("char_wb", 1, 5), ("char", 1, 5), ("word", 1, 1)
RECIPES = [("wb C 10", logistic((WB,), 10)), ("wb+text C 1", logistic((WB, TEXT), 1)),
           ("wb+text C 10", logistic((WB, TEXT), 10)), ("wb+text C 100", logistic((WB, TEXT), 100)),
           ("text C 10", logistic((TEXT,), 10)), ("wb+text+words C 10", logistic((WB, TEXT, WORDS), 10)),
           ("nbsvm", nbsvm)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--base-scores", help="the base's scores of the videos' rows (JSONL, in file order)")
    ap.add_argument("--gain", type=float, default=0.1, help="with --base-scores: the weight G of the base's log-odds")
    args = ap.parse_args()
    rows, by_video = videos_of(args.corpus)
    base = None
    if args.base_scores:
        with open(args.base_scores, encoding="utf-8") as f:
            scores = [json.loads(l)["scores"] for l in f if l.strip()]
        if len(scores) != len(rows):
            sys.exit("%s: %d scores for %d rows" % (args.base_scores, len(scores), len(rows)))
        base = np.array([math.log((s[OFF] + 1e-9) / (s[ON] + 1e-9)) for s in scores])
    recipes = list(RECIPES)
    if base is not None:
        recipes.append(("wb+text C 10 +base", logistic((WB, TEXT), 10)))
    names = sorted(by_video)
    print("| recipe | " + " | ".join(v.replace("Comments on the YouTube music video: ", "") for v in names) + " |")
    print("|---|" + "---:|" * len(names))
    for name, fit in recipes:
        means = []
        for video in names:
            aucs = []
            for seed in range(1, args.seeds + 1):
                train, test = halves(rows, by_video[video], seed)
                y = np.array([rows[i]["label"] == OFF for i in train])
                score = fit([rows[i]["text"] for i in train], y, [rows[i]["text"] for i in test])
                if name.endswith("+base"):
                    score = score + args.gain * base[test]
                aucs.append(roc_auc_score([rows[i]["label"] == OFF for i in test], score))
            means.append(sum(aucs) / len(aucs))
        print("| %s | %s |" % (name, " | ".join("%.3f" % m for m in means)), flush=True)


if __name__ == "__main__":
    main()
