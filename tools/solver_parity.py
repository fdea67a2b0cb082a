#!/usr/bin/python3
"""Parity of the training solvers: liblinear's dual coordinate descent against libsvm's SMO.

tools/solver_parity.py [--rows 5000] [--c 1] [--shared ../shared] [--program build/commentguard]
                       [--dump build/tools/cg_dump_vectors]

Trains bundles on the same sample of the shared training corpus (seeded, --rows comments) with
the same C, balanced class weights and features: libsvm's SMO (tolerance 1e-3, libsvm's default)
and liblinear at tolerances 0.1 (the default) and 0.01. Then, on every dev comment (with its article):
- the largest difference of each liblinear bundle's pairwise decision values from SMO's, and the
  share of comments whose one-against-one vote agrees;
- dev macro-F1 and accuracy of each bundle (../shared/peers/evaluate.py);
- that libsvm's own svm-predict -b 1 on each bundle's model.svm gives the labels and probabilities
  of commentguard's predictor (cg_dump_vectors predict) on the same vectors.
Needs libsvm-tools and cg_dump_vectors (cmake --build build --target cg_dump_vectors).
"""
import argparse, json, os, random, subprocess, sys, tempfile, time


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def sample(src, dst, rows, seed=1):
    with open(src, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    random.Random(seed).shuffle(lines)
    with open(dst, "w", encoding="utf-8") as f:
        f.writelines(lines[:rows])


def decisions(dump, bundle, vectors):
    out = run([dump, "decision", "--model", bundle, vectors]).stdout
    return [[float(v) for v in line.split("\t")[0].split()] for line in out.splitlines()]


def vote(d):
    votes = [0, 0, 0]
    for (a, b), v in zip([(0, 1), (0, 2), (1, 2)], d):
        votes[a if v > 0 else b] += 1
    return max(range(3), key=lambda c: (votes[c], -c))


def predictions(path):
    with open(path) as f:
        lines = f.read().split("\n")
    order = [int(x) for x in lines[0].split()[1:]]
    rows = []
    for l in lines[1:]:
        if l.strip():
            t = l.split()
            rows.append((int(float(t[0])), {order[i]: float(t[i + 1]) for i in range(3)}))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--c", default="1")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--program", default="build/commentguard")
    ap.add_argument("--dump", default="build/tools/cg_dump_vectors")
    a = ap.parse_args()
    corpus = os.path.join(a.shared, "data", "corpus")
    work = tempfile.mkdtemp(prefix="cg-parity.")
    data = os.path.join(work, "sample.jsonl")
    sample(os.path.join(corpus, "train.jsonl"), data, a.rows)
    solvers = [("smo", "libsvm SMO, eps 1e-3", ["--solver", "smo", "--eps", "0.001"]),
               ("ll1", "liblinear, eps 0.1 (default)", ["--solver", "liblinear", "--eps", "0.1"]),
               ("ll2", "liblinear, eps 0.01", ["--solver", "liblinear", "--eps", "0.01"])]
    seconds = {}
    for name, _, opts in solvers:
        t = time.perf_counter()
        run([a.program, "train", "--data", data, "--out", os.path.join(work, name), "--folds", "0", "--c", a.c,
             "--class-weights", "balanced", "--quiet"] + opts)
        seconds[name] = time.perf_counter() - t
    # Every bundle has the same extractor (same data, same settings): one set of dev vectors.
    vectors = os.path.join(work, "dev.svm")
    with open(os.path.join(corpus, "dev.jsonl"), "rb") as fin, open(vectors, "wb") as fout:
        subprocess.run([a.dump, "dump", "--model", os.path.join(work, "smo"), "--format", "jsonl", "--articles",
                        "with"], stdin=fin, stdout=fout, check=True)
    dec = {name: decisions(a.dump, os.path.join(work, name), vectors) for name, _, _ in solvers}
    print("Training sample: %d comments of the shared corpus (seed 1); C = %s, balanced class weights; dev: %d comments."
          % (a.rows, a.c, len(dec["smo"])))
    print()
    print("| solver | training s (C search off, 5-fold calibration) | largest decision difference from SMO | "
          "votes agreeing with SMO | dev macro-F1 | dev accuracy | svm-predict: same labels, largest probability difference |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, title, _ in solvers:
        bundle = os.path.join(work, name)
        worst = max(abs(x - y) for d, s in zip(dec[name], dec["smo"]) for x, y in zip(d, s))
        agree = sum(vote(d) == vote(s) for d, s in zip(dec[name], dec["smo"])) / len(dec["smo"])
        ev = json.loads(run(["/usr/bin/python3", os.path.join(a.shared, "peers", "evaluate.py"), a.program, "--model",
                             bundle, os.path.join(corpus, "dev.jsonl")]).stdout.splitlines()[0])
        ours, theirs = os.path.join(work, name + ".ours"), os.path.join(work, name + ".libsvm")
        run([a.dump, "predict", "--model", bundle, vectors, ours])
        run(["svm-predict", "-b", "1", vectors, os.path.join(bundle, "model.svm"), theirs])
        p, q = predictions(ours), predictions(theirs)
        same = sum(x[0] == y[0] for x, y in zip(p, q))
        pdiff = max(abs(x[1][c] - y[1][c]) for x, y in zip(p, q) for c in range(3))
        print("| %s | %.1f | %s | %.4f | %.4f | %.4f | %d of %d, %.2g |" % (
            title, seconds[name], "—" if name == "smo" else "%.3g" % worst, agree, ev["macro_f1"], ev["accuracy"],
            same, len(p), pdiff))
    print()
    print("Reproduce: `tools/solver_parity.py --rows %d --c %s`" % (a.rows, a.c))


if __name__ == "__main__":
    sys.exit(main())
