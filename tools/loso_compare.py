#!/usr/bin/python3
"""Leave-one-source-out, commentguard against the peers, on the same splits.

tools/loso_compare.py [COMMON] peers [--peers fasttext,linearsvc,logreg]
tools/loso_compare.py [COMMON] commentguard [--cg build/commentguard] [--name NAME] [--again] [-- TRAIN OPTIONS...]
tools/loso_compare.py [COMMON] table
COMMON: [--shared ../shared] [--work build/loso] [--results FILE (default WORK/results.jsonl)]

Splits come from ../shared/peers/loso.py on the corpus's train.jsonl: for each source S, every row of the
other sources to train on and every row of S to test on. The peers (../shared/peers/peers.py's own
fastText, TF-IDF + LinearSVC and TF-IDF + logistic regression code) train on the split as it is;
commentguard trains on it as training/default_mix.py labels it for a blog, as the default model does, with
`commentguard train` and the options after `--` (training/rebuild-default.sh gives the default model's). Every figure comes from the
peers' metrics.py (evaluate.py for commentguard). Results are appended to the results file, one line per
(model, source); a source already measured for a model is skipped, so an interrupted run resumes (`--again`
measures commentguard anew). `table` prints the Markdown table of macro-F1 per source with the best peer and who
wins, then ROC-AUC of P(bad class) on the sources with two classes. On 2 cores LinearSVC takes about a minute per source, fastText and logistic regression 15 minutes or more
each; commentguard about 4 minutes in all. The default model's figures are kept in training/loso-results.jsonl
(training/rebuild-default.sh).
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PEER_NAMES = {"fasttext": "fasttext", "linearsvc": "sklearn-tfidf-linearsvc", "logreg": "sklearn-tfidf-logreg"}


def load(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [json.loads(l) for l in f if l.strip()]


def measured(results):
    return load(results) if os.path.exists(results) else []


def record(results, result):
    with open(results, "a", encoding="utf-8") as f:
        f.write(json.dumps(result, sort_keys=True) + "\n")


def forget(results, name):
    """Drop the results of model `name`, keeping the others (temp file, then rename)."""
    kept = [r for r in measured(results) if r["model"] != name]
    with open(results + ".tmp", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, sort_keys=True) + "\n" for r in kept)
    os.replace(results + ".tmp", results)


def splits(shared, work):
    """The loso.py splits, written once; returns the sources in order."""
    out = os.path.join(work, "splits")
    if not os.path.isdir(out):
        subprocess.run(["/usr/bin/python3", os.path.join(shared, "peers", "loso.py"),
                        os.path.join(shared, "data", "corpus", "train.jsonl"), out + ".tmp"], check=True,
                       stdout=subprocess.DEVNULL)
        os.rename(out + ".tmp", out)
    return sorted(f[:-len(".test.jsonl")] for f in os.listdir(out) if f.endswith(".test.jsonl"))


def run_peers(shared, work, results, wanted):
    sys.path.insert(0, os.path.join(shared, "peers"))
    import peers
    from metrics import report
    done = {(r["model"], r["source"]) for r in measured(results)}
    for source in splits(shared, work):
        todo = [p for p in wanted if (PEER_NAMES[p], source) not in done]
        if not todo:
            continue
        train = load(os.path.join(work, "splits", source + ".train.jsonl"))
        test = load(os.path.join(work, "splits", source + ".test.jsonl"))
        gold = [o["label"] for o in test]
        with tempfile.TemporaryDirectory(prefix="loso-peers-") as scratch:
            if "fasttext" in todo:
                for _, preds, scores, _ in peers.fasttext_peer(train, [(source, test)], scratch):
                    record(results, dict(report(gold, preds, scores), model="fasttext", source=source))
            if "linearsvc" in todo or "logreg" in todo:
                # peers.sklearn_peers is a generator that fits LinearSVC, then logistic regression: stop
                # early when only LinearSVC is wanted, so the slow fit never starts.
                for name, _, preds, scores, _ in peers.sklearn_peers(train, [(source, test)], scratch):
                    if name == "vectorizer":
                        break
                    if (name, source) not in done and name in (PEER_NAMES[p] for p in todo):
                        record(results, dict(report(gold, preds, scores), model=name, source=source))
                    if "logreg" not in todo:
                        break
        print("loso_compare: peers done on %s" % source, file=sys.stderr, flush=True)


def run_commentguard(shared, work, results, cg, name, train_options):
    done = {(r["model"], r["source"]) for r in measured(results)}
    for source in splits(shared, work):
        if (name, source) in done:
            continue
        with tempfile.TemporaryDirectory(prefix="loso-cg-") as scratch:
            mixed = os.path.join(scratch, "train.jsonl")
            subprocess.run(["/usr/bin/python3", os.path.join(HERE, "..", "training", "default_mix.py"),
                            os.path.join(work, "splits", source + ".train.jsonl"), mixed], check=True,
                           stderr=subprocess.DEVNULL)
            model = os.path.join(scratch, "model")
            trained = subprocess.run([cg, "train", "--data", mixed, "--out", model, "--no-report", "--quiet"] +
                                     train_options, capture_output=True, text=True)
            if trained.returncode != 0:
                sys.exit("loso_compare: training without %s failed: %s" % (source, trained.stderr.strip()))
            out = subprocess.run(["/usr/bin/python3", os.path.join(shared, "peers", "evaluate.py"), cg, "--model",
                                  model, os.path.join(work, "splits", source + ".test.jsonl")], check=True,
                                 capture_output=True, text=True).stdout
            result = json.loads(out.splitlines()[0])
            if "error" in result:
                sys.exit("evaluate.py on %s: %s" % (source, result["error"]))
            record(results, dict(result, model=name, source=source))
            print("loso_compare: %s on %s: macro-F1 %.4f" % (name, source, result["macro_f1"]), file=sys.stderr,
                  flush=True)


def table(results):
    rows = measured(results)
    by = {(r["model"], r["source"]): r for r in rows}
    sources = sorted({r["source"] for r in rows})
    peers = [p for p in PEER_NAMES.values() if any(r["model"] == p for r in rows)]
    ours = sorted({r["model"] for r in rows} - set(peers))
    print("| source | rows | task | " + " | ".join(peers + ours) + " | best peer | " +
          " | ".join("%s − best peer" % m for m in ours) + " |")
    print("|---|---:|---|" + "---:|" * (len(peers) + 2 * len(ours) + 1))
    wins = {m: 0 for m in ours}
    for s in sources:
        first = next(r for (m, t), r in by.items() if t == s)
        cells = ["%.4f" % by[(m, s)]["macro_f1"] if (m, s) in by else "–" for m in peers + ours]
        best = max((by[(p, s)]["macro_f1"] for p in peers if (p, s) in by), default=None)
        gaps = []
        for m in ours:
            if best is None or (m, s) not in by:
                gaps.append("–")
                continue
            gap = by[(m, s)]["macro_f1"] - best
            wins[m] += gap >= 0
            gaps.append("%+.4f" % gap)
        print("| %s | %d | %s | %s | %s | %s |" % (s, first["n"], first["task"], " | ".join(cells),
                                                   "–" if best is None else "%.4f" % best, " | ".join(gaps)))
    print("\n– : not measured. The best peer is the best of those measured on that source.")
    for m in ours:
        print("\n%s at least the best peer on %d of %d sources." % (m, wins[m], len(sources)))
    auc_table(by, sources, peers, ours)


def auc_table(by, sources, peers, ours):
    """ROC-AUC of P(bad class) on the sources with two classes (a source of one class has none), SemEval
    apart: issue 23's measure of insults on unseen sources, beside the macro-F1 above."""
    def auc(m, s):
        a = by.get((m, s), {}).get("auc")
        return None if a is None or a != a else a  # NaN: one class
    two = [s for s in sources if any(auc(m, s) is not None for m in peers + ours)]
    if not two:
        return
    print("\nROC-AUC of P(bad class) on the sources with two classes:\n")
    print("| source | " + " | ".join(peers + ours) + " | best peer | " +
          " | ".join("%s − best peer" % m for m in ours) + " |")
    print("|---|" + "---:|" * (len(peers) + 2 * len(ours) + 1))
    wins = {m: 0 for m in ours}
    counted = [s for s in two if not s.startswith("semeval")]
    for s in two:
        cells = ["%.4f" % auc(m, s) if auc(m, s) is not None else "–" for m in peers + ours]
        best = max((auc(p, s) for p in peers if auc(p, s) is not None), default=None)
        gaps = []
        for m in ours:
            if best is None or auc(m, s) is None:
                gaps.append("–")
                continue
            wins[m] += s in counted and auc(m, s) >= best
            gaps.append("%+.4f" % (auc(m, s) - best))
        print("| %s | %s | %s | %s |" % (s, " | ".join(cells), "–" if best is None else "%.4f" % best, " | ".join(gaps)))
    for m in ours:
        print("\n%s at least the best peer's ROC-AUC on %d of the %d sources with two classes other than SemEval's."
              % (m, wins[m], len(counted)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"))
    ap.add_argument("--work", default="build/loso")
    ap.add_argument("--results", help="the results file (default WORK/results.jsonl)")
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("peers")
    p.add_argument("--peers", default="fasttext,linearsvc,logreg")
    c = sub.add_parser("commentguard")
    c.add_argument("--cg", default="build/commentguard")
    c.add_argument("--name", default="commentguard")
    c.add_argument("--again", action="store_true", help="forget this name's earlier results first")
    c.add_argument("train_options", nargs="*")
    sub.add_parser("table")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    results = args.results or os.path.join(args.work, "results.jsonl")
    if args.what == "peers":
        wanted = args.peers.split(",")
        unknown = set(wanted) - set(PEER_NAMES)
        if unknown:
            sys.exit("loso_compare.py: unknown peer(s) %s" % ", ".join(sorted(unknown)))
        run_peers(args.shared, args.work, results, wanted)
    elif args.what == "commentguard":
        if args.again:
            forget(results, args.name)
        run_commentguard(args.shared, args.work, results, args.cg, args.name, args.train_options)
    else:
        table(results)


if __name__ == "__main__":
    main()
