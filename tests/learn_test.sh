#!/usr/bin/env bash
# learn_test.sh PROGRAM SOURCE_DIR - what `commentguard serve` learns from moderators' clicks.
#
#   1. What a click teaches: a Spam click on a polite question that the model finds a little more
#      abusive than off-topic is kept as off-topic, one on an insult as abusive, a Not spam click as
#      on-topic; with --spam abusive a Spam click is kept as abusive.
#   2. serve --learn DIR --history (tests/fixtures/learn/history.jsonl) --retrain-every 5: five
#      variants of one campaign comment (polite praise signed with a company name) marked spam; a
#      sixth variant, which the model approves, is spam at once as a near-copy (Akismet and JSON
#      API); the five clicks retrain (generation 1), SIGHUP retrains again (generation 2) and the
#      sixth variant is still spam; a reader's comment is approved throughout; a corrupt history
#      makes the retraining fail and the previous generation keeps serving; a restart serves the
#      newest generation and still knows the near-copies; a changed base starts from the base.
#   3. SIGHUP also reloads --keys.
set -euo pipefail
prog=$1
src=$2
. "$src/tests/serve_lib.sh"
. "$src/tests/pick_model.sh"
model=$(pick_model "$prog" "$src" "$tmp")
base_model=$model
feedback=$tmp/feedback.jsonl
blog=http://blog.example

# start_server ARGS...: serve on a free loopback port with the test model, the feedback file and ARGS.
start_server() {
  serve_on_free_port --model "$model" --threads 2 --feedback "$feedback" "$@"
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

# 2. serve --learn.
history=$tmp/history.jsonl
state=$tmp/state
cp "$src/tests/fixtures/learn/history.jsonl" "$history"
reader='Thank you for the clear explanation of nested comprehensions, the examples helped me fix my script.'
campaign=(
  'Thank you for this excellent tutorial, it really helped our whole team understand the subject. Kind regards from everyone at BrightPath Digital Solutions.'
  'Thanks for this wonderful tutorial, it truly helped our whole team understand the topic. Best regards from everyone at BrightPath Digital Solutions.'
  'Thank you for this wonderful guide, it really helped our entire team understand the topic. Kind regards from all of us at BrightPath Digital Solutions.'
  'Thank you so much for this wonderful tutorial, it really helped our whole team grasp the topic. Kind regards from everyone at BrightPath Digital Solutions.'
  'Many thanks for this wonderful tutorial, it really helped our whole staff understand the topic. Warm regards from everyone at BrightPath Digital Solutions.'
)
sixth='Thank you for this great tutorial, it really helped our whole team understand the topic. Greetings from everyone at BrightPath Digital Solutions.'
# health FIELD: a member of /healthz's answer.
health() { curl -sf "$url/healthz" | python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }
# wait_for_generation G: until /healthz reports generation G (a retraining takes a few seconds).
wait_for_generation() {
  for _ in $(seq 600); do
    [ "$(health generation)" = "$1" ] && return
    sleep 0.1
  done
  fail "generation $1 never came (now $(health generation))"
}
# check_reader: the reader's comment is approved by the model, with no near-copy.
check_reader() {
  akismet comment-check "comment_content=$reader"
  [ "$body" = false ] && [ "$(header X-commentguard-label)" = on-topic ] && [ -z "$(header X-commentguard-near-copy)" ] ||
    fail "$1: the reader's comment: $body $(header X-commentguard-label) ($(header X-commentguard-scores))" \
      "$(header X-commentguard-near-copy)"
}
# check_sixth: the sixth variant is spam as a near-copy of a corrected variant.
check_sixth() {
  akismet comment-check "comment_content=$sixth"
  [ "$body" = true ] && [ "$(header X-commentguard-label)" = off-topic ] ||
    fail "$1: the sixth variant: $body $(header X-commentguard-label)"
  header X-commentguard-near-copy | grep -Eq '^id=[1-5]; received=20[0-9-]{8}T[0-9:]{8}Z; label=off-topic; similarity=0\.[5-9][0-9]$' ||
    fail "$1: the near-copy header: '$(header X-commentguard-near-copy)'"
}

: >"$feedback"
start_server --learn "$state" --history "$history" --retrain-every 5
[ "$(health generation)/$(health site_rows)" = 0/0 ] || fail "healthz at start: $(curl -s "$url/healthz")"
check_reader "at start"
akismet comment-check "comment_content=$sixth"
[ "$body" = false ] && [ -z "$(header X-commentguard-near-copy)" ] ||
  fail "the sixth variant before any click: $body $(header X-commentguard-near-copy)"
for c in "${campaign[@]}"; do
  akismet submit-spam "comment_content=$c" 'comment_author=BrightPath' 'comment_author_url=https://brightpath.example'
  [ "$(last_label)" = off-topic ] || fail "a campaign variant was kept as $(last_label)"
done
# The campaign was marked with its author; the sixth variant comes without: the words match.
check_sixth "at once"
curl -sf -d "{\"text\": \"$sixth\"}" "$url/v1/classify" | python3 -c '
import json, sys
a = json.load(sys.stdin)
assert a["label"] == "off-topic", a
m = a["near_copy"]
assert 1 <= m["id"] <= 5 and m["label"] == "off-topic" and 0.5 <= m["similarity"] <= 1 and m["received"].endswith("Z"), a' ||
  fail "the JSON API's near_copy"
# The five clicks retrain: history and campaign (waited for here, so that the next click is not in it).
wait_for_generation 1
grep -q 'retrained on 37 site rows' "$tmp/log" || fail "the first retraining's rows"
akismet submit-spam "comment_content=$question"
[ "$(last_label)" = off-topic ] || fail "a Spam click on a polite question was kept as $(last_label)"
check_sixth "generation 1"
check_reader "generation 1"
kill -HUP "$pid"
wait_for_generation 2
[ -f "$state/generation-000002/generation.json" ] || fail "no generation-000002"
check_sixth "after SIGHUP"
check_reader "after SIGHUP"
rows=$(health site_rows)
[ "$rows" = 38 ] || fail "site_rows after SIGHUP: $rows"

# A corrupt history: the retraining fails, generation 2 keeps serving.
echo '{"label": "on-topic", "text": broken' >>"$history"
kill -HUP "$pid"
for _ in $(seq 300); do grep -q 'retraining failed' "$tmp/log" && break; sleep 0.1; done
grep -q "retraining failed, the serving model stays: $history:33: invalid JSON" "$tmp/log" ||
  fail "no report of the failed retraining with file:line"
[ "$(health generation)" = 2 ] && [ "$(health model)" = "$state/generation-000002" ] || fail "the generation after a failed retraining"
check_sixth "after a failed retraining"
check_reader "after a failed retraining"
stop_server

# A restart serves the newest generation of this base, and the near-copy index is kept.
sed -i '$d' "$history"
start_server --learn "$state" --history "$history"
[ "$(health model)/$(health generation)/$(health site_rows)" = "$state/generation-000002/0/$rows" ] ||
  fail "after a restart: $(curl -s "$url/healthz")"
check_sixth "after a restart"
check_reader "after a restart"
stop_server
# Another base: its generations start from the base itself.
"$prog" train --data "$src/tests/fixtures/train/comments.jsonl" --out "$tmp/other-base" --folds 0 --c 2 --quiet \
  --no-report >/dev/null
model=$tmp/other-base
start_server --learn "$state" --history "$history"
[ "$(health model)/$(health generation)" = "$tmp/other-base/0" ] || fail "a changed base: $(curl -s "$url/healthz")"
grep -q "no generation of $tmp/other-base" "$tmp/log" || fail "a changed base is not reported"
stop_server

# 3. SIGHUP reloads --keys: a key added to the file is accepted without a restart; a file that
#    cannot be read keeps the keys loaded before.
printf 'aaaaaaaaaaaa\n' >"$tmp/keys"
model=$base_model
start_server --keys "$tmp/keys"
v1_status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" -d '{"text": "hi"}' "$url/v1/classify"; }
[ "$(v1_status aaaaaaaaaaaa)/$(v1_status bbbbbbbbbbbb)" = 200/403 ] || fail "keys at start"
printf 'bbbbbbbbbbbb\n' >>"$tmp/keys"
kill -HUP "$pid"
for _ in $(seq 300); do grep -q 'reloaded the keys' "$tmp/log" && break; sleep 0.1; done
[ "$(v1_status aaaaaaaaaaaa)/$(v1_status bbbbbbbbbbbb)" = 200/200 ] || fail "keys after SIGHUP"
chmod 000 "$tmp/keys"
mv "$tmp/keys" "$tmp/keys.away"
kill -HUP "$pid"
for _ in $(seq 300); do grep -q 'kept the keys loaded before' "$tmp/log" && break; sleep 0.1; done
grep -q 'kept the keys loaded before' "$tmp/log" || fail "a missing keys file is not reported"
[ "$(v1_status bbbbbbbbbbbb)" = 200 ] || fail "keys after a failed reload"
stop_server

echo "learn_test: all checks passed"
