#!/usr/bin/python3
"""What the topicality stage trades: for each hold budget, fit the stage on a copy of a bundle and measure it.

    tools/topicality_curve.py --data ../shared/data/corpus/train.jsonl --blog ../shared/data/blog/dev.jsonl
                              [--threads ../shared/data/corpus/dev.jsonl] [--model models/default]
                              [--cg build/commentguard] [--hold 0,0.002,0.005,0.01,0.02] [--strength 1]
                              [--fit-options "--belong-mass-half 230"]

For each budget P of --hold, `commentguard topicality --hold-at-most P` fits the stage on --data (never on the
blog: it is only measured) into a copy of --model, and tools/judgement.py's misplacement suite measures the copy:
the fixture's cases (unrelated comments off-topic, generic reactions on-topic), the blog's content-bearing
comments under every other article against their own (ROC-AUC of P(off-topic)), the blog's legitimate comments
held, and with --threads the same across a corpus file's question threads, with the questions as given (short)
and with whole threads as the articles (the question and the thread's other answers: long). --strength S adds rows with the fitted
coefficients but the strength forced to S, to show the far end of the trade. The first row is the model alone; the
column "back" is the fitted share of the way back to on-topic (belong_strength; --release-at-most of the fit).
Prints a Markdown table.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import judgement  # noqa: E402


def measure(cg, model, blog, threads):
    r = judgement.misplacement_suite(cg, model, blog, threads)
    return [r["fixture right"], r["blog moved vs own ROC-AUC of p(off-topic)"], r["blog legitimate held"],
            r.get("threads moved vs own ROC-AUC of p(off-topic)"), r.get("threads on-topic answers held"),
            r.get("whole threads moved vs own ROC-AUC of p(off-topic)"), r.get("whole threads on-topic answers held")]


def fit(cg, model, data, hold, extra):
    out = subprocess.run([cg, "topicality", "--model", model, "--data", data, "--hold-at-most", str(hold)] + extra,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit("topicality_curve: the fit failed: " + out.stderr.strip())
    return json.load(open(os.path.join(model, "bundle.json"), encoding="utf-8"))["topicality"]


def force_strength(model, strength):
    path = os.path.join(model, "bundle.json")
    settings = json.load(open(path, encoding="utf-8"))
    settings["topicality"]["strength"] = strength
    with open(path, "w", encoding="utf-8") as f:
        json.dump(settings, f, indent=2)


def cell(v):
    return "" if v is None else f"{v:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default=os.path.join(HERE, "..", "build", "commentguard"))
    ap.add_argument("--model", default=os.path.join(HERE, "..", "models", "default"))
    ap.add_argument("--data", required=True, help="labelled comments with articles to fit on (corpus train)")
    ap.add_argument("--blog", required=True)
    ap.add_argument("--threads")
    ap.add_argument("--hold", default="0,0.002,0.005,0.01,0.02")
    ap.add_argument("--strength", help="comma-separated strengths to force besides the fitted ones")
    ap.add_argument("--fit-options", default="", help="more options for `commentguard topicality`, e.g. "
                    "\"--belong-mass-half 230\"")
    args = ap.parse_args()
    print("| stage | strength | back | fixture right | blog moved AUC | blog held | threads moved AUC | threads held "
          "| whole threads moved AUC | whole threads held |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = measure(args.cg, args.model, args.blog, args.threads)
    print("| model alone | | | " + " | ".join(cell(v) for v in base) + " |")
    with tempfile.TemporaryDirectory(prefix="cg_topic_curve_") as tmp:
        copy = os.path.join(tmp, "bundle")
        shutil.copytree(args.model, copy)
        stage = None
        for hold in [float(h) for h in args.hold.split(",")]:
            stage = fit(args.cg, copy, args.data, hold, args.fit_options.split())
            row = measure(args.cg, copy, args.blog, args.threads)
            print(f"| --hold-at-most {hold:g} | {stage['strength']:.2f} | {stage.get('belong_strength', 0):.2f} | " + " | ".join(cell(v) for v in row) + " |")
        for s in [float(x) for x in args.strength.split(",")] if args.strength else []:
            force_strength(copy, s)
            row = measure(args.cg, copy, args.blog, args.threads)
            print(f"| strength forced | {s:.2f} | {stage.get('belong_strength', 0):.2f} | " + " | ".join(cell(v) for v in row) + " |")


if __name__ == "__main__":
    main()
