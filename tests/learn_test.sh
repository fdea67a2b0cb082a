#!/usr/bin/env bash
# learn_test.sh PROGRAM SOURCE_DIR - what `commentguard serve` learns from moderators' clicks.
#
#   1. What a click teaches: a Spam click on a polite question that the model finds a little more
#      abusive than off-topic is kept as off-topic, one on an insult as abusive, a Not spam click as
#      on-topic; with --spam abusive a Spam click is kept as abusive.
set -euo pipefail
prog=$1
src=$2
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- server log:" >&2
  cat "$tmp/log" >&2 || true
  exit 1
}
. "$src/tests/pick_model.sh"
model=$(pick_model "$prog" "$src" "$tmp")
feedback=$tmp/feedback.jsonl
blog=http://blog.example

# start_server ARGS...: serve on a free loopback port with the test model, the feedback file and ARGS.
start_server() {
  "$prog" serve --listen 127.0.0.1:0 --model "$model" --threads 2 --feedback "$feedback" "$@" 2>"$tmp/log" &
  pid=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$tmp/log")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || fail "the server exited at start"
    sleep 0.1
  done
  [ -n "$port" ] || fail "the server did not report its port"
  url="http://127.0.0.1:$port"
  for _ in $(seq 50); do
    curl -sf "$url/healthz" >/dev/null && return
    sleep 0.1
  done
  fail "the server does not answer /healthz"
}
stop_server() {
  kill -TERM "$pid"
  wait "$pid" || fail "exit status $? after SIGTERM"
  pid=
}
# akismet CALL FIELD=VALUE...: POST a form to /1.1/CALL; sets $body and $tmp/headers.
akismet() {
  local call=$1 args=(-sf -o "$tmp/body" -D "$tmp/headers" --data-urlencode "blog=$blog" --data-urlencode user_ip=192.0.2.1)
  shift
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  curl "${args[@]}" "$url/1.1/$call" || fail "curl $call $*"
  body=$(cat "$tmp/body")
}
header() { sed -n "s/^$1: \(.*\)\r$/\1/Ip" "$tmp/headers"; }
# last_label: the label of the feedback file's last line.
last_label() { tail -n 1 "$feedback" | python3 -c 'import json, sys; print(json.load(sys.stdin)["label"])'; }

question='Could you explain how the tram stops are chosen?'
insult='You are a pathetic idiot and a liar.'

# 1. What a click teaches.
start_server
akismet comment-check "comment_content=$question"
# The case the rule is for: the model's most probable spam label is abusive, its argmax on-topic.
header X-commentguard-scores | python3 -c '
import sys
p = dict(kv.split("=") for kv in sys.stdin.read().strip().split(", "))
on, off, ab = float(p["on-topic"]), float(p["off-topic"]), float(p["abusive"])
assert ab > off and on > ab, p' || fail "the question's scores no longer test the rule: $(header X-commentguard-scores)"
akismet submit-spam "comment_content=$question"
[ "$(last_label)" = off-topic ] || fail "a Spam click on a polite question was kept as $(last_label)"
akismet submit-spam "comment_content=$insult"
[ "$(last_label)" = abusive ] || fail "a Spam click on an insult was kept as $(last_label)"
akismet submit-ham "comment_content=$question"
[ "$(last_label)" = on-topic ] || fail "a Not spam click was kept as $(last_label)"
stop_server
start_server --spam abusive
akismet submit-spam "comment_content=$question"
[ "$(last_label)" = abusive ] || fail "with --spam abusive, a Spam click was kept as $(last_label)"
stop_server
[ "$(wc -l <"$feedback")" = 4 ] || fail "expected 4 feedback lines"

echo "learn_test: all checks passed"
