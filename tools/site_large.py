#!/usr/bin/python3
"""What `commentguard train --base` gives a large site, and what it takes (issue 20's memory bound).

Takes the rows of one source of the corpus (CORPUS/train.jsonl and CORPUS/dev.jsonl, field "source"),
draws ROWS of them (stratified by label, seeded), adapts BASE on them with each set of `train --base`
options given (`--repeats 0`: no figures, only the bundle) and judges the bundle on the rows not drawn.
For each option set prints the peak RSS of `train --base` (GNU time), the site features the bundle holds
(bundle.json: they may be narrower than asked when the site vectors would pass their memory budget),
and on the judged rows, for the adapted bundle and the site model alone (`--blend 1`): the ROC-AUC of
P(class) of each class the drawn rows hold other than on-topic against the on-topic rows, and the
macro-F1 of the labels over the classes of the judged rows. The base's figures are printed first.

  tools/site_large.py --cg build/commentguard --base models/default --corpus ../shared/data/corpus \\
      --source implicit-hate --rows 10000 [--seed 1] ["OPTIONS" ...]

Each OPTIONS is one string of `train --base` options ("" for its defaults).
"""
import argparse, json, os, random, shlex, subprocess, sys, tempfile

from site_curve import Program, rank_auc, read_rows, write_rows

CLASSES = ("on-topic", "off-topic", "abusive")


def macro_f1(gold, predicted):
    f1 = []
    for c in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, predicted) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, predicted) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, predicted) if g == c and p != c)
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1) / len(f1)


def figures(outs, rows, classes):
    """'class AUC ...' per class other than on-topic (against on-topic rows), then the macro-F1."""
    gold = [r["label"] for r in rows]
    parts = []
    for c in classes:
        if c == "on-topic":
            continue
        pick = [k for k, g in enumerate(gold) if g in (c, "on-topic")]
        parts.append("%.4f" % rank_auc([outs[k]["scores"][c] for k in pick], [gold[k] == c for k in pick]))
    parts.append("%.4f" % macro_f1(gold, [o["label"] for o in outs]))
    return parts


def labelled(prog, bundle, rows):
    """score --format jsonl's objects (label and scores) of rows."""
    lines = [json.dumps({k: r[k] for k in ("text", "author", "author_url", "author_email") if k in r},
                        ensure_ascii=False) for r in rows]
    p = subprocess.run([prog.path, "score", "--format", "jsonl", "--model", bundle],
                       input=("\n".join(lines) + "\n").encode("utf-8"), capture_output=True)
    outs = [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()]
    if p.returncode != 0 or len(outs) != len(rows):
        sys.exit("score --model %s failed: %s" % (bundle, p.stderr.decode()[-500:]))
    return outs


def site_features(bundle):
    with open(os.path.join(bundle, "bundle.json"), encoding="utf-8") as f:
        site = json.load(f).get("site", {})
    ex, feat = site.get("extractor", {}), site.get("features", {})
    within, across = ex.get("char_ngrams", [0, 0]), feat.get("text_char_ngrams", [0, 0])
    return "within words %d-%d, across %d-%d, words 1-%d" % (within[0], within[1], across[0], across[1],
                                                              ex.get("word_ngrams", 0))


def adapt(prog, base, data, out, seed, options, tmp):
    cmd = [prog.path, "train", "--base", base, "--data", data, "--out", out, "--seed", str(seed), "--quiet",
           "--repeats", "0"] + options
    timing = os.path.join(tmp, "time")
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", timing] + cmd, capture_output=True)
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(cmd), p.stderr.decode()[-500:]))
    with open(timing) as f:
        return int(f.read().split()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default="build/commentguard")
    ap.add_argument("--base", default="models/default")
    ap.add_argument("--corpus", required=True, help="the directory of train.jsonl and dev.jsonl")
    ap.add_argument("--source", required=True, help='a "source" of the corpus, or "all"')
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--judge", type=int, help="judge a random draw of this many of the rows not drawn")
    ap.add_argument("options", nargs="*", help='train --base options, one string per run ("" for none)')
    args = ap.parse_args()
    if not os.access("/usr/bin/time", os.X_OK):
        ap.error("needs GNU time (/usr/bin/time, Debian package time)")
    rows = [r for name in ("train.jsonl", "dev.jsonl") for r in read_rows(os.path.join(args.corpus, name))
            if args.source in ("all", r.get("source"))]
    if len(rows) <= args.rows:
        sys.exit("source %s has %d rows, not more than --rows %d" % (args.source, len(rows), args.rows))
    rng = random.Random(args.seed)
    drawn = []
    for c in CLASSES:
        of_class = [r for r in rows if r["label"] == c]
        drawn += rng.sample(of_class, round(args.rows * len(of_class) / len(rows)))
    ids = set(id(r) for r in drawn)
    rest = [r for r in rows if id(r) not in ids]
    if args.judge and args.judge < len(rest):
        rest = rng.sample(rest, args.judge)
    classes = [c for c in CLASSES if sum(1 for r in drawn if r["label"] == c) >= 3]
    prog = Program(args.cg)
    head = ["ROC-AUC of P(%s)" % c for c in classes if c != "on-topic"] + ["macro-F1"]
    print("%s: %d rows drawn (seed %d), %d judged" % (args.source, len(drawn), args.seed, len(rest)))
    print("| options | peak RSS MB | site features | " + " | ".join("adapted " + h for h in head) + " | " +
          " | ".join("site alone " + h for h in head) + " |")
    print("|---|---:|---|" + "---:|" * (2 * len(head)))
    print("| base | | | " + " | ".join(figures(labelled(prog, args.base, rest), rest, classes)) + " |" +
          " |" * len(head), flush=True)
    with tempfile.TemporaryDirectory(prefix="site_large.") as tmp:
        data, out = os.path.join(tmp, "drawn.jsonl"), os.path.join(tmp, "adapted")
        write_rows(drawn, data)
        for text in args.options or [""]:
            options = shlex.split(text)
            peak = adapt(prog, args.base, data, out, args.seed, options, tmp)
            features = site_features(out)
            adapted = figures(labelled(prog, out, rest), rest, classes)
            adapt(prog, args.base, data, out, args.seed, options + ["--blend", "1"], tmp)
            alone = figures(labelled(prog, out, rest), rest, classes)
            print("| `%s` | %.1f | %s | %s | %s |" % (text or "(defaults)", peak, features, " | ".join(adapted),
                                                     " | ".join(alone)), flush=True)


if __name__ == "__main__":
    main()
