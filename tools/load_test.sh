#!/usr/bin/env bash
# Load test of `commentguard serve` on loopback: wrk, 2 threads, 16 connections, 10 seconds of
# POST /v1/classify with one comment and its article. Prints requests/s and latency percentiles;
# fails if any request failed or got a status other than 200.
#
#   tools/load_test.sh [PROGRAM] [MODEL_DIR]    (default: build/commentguard and its default model)
#
# Needs wrk and curl (tools/setup.sh --bench-deps). The server gets --threads 2.
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

"$prog" serve --listen 127.0.0.1:0 "${model_args[@]}" --threads 2 2>"$tmp/log" &
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

cat >"$tmp/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id": 1, "text": "Extending the tram to the harbour will help the people who work at the port, ' ..
  'but the council should publish what it costs.", "article": "City council votes to extend the tram ' ..
  'line to the harbour district next spring. The extension adds four stops and is due to open in 2027."}'

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
EOF

wrk -t2 -c16 -d10s -s "$tmp/post.lua" "$url/v1/classify" | tee "$tmp/out"
grep -q '^failed         0 ' "$tmp/out" || { echo "load_test: some requests failed" >&2; exit 1; }
