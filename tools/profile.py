#!/usr/bin/python3
"""Where `commentguard score` spends its instructions, stage by stage (valgrind's callgrind).

  /usr/bin/python3 tools/profile.py [--program build/commentguard] [--model DIR] [--input FILE] [--keep FILE]

Scores the comments of FILE (a JSONL file's "text" members, or a text file's lines; default: the
shared corpus's dev.jsonl) once, one thread, under callgrind, and prints the instructions of each
stage of the scorer (inclusive counts of the functions that make it, less those of the stages inside
them), per comment and per byte of text. Instruction counts do not move with the machine's load,
unlike times. Needs valgrind (tools/setup.sh --bench-deps).
"""
import argparse, json, os, re, subprocess, sys, tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Stage: (functions whose inclusive counts make it, stages inside them to take out).
STAGES = [
    ("model load (cg_model_open)", ["cg_model_open"], []),
    ("normalise: markup, entities, NFKC, case, white space (cg_normalize)", ["cg_normalize"],
     ["cg_fold", "cg_fold_ascii", "cg_fold_ascii_bytes"]),
    ("fold obfuscation: look-alikes, set-apart letters, leetspeak (cg_fold, cg_fold_ascii[_bytes])",
     ["cg_fold", "cg_fold_ascii", "cg_fold_ascii_bytes"], []),
    ("tokenise (cg_tokenize, pcre2 where the fast paths are unsure)", ["cg_tokenize"], []),
    ("n-grams: word and character n-gram hashes, word cache (token_features)", ["token_features"], []),
    ("accumulate hashed slots (flush)", ["flush"], []),
    ("vector and decision values: sublinear weights, signals, the weights summed (cg_extract_sums; cg_extract "
     "sorts the slots and writes the vector instead)", ["cg_extract", "cg_extract_sums"], ["cg_analyse"]),
    ("predict: Platt, coupling (cg_svm_probabilities; cg_svm_decision_values for a vector)",
     ["cg_svm_decision_values", "cg_svm_probabilities"], []),
]


def inclusive_counts(out_file):
    """The program's total and each function's inclusive count (functions of any object, by name)."""
    # Run away from the sources: inside them, callgrind_annotate counts a function's inlined parts apart.
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", os.path.abspath(out_file)],
                          check=True, capture_output=True, text=True, cwd="/").stdout
    counts, total = {}, None
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        # "N (p%)  file:function [object]"; lines without the object are inlined parts, or source.
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:(\w+) \[", line)
        if m:
            counts[m.group(2)] = max(counts.get(m.group(2), 0), int(m.group(1).replace(",", "")))
    return total, counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--program", default=os.path.join(REPO, "build", "commentguard"))
    ap.add_argument("--model", default=os.path.join(REPO, "models", "default"))
    ap.add_argument("--input", default=os.path.join(REPO, "..", "shared", "data", "corpus", "dev.jsonl"))
    ap.add_argument("--keep", default=None, help="keep the callgrind output in this file")
    args = ap.parse_args()
    with open(args.input, encoding="utf-8", errors="surrogateescape") as f:
        lines = [l for l in f.read().split("\n") if l.strip()]
    if lines and lines[0].lstrip().startswith("{"):
        texts = [" ".join(json.loads(l)["text"].split()) for l in lines]
    else:
        texts = [" ".join(l.split()) for l in lines]
    data = ("\n".join(texts) + "\n").encode("utf-8", "surrogateescape")
    with tempfile.TemporaryDirectory() as d:
        inp, out = os.path.join(d, "input.txt"), args.keep or os.path.join(d, "callgrind.out")
        with open(inp, "wb") as f:
            f.write(data)
        with open(inp, "rb") as fin:
            subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, args.program, "score",
                            "--model", args.model, "--threads", "1"], stdin=fin, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
        total, counts = inclusive_counts(out)
    if total is None:
        sys.exit("profile: no totals from callgrind_annotate")
    n, size = len(texts), len(data)
    print("%s on %s: %s comments, %s bytes, one thread; %s instructions in all"
          % (os.path.relpath(args.program, REPO), args.input, format(n, ","), format(size, ","), format(total, ",")))
    print()
    print("| stage | instructions | share | per comment | per byte |")
    print("|---|---:|---:|---:|---:|")
    accounted = 0
    for label, funcs, inner in STAGES:
        x = sum(counts.get(f, 0) for f in funcs) - sum(counts.get(f, 0) for f in inner)
        accounted += x
        print("| %s | %s | %.1f%% | %s | %.0f |" % (label, format(x, ","), 100.0 * x / total, format(round(x / n), ","),
                                                  x / size))
    rest = total - accounted
    print("| the rest: start-up, reading lines, writing results | %s | %.1f%% | %s | %.0f |"
          % (format(rest, ","), 100.0 * rest / total, format(round(rest / n), ","), rest / size))


if __name__ == "__main__":
    main()
