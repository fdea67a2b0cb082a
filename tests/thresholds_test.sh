#!/usr/bin/env bash
# thresholds_test.sh PROGRAM SOURCE_DIR - `commentguard thresholds` end to end with the shipped
# model: the thresholds it chooses, written with --out and given to `score --thresholds @FILE`
# and `serve --thresholds @FILE`, make exactly as many comments unsure as it said; bad input and
# impossible constraints give clear errors. (The arithmetic itself is checked by hand-worked rows in test_thresholds.c.)
set -euo pipefail
prog=$1
src=$2
model=$src/models/default
data=$src/tests/fixtures/cli/labelled.jsonl
. "$src/tests/cli_lib.sh"

"$prog" thresholds --model "$model" --data "$data" --hold-at-most 0.2 --out "$tmp/thresholds" >"$tmp/report" ||
  fail "thresholds failed"
spec=$(sed -n 's/^thresholds: //p' "$tmp/report")
[[ "$spec" =~ ^on-topic=[01]\.[0-9][0-9],off-topic=[01]\.[0-9][0-9],abusive=[01]\.[0-9][0-9]$ ]] ||
  fail "no thresholds line: $(cat "$tmp/report")"
[ "$(cat "$tmp/thresholds")" = "$spec" ] || fail "--out wrote '$(cat "$tmp/thresholds")', not '$spec'"
grep -q '^trade-off' "$tmp/report" || fail "no trade-off table"
unsure=$(sed -n 's/^  unsure: \([0-9]*\) of .*/\1/p' "$tmp/report")
[ -n "$unsure" ] && [ "$unsure" -gt 0 ] || fail "expected some unsure comments at these limits: $(cat "$tmp/report")"

# score with those thresholds (the fixture's lines carry text and article) agrees with the count,
# given as the file and as the line itself.
"$prog" score --model "$model" --format jsonl --thresholds "@$tmp/thresholds" <"$data" >"$tmp/scored"
[ "$(grep -c '"label":"unsure"' "$tmp/scored")" -eq "$unsure" ] ||
  fail "score --thresholds made $(grep -c '"label":"unsure"' "$tmp/scored") comments unsure, thresholds said $unsure"
"$prog" score --model "$model" --format jsonl --thresholds "$spec" <"$data" | cmp -s - "$tmp/scored" ||
  fail "the thresholds line and the file differ"

# serve with the same thresholds answers the same: the fixture as one array.
: >"$tmp/serve.log" # exists before the loop below reads it (set -e)
"$prog" serve --listen 127.0.0.1:0 --model "$model" --threads 1 --thresholds "@$tmp/thresholds" 2>"$tmp/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
port=
for _ in $(seq 300); do
  port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$tmp/serve.log")
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || fail "serve exited: $(cat "$tmp/serve.log")"
  sleep 0.1
done
[ -n "$port" ] || fail "serve did not report its port"
{ echo '['; sed '$!s/$/,/' "$data"; echo ']'; } >"$tmp/array.json"
curl -sf --retry 5 --retry-connrefused -H 'Content-Type: application/json' --data-binary "@$tmp/array.json" \
  "http://127.0.0.1:$port/v1/classify" >"$tmp/served" || fail "POST /v1/classify failed"
[ "$(grep -o '"label":"unsure"' "$tmp/served" | wc -l)" -eq "$unsure" ] ||
  fail "serve --thresholds made $(grep -o '"label":"unsure"' "$tmp/served" | wc -l) comments unsure, not $unsure"
kill -TERM "$server"
wait "$server" || fail "serve did not stop cleanly"

# Bad input.
expect_error 2 "give --hold-at-most P, --miss-at-most Q or both" thresholds --model "$model" --data "$data"
expect_error 2 "expected a number from 0 to 1" thresholds --model "$model" --data "$data" --hold-at-most 5
grep '"off-topic"' "$data" >"$tmp/one-class.jsonl"
expect_error 1 "all of one class" thresholds --model "$model" --data "$tmp/one-class.jsonl" --hold-at-most 0.1
printf '{"text": "no label here"}\n' >"$tmp/unlabelled.jsonl"
expect_error 1 "unlabelled.jsonl:1" thresholds --model "$model" --data "$tmp/unlabelled.jsonl" --hold-at-most 0.1
expect_error 1 "meets both limits" thresholds --model "$model" --data "$data" --hold-at-most 0 --miss-at-most 0
[ "$(cat "$tmp/thresholds")" = "$spec" ] || fail "a failed run changed the --out file"
expect_error 2 "--thresholds: on-topic: expected a number from 0 to 1" score --model "$model" --thresholds on-topic=2
expect_error 2 "--thresholds: cannot open $tmp/none" score --model "$model" --thresholds "@$tmp/none"
echo "thresholds_test: all checks passed"
