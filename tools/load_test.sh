#!/usr/bin/env bash
# Load test of `commentguard serve` on loopback, with wrk (2 threads, 16 connections, 10 seconds
# each):
#   1. POST /v1/classify with one comment and its article (JSON);
#   2. POST /1.1/comment-check, the Akismet API, with the same comment, its post by permalink
#      (--articles) and the fields an Akismet client sends (form-encoded);
#   3. a feedback burst: 64 connections for 5 seconds of POST /1.1/submit-spam, each body unique;
#      then every line of the feedback file must be whole JSON, and there must be at least as many
#      lines as answered submissions (a submission is answered only once its line is synced).
#   4. serve --learn (history: tests/fixtures/learn/history.jsonl): comment-check as in 2, first
#      steady (10 s), then while SIGHUP forces 10 retrainings one after the other, each swap seen on
#      /healthz (generation 1 to 10) before the next SIGHUP; wrk is stopped after the 10th swap.
# Prints requests/s and latency percentiles for each; fails if any request failed or got a status
# other than 200, if a feedback line is missing or broken, or if a swap did not come.
#
#   tools/load_test.sh [PROGRAM] [MODEL_DIR]    (default: build/commentguard and its default model)
#
# Needs wrk, curl and python3 (tools/setup.sh --bench-deps). The server gets --threads 2.
set -euo pipefail
prog=${1:-build/commentguard}
model_args=()
[ $# -ge 2 ] && model_args=(--model "$2")
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then wait "$pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

comment='Extending the tram to the harbour will help the people who work at the port, but the council should publish what it costs.'
title='Tram to the harbour'
article='City council votes to extend the tram line to the harbour district next spring. The extension adds four stops and is due to open in 2027.'
permalink='https://blog.example/2026/tram-to-the-harbour/'
printf '{"permalink": "%s", "title": "%s", "text": "%s"}\n' "$permalink" "$title" "$article" >"$tmp/articles.jsonl"

# Each log is emptied before its server starts: the loops read it at once (a missing file ends the
# script under set -e; the first server's log would name the first server's port).
: >"$tmp/log"
"$prog" serve --listen 127.0.0.1:0 "${model_args[@]}" --threads 2 --articles "$tmp/articles.jsonl" \
  --feedback "$tmp/feedback.jsonl" 2>"$tmp/log" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$tmp/log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "load_test: the server did not start" >&2; exit 1; }
url="http://127.0.0.1:$port"
curl -sf "$url/healthz" >/dev/null

# The statistics every run prints (appended to each run's script).
cat >"$tmp/report.lua" <<'EOF_LUA'
function done(summary, latency, requests)
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("requests       %d in %.1f s\n", summary.requests, summary.duration / 1e6))
  io.write(string.format("requests/s     %.0f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency p%-5s %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("latency max    %.2f ms\n", latency.max / 1000))
  io.write(string.format("failed         %d (connect %d, read %d, write %d, status %d, timeout %d)\n",
    failed, e.connect, e.read, e.write, e.status, e.timeout))
end
EOF_LUA
# A form-encoded body as Akismet clients send it; comment_content last, so that the burst can
# append to it.
akismet_body=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode(dict(a.split("=", 1) for a in sys.argv[1:])))' \
  blog=https://blog.example user_ip=203.0.113.7 'user_agent=Mozilla/5.0' "permalink=$permalink" \
  comment_type=comment comment_author=Maria "comment_content=$comment")

# run NAME PATH CONNECTIONS SECONDS SCRIPT: wrk with SCRIPT (its request settings) and the report.
run() {
  echo "== $1: wrk -t2 -c$3 -d$4s POST $2"
  cat "$5" "$tmp/report.lua" >"$tmp/run.lua"
  wrk -t2 -c"$3" -d"$4"s -s "$tmp/run.lua" "$url$2" | tee "$tmp/out"
  grep -q '^failed         0 ' "$tmp/out" || { echo "load_test: some requests failed" >&2; exit 1; }
}

cat >"$tmp/classify.lua" <<EOF_LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id": 1, "text": "$comment", "article": "$title\\\\n\\\\n$article"}'
EOF_LUA
run "/v1/classify" /v1/classify 16 10 "$tmp/classify.lua"

cat >"$tmp/akismet.lua" <<EOF_LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "$akismet_body"
EOF_LUA
run "Akismet comment-check" /1.1/comment-check 16 10 "$tmp/akismet.lua"
curl -s -D - -o /dev/null --data-binary "$akismet_body" "$url/1.1/comment-check" | grep -q 'X-commentguard-article: found' ||
  { echo "load_test: comment-check did not find the article" >&2; exit 1; }

# Each submission unique: its thread and number in the comment.
cat >"$tmp/burst.lua" <<EOF_LUA
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"},
    "$akismet_body" .. "+burst+" .. tid .. "-" .. n)
end
EOF_LUA
run "feedback burst (submit-spam)" /1.1/submit-spam 64 5 "$tmp/burst.lua"
answered=$(sed -n 's/^requests  *\([0-9]*\) in .*/\1/p' "$tmp/out")
python3 - "$tmp/feedback.jsonl" "$answered" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "the file does not end with a newline"
texts = [json.loads(l)["text"] for l in lines[:-1]]  # raises on a broken or mixed line
assert len(set(texts)) == len(texts), "a submission was written twice"
answered = int(sys.argv[2])
assert len(texts) >= answered, f"{answered} submissions answered, only {len(texts)} lines"
print(f"feedback lines {len(texts)}, every one whole JSON, none twice; {answered} submissions answered "
      f"(a request in flight when wrk stopped may add a line)")
PY

# 4. Swaps under load: a second server, with --learn.
kill -TERM "$pid"
wait "$pid" || true
: >"$tmp/learn-feedback.jsonl"
: >"$tmp/log"
"$prog" serve --listen 127.0.0.1:0 "${model_args[@]}" --threads 2 --articles "$tmp/articles.jsonl" \
  --feedback "$tmp/learn-feedback.jsonl" --learn "$tmp/learn" --history "$(dirname "$0")/../tests/fixtures/learn/history.jsonl" \
  2>"$tmp/log" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$tmp/log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "load_test: the --learn server did not start" >&2; exit 1; }
url="http://127.0.0.1:$port"
generation() { curl -sf "$url/healthz" | python3 -c 'import json, sys; print(json.load(sys.stdin)["generation"])'; }
run "Akismet comment-check, serve --learn, steady" /1.1/comment-check 16 10 "$tmp/akismet.lua"

echo "== Akismet comment-check, serve --learn, 10 swaps: wrk -t2 -c16 POST /1.1/comment-check"
cat "$tmp/akismet.lua" "$tmp/report.lua" >"$tmp/run.lua"
wrk -t2 -c16 -d600s -s "$tmp/run.lua" "$url/1.1/comment-check" >"$tmp/out" &
wrk_pid=$!
started=$(date +%s.%N)
sleep 1
for g in $(seq 1 10); do
  kill -HUP "$pid"
  for _ in $(seq 1200); do
    [ "$(generation)" = "$g" ] && break
    sleep 0.1
  done
  [ "$(generation)" = "$g" ] || { kill -INT "$wrk_pid"; tail -5 "$tmp/log" >&2; echo "load_test: swap $g did not come" >&2; exit 1; }
done
sleep 1
kill -INT "$wrk_pid"
wait "$wrk_pid" || true
cat "$tmp/out"
python3 -c "import sys, time; print(f'10 swaps in {time.time() - float(sys.argv[1]):.1f} s')" "$started"
grep -c 'retrained on' "$tmp/log" | xargs printf 'retrainings reported: %s\n'
grep -q '^failed         0 ' "$tmp/out" || { echo "load_test: some requests failed" >&2; exit 1; }
