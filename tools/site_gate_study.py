#!/usr/bin/python3
"""site_gate_study.py - would a per-comment gate let an adapted bundle keep the corpus's figures (issue 20)?

A scikit-learn study, outside the C code: a site model (logistic regression, C 10, balanced, on character
1-5-grams of the text, each present n-gram weighted by its IDF among the training rows, L2-normalised) is
blended with the base per comment: P(off-topic | on or off) = (1 - g) * base + g * site, and the off-topic
decision weight v is applied as v ** g, where the gate g in 0..1 says how much the comment is like the site's
rows. The gate's statistic s of a comment, against the site's training rows:
  coverage: the share of the comment's distinct character 4-5-grams seen in those rows;
  background: the mean log ratio, over those n-grams, of their document frequency among the site's rows
              (shrunk towards the background's) to that among BACKGROUND rows (a sample of public comments,
              standing for what the base learned from).
g = 0 below the LO quantile of the training rows' own (leave-one-out) s, 1 above the HI quantile, linear
between. Reports, for each (LO, HI): the site's cross-validation (stratified 5-fold x 3 seeds: ROC-AUC of
P(off-topic), caught at 10% held, and the decision weight that catches most while holding at most 9%) and,
with the model fitted on all SITE rows, the peers' metrics on EVAL (macro-F1, abusive recall, on-topic held).

  tools/site_gate_study.py --cg build/commentguard --base models/default \\
      --site ../shared/data/blog/dev.jsonl --eval ../shared/data/corpus/dev.jsonl \\
      [--gate coverage|background --background ../shared/data/corpus/train.jsonl]

Needs scikit-learn and numpy (python3-sklearn) and the peers' metrics.py beside EVAL's data (../shared/peers).
"""
import argparse, collections, json, math, os, random, subprocess, sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

NAMES = ("on-topic", "off-topic", "abusive")


def read_rows(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(l) for l in f if l.strip()]
    except (OSError, ValueError) as e:
        sys.exit("%s: %s" % (path, e))


def base_probabilities(cg, base, rows):
    lines = [json.dumps({k: r[k] for k in ("text", "article") if k in r}, ensure_ascii=False) for r in rows]
    p = subprocess.run([cg, "score", "--format", "jsonl", "--model", base], capture_output=True,
                       input=("\n".join(lines) + "\n").encode("utf-8"))
    outs = [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()]
    if p.returncode != 0 or len(outs) != len(rows):
        sys.exit("score --model %s failed: %s" % (base, p.stderr.decode()[-300:]))
    return np.array([[o["scores"][n] for n in NAMES] for o in outs])


def grams(text):
    t = text.lower()
    return {t[i:i + n] for n in (4, 5) for i in range(len(t) - n + 1)}


class Gate:
    def __init__(self, kind, background):
        self.kind, self.bg, self.n_bg = kind, collections.Counter(), len(background)
        for g in background:
            self.bg.update(g)

    def stat(self, g, df, n, loo):
        if not g:
            return 0.0
        if self.kind == "coverage":
            return sum(df.get(x, 0) - loo > 0 for x in g) / len(g)
        total = 0.0
        for x in g:
            pb = (self.bg.get(x, 0) + 0.5) / (self.n_bg + 1)
            total += math.log((df.get(x, 0) - loo + 20 * pb) / (n - loo + 20) / pb)
        return total / len(g)


def fit(texts, y, grams_of, idx, gate):
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 5), binary=True, dtype=np.float64)
    x = vec.fit_transform([texts[i] for i in idx])
    model = LogisticRegression(C=10, class_weight="balanced", max_iter=2000).fit(x, y[idx])
    df = collections.Counter()
    for i in idx:
        df.update(grams_of[i])
    loo = np.array([gate.stat(grams_of[i], df, len(idx), 1) for i in idx])
    return vec, model, df, loo


def gate_of(s, loo, lo, hi):
    a, b = np.quantile(loo, lo), np.quantile(loo, hi)
    return np.clip((s - a) / max(b - a, 1e-12), 0, 1) if hi > 0 else np.ones_like(s)


def combine(base, site, g):
    mass = base[:, 0] + base[:, 1]
    q = (1 - g) * base[:, 1] / np.maximum(mass, 1e-300) + g * site
    return np.stack([mass * (1 - q), mass * q, base[:, 2]], 1)


def decide(p, v, g):
    return np.argmax(p * np.stack([np.ones(len(g)), v ** g, np.ones(len(g))], 1), 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default="build/commentguard")
    ap.add_argument("--base", default="models/default")
    ap.add_argument("--site", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--gate", choices=("coverage", "background"), default="coverage")
    ap.add_argument("--background", help="with --gate background: public comments (JSONL); 20,000 drawn")
    ap.add_argument("--peers", help="the directory of metrics.py (default: ../../peers from EVAL)")
    args = ap.parse_args()
    peers = args.peers or os.path.join(os.path.dirname(os.path.abspath(args.eval)), "..", "..", "peers")
    sys.path.insert(0, peers)
    try:
        from metrics import report
    except ImportError:
        sys.exit("no metrics.py in %s (give --peers)" % peers)
    site = [r for r in read_rows(args.site) if r["label"] in NAMES[:2]]
    evaluation = read_rows(args.eval)
    background = []
    if args.gate == "background":
        if not args.background:
            sys.exit("--gate background needs --background")
        rows = read_rows(args.background)
        background = [grams(r["text"]) for r in random.Random(1).sample(rows, min(20000, len(rows)))]
    gate = Gate(args.gate, background)
    texts = [r["text"] for r in site]
    y = np.array([r["label"] == "off-topic" for r in site], int)
    g_site = [grams(t) for t in texts]
    b_site, b_eval = base_probabilities(args.cg, args.base, site), base_probabilities(args.cg, args.base, evaluation)
    folds = []
    for seed in range(3):
        prob, stat, loo = np.zeros(len(site)), np.zeros(len(site)), [None] * len(site)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, y):
            vec, model, df, own = fit(texts, y, g_site, train, gate)
            prob[test] = model.predict_proba(vec.transform([texts[i] for i in test]))[:, 1]
            for i in test:
                stat[i], loo[i] = gate.stat(g_site[i], df, len(train), 0), own
        folds.append((prob, stat, loo))
    vec, model, df, own = fit(texts, y, g_site, np.arange(len(site)), gate)
    p_eval = model.predict_proba(vec.transform([r["text"] for r in evaluation]))[:, 1]
    s_eval = np.array([gate.stat(grams(r["text"]), df, len(site), 0) for r in evaluation])
    gold = [r["label"] for r in evaluation]
    print("| gate (%s) | site CV ROC-AUC | caught at 10%% held | v | held / caught at labels | eval macro-F1 | "
          "abusive recall | on-topic held | mean gate on eval |" % args.gate)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for lo, hi in ((0, 0), (0, 0.1), (0.05, 0.3), (0.1, 0.5), (0.2, 0.7)):
        aucs, caught = [], []
        for prob, stat, loo in folds:
            g = np.array([gate_of(stat[i], loo[i], lo, hi) for i in range(len(site))])
            p = combine(b_site, prob, g)[:, 1]
            aucs.append(roc_auc_score(y, p))
            caught.append(float(np.mean(p[y == 1] > np.quantile(p[y == 0], 0.9))))
        prob, stat, loo = folds[0]
        g = np.array([gate_of(stat[i], loo[i], lo, hi) for i in range(len(site))])
        p = combine(b_site, prob, g)
        best = (1.0, -1.0, 0.0)
        for k in range(-8, 17):
            labels = decide(p, 2 ** (k / 4), g) != 0
            held, hit = labels[y == 0].mean(), labels[y == 1].mean()
            if held <= 0.09 and hit > best[1]:
                best = (2 ** (k / 4), hit, held)
        g_eval = gate_of(s_eval, own, lo, hi)
        p = combine(b_eval, p_eval, g_eval)
        r = report(gold, [NAMES[i] for i in decide(p, best[0], g_eval)], [dict(zip(NAMES, q)) for q in p])
        print("| %s | %.3f | %.1f%% | %.2f | %.1f%% / %.1f%% | %.4f | %.4f | %.3f | %.2f |" % (
            "none (g = 1)" if hi == 0 else "q%.2f-q%.2f" % (lo, hi), np.mean(aucs), 100 * np.mean(caught), best[0],
            100 * best[2], 100 * best[1], r["macro_f1"], r["per_class"]["abusive"]["r"], r["on_topic_held"],
            float(np.mean(g_eval))), flush=True)


if __name__ == "__main__":
    main()
