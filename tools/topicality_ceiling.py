#!/usr/bin/python3
"""How far word overlap alone can tell a moved comment from one under its own article (no model at all).

    tools/topicality_ceiling.py --idf-data ../shared/data/corpus/train.jsonl --blog ../shared/data/blog/dev.jsonl
                                [--threads ../shared/data/corpus/dev.jsonl] [--stem-chars 5]

The same pairs as tools/judgement.py's misplacement suite (content-bearing on-topic comments under their own
article, and under every other blog article / 5 other question threads, the questions as given and as whole
threads: the question and the thread's other answers, judgement.whole_thread), scored by the plain IDF-weighted cosine
of comment and article (words cut to --stem-chars characters, function words out, IDF from --idf-data): its
ROC-AUC (lower cosine = moved), and the share of comments that share no word at all with their own article, which
no overlap measure can tell from moved ones. An approximation of the C tokeniser (lower-cased letters and digits),
for the ceiling only; the stage itself is measured by tools/topicality_curve.py.
"""
import argparse
import collections
import json
import math
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from judgement import carries_content, read_jsonl, roc_auc, whole_thread  # noqa: E402

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def function_words():
    text = open(os.path.join(HERE, "..", "src", "stopwords.c"), encoding="utf-8").read()
    return set(re.findall(r'"([^"]+)"', text[text.index("stopwords[] = {"):text.index("};")]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--idf-data", required=True)
    ap.add_argument("--blog", required=True)
    ap.add_argument("--threads")
    ap.add_argument("--stem-chars", type=int, default=5)
    args = ap.parse_args()
    stop = function_words()

    def stems(text):
        return {w[:args.stem_chars] for w in WORD.findall(text.lower()) if len(w) >= 2 and w not in stop
                and not w.isdigit()}

    df, docs, seen = collections.Counter(), 0, set()
    for r in read_jsonl(args.idf_data):
        texts = [r["text"]] + ([r["article"]] if r.get("article") and r["article"] not in seen else [])
        for t in texts:
            df.update(stems(t))
            docs += 1
        if r.get("article"):
            seen.add(r["article"])

    def cosine(a, b):
        idf = {w: math.log((docs + 1) / (df.get(w, 0) + 1)) for w in a | b}
        dot = sum(idf[w] ** 2 for w in a & b)
        na, nb = math.sqrt(sum(idf[w] ** 2 for w in a)), math.sqrt(sum(idf[w] ** 2 for w in b))
        return dot / (na * nb) if dot else 0.0

    print("| pairs | comments | ROC-AUC of -cosine | own article shares no word |")
    print("|---|---:|---:|---:|")
    sets = [("blog (every other article)", read_jsonl(args.blog), None)]
    if args.threads:
        rows = [r for r in read_jsonl(args.threads) if r.get("article") and r.get("source", "").startswith("semeval")]
        sets.append(("question threads (5 others)", rows, 5))
    if args.threads:
        sets.append(("whole question threads (5 others)", rows, -5))
    for name, data, moves in sets:
        articles = sorted({r["article"] for r in data if r.get("article")})
        whole = moves is not None and moves < 0
        threads = {a: [r for r in data if r.get("article") == a] for a in articles} if whole else {}
        moves = abs(moves) if moves is not None else None
        own = [r for r in data if r["label"] == "on-topic" and r.get("article") and carries_content(r["text"])]
        rng = random.Random(1)
        own_scores, moved_scores = [], []  # (-cosine, the article's words)
        for r in own:
            s = stems(r["text"])
            mine = whole_thread(r["article"], threads[r["article"]], r["text"]) if whole else r["article"]
            own_scores.append((-cosine(s, stems(mine)), len(mine.split())))
            others = [a for a in articles if a != r["article"]]
            for a in (others if moves is None else rng.sample(others, min(moves, len(others)))):
                text = whole_thread(a, threads[a]) if whole else a
                moved_scores.append((-cosine(s, stems(text)), len(text.split())))
        bands = [("", 0, math.inf)] + ([(", articles under 200 words", 0, 200), (", 200 words or more", 200, math.inf)]
                                       if whole else [])
        for band, lo, hi in bands:
            o = [v for v, n in own_scores if lo <= n < hi]
            m = [v for v, n in moved_scores if lo <= n < hi]
            zero = sum(1 for v in o if v == 0) / len(o)
            print(f"| {name}{band} | {len(o)} | {roc_auc(m, o):.3f} | {zero:.1%} |")


if __name__ == "__main__":
    main()
