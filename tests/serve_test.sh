#!/usr/bin/env bash
# serve_test.sh PROGRAM SOURCE_DIR - `commentguard serve` on loopback, called with curl.
#
# Starts the service on 127.0.0.1 with a free port chosen by the kernel (port 0, read back from
# its log), waits for /healthz, checks that POST /v1/classify answers exactly what
# `score --format jsonl` writes (one object, an array with an article, a thread and bad elements), the
# error statuses (400, 404, 405, 413), and that SIGTERM lets a request in flight finish and stops
# the server with exit status 0.
set -euo pipefail
prog=$1
src=$2
. "$src/tests/serve_lib.sh"
. "$src/tests/pick_model.sh"
model=$(pick_model "$prog" "$src" "$tmp")

serve_on_free_port --model "$model" --threads 2 --max-body 4096 --timeout 5

# request METHOD PATH [BODY]: sets $status and $body (the response headers are in $tmp/headers).
request() {
  local args=(-s -X "$1" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}')
  if [ $# -ge 3 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$3"); fi
  status=$(curl "${args[@]}" "$url$2") || fail "curl $1 $2"
  body=$(cat "$tmp/body")
}
expect() { # expect STATUS WHAT: the last request's status
  [ "$status" = "$1" ] || fail "$2: status $status, expected $1; body: $body"
}
# score_jsonl LINE...: what `score --format jsonl` writes for those lines (failed lines included).
score_jsonl() {
  printf '%s\n' "$@" | "$prog" score --model "$model" --format jsonl --threads 1 || true
}

# Health.
request GET /healthz
expect 200 "GET /healthz"
version=$("$prog" --version | cut -d' ' -f2)
[ "$body" = "{\"status\":\"ok\",\"model\":\"$model\",\"version\":\"$version\",\"generation\":0,\"site_rows\":0}" ] ||
  fail "healthz body: $body"

# One object: the same object as score writes for the same line.
one='{"id": 42, "text": "You are a pathetic idiot and everyone knows it."}'
request POST /v1/classify "$one"
expect 200 "one object"
[ "$body" = "$(score_jsonl "$one")" ] || fail "one object: $body"
case "$body" in *'"label":"abusive"'*) ;; *) fail "one object is not abusive: $body" ;; esac

# An array: answers in order, an article taken into account, bad elements answered in place.
article='City council votes to extend the tram line to the harbour district next spring.'
c1='{"id": "a", "text": "The harbour tram extension will cut my commute.", "article": "'$article'"}'
c2='{"id": "b", "text": "The harbour tram extension will cut my commute."}'
c3='{"text": "Cheap watches!!! visit www.best-watch-deals.biz", "article": null}'
c4='[3]'
c5='{"id": [1, 2]}'
c6='{"id": "t", "text": "The harbour tram extension will cut my commute.", "article": "'$article'", "thread": ["Will the trams run at night?", "The harbour stop should be near the ferry."]}'
request POST /v1/classify "[$c1, $c2, $c3, $c4, $c5, $c6]"
expect 200 "array"
expected="[$(score_jsonl "$c1" "$c2" "$c3" "$c4" "$c5" "$c6" | paste -sd, -)]"
[ "$body" = "$expected" ] || fail "array: $body, expected $expected"
with=$(score_jsonl "$c1" | sed 's/.*"scores"//')
without=$(score_jsonl "$c2" | sed 's/.*"scores"//')
[ "$with" != "$without" ] || fail "the article did not change the scores: $with"
threaded=$(score_jsonl "$c6" | sed 's/.*"scores"//')
[ "$threaded" != "$with" ] || fail "the thread did not change the scores: $threaded"
request POST /v1/classify '[]'
expect 200 "empty array"
[ "$body" = "[]" ] || fail "empty array: $body"

# Errors.
request POST /v1/classify '{"text": "unfinished'
expect 400 "malformed JSON"
case "$body" in '{"error":"invalid JSON'*) ;; *) fail "malformed JSON: $body" ;; esac
request POST /v1/classify '{"id": 7, "text": 12}'
expect 400 "text not a string"
[ "$body" = '{"id":7,"error":"\"text\" must be a string"}' ] || fail "text not a string: $body"
request GET /nowhere
expect 404 "unknown path"
request GET /v1/classify
expect 405 "GET /v1/classify"
grep -qi '^Allow: POST' "$tmp/headers" || fail "405 without Allow: POST"
request DELETE /healthz
expect 405 "DELETE /healthz"

# Without --keys any key is accepted, none is not; /1.1/test needs none.
request GET /1.1/test
expect 200 "GET /1.1/test"
[ "$body" = connected ] || fail "/1.1/test: $body"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -d 'key=0123456789ab&blog=http://b.example' "$url/1.1/get-subscription")
case "$status/$(cat "$tmp/body")" in '200/{"status":"active",'*) ;; *) fail "get-subscription: $(cat "$tmp/body")" ;; esac
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -d 'blog=http://b.example' "$url/1.1/get-subscription")
[ "$status/$(cat "$tmp/body")" = 200/invalid ] && grep -q '^X-akismet-debug-help: Empty "key" value' "$tmp/headers" ||
  fail "get-subscription without a key: $(cat "$tmp/body")"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -d 'key=0123456789ab&blog=http://b.example&from=all' "$url/1.1/get-stats")
[ "$(cat "$tmp/body")" = '{"spam":0,"ham":0,"missed_spam":0,"false_positives":0,"accuracy":100.0}' ] ||
  fail "get-stats of a new key: $(cat "$tmp/body")"
request POST /v1/classify "{\"text\": \"$(head -c 5000 /dev/zero | tr '\0' a)\"}"
expect 413 "body over --max-body"
[ "$body" = '{"error":"request body too large"}' ] || fail "413 body: $body"
request POST /v1/classify "$one"
expect 200 "a request after the errors"

# Clean shutdown: a request in flight when SIGTERM comes (its body half sent) is still answered.
slow='{"id": "slow", "text": "The tram to the harbour is a good idea."}'
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n%s\r\n\r\n%s' \
  "Content-Length: ${#slow}" "${slow:0:20}" >&3
sleep 0.5
kill -TERM "$pid"
sleep 0.5
printf '%s' "${slow:20}" >&3
answer=$(cat <&3)
exec 3<&-
case "$answer" in "HTTP/1.1 200 OK"*'{"id":"slow","label":'*) ;; *) fail "request in flight at SIGTERM: $answer" ;; esac
code=0
wait "$pid" || code=$?
pid=
[ "$code" = 0 ] || fail "exit status $code after SIGTERM"
grep -q 'serve: stopped' "$tmp/log" || fail "no shutdown message"
echo "serve_test: all checks passed"
