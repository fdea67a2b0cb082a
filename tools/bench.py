#!/usr/bin/python3
"""Benchmark commentguard against its peers, on one machine, in one run.

  /usr/bin/python3 tools/bench.py [--input FILE] [--model DIR] [--runs 3] [--work /tmp/cg-bench]

For a JSONL file (its "text" members) or a text file (one comment a line), repeated to at least
--size-mb megabytes (default 100; default input: the shared corpus's dev.jsonl), it reports:
  - `commentguard score` throughput (comments/s, MB/s) with 1 thread and with all cores, CPU time
    and peak RSS (getrusage of the child), and its start-up (an empty input);
  - model load time (cg_model_open in process, and in fresh processes);
  - `fasttext predict-prob` throughput with the model `peers.py --peers fasttext` trains (ft.bin)
    and with a word-only fastText trained on the same ft.train (ftw.bin), on the same comments,
    lower-cased one a line as peers.py prepares them;
  - `svm-predict -b 1` (libsvm-tools) on the model's model.svm and the feature vectors of the first
    --vectors comments, against the collapsed predictor on the same vectors (cg_dump_vectors
    predict), end to end and prediction alone; the labels must be identical;
  - the same `score` built from --baseline COMMIT (default c684796, main before issue 25's speed work) with
    the same model: its throughput, whether its output is byte for byte the same as this build's on the
    input's comments, and the instructions both execute on them (valgrind's callgrind: a count that the
    machine's load does not change, beside the wall-clock ratio);
  - the ratios, from medians of --runs runs (the programs take turns within each run, so that a
    change in the machine's load touches all of them alike).
Trained peer models, prepared inputs and the build are kept under --work, so reruns are quick.
Nothing here asserts a timing: it measures and prints.
"""
import argparse, hashlib, json, os, platform, shutil, statistics, subprocess, sys, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
PYTHON = "/usr/bin/python3"
WORD_ONLY_ARGS = ["-wordNgrams", "2", "-dim", "50", "-epoch", "25", "-lr", "0.5", "-thread", "1", "-seed", "1"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def one_line(t):
    return " ".join(t.split())


def run(cmd, **kw):
    log("  $ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


# ---- building ----

def build(args):
    """Build commentguard and cg_dump_vectors; returns their paths."""
    b = args.build_dir or os.path.join(args.work, "build")
    if not os.path.exists(os.path.join(b, "CMakeCache.txt")):
        run(["cmake", "-S", REPO, "-B", b, "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DBUILD_TESTING=OFF"],
            stdout=subprocess.DEVNULL)
    jobs = str(os.cpu_count() or 1)
    run(["cmake", "--build", b, "-j", jobs, "--target", "commentguard"], stdout=subprocess.DEVNULL)
    tool = os.path.join(b, "tools", "cg_dump_vectors")
    if os.path.isdir(os.path.join(b, "tools", "CMakeFiles", "cg_dump_vectors.dir")):
        run(["cmake", "--build", b, "-j", jobs, "--target", "cg_dump_vectors"], stdout=subprocess.DEVNULL)
    else:
        # tools/ is not part of this build (no add_subdirectory(tools)): compile the tool directly.
        tool = os.path.join(b, "cg_dump_vectors")
        libs = subprocess.run(["pkg-config", "--libs", "libpcre2-8", "libutf8proc", "libxxhash", "jansson"],
                              check=True, capture_output=True, text=True).stdout.split()
        run(["cc", "-std=c11", "-O2", "-g", "-I" + os.path.join(REPO, "include"), "-I" + os.path.join(REPO, "src"),
             "-I/usr/include/libsvm", "-o", tool, os.path.join(REPO, "tools", "dump_vectors.c"),
             os.path.join(b, "libcommentguard.a")] + libs + ["-lsvm", "-lm", "-lpthread"])
    return os.path.join(b, "commentguard"), tool


def build_commit(args, name):
    """Build `commentguard` from the commit `name` (a source export beside the work tree); returns its
    path and the full commit id. Built once per commit, kept under --work."""
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--verify", name + "^{commit}"], check=True,
                            capture_output=True, text=True).stdout.strip()
    d = os.path.join(args.work, "commit-" + commit[:12])
    src, b = os.path.join(d, "src"), os.path.join(d, "build")
    binary = os.path.join(b, "commentguard")
    if os.path.exists(binary):
        return binary, commit
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(src)
    log("building %s in %s" % (commit[:12], d))
    archive = subprocess.run(["git", "-C", REPO, "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
    run(["cmake", "-S", src, "-B", b, "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DBUILD_TESTING=OFF"],
        stdout=subprocess.DEVNULL)
    run(["cmake", "--build", b, "-j", str(min(os.cpu_count() or 1, 2)), "--target", "commentguard"],
        stdout=subprocess.DEVNULL)
    return binary, commit


def instructions(cmd, stdin_path):
    """Instructions executed by cmd on stdin_path, counted by valgrind's callgrind."""
    with open(stdin_path, "rb") as fin:
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd, stdin=fin,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split("Collected :")[1].strip())
    raise RuntimeError("no instruction count from callgrind: " + r.stderr[-500:])


# ---- inputs ----

def read_texts(path):
    """The comments of a JSONL file ("text" members) or of a text file (its lines), one-lined."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    first = next((l for l in lines if l.strip()), "")
    jsonl = False
    if first.lstrip().startswith("{"):
        try:
            jsonl = isinstance(json.loads(first), dict) and "text" in json.loads(first)
        except ValueError:
            jsonl = False
    if jsonl:
        return [one_line(json.loads(l)["text"]) for l in lines if l.strip()], "JSONL"
    return [one_line(l) for l in lines], "text"


def prepare_inputs(args):
    st = os.stat(args.input)
    key = hashlib.sha1(("%s|%d|%d|%g" % (os.path.abspath(args.input), st.st_size, int(st.st_mtime), args.size_mb))
                       .encode()).hexdigest()[:12]
    d = os.path.join(args.work, "input-" + key)
    meta_path = os.path.join(d, "meta.json")
    if os.path.exists(meta_path) and os.path.exists(os.path.join(d, "once.txt")):
        with open(meta_path) as f:
            return d, json.load(f)
    os.makedirs(d, exist_ok=True)
    texts, kind = read_texts(args.input)
    blob = ("\n".join(texts) + "\n").encode("utf-8", "surrogateescape")
    lower = ("\n".join(t.lower() for t in texts) + "\n").encode("utf-8", "surrogateescape")
    reps = max(1, -(-int(args.size_mb * 1e6) // len(blob)))
    with open(os.path.join(d, "once.txt"), "wb") as f:
        f.write(blob)
    for name, data in (("input.txt", blob), ("input.ft", lower)):
        with open(os.path.join(d, name + ".tmp"), "wb") as f:
            for _ in range(reps):
                f.write(data)
        os.replace(os.path.join(d, name + ".tmp"), os.path.join(d, name))
    open(os.path.join(d, "empty.txt"), "wb").close()
    meta = {"source": os.path.abspath(args.input), "kind": kind, "texts": len(texts), "repeats": reps,
            "comments": len(texts) * reps, "bytes": len(blob) * reps}
    with open(meta_path, "w") as f:
        json.dump(meta, f)
    return d, meta


# ---- peers ----

def prepare_peers(args):
    d = os.path.join(args.work, "peers")
    os.makedirs(d, exist_ok=True)
    if not os.path.exists(os.path.join(d, "ft.bin")) or not os.path.exists(os.path.join(d, "ft.train")):
        log("training the peers.py fastText model (once; cached in %s)" % d)
        run([PYTHON, os.path.join(args.shared, "peers", "peers.py"), "--peers", "fasttext", "--work", d, "--train", args.train, "--test", args.peer_test],
            stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(d, "ftw.bin")):
        log("training the word-only fastText model (once)")
        run(["fasttext", "supervised", "-input", os.path.join(d, "ft.train"), "-output", os.path.join(d, "ftw")]
            + WORD_ONLY_ARGS + ["-verbose", "0"], stdout=subprocess.DEVNULL)
    return d


# ---- the model ----

def prepare_model(args, tool):
    """The bundle to time: as given if it has its binary cache, else a copy with one added."""
    has_cache = os.path.exists(os.path.join(args.model, "model.svm.bin"))
    if has_cache or args.no_cache_copy:
        return args.model, has_cache
    d = os.path.join(args.work, "model-cached")
    src_svm = os.path.join(args.model, "model.svm")
    stamp = "%s|%d|%d" % (os.path.abspath(args.model), os.stat(src_svm).st_size, int(os.stat(src_svm).st_mtime))
    stamp_path = os.path.join(d, ".source")
    if not (os.path.exists(stamp_path) and open(stamp_path).read() == stamp):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name in os.listdir(args.model):
            if os.path.isfile(os.path.join(args.model, name)):
                shutil.copy2(os.path.join(args.model, name), d)
        r = subprocess.run([tool, "cache", "--model", d], capture_output=True, text=True)
        if r.returncode != 0:
            log("cannot write the model cache (%s): timing the bundle as given" % r.stderr.strip())
            shutil.rmtree(d, ignore_errors=True)
            return args.model, False
        with open(stamp_path, "w") as f:
            f.write(stamp)
    return d, True


# ---- timing ----

RSS_FILE = "/tmp/cg-bench-rss.%d" % os.getpid()


def timed(cmd, stdin_path, stdout=subprocess.DEVNULL):
    """Run cmd with stdin from a file; wall seconds, CPU seconds (user+sys) and peak RSS (MB).
    The peak RSS is the one /usr/bin/time reports for the program: a child of this Python process
    would report at least this process's own RSS, which a fork copies into it before the exec."""
    with open(stdin_path, "rb") as fin:
        t0 = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", RSS_FILE] + cmd, stdin=fin, stdout=stdout,
                             stderr=subprocess.PIPE)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, err.strip()))
    with open(RSS_FILE) as f:
        rss_kb = int(f.read().split()[-1])
    os.unlink(RSS_FILE)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss": rss_kb / 1024.0, "stderr": err}


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_rate(x):
    return "%s" % format(int(round(x)), ",") if x == x else "-"


# ---- svm-predict ----

def svm_section(args, tool, model_dir, inputs_dir, meta, results):
    n = min(args.vectors, meta["texts"])
    d = os.path.join(args.work, "svm")
    os.makedirs(d, exist_ok=True)
    first = os.path.join(d, "comments.txt")
    with open(os.path.join(inputs_dir, "input.txt"), "rb") as f, open(first, "wb") as out:
        for _ in range(n):
            out.write(f.readline())
    vectors = os.path.join(d, "vectors.svm")
    with open(first, "rb") as fin, open(vectors, "wb") as fout:
        subprocess.run([tool, "dump", "--model", model_dir], stdin=fin, stdout=fout, check=True)
    one = os.path.join(d, "one.svm")
    with open(vectors, "rb") as f, open(one, "wb") as out:
        out.write(f.readline())
    svm_file = os.path.join(args.model, "model.svm")
    # The same header with three empty support vectors: svm-predict reads and writes just as much
    # with it, but predicts at once, so the difference is its prediction alone.
    null_file = os.path.join(d, "null.svm")
    with open(svm_file, encoding="latin-1") as f, open(null_file, "w", encoding="latin-1") as out:
        for line in f:
            key = line.split(" ", 1)[0].strip()
            if key == "total_sv":
                line = "total_sv 3\n"
            elif key == "nr_sv":
                line = "nr_sv 1 1 1\n"
            out.write(line)
            if key == "SV":
                out.write("0 0 \n0 0 \n0 0 \n")
                break
    rows = {"svm-predict": [], "svm-predict-1": [], "null": [], "null-1": [], "ours": [], "ours-1": [],
            "ours-in": [], "libsvm-in": []}
    for r in range(args.runs):
        log("svm run %d/%d" % (r + 1, args.runs))
        out_svm, out_ours = os.path.join(d, "svm-predict.out"), os.path.join(d, "ours.out")
        rows["svm-predict"].append(timed(["svm-predict", "-b", "1", vectors, svm_file, out_svm], os.devnull)["wall"])
        rows["svm-predict-1"].append(timed(["svm-predict", "-b", "1", one, svm_file, os.path.join(d, "x.out")],
                                           os.devnull)["wall"])
        rows["null"].append(timed(["svm-predict", "-b", "1", vectors, null_file, os.path.join(d, "n.out")],
                                  os.devnull)["wall"])
        rows["null-1"].append(timed(["svm-predict", "-b", "1", one, null_file, os.path.join(d, "n.out")],
                                    os.devnull)["wall"])
        t = timed([tool, "predict", "--model", model_dir, vectors, out_ours], os.devnull)
        rows["ours"].append(t["wall"])
        rows["ours-1"].append(timed([tool, "predict", "--model", model_dir, one, os.path.join(d, "y.out")],
                                    os.devnull)["wall"])
        t = timed([tool, "predict", "--model", model_dir, "--repeat", "5", vectors, os.path.join(d, "z.out")],
                  os.devnull)
        rows["ours-in"].append(float(t["stderr"].split(" in ")[1].split(" s")[0]))
        t = timed([tool, "predict", "--libsvm", "--model", model_dir, vectors, os.path.join(d, "l.out")], os.devnull)
        rows["libsvm-in"].append(float(t["stderr"].split(" in ")[1].split(" s")[0]))
    # Same labels, and how close the probabilities are (svm-predict prints 6 significant digits).
    with open(os.path.join(d, "svm-predict.out")) as a, open(os.path.join(d, "ours.out")) as b:
        la, lb = a.read().split("\n"), b.read().split("\n")
    same = la[0] == lb[0] and len(la) == len(lb)
    labels_equal, max_diff = 0, 0.0
    for x, y in zip(la[1:], lb[1:]):
        if not x.strip():
            continue
        xs, ys = x.split(), y.split()
        labels_equal += xs[0] == ys[0]
        max_diff = max([max_diff] + [abs(float(p) - float(q)) for p, q in zip(xs[1:], ys[1:])])
    results["svm"] = {"n": n, "labels_equal": labels_equal, "header_same": same, "max_prob_diff": max_diff,
                      **{k: median(v) for k, v in rows.items()}}


# ---- main ----

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=SHARED, help="the shared data and peers (default: ../shared)")
    ap.add_argument("--input", default=None, help="JSONL or text file (default: SHARED/data/corpus/dev.jsonl)")
    ap.add_argument("--model", default=None,
                    help="model bundle for every build (default: the --baseline commit's models/default, which "
                         "later builds read too; without a baseline, this tree's)")
    ap.add_argument("--size-mb", type=float, default=100, help="repeat the comments to at least this many MB")
    ap.add_argument("--runs", type=int, default=3, help="runs to take medians over (at least 3)")
    ap.add_argument("--work", default="/tmp/cg-bench", help="work dir: build, inputs, peer models")
    ap.add_argument("--build-dir", default=None, help="build dir (default: WORK/build)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="the all-cores thread count")
    ap.add_argument("--vectors", type=int, default=5000, help="comments for the svm-predict comparison")
    ap.add_argument("--train", default=None, help="training data for the fastText peers "
                    "(default: SHARED/data/corpus/train.jsonl)")
    ap.add_argument("--peer-test", default=None, help="the --test peers.py needs while training (default: --input)")
    ap.add_argument("--also", action="append", default=[], metavar="NAME=BINARY",
                    help="another commentguard binary to time alike (e.g. a build before a change)")
    ap.add_argument("--baseline", default="c684796",
                    help="commit whose `score` is built and timed beside this one ('none': skip)")
    ap.add_argument("--reference", default="16acd04",
                    help="commit whose output this build's must equal byte for byte (default: the last deliberate "
                         "change of the extractor's output, the tokeniser's masked words; 'none': skip)")
    ap.add_argument("--skip-callgrind", action="store_true", help="leave out the instruction counts")
    ap.add_argument("--skip-peers", action="store_true", help="leave fastText out")
    ap.add_argument("--skip-svm", action="store_true", help="leave svm-predict out")
    ap.add_argument("--no-cache-copy", action="store_true",
                    help="time the bundle as given even if it has no model.svm.bin")
    ap.add_argument("--json", default=None, help="also write the results as JSON to this file")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    args.input = args.input or os.path.join(args.shared, "data", "corpus", "dev.jsonl")
    args.train = args.train or os.path.join(args.shared, "data", "corpus", "train.jsonl")
    args.peer_test = args.peer_test or args.input
    for tool_name in ["cmake", "cc", "/usr/bin/time"] + ([] if args.skip_peers else ["fasttext"]) + \
                     ([] if args.skip_callgrind else ["valgrind"]) + \
                     ([] if args.skip_svm else ["svm-predict"]):
        if not shutil.which(tool_name):
            sys.exit("bench: %s is not installed (tools/setup.sh --bench-deps)" % tool_name)
    os.makedirs(args.work, exist_ok=True)

    cg, tool = build(args)
    baseline = build_commit(args, args.baseline) if args.baseline != "none" else None
    if args.model is None:
        # One model for every build: the one the baseline shipped, which later builds still read (a
        # later bundle format is refused by earlier builds); without a baseline, this tree's.
        tree = os.path.join(args.work, "commit-" + baseline[1][:12], "src") if baseline else REPO
        args.model = os.path.join(tree, "models", "default")
    inputs_dir, meta = prepare_inputs(args)
    model_dir, cached = prepare_model(args, tool)
    peers_dir = None if args.skip_peers else prepare_peers(args)
    inp, inp_ft, empty = (os.path.join(inputs_dir, n) for n in ("input.txt", "input.ft", "empty.txt"))

    programs = [("cg1", "commentguard score, 1 thread", [cg, "score", "--model", model_dir, "--threads", "1"], inp),
                ("cgN", "commentguard score, %d threads" % args.threads,
                 [cg, "score", "--model", model_dir, "--threads", str(args.threads)], inp)]
    if baseline:
        args.also.insert(0, "baseline %s=%s" % (baseline[1][:7], baseline[0]))
    for spec in args.also:
        name, _, binary = spec.partition("=")
        programs.append(("also:" + name, "%s score, 1 thread" % name, [binary, "score", "--model", model_dir,
                                                                       "--threads", "1"], inp))
    if peers_dir:
        programs.append(("ft", "fastText (peers.py: word 1-2 + char 2-5 grams)",
                         ["fasttext", "predict-prob", os.path.join(peers_dir, "ft.bin"), "-", "3"], inp_ft))
        programs.append(("ftw", "fastText word-only (-wordNgrams 2)",
                         ["fasttext", "predict-prob", os.path.join(peers_dir, "ftw.bin"), "-", "3"], inp_ft))

    load_before = os.getloadavg()
    samples = {key: [] for key, _, _, _ in programs}
    startup = {key: [] for key, _, _, _ in programs}
    loads, fresh_loads = [], []
    for r in range(args.runs):
        log("run %d/%d" % (r + 1, args.runs))
        for key, _, cmd, path in programs:
            startup[key].append(timed(cmd, empty)["wall"])
            samples[key].append(timed(cmd, path))
        out = subprocess.run([tool, "load", "--model", model_dir, "--repeat", "5"], capture_output=True, text=True,
                             check=True).stdout
        loads.append(float(out.split("median ")[1].split(" ms")[0]))
        out = subprocess.run([tool, "load", "--model", model_dir, "--repeat", "1"], capture_output=True, text=True,
                             check=True).stdout
        fresh_loads.append(float(out.split("median ")[1].split(" ms")[0]))
    text_only_load = None
    if cached and not os.path.exists(os.path.join(args.model, "model.svm.bin")):
        out = subprocess.run([tool, "load", "--model", args.model, "--repeat", "3"], capture_output=True, text=True,
                             check=True).stdout
        text_only_load = float(out.split("median ")[1].split(" ms")[0])
    results = {"meta": meta, "model": args.model, "timed_model": model_dir, "runs": args.runs,
               "threads": args.threads, "loadavg_before": load_before, "loadavg_after": os.getloadavg()}
    if not args.skip_svm:
        svm_section(args, tool, model_dir, inputs_dir, meta, results)
    once = os.path.join(inputs_dir, "once.txt")
    compared = [spec.partition("=")[::2] for spec in args.also]
    if args.reference != "none":
        binary, commit = build_commit(args, args.reference)
        compared.append(("reference " + commit[:7], binary))
    same_output = {}

    def score_lines(binary):
        with open(once, "rb") as fin:
            return subprocess.run([binary, "score", "--model", model_dir, "--threads", "1"], stdin=fin,
                                  capture_output=True).stdout.split(b"\n")
    ours = score_lines(cg)
    for name, binary in compared:
        theirs = score_lines(binary)
        same_output[name] = sum(a != b for a, b in zip(ours, theirs)) + abs(len(ours) - len(theirs))
    results["differing_output_lines"] = same_output
    counts = {}
    if not args.skip_callgrind:
        log("counting instructions with callgrind (the comments once)")
        counts["cg1"] = instructions([cg, "score", "--model", model_dir, "--threads", "1"], once)
        counts["empty"] = instructions([cg, "score", "--model", model_dir, "--threads", "1"], empty)
        for spec in args.also:
            name, _, binary = spec.partition("=")
            counts["also:" + name] = instructions([binary, "score", "--model", model_dir, "--threads", "1"], once)
            counts["empty:" + name] = instructions([binary, "score", "--model", model_dir, "--threads", "1"], empty)
    results["instructions"] = counts

    # ---- report ----
    n, mb = meta["comments"], meta["bytes"] / 1e6
    rows = {}
    for key, label, _, _ in programs:
        s = samples[key]
        wall, cpu, rss = (median([x[k] for x in s]) for k in ("wall", "cpu", "rss"))
        st = median(startup[key])
        rows[key] = {"label": label, "wall": wall, "cpu": cpu, "rss": rss, "startup": st,
                     "rate": n / wall, "net_rate": n / max(wall - st, 1e-9), "cpu_rate": n / cpu if cpu else 0,
                     "walls": [x["wall"] for x in s]}
    results["programs"] = rows
    results["model_load_ms"] = {"in_process_median": median(loads), "fresh_process_median": median(fresh_loads),
                                "text_only": text_only_load}

    print("commentguard benchmark, %s" % time.strftime("%Y-%m-%d %H:%M"))
    cpu_name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu_name = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print("machine: %s, %d cores; load average %.2f before, %.2f after (other work shares this machine)"
          % (cpu_name, os.cpu_count() or 1, load_before[0], results["loadavg_after"][0]))
    print("input: %s (%s): %s comments, %.1f MB (%d texts repeated %d times)"
          % (meta["source"], meta["kind"], format(n, ","), mb, meta["texts"], meta["repeats"]))
    print("model: %s%s" % (args.model, "" if model_dir == args.model else
                           " (timed as a copy with model.svm.bin added: %s)" % model_dir))
    if args.also:
        print("every commentguard build above scores with this same model")
    print("medians of %d runs; 'net' leaves out start-up (the same program on an empty input)" % args.runs)
    print()
    print("| program | comments/s | MB/s | net comments/s | CPU comments/s | wall s | start-up s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, r in rows.items():
        print("| %s | %s | %.2f | %s | %s | %.2f | %.3f | %.1f |"
              % (r["label"], fmt_rate(r["rate"]), mb / r["wall"], fmt_rate(r["net_rate"]), fmt_rate(r["cpu_rate"]),
                 r["wall"], r["startup"], r["rss"]))
    print()
    ml = results["model_load_ms"]
    print("model load (cg_model_open): %.1f ms median in process (5 loads a run), %.1f ms in a fresh process%s"
          % (ml["in_process_median"], ml["fresh_process_median"],
             "; %.1f ms without model.svm.bin (text parsed)" % text_only_load if text_only_load else ""))
    print()
    print("ratios (net of start-up, medians of the same runs):")

    def ratio(a, b, what):
        if a in rows and b in rows:
            x = rows[a]["net_rate"] / rows[b]["net_rate"]
            g = rows[a]["rate"] / rows[b]["rate"]
            print("  %-66s %7.2fx  (gross %.2fx)" % (what, x, g))
            results.setdefault("ratios", {})[what] = x
    ratio("cg1", "ft", "commentguard 1 thread / fastText peers.py model")
    ratio("cg1", "ftw", "commentguard 1 thread / fastText word-only")
    ratio("cgN", "ft", "commentguard %d threads / fastText peers.py model" % args.threads)
    ratio("cgN", "ftw", "commentguard %d threads / fastText word-only" % args.threads)
    ratio("cgN", "cg1", "commentguard %d threads / 1 thread" % args.threads)
    for spec in args.also:
        name = spec.partition("=")[0]
        ratio("cg1", "also:" + name, "commentguard 1 thread / %s 1 thread" % name)
    for name, differing in same_output.items():
        print("  output of %s on the %s comments: %s" % (
            name, format(meta["texts"], ","), "byte for byte the same as this build's" if not differing else
            "%d lines differ from this build's" % differing))
    if counts:
        print()
        print("instructions (valgrind callgrind, the %s comments once, 1 thread; net: less the same program on an"
              " empty input, i.e. start-up and model load):" % format(meta["texts"], ","))
        print("| program | instructions | net | net per comment | net per byte |")
        print("|---|---:|---:|---:|---:|")
        once_bytes = meta["bytes"] / meta["repeats"]
        for key, empty_key, label in [("cg1", "empty", "commentguard (this build)")] + \
                [("also:" + s.partition("=")[0], "empty:" + s.partition("=")[0], s.partition("=")[0])
                 for s in args.also]:
            net = counts[key] - counts[empty_key]
            print("| %s | %s | %s | %s | %.0f |" % (label, format(counts[key], ","), format(net, ","),
                                                   format(round(net / meta["texts"]), ","), net / once_bytes))
        for spec in args.also:
            name = spec.partition("=")[0]
            a = counts["also:" + name] - counts["empty:" + name]
            b = counts["cg1"] - counts["empty"]
            print("  %-66s %7.2fx" % ("%s / this build, net instructions" % name, a / b))
            results.setdefault("ratios", {})["%s / this build, net instructions" % name] = a / b
    if "svm" in results:
        s = results["svm"]
        print()
        print("svm-predict and the collapsed predictor, on the same model.svm and the same %d vectors "
              "(the first comments of the input):" % s["n"])
        m = s["n"] - 1
        e2e_svm = m / max(s["svm-predict"] - s["svm-predict-1"], 1e-9)
        pred_svm = m / max((s["svm-predict"] - s["svm-predict-1"]) - (s["null"] - s["null-1"]), 1e-9)
        e2e_ours = m / max(s["ours"] - s["ours-1"], 1e-9)
        pred_ours, pred_libsvm = s["n"] / s["ours-in"], s["n"] / s["libsvm-in"]
        print("| predictor | vectors/s |")
        print("|---|---:|")
        print("| svm-predict -b 1, end to end (read vectors, predict, write; per extra vector) | %s |"
              % fmt_rate(e2e_svm))
        print("| svm-predict -b 1, prediction only (less the same run with an empty model) | %s |"
              % fmt_rate(pred_svm))
        print("| libsvm svm_predict_probability in process, prediction only | %s |" % fmt_rate(pred_libsvm))
        print("| cg_dump_vectors predict, end to end (per extra vector) | %s |" % fmt_rate(e2e_ours))
        print("| collapsed predictor in process, prediction only | %s |" % fmt_rate(pred_ours))
        print("labels identical: %s (%d of %d); largest probability difference %.2g (svm-predict prints 6 digits)"
              % ("yes" if s["labels_equal"] == s["n"] and s["header_same"] else "NO", s["labels_equal"], s["n"],
                 s["max_prob_diff"]))
        for what, x in (("collapsed / svm-predict, prediction only", pred_ours / pred_svm),
                        ("collapsed / libsvm in process, prediction only", pred_ours / pred_libsvm),
                        ("cg_dump_vectors / svm-predict, end to end (text parsing dominates)", e2e_ours / e2e_svm)):
            print("  %-66s %7.1fx" % (what, x))
            results.setdefault("ratios", {})[what] = x
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
