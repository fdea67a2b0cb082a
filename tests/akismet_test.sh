#!/usr/bin/env bash
# akismet_test.sh PROGRAM SOURCE_DIR - `commentguard serve` as an Akismet server.
#
# Installs the npm package akismet-api (tests/akismet/package-lock.json) into a temporary
# directory and points it at serve on a loopback port: verify-key, comment-check (ham, spam,
# Akismet's viagra-test-123 author, a bad key, a missing field), submit-spam and submit-ham must
# work unchanged, and the two submissions must appear in the feedback file with their article and
# their author's fields.
# The same with Debian's Perl client (libnet-akismet-perl, tests/akismet/client.pl), which sends
# the key in the host name. The keys come from `commentguard keys new`. Then, with curl: the calls
# of WordPress's Akismet plugin (test, get-subscription, get-stats, deactivate), which key a call
# carries, Akismet's error conventions, /v1/feedback and the key on /v1, the articles reloaded on
# SIGHUP, a burst of concurrent submissions that loses and mixes no line, get-stats' counts kept
# across a restart, a torn last line cut at the next start, and the feedback file read back by
# `commentguard eval`.
set -euo pipefail
prog=$1
src=$2
. "$src/tests/serve_lib.sh"
command -v npm >/dev/null && command -v node >/dev/null || fail "node and npm are needed (tools/setup.sh --test-deps)"
perl -MNet::Akismet -e 1 2>/dev/null || fail "Net::Akismet is needed (libnet-akismet-perl; tools/setup.sh --test-deps)"
. "$src/tests/pick_model.sh"
model=$(pick_model "$prog" "$src" "$tmp")

# The client library, exactly as locked.
mkdir "$tmp/client"
cp "$src"/tests/akismet/{package.json,package-lock.json,client.js,loopback_dns.js} "$tmp/client/"
(cd "$tmp/client" && npm ci --no-audit --no-fund --loglevel=error >"$tmp/npm.log" 2>&1) ||
  { cat "$tmp/npm.log" >&2; fail "npm ci"; }

blog=http://blog.example
permalink=$blog/2026/tram-to-the-harbour/
printf '# test keys\n' >"$tmp/keys"
key=$("$prog" keys new --keys "$tmp/keys" --blog "$blog/")
key2=$("$prog" keys new --keys "$tmp/keys")
printf '%s\n' '{"permalink": "'$permalink'", "title": "Tram to the harbour", "text": "City council votes to extend the tram line to the harbour district next spring."}' >"$tmp/articles.jsonl"
feedback=$tmp/feedback.jsonl

# Without keys, only loopback addresses.
code=0
"$prog" serve --listen 0.0.0.0:0 --model "$model" 2>"$tmp/refused" || code=$?
[ "$code" = 2 ] && grep -q 'not a loopback address' "$tmp/refused" || fail "keyless serve on 0.0.0.0: status $code"

start_server() {
  serve_on_free_port --model "$model" --threads 2 --max-body 65536 --keys "$tmp/keys" \
    --articles "$tmp/articles.jsonl" --feedback "$feedback" --state "$tmp/state.db" --akismet-domain localhost
}
lines() { if [ -f "$feedback" ]; then wc -l <"$feedback"; else echo 0; fi; }
# akismet CALL FIELD=VALUE...: serve_lib.sh's, but with the key and the HTTP status in $status, without failing on
# an error status (this test checks them).
akismet() {
  local call=$1 args=(-s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --data-urlencode "api_key=$key")
  shift
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  status=$(curl "${args[@]}" "$url/1.1/$call") || fail "curl $call"
  body=$(cat "$tmp/body")
}
header() { sed -n "s/^$1: \(.*\)\r$/\1/Ip" "$tmp/headers"; }

start_server

# The real client, unchanged.
(cd "$tmp/client" && node -r ./loopback_dns.js client.js "$port" "$key" "$blog" "$permalink") ||
  fail "the akismet-api client"
[ "$(lines)" = 2 ] || fail "expected 2 feedback lines after the client, got $(lines)"
python3 - "$feedback" "$permalink" <<'PY' || fail "the client's feedback lines"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
article = "Tram to the harbour\n\nCity council votes to extend the tram line to the harbour district next spring."
spam, ham = rows
assert spam["label"] == "off-topic" and spam["text"].startswith("Claim your cash prize now"), spam
# The author travels beside the text: name and URL as given, of the e-mail address only its domain.
assert "Prize Team" not in spam["text"] and spam["author"] == "Prize Team", spam
assert spam["author_url"] == "http://prize-team.example/claim" and spam["author_email"] == "@prize-team.example", spam
assert ham["author"] == "Maria" and "author_url" not in ham and "author_email" not in ham, ham
assert ham["label"] == "on-topic" and ham["text"].startswith("The harbour stops"), ham
for r in rows:
    assert r["article"] == article and r["source"] == "akismet" and r["permalink"] == sys.argv[2], r
    assert r["blog"] == "http://blog.example" and r["received"].endswith("Z"), r
PY

# Debian's Perl client, unchanged: the key in the host name.
perl "$src/tests/akismet/client.pl" "$port" "$key" "$blog" "$permalink" || fail "the Net::Akismet client"
[ "$(lines)" = 4 ] || fail "expected 4 feedback lines after the Perl client, got $(lines)"
python3 - "$feedback" <<'PY' || fail "the Perl client's feedback lines"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")][2:]
spam, ham = rows
assert spam["label"] == "off-topic" and spam["text"].startswith("Claim your cash prize today"), spam
assert ham["label"] == "on-topic" and ham["text"].startswith("The harbour tram would help"), ham
assert all(r["blog"] == "http://blog.example" and r["source"] == "akismet" for r in rows), rows
PY

# comment-check: the verdict headers and the article found by permalink.
akismet comment-check blog=$blog user_ip=192.0.2.1 permalink=$permalink \
  'comment_content=Extending the tram to the harbour will help the people who work at the port.'
[ "$status/$body" = "200/false" ] || fail "ham comment-check: $status $body"
[ "$(header X-commentguard-article)" = found ] || fail "article not found by permalink"
[ "$(header X-commentguard-label)" = on-topic ] || fail "ham label: $(header X-commentguard-label)"
header X-commentguard-scores | grep -Eq '^on-topic=0\.[0-9]{6}, off-topic=0\.[0-9]{6}, abusive=0\.[0-9]{6}$' ||
  fail "scores header: $(header X-commentguard-scores)"
akismet comment-check blog=$blog user_ip=192.0.2.1 permalink=$blog/elsewhere/ 'comment_content=Hello'
[ "$(header X-commentguard-article)" = "unknown permalink" ] || fail "an unknown permalink"

# The calls of WordPress's Akismet plugin (5.0.2): its connectivity test, the account and the
# statistics of its settings screen, and deactivate; none sends an X-akismet-alert-* header.
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$url/1.1/test")
[ "$status/$(cat "$tmp/body")" = 200/connected ] || fail "GET /1.1/test: $status $(cat "$tmp/body")"
akismet get-subscription "key=$key" "blog=$blog"
[ "$status/$body" = '200/{"status":"active","account_type":"commentguard","account_name":"commentguard serve (self-hosted)","next_billing_date":false,"limit_reached":false}' ] ||
  fail "get-subscription: $status $body"
! grep -qi '^X-akismet-alert' "$tmp/headers" || fail "an alert header: $(cat "$tmp/headers")"
akismet get-subscription "key=f00dfeedbeef" "blog=$blog"
[ "$status/$body" = 200/invalid ] && [ "$(header X-akismet-debug-help)" = "We were unable to authenticate your API key." ] ||
  fail "get-subscription with another key: $status $body"
akismet get-subscription "key=$key" blog=http://another.example
[ "$body" = invalid ] || fail "get-subscription for another blog: $body"
akismet get-stats "key=f00dfeedbeef" "blog=$blog" from=all
[ "$body" = invalid ] || fail "get-stats with another key: $body"
akismet get-stats "key=$key" "blog=$blog" from=1999
[ "$status" = 200 ] && [ "$(header X-akismet-debug-help)" = "$body" ] && [[ $body == 'Unknown "from" value'* ]] ||
  fail "get-stats from=1999: $body"
akismet get-stats "key=$key" "blog=$blog" from=all
python3 -c 'import json, sys; s = json.loads(sys.argv[1]); assert sorted(s) == ["accuracy", "false_positives", "ham", "missed_spam", "spam"] and s["spam"] >= 2 and s["missed_spam"] == 2 and s["false_positives"] == 2, s' "$body" ||
  fail "get-stats for the clients' key: $body"
! grep -qi '^X-akismet-alert' "$tmp/headers" || fail "an alert header: $(cat "$tmp/headers")"
akismet deactivate "key=$key" "blog=$blog"
[ "$status/$body" = 200/deactivated ] || fail "deactivate: $status $body"
akismet deactivate "key=f00dfeedbeef" "blog=$blog"
[ "$body" = invalid ] || fail "deactivate with another key: $body"

# Which key a call carries: the key field before api_key (the plugin sends a new key as key, the
# saved one as api_key), then the host name's first label only under --akismet-domain.
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -d "key=$key&api_key=f00dfeedbeef&blog=$blog" "$url/1.1/verify-key")
[ "$(cat "$tmp/body")" = valid ] || fail "key before api_key: $(cat "$tmp/body")"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Host: $key.localhost" -d "blog=$blog&user_ip=1&user_role=administrator" "$url/1.1/comment-check")
[ "$(cat "$tmp/body")" = false ] || fail "the key in the host name: $(cat "$tmp/body")"
for host in "rest.akismet.com" "$key.elsewhere.example" "$key.localhost.example"; do
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Host: $host" -d "blog=$blog&user_ip=1&user_role=administrator" "$url/1.1/comment-check")
  [ "$(cat "$tmp/body")" = invalid ] || fail "Host $host taken as a key: $(cat "$tmp/body")"
done

# Akismet's error conventions: status 200, a body other than the answer, X-akismet-debug-help.
akismet comment-check user_ip=192.0.2.1 'comment_content=Hello'
[ "$status/$body" = "200/Missing required field: blog." ] || fail "missing blog: $status $body"
[ "$(header X-akismet-debug-help)" = "Missing required field: blog." ] || fail "missing blog: no debug help"
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --data-binary "api_key=$key&blog=$blog&user_ip=1&comment_content=%G1" "$url/1.1/comment-check")
[ "$status" = 200 ] && [ -n "$(header X-akismet-debug-help)" ] || fail "malformed form: $status"
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --data-urlencode "blog=$blog" --data-urlencode user_ip=1 "$url/1.1/comment-check")
[ "$status/$(cat "$tmp/body")" = "200/invalid" ] || fail "comment-check without a key: $(cat "$tmp/body")"
akismet verify-key "key=$key"
[ "$body" = invalid ] && [ "$(header X-akismet-debug-help)" = 'Empty "blog" value' ] || fail "verify-key without blog: $body"
akismet verify-key "key=$key" blog=http://another.example
[ "$body" = invalid ] || fail "verify-key with another blog: $body"
akismet comment-check blog=$blog user_ip=1 "comment_content=$(head -c 70000 /dev/zero | tr '\0' a)"
[ "$status" = 413 ] && [ -n "$(header X-akismet-debug-help)" ] || fail "body over --max-body: $status"
# The HTTP errors of the /1.1/ paths carry X-akismet-debug-help too; other paths keep JSON errors.
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$url/1.1/comment-check")
[ "$status" = 405 ] && [ "$(header X-akismet-debug-help)" = "method not allowed" ] &&
  [ "$(header Allow)" = POST ] || fail "GET comment-check: $status $(cat "$tmp/headers")"
akismet no-such-call blog=$blog
[ "$status/$body" = "404/not found" ] && [ "$(header X-akismet-debug-help)" = "not found" ] ||
  fail "an unknown /1.1/ call: $status $body"
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$url/1.2/comment-check")
[ "$status/$(cat "$tmp/body")" = '404/{"error":"not found"}' ] && [ -z "$(header X-akismet-debug-help)" ] ||
  fail "a path outside /1.1/: $status $(cat "$tmp/body")"

# is_test submissions are acknowledged and not kept; others are, and so is /v1/feedback.
akismet submit-spam blog=$blog user_ip=1 is_test=1 'comment_content=Testing only'
[ "$body" = "Thanks for making the web a better place." ] || fail "is_test submit: $body"
[ "$(lines)" = 4 ] || fail "an is_test submission was kept"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -d '{"text": "hi", "label": "on-topic"}' "$url/v1/feedback")
[ "$status" = 403 ] || fail "/v1/feedback without a key: $status"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -d '{"text": "hi"}' "$url/v1/classify")
[ "$status" = 403 ] || fail "/v1/classify without a key: $status"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $key" \
  -d '{"id": 9, "text": "You are a pathetic idiot", "article": null, "label": "abusive"}' "$url/v1/feedback")
[ "$status/$(cat "$tmp/body")" = '200/{"status":"kept"}' ] || fail "/v1/feedback: $status $(cat "$tmp/body")"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $key" \
  -d '{"text": "hi", "label": "spam"}' "$url/v1/feedback")
[ "$status" = 400 ] || fail "/v1/feedback with an unknown label: $status"
[ "$(lines)" = 5 ] || fail "expected 5 feedback lines, got $(lines)"

# SIGHUP reloads the articles; a broken file keeps the ones loaded.
printf '%s\n' '{"permalink": "'$blog'/new-post", "title": "New", "text": "A new post about bicycles."}' >>"$tmp/articles.jsonl"
kill -HUP "$pid"
for _ in $(seq 300); do grep -q 'reloaded 2 articles' "$tmp/log" && break; sleep 0.1; done
akismet comment-check blog=$blog user_ip=1 permalink=$blog/new-post/ 'comment_content=I ride a bicycle'
[ "$(header X-commentguard-article)" = found ] || fail "the article added before SIGHUP"
echo '{"permalink": broken' >>"$tmp/articles.jsonl"
kill -HUP "$pid"
for _ in $(seq 300); do grep -q 'kept the articles loaded before' "$tmp/log" && break; sleep 0.1; done
grep -q 'articles.jsonl:3: ' "$tmp/log" || fail "no file:line for the broken articles file"
akismet comment-check blog=$blog user_ip=1 permalink=$blog/new-post 'comment_content=I ride a bicycle'
[ "$(header X-commentguard-article)" = found ] || fail "the articles after a failed reload"

# A burst from 16 connections at once: every line whole, none lost, none twice.
seq 1 200 | xargs -P 16 -I{} curl -sf -o /dev/null --data-urlencode "api_key=$key" \
  --data-urlencode "blog=$blog" --data-urlencode user_ip=1 --data-urlencode "comment_content=burst comment {}" \
  "$url/1.1/submit-ham" || fail "a submission of the burst failed"
[ "$(lines)" = 205 ] || fail "expected 205 feedback lines after the burst, got $(lines)"
python3 - "$feedback" <<'PY' || fail "the burst's lines"
import json, sys
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
burst = sorted(int(t.split()[-1]) for t in texts if t.startswith("burst comment "))
assert burst == list(range(1, 201)), burst
PY

# get-stats counts per key: key2's own calls only (two Akismet test spams, one administrator's
# comment, one Spam click, one Not spam click: 3 checks, 2 corrected), kept across a restart.
stats_calls() {
  curl -sf -o /dev/null -d "key=$key2&blog=$blog&user_ip=1&comment_author=viagra-test-123" "$url/1.1/comment-check"
  curl -sf -o /dev/null -d "key=$key2&blog=$blog&user_ip=1&comment_author=viagra-test-123" "$url/1.1/comment-check"
  curl -sf -o /dev/null -d "key=$key2&blog=$blog&user_ip=1&user_role=administrator" "$url/1.1/comment-check"
  curl -sf -o /dev/null -d "key=$key2&blog=$blog&user_ip=1&is_test=1&user_role=administrator" "$url/1.1/comment-check"
  curl -sf -o /dev/null -d "key=$key2&blog=$blog&user_ip=1&comment_content=Win a prize" "$url/1.1/submit-spam"
  curl -sf -o /dev/null -d "key=$key2&blog=$blog&user_ip=1&comment_content=Nice tram" "$url/1.1/submit-ham"
}
stats_calls || fail "the get-stats calls"
key2_stats='{"spam":2,"ham":1,"missed_spam":1,"false_positives":1,"accuracy":33.33}'
for from in all 6-months; do
  akismet get-stats "key=$key2" "blog=$blog" "from=$from"
  [ "$status/$body" = "200/$key2_stats" ] || fail "get-stats from=$from: $status $body"
done
[ "$(lines)" = 207 ] || fail "expected 207 feedback lines after the get-stats calls, got $(lines)"

! grep -q "$key" "$tmp/log" || fail "the key appears in the log"
stop_server

# A line torn by a crash is cut when the server starts again; the file is valid training data.
sed -i '$d' "$tmp/articles.jsonl"
printf '{"label": "on-topic", "text": "torn' >>"$feedback"
start_server
grep -q 'removed an unfinished last line (35 bytes)' "$tmp/log" || fail "the torn line was not reported"
akismet get-stats "key=$key2" "blog=$blog" from=all
[ "$body" = "$key2_stats" ] || fail "get-stats after a restart: $body"
[ "$(stat -c %a "$tmp/state.db")" = 600 ] || fail "the state file is not private"
[ "$(lines)" = 207 ] && [ "$(tail -c 1 "$feedback")" = "" ] || fail "the torn line is still there"
stop_server
"$prog" eval --data "$feedback" --model "$model" >"$tmp/eval" || fail "eval cannot read the feedback file"
echo "akismet_test: all checks passed"
