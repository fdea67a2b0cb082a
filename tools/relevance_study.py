#!/usr/bin/python3
"""How much can the article tell about off-topic comments in the shared data? Prints Markdown.

tools/relevance_study.py [--cg build/commentguard] [--dump build/tools/cg_dump_vectors]
                         [--model models/default] [--shared ../shared] [--folds 5]

(needs python3-sklearn: tools/setup.sh --bench-deps; cg_dump_vectors: cmake --build build --target
cg_dump_vectors). Everything is measured on the dev rows that have an article (community-QA answers
under their question, YouTube comments under their video's title), off-topic against on-topic:

1. Ceiling: a second-stage logistic regression (and gradient boosting), cross-validated on those rows
   grouped by article, that sees the model's probabilities *without* the article plus relevance
   measures: the shipped ones (cg_dump_vectors dump --articles with) and candidates computed here:
   IDF-weighted coverage, the rarest shared word, shared rare words, TF-IDF cosine, a language-model
   divergence after Mishne, Carmel and Lempel (AIRWeb 2005), and an LSA cosine. Tuned on the very rows
   it is measured on, so an upper bound for what such features add to this model.
2. The trap: a TF-IDF logistic regression (like the peers) trained on the train split, each row with an
   article also trained without it, given one feature that only says "an article is present".
3. Synthetic pairs: the second stage of 1. with on-topic comments paired with another thread's article
   added to its training folds as off-topic (hard negatives), at several rates.
4. Misplaced comments: the model's verdict on the on-topic comments of those rows under their own
   article and under another thread's article.
"""
import argparse, collections, json, math, os, random, re, subprocess, sys, tempfile

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold
import scipy.sparse as sp

LABELS = ("on-topic", "off-topic", "abusive")
WORD = re.compile(r"[a-z0-9']+")
# The same function words as src/stopwords.c.
STOPWORDS = set("""a about after again all also am an and any are as at be because been before being but by can
could did do does doing don't down each even few for from get got had has have having he her here hers him his
how i i'm if in into is it it's its just know like me more most my no nor not now of off on once one only or
other our out over own please really same she should so some such than thank thanks that that's the their them
then there these they think this those through to too under until up us very was we well were what when where
which while who whom why will with would yes you your yours""".split())
SHIPPED_NAMES = ["word cosine", "n-gram cosine", "coverage", "weighted coverage", "foreign links"]


def content_words(text):
    return [w for w in WORD.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS]


class Background:
    """Document frequencies and a unigram language model of the train split (comments and articles)."""

    def __init__(self, rows):
        self.df, self.tf, self.docs = collections.Counter(), collections.Counter(), 0
        texts = [r["text"] for r in rows] + sorted({r["article"] for r in rows if "article" in r})
        for t in texts:
            words = content_words(t)
            self.docs += 1
            self.df.update(set(words))
            self.tf.update(words)
        self.total = sum(self.tf.values())
        self.vocabulary = len(self.tf)

    def idf(self, w):
        return math.log((self.docs + 1) / (self.df[w] + 1))

    def p(self, w):
        return (self.tf[w] + 0.5) / (self.total + 0.5 * self.vocabulary)


CANDIDATE_NAMES = ["IDF coverage", "rarest shared word", "shared rare words", "TF-IDF cosine",
                   "LM divergence (Mishne)", "LM gain over background"]


def candidate_features(bg, comment, article):
    c, a = collections.Counter(content_words(comment)), collections.Counter(content_words(article))
    shared = [w for w in c if w in a]
    idf_sum = sum(bg.idf(w) for w in c) or 1.0
    vc = {w: (1 + math.log(n)) * bg.idf(w) for w, n in c.items()}
    va = {w: (1 + math.log(n)) * bg.idf(w) for w, n in a.items()}
    norm = math.sqrt(sum(x * x for x in vc.values()) * sum(x * x for x in va.values())) or 1.0
    # Mishne et al.: the divergence of the comment's language model from the article's, the article's
    # smoothed with the background; and how much the article explains beyond the background.
    n, la = sum(c.values()), sum(a.values())
    kl = gain = 0.0
    for w, k in c.items():
        pc, pb = k / n, bg.p(w)
        pa = 0.5 * (a[w] / la if la else 0.0) + 0.5 * pb
        kl += pc * math.log(pc / pa)
        gain += pc * math.log(pa / pb)
    return [sum(bg.idf(w) for w in shared) / idf_sum,
            max((bg.idf(w) for w in shared), default=0.0) / 10,
            sum(1 for w in shared if bg.idf(w) > 4),
            sum(vc[w] * va[w] for w in shared) / norm,
            kl / 10, gain / 5]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def score(cg, model, rows, work, name):
    """P(label) of each row, and whether it was called off-topic, through `commentguard score`."""
    path = os.path.join(work, name + ".jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"text": r["text"], "article": r.get("article")}) + "\n")
    with open(path, "rb") as stdin:
        out = subprocess.run([cg, "score", "--model", model, "--format", "jsonl"], stdin=stdin,
                             capture_output=True, check=True).stdout.decode().splitlines()
    results = [json.loads(line) for line in out]
    return (np.array([[r["scores"][k] for k in LABELS] for r in results]),
            np.array([r["label"] == "off-topic" for r in results]))


def shipped_relevance(dump, model, rows, work):
    """The shipped relevance features (centred, as the model sees them) of each row with its article."""
    path = os.path.join(work, "with-article.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"text": r["text"], "article": r["article"]}) + "\n")
    with open(path, "rb") as stdin:
        out = subprocess.run([dump, "dump", "--model", model, "--format", "jsonl", "--articles", "with"],
                             stdin=stdin, capture_output=True, check=True).stdout.decode().splitlines()
    with open(os.path.join(model, "bundle.json"), encoding="utf-8") as f:
        ex = json.load(f)["extractor"]
    base = (1 << ex["hash_bits"]) + 1 + 13  # after the hashed block and the 13 dense signals (extract.h)
    features = np.zeros((len(out), 24))
    for i, line in enumerate(out):
        for node in line.split()[1:]:
            index, value = node.split(":")
            if int(index) >= base:
                features[i, int(index) - base] = float(value)
    return features


def cross_validate(make, X, y, groups, folds, extra=None):
    """Out-of-fold P(off-topic); extra(train_index) may return more (X, y) for a training fold."""
    p = np.zeros(len(y))
    for train, test in GroupKFold(folds).split(X, y, groups):
        Xt, yt = X[train], y[train]
        if extra:
            Xe, ye = extra(train)
            if len(ye):
                Xt, yt = np.vstack([Xt, Xe]), np.concatenate([yt, ye])
        p[test] = make().fit(Xt, yt).predict_proba(X[test])[:, 1]
    return p


def f1_figures(y, p):
    best = max(f1_score(y, p >= t) for t in np.arange(0.05, 0.95, 0.01))
    return f1_score(y, p >= 0.5), best, roc_auc_score(y, p)


class Lsa:
    """Latent semantic analysis of the train split (comments and articles): TF-IDF, then a truncated SVD."""

    def __init__(self, train_rows, dims):
        texts = [r["text"] for r in train_rows] + sorted({r["article"] for r in train_rows if "article" in r})
        self.vec = TfidfVectorizer(token_pattern=r"[a-z0-9']+", stop_words=sorted(STOPWORDS), min_df=2,
                                   sublinear_tf=True)
        self.svd = TruncatedSVD(dims, random_state=0).fit(self.vec.fit_transform(texts))

    def cosine(self, rows):
        c = self.svd.transform(self.vec.transform([r["text"] for r in rows]))
        a = self.svd.transform(self.vec.transform([r["article"] for r in rows]))
        return (c * a).sum(1) / (np.linalg.norm(c, axis=1) * np.linalg.norm(a, axis=1) + 1e-9)


def presence_trap(train_rows, rows, y):
    """Off-topic F1 and AUC with and without a pure 'article present' feature (section 2)."""
    vec = TfidfVectorizer(token_pattern=r"[a-z0-9']+", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    X = vec.fit_transform([r["text"] for r in train_rows])
    labels = np.array([LABELS.index(r["label"]) for r in train_rows])
    with_article = [i for i, r in enumerate(train_rows) if "article" in r]
    present = sp.csr_matrix(np.ones((len(with_article), 1)))
    X = sp.vstack([sp.hstack([X, sp.csr_matrix((X.shape[0], 1))]), sp.hstack([X[with_article], present])]).tocsr()
    model = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
    model.fit(X, np.concatenate([labels, labels[with_article]]))
    D = vec.transform([r["text"] for r in rows])
    result = {}
    for name, bit in (("with the article", 1.0), ("without it", 0.0)):
        p = model.predict_proba(sp.hstack([D, sp.csr_matrix(np.full((D.shape[0], 1), bit))]).tocsr())
        result[name] = (f1_score(y, p.argmax(1) == 1), roc_auc_score(y, p[:, 1]))
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default="build/commentguard")
    ap.add_argument("--dump", default="build/tools/cg_dump_vectors")
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    corpus = os.path.join(args.shared, "data", "corpus")
    train_rows = read_jsonl(os.path.join(corpus, "train.jsonl"))
    rows = [r for r in read_jsonl(os.path.join(corpus, "dev.jsonl")) if "article" in r]
    if any(r["label"] == "abusive" for r in rows):
        sys.exit("relevance_study.py: expected no abusive rows among those with an article")
    y = np.array([r["label"] == "off-topic" for r in rows], dtype=int)
    groups = [r["article"] for r in rows]
    with tempfile.TemporaryDirectory(prefix="cg-relevance-") as work:
        study(args, train_rows, rows, y, groups, work)


def study(args, train_rows, rows, y, groups, work):
    """Print the four parts of the study (see the top of this file), using work for scratch files."""
    rng = random.Random(1)

    p_without, _ = score(args.cg, args.model, [{"text": r["text"]} for r in rows], work, "without")
    p_with, _ = score(args.cg, args.model, rows, work, "with")
    shipped = shipped_relevance(args.dump, args.model, rows, work)[:, :len(SHIPPED_NAMES)]
    bg = Background(train_rows)
    candidates = np.array([candidate_features(bg, r["text"], r["article"]) for r in rows])
    lsa_model = Lsa(train_rows, 200)
    lsa = lsa_model.cosine(rows)[:, None]
    text = np.log(np.clip(p_without, 1e-6, 1.0))

    print("## How much the article can add on the shared data\n")
    print("Measured by `tools/relevance_study.py --model %s` on the %d dev rows that have an article "
          "(%d off-topic), off-topic against on-topic.\n" % (args.model, len(rows), y.sum()))
    print("### Each relevance measure alone\n")
    print("ROC-AUC of the measure as a score for off-topic (lower relatedness = more off-topic); 0.5 is chance.\n")
    print("| measure | AUC |\n|---|---:|")
    named = [(n, shipped[:, k], "shipped") for k, n in enumerate(SHIPPED_NAMES)]
    named += [(n, candidates[:, k], "candidate") for k, n in enumerate(CANDIDATE_NAMES)]
    named += [("LSA cosine (200 dimensions)", lsa[:, 0], "candidate")]
    for name, values, kind in named:
        sign = 1 if name in ("foreign links", "LM divergence (Mishne)") else -1
        print("| %s (%s) | %.3f |" % (name, kind, roc_auc_score(y, sign * values)))

    print("\n### A second stage on top of the model (ceiling)\n")
    print("Off-topic F1 at P = 0.5 and at the best threshold (chosen on the same rows: optimistic), and ROC-AUC, "
          "cross-validated in %d folds grouped by article.\n" % args.folds)
    print("| inputs | second stage | F1 at 0.5 | best F1 | AUC |\n|---|---|---:|---:|---:|")
    print("| the model without the article | none | %.4f | %.4f | %.4f |" % f1_figures(y, p_without[:, 1]))
    print("| the model with the article | none | %.4f | %.4f | %.4f |" % f1_figures(y, p_with[:, 1]))
    def logistic():
        return LogisticRegression(max_iter=3000)

    def boosting():
        return HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=200, random_state=0)

    sets = [("probabilities without the article", text),
            ("+ shipped relevance features", np.hstack([text, shipped])),
            ("+ shipped and candidate measures", np.hstack([text, shipped, candidates, lsa]))]
    for name, X in sets:
        print("| %s | logistic regression | %.4f | %.4f | %.4f |"
              % ((name,) + f1_figures(y, cross_validate(logistic, X, y, groups, args.folds))))
    print("| + shipped and candidate measures | gradient boosting | %.4f | %.4f | %.4f |"
          % f1_figures(y, cross_validate(boosting, sets[-1][1], y, groups, args.folds)))

    print("\n### The trap: a feature that only says \"an article is present\"\n")
    print("TF-IDF word 1-2-gram logistic regression trained on the train split, every row with an article "
          "also trained without it, plus that one feature.\n")
    print("| condition | off-topic F1 | AUC |\n|---|---:|---:|")
    for name, (f1, auc) in presence_trap(train_rows, rows, y).items():
        print("| %s | %.4f | %.4f |" % (name, f1, auc))

    print("\n### Synthetic pairs (hard negatives)\n")
    print("The logistic second stage on the model's probabilities and all measures, its training folds "
          "extended with on-topic comments under another thread's article, labelled off-topic.\n")
    print("| share of on-topic rows paired | F1 at 0.5 | best F1 | AUC |\n|---:|---:|---:|---:|")
    X = sets[-1][1]
    articles = sorted(set(groups))
    for share in (0.0, 0.25, 0.5, 1.0):
        def extra(train):
            picked = [i for i in train if y[i] == 0 and rng.random() < share]
            others = []
            for i in picked:
                other = rng.choice(articles)
                while other == groups[i]:
                    other = rng.choice(articles)
                others.append(dict(rows[i], article=other))
            if not others:
                return np.zeros((0, X.shape[1])), np.zeros(0, dtype=int)
            rel = shipped_relevance(args.dump, args.model, others, work)[:, :len(SHIPPED_NAMES)]
            cand = np.array([candidate_features(bg, r["text"], r["article"]) for r in others])
            cos = lsa_model.cosine(others)[:, None]
            return np.hstack([text[picked], rel, cand, cos]), np.ones(len(others), dtype=int)
        print("| %.2f | %.4f | %.4f | %.4f |" % ((share,) + f1_figures(y, cross_validate(
            logistic, X, y, groups, args.folds, extra if share else None))))

    print("\n### Misplaced comments\n")
    on = [r for r in rows if r["label"] == "on-topic"]
    moved = []
    for r in on:
        other = rng.choice(articles)
        while other == r["article"]:
            other = rng.choice(articles)
        moved.append(dict(r, article=other))
    own, elsewhere = score(args.cg, args.model, on, work, "own"), score(args.cg, args.model, moved, work, "moved")
    print("The %d on-topic comments of those rows, scored by `%s` under their own article and under another "
          "thread's (chosen at random).\n" % (len(on), args.model))
    print("| article | called off-topic | mean P(off-topic) |\n|---|---:|---:|")
    for name, (p, called_off) in (("their own", own), ("another thread's", elsewhere)):
        print("| %s | %.1f%% | %.3f |" % (name, 100 * called_off.mean(), p[:, 1].mean()))


if __name__ == "__main__":
    main()
