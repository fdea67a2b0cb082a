#!/usr/bin/env bash
# train_scale.sh - how training time and memory grow with the training set, commentguard against fastText.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: tools/train_scale.sh [--sizes 25000,100000,300000,1000000] [--shared ../shared]
                            [--program build/commentguard] [--out DIR] [--seed 1] [--keep-sets]

For each size N, makes a training set of N rows from SHARED/data/corpus/train.jsonl with
tools/make_scaled_set.py (a seeded sample below the corpus's 71,068 rows; above it, repeated passes
whose rows are varied so that no row is an exact copy), then measures, with GNU time (Debian
package `time`, in tools/setup.sh --bench-deps), wall time and peak RSS of
  - `commentguard train --data SET --out DIR --quiet`: default options (C search and calibration
    included; threads: the number of cores);
  - `fasttext supervised` on the same rows, prepared as SHARED/peers/peers.py does (__label__ and
    the lower-cased text on one line) with its settings (-wordNgrams 2 -minn 2 -maxn 5 -dim 50
    -epoch 25 -lr 0.5 -bucket 2000000 -seed 1), except -thread 2 where peers.py uses 1.
Prints a Markdown table (size, seconds and peak RSS of each), the growth exponent of each program
(the least-squares slope of log(time) against log(N) over the sizes: 1 is linear, 2 quadratic),
and time/(N ln N) per size, in microseconds and relative to the smallest size, so that a value
rising with N shows growth beyond N log N. A run that fails is shown as failed and left out of
the fit, and the exit status is then 1. Progress goes to stderr.

The sets, models and logs go to --out (default: a new temporary directory, removed at the end
unless --out is given); each set is removed once both programs trained on it, unless --keep-sets.
fastText's times include a fixed cost of several seconds (initialising, then saving, its 2,000,000-bucket
model of about 400 MB), which weighs most on the smallest sizes and lowers its exponent.
The kernel trainer (16·N² bytes of kernel matrix) cannot train large sizes: try --sizes 2000,4000.
EOF
}

root=$(cd "$(dirname "$0")/.." && pwd)
sizes=25000,100000,300000,1000000
shared=$root/../shared
program=$root/build/commentguard
out=""
seed=1
keep_sets=0
while (($#)); do
    case $1 in
    --sizes | --shared | --program | --out | --seed)
        (($# >= 2)) || { usage >&2; exit 2; }
        case $1 in
        --sizes) sizes=$2 ;; --shared) shared=$2 ;; --program) program=$2 ;; --out) out=$2 ;; --seed) seed=$2 ;;
        esac
        shift 2 ;;
    --keep-sets) keep_sets=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done

corpus=$shared/data/corpus/train.jsonl
[[ $sizes =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "train_scale.sh: --sizes: positive integers separated by commas" >&2; exit 2; }
[ -r "$corpus" ] || { echo "train_scale.sh: cannot read $corpus (--shared)" >&2; exit 2; }
[ -x "$program" ] || { echo "train_scale.sh: no program $program (--program; tools/setup.sh builds it)" >&2; exit 2; }
for tool in /usr/bin/time fasttext; do
    command -v "$tool" >/dev/null || { echo "train_scale.sh: $tool missing: tools/setup.sh --bench-deps" >&2; exit 2; }
done
if [ -z "$out" ]; then
    out=$(mktemp -d /tmp/cg-train-scale.XXXXXX)
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
results=$out/results.tsv
: >"$results"

# Runs a command under GNU time; prints "seconds peak_MB", or "failed failed" (its log says why).
measure() { # log file, command...
    local log=$1 status=0
    shift
    /usr/bin/time -f '%e %M' -o "$log.time" "$@" >"$log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        echo "train_scale.sh: failed (status $status), see $log: $(tail -n 1 "$log")" >&2
        echo "failed failed"
    else
        awk '{ printf "%s %.1f\n", $1, $2 / 1024 }' "$log.time"
    fi
}

IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
    set_file=$out/set-$n.jsonl
    echo "== $n rows: making the set" >&2
    /usr/bin/python3 "$root/tools/make_scaled_set.py" --input "$corpus" --rows "$n" --seed "$seed" \
        --out "$set_file" --fasttext "$out/set-$n.ft"
    echo "== $n rows: commentguard train" >&2
    rm -rf "$out/model-$n"
    cg=$(measure "$out/commentguard-$n.log" "$program" train --data "$set_file" --out "$out/model-$n" --quiet)
    echo "== $n rows: fasttext supervised" >&2
    ft=$(measure "$out/fasttext-$n.log" fasttext supervised -input "$out/set-$n.ft" -output "$out/fasttext-$n" \
        -wordNgrams 2 -minn 2 -maxn 5 -dim 50 -epoch 25 -lr 0.5 -bucket 2000000 -thread 2 -seed 1 -verbose 0)
    rm -f "$out/fasttext-$n.bin" "$out/fasttext-$n.vec" # 400 MB each at -bucket 2000000
    ((keep_sets)) || rm -f "$set_file" "$out/set-$n.ft"
    echo "$n $cg $ft" >>"$results"
    echo "   commentguard: $cg; fasttext: $ft (seconds, peak MB)" >&2
done

echo "Training time and peak memory by training-set size (commentguard: default options, $(nproc) threads;"
echo "fastText: peers.py settings with -thread 2, its times including a fixed cost of several seconds for"
echo "its 2,000,000-bucket model; $(nproc) cores):"
echo
# results.tsv: rows, commentguard seconds and MB, fastText seconds and MB ("failed" for a failed run).
awk '
function thousands(x,    s) {
    s = sprintf("%d", x)
    while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
    return s
}
function slope(p,    i, k, sx, sy, sxx, sxy, x, y) { # least squares of log(time) on log(rows)
    for (i = 1; i <= count; i++)
        if (seconds[p, i] != "failed" && seconds[p, i] > 0) {
            x = log(rows[i]); y = log(seconds[p, i])
            k++; sx += x; sy += y; sxx += x * x; sxy += x * y
        }
    if (k < 2 || k * sxx == sx * sx) return "n/a (fewer than two sizes)"
    return sprintf("%.2f", (k * sxy - sx * sy) / (k * sxx - sx * sx))
}
function per_n_log_n(p, i,    value) {
    if (seconds[p, i] == "failed") return "failed | "
    value = seconds[p, i] * 1e6 / (rows[i] * log(rows[i]))
    if (first[p] == "") first[p] = value
    return sprintf("%.2f | %.2f", value, first[p] > 0 ? value / first[p] : 0)
}
{ count++; rows[count] = $1; seconds[1, count] = $2; mb[1, count] = $3; seconds[2, count] = $4; mb[2, count] = $5 }
END {
    print "| rows | commentguard s | commentguard peak RSS MB | fastText s | fastText peak RSS MB |"
    print "|---:|---:|---:|---:|---:|"
    for (i = 1; i <= count; i++)
        printf "| %s | %s | %s | %s | %s |\n", thousands(rows[i]), seconds[1, i], mb[1, i], seconds[2, i], mb[2, i]
    print ""
    print "Growth exponent (least-squares slope of log(time) against log(rows); 1 linear, 2 quadratic):"
    print "commentguard " slope(1) ", fastText " slope(2) "."
    print ""
    print "Time / (N ln N) in microseconds, and relative to the smallest size (rising: growth beyond N log N):"
    print ""
    print "| rows | commentguard | relative | fastText | relative |"
    print "|---:|---:|---:|---:|---:|"
    for (i = 1; i <= count; i++)
        printf "| %s | %s | %s |\n", thousands(rows[i]), per_n_log_n(1, i), per_n_log_n(2, i)
}' "$results"
! grep -q failed "$results"
