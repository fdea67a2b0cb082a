#!/usr/bin/env bash
# site_cost.sh - what `commentguard train --base` costs: CPU time, wall time and peak memory, against
# what loading the base takes (issue 20: 300 rows in 5 s, 10,000 rows in 60 s of one core, memory at
# most twice the base's).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: tools/site_cost.sh [--program build/commentguard] [--base models/default] [--rows N --corpus FILE.jsonl]
                          [--data SITE.jsonl] [--seed 1] [-- TRAIN-BASE-OPTIONS...]

Measures with GNU time (Debian package `time`):
  - loading the base: `commentguard score --format jsonl --model BASE` of one short comment;
  - `commentguard train --base BASE --data SITE --out TMP --seed S --quiet` with its default figures
    (5 x 5 cross-validation, one repetition above 2,000 rows) and any options after `--`.
SITE is --data, or with --rows N a seeded sample of N rows of --corpus made by tools/make_scaled_set.py.
Prints user CPU seconds, wall seconds and peak RSS of both, and the ratio of the peaks. The
temporary bundle and sample are removed.
EOF
}

program=build/commentguard base=models/default rows="" corpus="" data="" seed=1
while [ $# -gt 0 ]; do
    case "$1" in
    --program) program=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --) shift; break ;;
    -h | --help) usage; exit 0 ;;
    *) echo "site_cost.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { echo "site_cost.sh: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }
[ -x "$program" ] || { echo "site_cost.sh: no program $program" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "$rows" ]; then
    [ -n "$corpus" ] || { echo "site_cost.sh: --rows needs --corpus" >&2; exit 2; }
    /usr/bin/python3 "$here/make_scaled_set.py" --input "$corpus" --rows "$rows" --out "$tmp/site.jsonl" --seed "$seed"
    data=$tmp/site.jsonl
fi
[ -n "$data" ] || { echo "site_cost.sh: give --data or --rows with --corpus" >&2; exit 2; }

echo "| run | user CPU s | wall s | peak RSS MB |"
echo "|---|---:|---:|---:|"
echo '{"text": "Thanks, this helped."}' > "$tmp/one.jsonl"
/usr/bin/time -f "%U %e %M" -o "$tmp/time" "$program" score --format jsonl --model "$base" < "$tmp/one.jsonl" > /dev/null
read -r user wall base_kb < "$tmp/time"
printf '| load the base (%s) | %.1f | %.1f | %.1f |\n' "$base" "$user" "$wall" "$(awk "BEGIN { print $base_kb / 1024 }")"
/usr/bin/time -f "%U %e %M" -o "$tmp/time" "$program" train --base "$base" --data "$data" --out "$tmp/adapted" \
    --seed "$seed" --quiet "$@" > /dev/null
read -r user wall kb < "$tmp/time"
printf '| train --base, %s rows | %.1f | %.1f | %.1f |\n' "$(grep -c . "$data")" "$user" "$wall" \
    "$(awk "BEGIN { print $kb / 1024 }")"
printf '\npeak memory of train --base: %.2f times that of loading the base\n' "$(awk "BEGIN { print $kb / $base_kb }")"
