#!/usr/bin/env bash
# report_test.sh PROGRAM SOURCE_DIR - `commentguard eval --report DIR`: the web page of a small
# fixture, opened from disk in headless Chromium.
#
# Checks that the report directory holds index.html and its images and nothing else; that text
# from the data (a comment and a source made of HTML and script) is escaped; that in Chromium every
# image loads (the page marks <body data-images="ok"> once they have, tests/../tools/eval_report.py)
# and nothing reaches the console; that a screenshot renders; that a second run replaces the
# report, that a directory which is not a report is refused and left alone, and that a run that
# fails leaves no report behind.
set -euo pipefail
prog=$1
src=$2
model=$src/models/default
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The labelled fixture plus a spam comment labelled on-topic (so that it is misjudged and shown
# with its text) written as markup that would run or break the page if it were not escaped.
data=$tmp/data.jsonl
cp "$src/tests/fixtures/cli/labelled.jsonl" "$data"
cat >>"$data" <<'EOF'
{"label": "on-topic", "text": "WINNER!! <script>console.error('not escaped')</script><img src=nowhere.png> Call 09061701461 now to claim your cash prize & more", "source": "<b>web</b>"}
EOF

report=$tmp/report
"$prog" eval --model "$model" --data "$data" --report "$report" >"$tmp/eval.out" || fail "eval --report failed"
grep -q '^accuracy' "$tmp/eval.out" || fail "eval --report did not print the usual report"
[ -s "$report/index.html" ] || fail "no index.html"
for img in confusion.png pr.png reliability.png tradeoff.png; do
  [ -s "$report/$img" ] || fail "no $img"
done
stray=$(cd "$report" && ls | grep -v -e '^index\.html$' -e '\.png$' || true)
[ -z "$stray" ] || fail "unexpected files in the report: $stray"
leftover=$(cd "$tmp" && ls -d report.tmp-* 2>/dev/null || true)
[ -z "$leftover" ] || fail "temporary directory left: $leftover"
# every image the page names is there, and nothing is fetched from elsewhere
for img in $(grep -o 'src="[^"]*"' "$report/index.html" | sed 's/^src="//; s/"$//'); do
  [ -s "$report/$img" ] || fail "index.html shows $img, which is missing"
done
if grep -qE '(src|href)="(https?:)?//' "$report/index.html"; then fail "the page loads something from the network"; fi
grep -qF '&lt;script&gt;console.error(&#x27;not' "$report/index.html" &&
  grep -qF '&lt;img src=nowhere.png&gt;' "$report/index.html" || fail "the misjudged comment is not shown escaped"
grep -qF '&lt;b&gt;web&lt;/b&gt;' "$report/index.html" || fail "the source name is not shown escaped"
if grep -qF -e "<script>console.error" -e '<img src=nowhere.png>' -e '<b>web</b>' "$report/index.html"; then
  fail "text from the data reached the page unescaped"
fi

chromium_run() {
  local profile
  profile=$(mktemp -d "$tmp/profile.XXXXXX")
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 "$@"
}
chromium_run --dump-dom "file://$report/index.html" >"$tmp/dom.html" 2>"$tmp/chromium.log" ||
  fail "chromium could not open the report: $(tail -5 "$tmp/chromium.log")"
grep -q 'data-images="ok"' "$tmp/dom.html" ||
  fail "not every image loaded: $(grep -o 'data-images="[^"]*"' "$tmp/dom.html" || echo 'the page never checked')"
if grep -q 'CONSOLE' "$tmp/chromium.log"; then
  fail "the page wrote to the console: $(grep 'CONSOLE' "$tmp/chromium.log")"
fi
chromium_run --window-size=1300,2000 --screenshot="$tmp/shot.png" "file://$report/index.html" \
  >/dev/null 2>"$tmp/chromium.log" || fail "no screenshot: $(tail -5 "$tmp/chromium.log")"
[ "$(head -c 8 "$tmp/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
[ "$(stat -c %s "$tmp/shot.png")" -gt 20000 ] || fail "the screenshot is nearly empty"

# The same check can fail: a page with a missing image is caught.
rm "$report/pr.png"
chromium_run --dump-dom "file://$report/index.html" >"$tmp/dom.html" 2>/dev/null || fail "chromium failed"
grep -q 'data-images="broken: pr.png"' "$tmp/dom.html" || fail "a missing image went unnoticed"

# A second run replaces the report; a directory that is not a report is refused and kept.
"$prog" eval --model "$model" --data "$data" --report "$report" >/dev/null || fail "replacing a report failed"
[ -s "$report/pr.png" ] || fail "the replaced report lacks pr.png"
mkdir "$tmp/other" && echo keep >"$tmp/other/notes.txt"
if "$prog" eval --model "$model" --data "$data" --report "$tmp/other" >/dev/null 2>"$tmp/err"; then
  fail "eval replaced a directory that is not a report"
fi
grep -q 'not an earlier report' "$tmp/err" || fail "unclear message: $(cat "$tmp/err")"
[ "$(cat "$tmp/other/notes.txt")" = keep ] && [ ! -e "$tmp/other/index.html" ] || fail "the directory was changed"

# Bad data: the usual file:line error, and no report.
printf '{"label": "spam", "text": "x"}\n' >"$tmp/bad.jsonl"
if "$prog" eval --model "$model" --data "$tmp/bad.jsonl" --report "$tmp/bad-report" >/dev/null 2>"$tmp/err"; then
  fail "eval accepted a bad label"
fi
grep -q 'bad.jsonl:1' "$tmp/err" || fail "unclear message: $(cat "$tmp/err")"
[ ! -e "$tmp/bad-report" ] || fail "a failed run left a report"
echo "report_test: all checks passed"
