#!/usr/bin/python3
"""Short articles (a title and a line): can anything the project has tell a content-bearing comment moved under
another article from the same comment under its own? Ceilings without the model, on the blog's pairs.

    tools/topicality_short.py --idf-data ../shared/data/corpus/train.jsonl --blog ../shared/data/blog/dev.jsonl

(needs python3-sklearn: tools/setup.sh --bench-deps.) The pairs are tools/judgement.py's: each of the blog's
content-bearing legitimate comments under its own article and under each of the other articles. Stems and IDF as in
tools/topicality_ceiling.py. Each row is a ROC-AUC (moved against own) of one score:
  idf cosine       the plain IDF-weighted cosine of comment and article (lower = moved)
  association      what the fitting data says words go with: for each of the comment's stems, its strongest positive
                   pointwise mutual information (co-occurrence in one text of --idf-data) with a stem of the article,
                   averaged with IDF weights; then added to the cosine
  fitted on blog   a logistic regression on the blog pairs themselves (in-sample: an upper bound for any stage built
                   from these inputs) of ln(1 + mass) and the cosine, then with a "names another subject" flag (the
                   comment names a language or tool of SUBJECTS and the article names only others)
"""
import argparse
import collections
import math
import os
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from judgement import carries_content, read_jsonl, roc_auc  # noqa: E402
from topicality_ceiling import WORD, function_words  # noqa: E402

# Languages and tools of a data-science blog, by their first 5 characters: the subject a comment can name.
SUBJECTS = {"pytho": "python", "panda": "python", "numpy": "python", "sklea": "python", "keras": "python",
            "tenso": "python", "r": "r", "ggplo": "r", "dplyr": "r", "rstud": "r", "cran": "r", "sql": "sql",
            "postg": "sql", "mysql": "sql", "excel": "excel", "spark": "spark", "pyspa": "spark", "table": "tableau"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--idf-data", required=True)
    ap.add_argument("--blog", required=True)
    args = ap.parse_args()
    stop = function_words()

    def stems(text):
        return {w[:5] for w in WORD.findall(text.lower()) if len(w) >= 2 and w not in stop and not w.isdigit()}

    def subjects(text):
        return {SUBJECTS[w[:5]] for w in WORD.findall(text.lower()) if w[:5] in SUBJECTS}

    docs, seen = [], set()
    for r in read_jsonl(args.idf_data):
        docs.append(stems(r["text"]))
        if r.get("article") and r["article"] not in seen:
            seen.add(r["article"])
            docs.append(stems(r["article"]))
    n_docs = len(docs)
    df = collections.Counter(s for d in docs for s in d)

    def idf(s):
        return math.log((n_docs + 1) / (df.get(s, 0) + 1))

    blog = read_jsonl(args.blog)
    articles = sorted({r["article"] for r in blog})
    own = [r for r in blog if r["label"] == "on-topic" and carries_content(r["text"])]
    vocab = sorted(set().union(*[stems(r["text"]) for r in own], *[stems(a) for a in articles]))
    index = {s: i for i, s in enumerate(vocab)}
    rows, cols = zip(*[(j, index[s]) for j, d in enumerate(docs) for s in d if s in index])
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_docs, len(vocab)))
    together = (x.T @ x).toarray()
    alone = np.diag(together).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.where(together > 1, np.log(together * n_docs / np.outer(alone, alone)), 0.0)
    pmi = np.maximum(pmi, 0.0)
    np.fill_diagonal(pmi, 0.0)

    def cosine(c, a):
        dot = sum(idf(s) ** 2 for s in c & a)
        return dot / math.sqrt(sum(idf(s) ** 2 for s in c) * sum(idf(s) ** 2 for s in a)) if dot else 0.0

    def association(c, a):
        ci, ai = [index[s] for s in c], [index[s] for s in a]
        if not ci or not ai:
            return 0.0
        w = np.array([idf(vocab[i]) for i in ci])
        return float((w * pmi[np.ix_(ci, ai)].max(axis=1)).sum() / w.sum())

    features, moved = [], []
    for r in own:
        c = stems(r["text"])
        for a in articles:
            s = stems(a)
            clash = bool(subjects(r["text"])) and bool(subjects(a)) and not subjects(r["text"]) & subjects(a)
            features.append([math.log1p(sum(idf(t) for t in c)), cosine(c, s), association(c, s), float(clash)])
            moved.append(a != r["article"])
    f, y = np.array(features), np.array(moved)

    def auc(score):
        return roc_auc(list(score[y]), list(score[~y]))

    def fitted(columns):
        return LogisticRegression(max_iter=1000).fit(f[:, columns], y).decision_function(f[:, columns])

    print(f"{len(own)} comments, {len(articles)} articles; {int((~y).sum())} own and {int(y.sum())} moved pairs")
    print("| score | ROC-AUC, moved against own |")
    print("|---|---:|")
    print(f"| idf cosine | {auc(-f[:, 1]):.3f} |")
    print(f"| association (--idf-data) | {auc(-f[:, 2]):.3f} |")
    for weight in (0.02, 0.05, 0.1):
        print(f"| idf cosine + {weight:g} association | {auc(-(f[:, 1] + weight * f[:, 2])):.3f} |")
    print(f"| fitted on blog: ln(1 + mass), cosine | {auc(fitted([0, 1])):.3f} |")
    print(f"| fitted on blog: ... and names another subject | {auc(fitted([0, 1, 3])):.3f} |")
    named = sum(1 for r in own if subjects(r["text"]))
    print(f"\ncomments naming a subject: {named} of {len(own)}; articles: {sum(1 for a in articles if subjects(a))} "
          f"of {len(articles)}; blog stems the data never has: {sum(1 for s in vocab if not df.get(s))} of {len(vocab)}")


if __name__ == "__main__":
    main()
