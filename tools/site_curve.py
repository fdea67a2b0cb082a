#!/usr/bin/python3
"""How much a site's own labelled comments teach `commentguard train --base` (issue 20's evidence).

Learning curve (the default): draws SIZES rows of DATA (stratified by label, DRAWS random draws per size),
adapts BASE on them (`train --base`, and `train --base --blend 1` for the site model alone) and judges
the base, the adapted bundle and the site-only bundle on the rows not drawn. The full file is measured
by the cross-validation `train --base` itself reports (stratified 5-fold x 5 seeds, blend chosen inside
each training fold). Prints a Markdown table of medians and ranges; --plot draws them.

  tools/site_curve.py --cg build/commentguard --base models/default \\
      --data ../shared/data/blog/dev.jsonl [--sizes 25,50,100,200] [--draws 10] [--plot docs/site-curve.png]

Second site (--youtube): the corpus's YouTube comments (source youtube-spam of CORPUS/train.jsonl and
CORPUS/dev.jsonl), one video at a time (the `article` field names the video). BASE should be a bundle
trained without them (see README, "Teach it your site"). For each video and seed: adapt on a stratified
half, judge the other half; prints mean ROC-AUC of P(off-topic) per video for the base and the adapted
bundle, the adapted bundle's ROC-AUC of P(off-topic) / (P(on-topic) + P(off-topic)) (its ranking within the site's
classes, which P(abusive), the base's alone, does not scale) and the base's mean P(abusive) of the judged half.

  tools/site_curve.py --youtube --cg build/commentguard --base BASE_WITHOUT_YOUTUBE \\
      --corpus ../shared/data/corpus [--seeds 5]

Metrics as everywhere in the project: ROC-AUC of P(off-topic) (off-topic against on-topic; ties count
half), and caught at 10% held = share of off-topic rows whose P(off-topic) is above the 90th percentile
(linear interpolation) of the on-topic rows' P(off-topic).
"""
import argparse, json, os, random, re, shlex, statistics, subprocess, sys, tempfile

OFF, ON = "off-topic", "on-topic"
PASSED_FIELDS = ("text", "article", "author", "author_url", "author_email")


def read_rows(path):
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as e:
                    sys.exit("%s:%d: %s" % (path, n, e))
                if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "label" not in row:
                    sys.exit("%s:%d: a row needs \"text\" and \"label\"" % (path, n))
                rows.append(row)
    except OSError as e:
        sys.exit("%s: %s" % (path, e.strerror))
    return rows


def rank_auc(scores, positive):
    """ROC-AUC of scores for the rows where positive is true against the others (Mann-Whitney, ties count half)."""
    pairs = sorted(zip(scores, positive))
    n_pos = sum(1 for _, p in pairs if p)
    n_neg = len(pairs) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mean_rank = (i + 1 + j) / 2.0
        rank_sum += mean_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def auc(scores, labels):
    """ROC-AUC of scores for off-topic against on-topic rows (other rows left out)."""
    kept = [(s, l == OFF) for s, l in zip(scores, labels) if l in (ON, OFF)]
    return rank_auc([s for s, _ in kept], [p for _, p in kept])


def percentile(values, q):
    v = sorted(values)
    pos = (len(v) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def caught_at_10_held(scores, labels):
    on = [s for s, l in zip(scores, labels) if l == ON]
    off = [s for s, l in zip(scores, labels) if l == OFF]
    if not on or not off:
        return float("nan")
    threshold = percentile(on, 90)
    return sum(1 for s in off if s > threshold) / len(off)


def write_rows(rows, path):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


class Program:
    """The commentguard binary: scoring and `train --base`."""

    def __init__(self, path, options=()):
        self.path = path
        self.options = list(options)  # more `train --base` options for every adaptation
        self.repeats_option = True  # dropped if this build's `train --base` does not know it

    def p_off(self, bundle, rows):
        return [o[OFF] for o in self.scores(bundle, rows)]

    def scores(self, bundle, rows):
        """Each row's probabilities, label -> P, as `score --format jsonl` gives them."""
        lines = [json.dumps(dict({"id": i}, **{k: r[k] for k in PASSED_FIELDS if k in r}), ensure_ascii=False)
                 for i, r in enumerate(rows)]
        p = subprocess.run([self.path, "score", "--format", "jsonl", "--model", bundle],
                           input=("\n".join(lines) + "\n").encode("utf-8"), capture_output=True)
        outs = [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()]
        if p.returncode != 0 or len(outs) != len(rows) or any("error" in o for o in outs):
            sys.exit("score --model %s failed (rc %d): %s" % (bundle, p.returncode, p.stderr.decode()[-500:]))
        return [o["scores"] for o in outs]

    def adapt(self, base, data, out, seed, blend=None, report=False):
        """Runs train --base; returns its standard output (the report, when report is set)."""
        cmd = [self.path, "train", "--base", base, "--data", data, "--out", out, "--seed", str(seed), "--quiet"]
        cmd += self.options
        if blend is not None:
            cmd += ["--blend", str(blend)]
        if not report and self.repeats_option:
            p = subprocess.run(cmd + ["--repeats", "0"], capture_output=True)
            if p.returncode == 0:
                return p.stdout.decode("utf-8")
            if "repeats" not in p.stderr.decode("utf-8", "replace"):
                sys.exit("%s failed: %s" % (" ".join(cmd), p.stderr.decode()[-500:]))
            self.repeats_option = False
        p = subprocess.run(cmd, capture_output=True)
        if p.returncode != 0:
            sys.exit("%s failed: %s" % (" ".join(cmd), p.stderr.decode()[-500:]))
        return p.stdout.decode("utf-8")


def stratified_draw(rows, size, rng):
    """size rows with the file's share of off-topic (at least one of each class), the rest of the rows."""
    off = [i for i, r in enumerate(rows) if r["label"] == OFF]
    on = [i for i, r in enumerate(rows) if r["label"] != OFF]
    n_off = min(len(off) - 1, max(1, round(size * len(off) / len(rows))))
    chosen = set(rng.sample(off, n_off) + rng.sample(on, size - n_off))
    return ([r for i, r in enumerate(rows) if i in chosen], [r for i, r in enumerate(rows) if i not in chosen])


def judge(prog, bundle, rows):
    scores = prog.p_off(bundle, rows)
    labels = [r["label"] for r in rows]
    return auc(scores, labels), caught_at_10_held(scores, labels)


MODELS = ("base", "adapted", "site model alone")


def parse_cv_report(text):
    """The first (stratified) table of train --base's report: model -> (AUC mean, AUC sd, caught %)."""
    found = {}
    for line in text.split("Grouped by article")[0].splitlines():
        m = re.match(r"\|\s*(base|adapted|site model alone)\s*\|\s*([0-9.]+) ± ([0-9.]+)\s*\|\s*([0-9.]+)%", line)
        if m:
            found[m.group(1)] = (float(m.group(2)), float(m.group(3)), float(m.group(4)) / 100)
    return found


def learning_curve(args, prog):
    rows = [r for r in read_rows(args.data) if r["label"] in (ON, OFF)]
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}  # (size, model) -> [(auc, caught)]
    with tempfile.TemporaryDirectory(prefix="site_curve.") as tmp:
        data = os.path.join(tmp, "site.jsonl")
        for size in sizes:
            if size >= len(rows):
                sys.exit("size %d: the data has only %d rows" % (size, len(rows)))
            for draw in range(args.draws):
                rng = random.Random(args.seed * 1000003 + size * 101 + draw)
                drawn, rest = stratified_draw(rows, size, rng)
                write_rows(drawn, data)
                bundles = {"base": args.base}
                for model, blend in (("adapted", None), ("site model alone", 1)):
                    bundles[model] = os.path.join(tmp, model.replace(" ", "-"))
                    prog.adapt(args.base, data, bundles[model], draw + 1, blend)
                for model in MODELS:
                    results.setdefault((size, model), []).append(judge(prog, bundles[model], rest))
                print("size %d draw %d: %s" % (size, draw + 1, ", ".join(
                    "%s %.3f" % (m, results[(size, m)][-1][0]) for m in MODELS)), file=sys.stderr, flush=True)
        report = prog.adapt(args.base, args.data, os.path.join(tmp, "full"), args.seed, report=True)
    full = parse_cv_report(report)
    print_curve_table(args, sizes, results, full, len(rows))
    if args.plot:
        plot_curve(args.plot, sizes, results, full, len(rows))


def print_curve_table(args, sizes, results, full, n_rows):
    print("| site rows | %s |" % " | ".join("%s: ROC-AUC median (min-max) / caught at 10%% held" % m for m in MODELS))
    print("|---:|" + "---:|" * len(MODELS))
    for size in sizes:
        cells = []
        for m in MODELS:
            a = [x[0] for x in results[(size, m)]]
            c = [x[1] for x in results[(size, m)]]
            cells.append("%.3f (%.3f-%.3f) / %.0f%%" % (statistics.median(a), min(a), max(a), 100 * statistics.median(c)))
        print("| %d (%d draws) | %s |" % (size, args.draws, " | ".join(cells)))
    if full:
        print("| all %d (5-fold x 5 CV) | %s |" % (n_rows, " | ".join(
            "%.3f ± %.3f / %.0f%%" % (full[m][0], full[m][1], 100 * full[m][2]) if m in full else "-" for m in MODELS)))


def plot_curve(path, sizes, results, full, n_rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    colours = {"base": "tab:gray", "adapted": "tab:blue", "site model alone": "tab:orange"}
    for m in MODELS:
        med = [statistics.median(x[0] for x in results[(s, m)]) for s in sizes]
        lo = [min(x[0] for x in results[(s, m)]) for s in sizes]
        hi = [max(x[0] for x in results[(s, m)]) for s in sizes]
        ax.plot(sizes, med, "o-", color=colours[m], label=m + " (median, min-max of draws)")
        ax.fill_between(sizes, lo, hi, color=colours[m], alpha=0.15)
        if m in full:
            ax.errorbar([n_rows], [full[m][0]], yerr=[full[m][1]], fmt="s", color=colours[m], capsize=3)
    ax.set_xscale("log")
    ax.set_xticks(sizes + [n_rows])
    ax.set_xticklabels([str(s) for s in sizes] + ["%d\n(CV)" % n_rows])
    ax.set_xlabel("labelled site rows trained on (judged on the rest; all rows: 5-fold x 5 CV)")
    ax.set_ylabel("ROC-AUC of P(off-topic)")
    ax.set_title("Teaching commentguard one blog's comments (train --base)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    tmp_path = path + ".tmp.png"
    fig.savefig(tmp_path)
    os.replace(tmp_path, path)


def youtube(args, prog):
    videos = {}
    for name in ("train.jsonl", "dev.jsonl"):
        for r in read_rows(os.path.join(args.corpus, name)):
            if r.get("source") == "youtube-spam":
                videos.setdefault(r.get("article", ""), []).append(r)
    if not videos:
        sys.exit("no youtube-spam rows in %s" % args.corpus)
    print("| video | comments (on/off) | base ROC-AUC | adapted ROC-AUC (mean over %d seeds, min-max) | "
          "adapted, of P(off-topic) / (P(on-topic) + P(off-topic)) | base's mean P(abusive) |" % args.seeds)
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="site_curve.") as tmp:
        data, out = os.path.join(tmp, "half.jsonl"), os.path.join(tmp, "adapted")
        for video in sorted(videos):
            rows = videos[video]
            base_aucs, aucs, within, abusive = [], [], [], []
            for seed in range(1, args.seeds + 1):
                rng = random.Random(seed)
                half = []
                for label in (ON, OFF):
                    of_label = [r for r in rows if r["label"] == label]
                    half += rng.sample(of_label, len(of_label) // 2)
                ids = set(id(r) for r in half)
                rest = [r for r in rows if id(r) not in ids]
                write_rows(half, data)
                prog.adapt(args.base, data, out, seed)
                adapted = prog.scores(out, rest)
                labels = [r["label"] for r in rest]
                aucs.append(auc([o[OFF] for o in adapted], labels))
                within.append(auc([o[OFF] / max(o[OFF] + o[ON], 1e-300) for o in adapted], labels))
                base = prog.scores(args.base, rest)
                base_aucs.append(auc([o[OFF] for o in base], labels))
                abusive.append(statistics.mean(o["abusive"] for o in base))
            n_off = sum(1 for r in rows if r["label"] == OFF)
            name = video.replace("Comments on the YouTube music video: ", "")
            print("| %s | %d (%d/%d) | %.3f | %.3f (%.3f-%.3f) | %.3f | %.3f |" % (
                name, len(rows), len(rows) - n_off, n_off, statistics.mean(base_aucs), statistics.mean(aucs),
                min(aucs), max(aucs), statistics.mean(within), statistics.mean(abusive)), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cg", default="build/commentguard", help="the commentguard program")
    ap.add_argument("--base", default="models/default", help="the bundle to adapt")
    ap.add_argument("--data", help="the site's labelled comments (learning curve)")
    ap.add_argument("--sizes", default="25,50,100,200")
    ap.add_argument("--draws", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plot", help="write the learning curve as a PNG here")
    ap.add_argument("--youtube", action="store_true", help="the YouTube half/half experiment instead")
    ap.add_argument("--corpus", help="with --youtube: the directory of train.jsonl and dev.jsonl")
    ap.add_argument("--seeds", type=int, default=5, help="with --youtube: random halves per video")
    ap.add_argument("--adapt-options", default="", help='more `train --base` options, one string ("--c 10")')
    args = ap.parse_args()
    if not os.access(args.cg, os.X_OK):
        ap.error("%s: not an executable program" % args.cg)
    prog = Program(args.cg, shlex.split(args.adapt_options))
    if args.youtube:
        if not args.corpus:
            ap.error("--youtube needs --corpus")
        youtube(args, prog)
    else:
        if not args.data:
            ap.error("the learning curve needs --data")
        learning_curve(args, prog)


if __name__ == "__main__":
    main()
