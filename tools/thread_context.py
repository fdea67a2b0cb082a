#!/usr/bin/python3
"""thread_context.py - what the thread is worth: comments judged under their post alone, and under their post
with the comments already approved there (the JSONL "thread" field, cg_article_new_thread).

    tools/thread_context.py --cg build/commentguard --model models/default \\
        --blog ../shared/data/blog/dev.jsonl [--corpus-dev ../shared/data/corpus/dev.jsonl] [--seeds 3] [--cost 30]

Blog (every row has its post): each comment scored (1) under its post alone; (2) with the approved (on-topic)
comments above it in the file under the same post, the file's order standing for the order of posting; (3) with a
random half of the post's other approved comments (mean over --seeds draws: a thread caught at some moment);
(4) with all of them. For each: ROC-AUC of P(off-topic), off-topic against on-topic; caught at 10% held (off-topic
rows above the 90th percentile of the on-topic rows' P(off-topic)); held / caught at the labels (on-topic / off-topic
rows not labelled on-topic). Then the misplacement pairs of tools/judgement.py (content-bearing on-topic comments
under each other post against under their own), with each post's approved comments as its thread (the comment's own
thread without it). Corpus dev (--corpus-dev): its rows that have an article (question threads, video titles), per
source, under the article alone and with the approved comments above them. With --cost N: the blog's rows N times
over, each with the approved comments above it as its thread, through one `score --threads 1` (each row prepares its
own article), against the same rows under their posts alone (one article prepared per post): the fastest of 5 runs
of each, in ms a comment, the program's start and model load included in both.
"""
import argparse
import os
import json
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from judgement import carries_content, read_jsonl, roc_auc, score  # noqa: E402

ON, OFF = "on-topic", "off-topic"


def figures(answers, rows):
    """ROC-AUC, caught at 10% held, held and caught at the labels, of answers to labelled rows."""
    on = sorted(a["scores"][OFF] for a, r in zip(answers, rows) if r["label"] == ON)
    off = [a["scores"][OFF] for a, r in zip(answers, rows) if r["label"] == OFF]
    at = 0.9 * (len(on) - 1)  # the 90th percentile, interpolated as train --base's report does
    lo = int(at)
    cut = on[lo] + (at - lo) * (on[lo + 1] - on[lo]) if lo + 1 < len(on) else on[lo]
    return {"auc": roc_auc(off, on),
            "caught10": sum(p > cut for p in off) / len(off),
            "held": sum(a["label"] != ON for a, r in zip(answers, rows) if r["label"] == ON) / len(on),
            "caught": sum(a["label"] != ON for a, r in zip(answers, rows) if r["label"] == OFF) / len(off)}


def approved_above(rows):
    """Each row's thread: the on-topic rows above it under the same article."""
    seen, threads = {}, []
    for r in rows:
        threads.append(list(seen.get(r["article"], [])))
        if r["label"] == ON:
            seen.setdefault(r["article"], []).append(r["text"])
    return threads


def approved_others(rows, keep=lambda j: True):
    """Each row's thread: the other on-topic rows under the same article that keep(j) accepts."""
    return [[q["text"] for j, q in enumerate(rows) if j != i and q["article"] == r["article"] and q["label"] == ON
             and keep(j)] for i, r in enumerate(rows)]


def with_threads(rows, threads):
    return [{"text": r["text"], "article": r["article"], "thread": t} for r, t in zip(rows, threads)]


def row_line(name, f):
    print(f"| {name} | {f['auc']:.4f} | {f['caught10']:.1%} | {f['held']:.1%} | {f['caught']:.1%} |")


def blog_figures(cg, model, rows, seeds):
    print("| blog: each comment under | ROC-AUC of P(off-topic) | caught at 10% held | held at the labels | "
          "caught at the labels |")
    print("|---|---:|---:|---:|---:|")
    row_line("its post alone", figures(score(cg, model, rows), rows))
    row_line("its post and the approved comments above it", figures(score(cg, model, with_threads(
        rows, approved_above(rows))), rows))
    draws = []
    for seed in range(1, seeds + 1):
        rng = random.Random(seed)
        kept = [rng.random() < 0.5 for _ in rows]
        draws.append(figures(score(cg, model, with_threads(rows, approved_others(rows, lambda j: kept[j]))), rows))
    row_line(f"its post and half of its other approved comments (mean of {seeds} draws)",
             {k: sum(d[k] for d in draws) / len(draws) for k in draws[0]})
    row_line("its post and all its other approved comments", figures(score(cg, model, with_threads(
        rows, approved_others(rows))), rows))


def moved_figures(cg, model, rows):
    """Misplacement pairs with and without the posts' approved comments as their threads."""
    posts = sorted({r["article"] for r in rows})
    approved = {a: [r["text"] for r in rows if r["article"] == a and r["label"] == ON] for a in posts}
    own = [r for r in rows if r["label"] == ON and carries_content(r["text"])]
    print("\n| blog: content-bearing comments moved under every other post | comments | ROC-AUC of P(off-topic), "
          "moved against own |")
    print("|---|---:|---:|")
    for name, threaded in (("posts alone", False), ("posts with their approved comments", True)):
        mine = [{"text": r["text"], "article": r["article"],
                 "thread": [t for t in approved[r["article"]] if t != r["text"]] if threaded else []} for r in own]
        moved = [{"text": r["text"], "article": a, "thread": approved[a] if threaded else []}
                 for r in own for a in posts if a != r["article"]]
        o = [a["scores"][OFF] for a in score(cg, model, mine)]
        m = [a["scores"][OFF] for a in score(cg, model, moved)]
        print(f"| {name} | {len(own)} | {roc_auc(m, o):.4f} |")


def corpus_figures(cg, model, rows):
    rows = [r for r in rows if r.get("article")]
    alone = score(cg, model, rows)
    above = score(cg, model, with_threads(rows, approved_above(rows)))
    print("\n| corpus dev rows with an article | rows | ROC-AUC alone / with the approved above | "
          "held alone / with | caught alone / with |")
    print("|---|---:|---:|---:|---:|")
    for source in sorted({r["source"] for r in rows}) + ["all"]:
        pick = [i for i, r in enumerate(rows) if source in ("all", r["source"])]
        sub = [rows[i] for i in pick]
        a, b = figures([alone[i] for i in pick], sub), figures([above[i] for i in pick], sub)
        print(f"| {source} | {len(sub)} | {a['auc']:.4f} / {b['auc']:.4f} | {a['held']:.1%} / {b['held']:.1%} | "
              f"{a['caught']:.1%} / {b['caught']:.1%} |")


def cost_figures(cg, model, rows, times):
    threads = approved_above(rows)
    print("\n| blog rows x %d, `score --threads 1` | ms a comment (fastest of 5) |" % times)
    print("|---|---:|")
    for name, with_thread in (("under their posts alone", False), ("with the approved comments above them", True)):
        lines = "".join(json.dumps(dict({"text": r["text"], "article": r["article"]},
                                        **({"thread": t} if with_thread else {}))) + "\n"
                        for r, t in zip(rows, threads)) * times
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([cg, "score", "--model", model, "--format", "jsonl", "--threads", "1"],
                           input=lines.encode(), stdout=subprocess.DEVNULL, check=True)
            best = min(best, time.perf_counter() - start)
        print(f"| {name} | {1000 * best / (len(rows) * times):.3f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default="build/commentguard")
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--blog", required=True)
    ap.add_argument("--corpus-dev")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--cost", type=int, default=0, metavar="N")
    args = ap.parse_args()
    blog = read_jsonl(args.blog)
    blog_figures(args.cg, args.model, blog, args.seeds)
    moved_figures(args.cg, args.model, blog)
    if args.corpus_dev:
        corpus_figures(args.cg, args.model, read_jsonl(args.corpus_dev))
    if args.cost:
        cost_figures(args.cg, args.model, blog, args.cost)


if __name__ == "__main__":
    main()
