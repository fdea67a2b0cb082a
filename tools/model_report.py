#!/usr/bin/python3
"""Measure a model bundle on the shared dev split and print the model card's figures as Markdown.

tools/model_report.py --cg build/commentguard --model models/default [--shared ../shared] [--peers [--train FILE]]

Uses ../shared/peers/evaluate.py (the peers' own metrics) on
  - the whole dev split, with each comment's article where it has one;
  - the dev rows that have an article (community-QA answers and YouTube comments), scored with the
    article and without it, by the same model: off-topic F1, macro-F1 and ROC-AUC of P(off-topic);
and with --peers, runs ../shared/peers/peers.py (fastText, scikit-learn TF-IDF LinearSVC and logistic
regression, trained on FILE: the rows the model was trained on; the corpus's train split by default) on
the same sets and the blog set, comment text only.
"""
import argparse, json, os, subprocess, sys, tempfile

ARTICLE_SOURCES = ("semeval2016-cqa", "semeval2015-cqa", "youtube-spam")
V1_SOURCES = ("semeval2016-cqa", "semeval2015-cqa", "youtube-spam", "impermium-insults", "olid", "sms-spam")


def evaluate(shared, cg, model, path, no_article=False):
    cmd = ["/usr/bin/python3", os.path.join(shared, "peers", "evaluate.py"), cg, "--model", model, path]
    if no_article:
        cmd.insert(3, "--no-article")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.splitlines()[0])
    if "error" in result:
        sys.exit("evaluate.py: " + result["error"])
    return result


def spam_caught(cg, model, path):
    """The share of the file's off-topic comments that the model labels off-topic."""
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(l) for l in f if l.strip()]
    out = subprocess.run([cg, "score", "--model", model, "--format", "jsonl"], input="".join(
        json.dumps({"text": r["text"], "article": r.get("article")}) + "\n" for r in rows), check=True,
        capture_output=True, text=True).stdout.splitlines()
    spam = [json.loads(o)["label"] for o, r in zip(out, rows) if r["label"] == "off-topic"]
    return sum(l == "off-topic" for l in spam) / max(1, len(spam))


def peers(shared, train, work, tests):
    cmd = ["/usr/bin/python3", os.path.join(shared, "peers", "peers.py"), "--train", train, "--work", work]
    for t in tests:
        cmd += ["--test", t]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default="build/commentguard")
    ap.add_argument("--model", default="models/default")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--peers", action="store_true", help="also train and score the peers (about 20 minutes)")
    ap.add_argument("--train", help="with --peers: the rows they train on (default: the corpus's train split)")
    args = ap.parse_args()
    train = args.train or os.path.join(args.shared, "data", "corpus", "train.jsonl")
    dev = os.path.join(args.shared, "data", "corpus", "dev.jsonl")
    work = tempfile.mkdtemp(prefix="cg-report-")
    subset = os.path.join(work, "dev-with-article.jsonl")
    with open(dev, encoding="utf-8") as f, open(subset, "w", encoding="utf-8") as out:
        for line in f:
            if json.loads(line).get("source") in ARTICLE_SOURCES:
                out.write(line)

    full = evaluate(args.shared, args.cg, args.model, dev)
    with_a = evaluate(args.shared, args.cg, args.model, subset)
    without_a = evaluate(args.shared, args.cg, args.model, subset, no_article=True)
    full_without = evaluate(args.shared, args.cg, args.model, dev, no_article=True)

    print("## Dev figures\n")
    print("Measured by `tools/model_report.py` (which runs `../shared/peers/evaluate.py`, and with `--peers` "
          "`../shared/peers/peers.py`) on `dev.jsonl`, %d comments never seen in training.\n" % full["n"])
    print("| model | accuracy | 3-class macro-F1 | on-topic F1 | off-topic F1 | abusive F1 |")
    print("|---|---|---|---|---|---|")
    def row(name, r):
        pc = r["per_class"]
        print("| %s | %.4f | **%.4f** | %.4f | %.4f | %.4f |" % (name, r["accuracy"], r["macro_f1"],
              pc["on-topic"]["f1"], pc["off-topic"]["f1"], pc["abusive"]["f1"]))
    row("commentguard (with articles)", full)
    row("commentguard (comments only)", full_without)
    peer_rows = []
    if args.peers:
        peer_rows = peers(args.shared, train, os.path.join(work, "peers"),
                          [dev, subset, os.path.join(args.shared, "data", "blog", "dev.jsonl")])
        # peers.py names a set by its file, or by folder/file where two share a name (corpus/dev, blog/dev).
        for p in peer_rows:
            if p.get("set") == "corpus/dev" and "per_class" in p:
                row(p["peer"], p)
    print("\nPer class (with articles):\n")
    print("| class | precision | recall | F1 |")
    print("|---|---|---|---|")
    for c, v in full["per_class"].items():
        print("| %s | %.4f | %.4f | %.4f |" % (c, v["p"], v["r"], v["f1"]))

    blog = os.path.join(args.shared, "data", "blog", "dev.jsonl")
    b = evaluate(args.shared, args.cg, args.model, blog)
    caught = spam_caught(args.cg, args.model, blog)
    print("\n## A real blog (never trained on)\n")
    print("`../shared/data/blog/dev.jsonl`: %d reader comments of a tutorial blog with their articles; off-topic "
          "(spam) against the rest.\n" % b["n"])
    print("| model | ROC-AUC of P(off-topic) | legitimate comments held | spam caught | off-topic F1 | macro-F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    print("| commentguard | **%.4f** | %.1f%% | %.1f%% | %.4f | %.4f |" % (b["auc"], 100 * b["on_topic_held"],
          100 * caught, b["f1_bad"], b["macro_f1"]))
    for p in peer_rows:
        if p.get("set") == "blog/dev" and "auc" in p:
            print("| %s | %.4f | %.1f%% | | %.4f | %.4f |" % (p["peer"], p["auc"], 100 * p["on_topic_held"],
                  p["f1_bad"], p["macro_f1"]))

    print("\n## Dev figures per source\n")
    print("| source | rows | task | macro-F1 | accuracy |")
    print("|---|---:|---|---:|---:|")
    by_source = {}
    with open(dev, encoding="utf-8") as f:
        for line in f:
            by_source.setdefault(json.loads(line).get("source", ""), []).append(line)
    v1_path = os.path.join(work, "dev-v1.jsonl")
    with open(v1_path, "w", encoding="utf-8") as v1:
        for src in sorted(by_source):
            path = os.path.join(work, "dev-%s.jsonl" % src)
            with open(path, "w", encoding="utf-8") as out:
                out.writelines(by_source[src])
            if src in V1_SOURCES:
                v1.writelines(by_source[src])
            r = evaluate(args.shared, args.cg, args.model, path)
            print("| %s | %d | %s | %.4f | %.4f |" % (src, r["n"], r["task"], r["macro_f1"], r["accuracy"]))
    r = evaluate(args.shared, args.cg, args.model, v1_path)
    print("\nOn the dev rows of the six sources of corpus v1 (%d): macro-F1 %.4f, accuracy %.4f." % (
        r["n"], r["macro_f1"], r["accuracy"]))

    print("\n## With and without the article\n")
    print("The %d dev rows that have an article (%s): off-topic against on-topic, the same model scored "
          "with each comment's article and without it.\n" % (with_a["n"], ", ".join(ARTICLE_SOURCES)))
    print("| model | off-topic F1 | macro-F1 | ROC-AUC of P(off-topic) |")
    print("|---|---|---|---|")
    print("| commentguard with the article | **%.4f** | %.4f | %.4f |" % (with_a["f1_bad"], with_a["macro_f1"], with_a["auc"]))
    print("| commentguard without the article | %.4f | %.4f | %.4f |" % (without_a["f1_bad"], without_a["macro_f1"], without_a["auc"]))
    for p in peer_rows:
        if p.get("set") == "dev-with-article" and "f1_bad" in p:
            print("| %s (comment only) | %.4f | %.4f | %.4f |" % (p["peer"], p["f1_bad"], p["macro_f1"], p.get("auc", float("nan"))))


if __name__ == "__main__":
    main()
