#!/usr/bin/env bash
# blog_test.sh BLOG PROGRAM SOURCE_DIR - the blog example (examples/blog) on a real SQLite file.
#
# Creates a blog, posts two articles, adds on-topic, spam and abusive comments and checks their
# states (in the program's output, the database and the queue), works through the queue as a
# moderator, exports the training data, judges a comment with the approved comments before it
# (--thread), retrains a small model on it with `commentguard train` and re-scores the undecided
# comments with that model.
set -euo pipefail
blog=$1
prog=$2
src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
. "$src/tests/pick_model.sh"
model=$(pick_model "$prog" "$src" "$tmp")
db=$tmp/blog.db
b() { "$blog" --model "$model" "$db" "$@"; }
sql() { sqlite3 "$db" "$1"; }

b init
if b init 2>/dev/null; then fail "init on an existing blog"; fi
if "$blog" "$tmp/missing.db" queue 2>/dev/null; then fail "queue on a missing database"; fi
[ ! -e "$tmp/missing.db" ] || fail "a command other than init created a database"

tram=$(b post "City council votes to extend the tram line to the harbour" \
  "The tram line will reach the harbour district next spring, with four new stops and a depot.")
camera=$(b post "Review: the new Lumix camera handles low light well" \
  "Fast autofocus, weather sealing and a sensor that stays clean in low light.")
[ "$tram $camera" = "1 2" ] || fail "post ids $tram, $camera"

# comment POST AUTHOR TEXT [STATE]: add a comment, check its state (when given) in the output and
# the database; sets $id.
comment() {
  local out state
  out=$(b comment "$1" "$2" "$3") || fail "comment '$3'"
  id=$(cut -f1 <<<"$out")
  state=$(cut -f2 <<<"$out")
  if [ $# -ge 4 ] && [ "$state" != "$4" ]; then fail "'$3' is $state, expected $4 ($out)"; fi
  [ "$(sql "SELECT state FROM comments WHERE id = $id")" = "$state" ] || fail "'$3': the database disagrees"
}
comment "$tram" alice "Extending the tram to the harbour will help the people who work at the port." approved
on_topic=$id
comment "$tram" bob "The council should publish the cost of the harbour tram extension."
comment "$tram" carol "I live near the harbour and the new tram line would cut my commute in half."
comment "$camera" dan "The autofocus really is fast, I tested it at a concert in low light."
comment "$camera" erin "How does the low light performance compare with the older Lumix model?"
comment "$tram" troll "You are a pathetic idiot and a moron, nobody wants you here." rejected
abusive=$id
comment "$tram" troll2 "Shut up you stupid clown, nobody asked you."
comment "$camera" troll3 "Only a brain dead loser would write this garbage."
comment "$camera" troll4 "You worthless troll, crawl back under your rock."
comment "$camera" spammer "Cheap watches and bags!!! Visit www.best-watch-deals.biz for discount prices" held
spam=$id
comment "$tram" spammer2 "Earn \$500 a day working from home, visit www.easy-money.xyz now"
comment "$camera" spammer3 "Follow me on instagram @bestdeals4u for daily offers"
comment "$tram" spammer4 "Congratulations you won an iPhone, claim it at http://prize-claim.xyz"
comment "$tram" friend "Hello everyone, happy new year to all my friends here!"
chat=$id
if b comment 99 nobody "A comment on no post." 2>/dev/null; then fail "a comment on a missing post"; fi
[ "$(sql 'SELECT count(*) FROM comments')" = 14 ] || fail "comment count"
[ "$(sql "SELECT count(*) FROM comments WHERE abs(p_on_topic + p_off_topic + p_abusive - 1) > 1e-9")" = 0 ] ||
  fail "stored probabilities do not sum to 1"

# The queue: the held comments, and only those.
b queue >"$tmp/queue"
[ "$(cut -f1 "$tmp/queue" | paste -sd' ' -)" = "$(sql "SELECT id FROM comments WHERE state = 'held' ORDER BY id" |
  paste -sd' ' -)" ] || fail "queue: $(cat "$tmp/queue")"
grep -q "^$spam	$camera	spammer	" "$tmp/queue" || fail "the spam is not in the queue"

# The moderator: approves the greeting, rejects the rest of the queue (as the likelier class of
# off-topic and abusive), confirms the abusive comment, and cannot decide on a missing comment.
[ "$(b approve "$chat")" = "$chat	approved	on-topic" ] || fail "approve"
while IFS=$'\t' read -r held _; do
  [ "$held" = "$chat" ] || b reject "$held" >/dev/null
done <"$tmp/queue"
[ "$(sql "SELECT state, label FROM comments WHERE id = $spam")" = "rejected|off-topic" ] || fail "spam decision"
[ "$(b reject "$abusive" abusive)" = "$abusive	rejected	abusive" ] || fail "reject as abusive"
if b approve 999 2>/dev/null; then fail "approve a missing comment"; fi
if b reject "$spam" spam 2>/dev/null; then fail "reject with an unknown class"; fi
[ -z "$(b queue)" ] || fail "the queue is not empty after moderation"

# Export: moderator decisions plus confident automatic labels, written whole.
b export "$tmp/export.jsonl" >"$tmp/export.out"
expected=$(sql "SELECT count(*) FROM comments WHERE label IS NOT NULL OR CASE model_label
  WHEN 'on-topic' THEN p_on_topic WHEN 'off-topic' THEN p_off_topic WHEN 'abusive' THEN p_abusive END >= 0.9")
lines=$(wc -l <"$tmp/export.jsonl")
[ "$lines" = "$expected" ] || fail "export has $lines lines, not $expected"
grep -q "^$tmp/export.jsonl: $expected examples" "$tmp/export.out" || fail "export summary: $(cat "$tmp/export.out")"
for label in on-topic off-topic abusive; do
  grep -q "^{\"label\":\"$label\",\"text\":\".*\",\"article\":\".*\"}$" "$tmp/export.jsonl" || fail "no $label example"
done
grep -q '"label":"on-topic","text":"Hello everyone[^"]*","article":"[^"]*","author":"friend"}$' "$tmp/export.jsonl" ||
  fail "the approval is not exported with its author as a field"
[ -z "$(find "$tmp" -name 'export.jsonl.*')" ] || fail "a temporary file was left"
if b export "$tmp/no/such/dir.jsonl" 2>/dev/null; then fail "export into a missing directory"; fi
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check"

# --thresholds as `commentguard thresholds` prints them: with on-topic's at 1, an on-topic comment
# is held as unsure instead of approved; a bad line is refused before anything is stored.
out=$("$blog" --model "$model" --thresholds on-topic=1.00,off-topic=0.50,abusive=0.50 "$db" comment "$tram" frank \
  "Extending the tram to the harbour will help the people who work at the port.")
[ "$(cut -f2-3 <<<"$out")" = "$(printf 'held\tunsure')" ] || fail "--thresholds on-topic=1: $out"
if "$blog" --model "$model" --thresholds on-topic=2 "$db" comment "$tram" gina "Nice." 2>"$tmp/err"; then
  fail "a bad --thresholds was accepted"
fi
grep -q 'on-topic: expected a number from 0 to 1' "$tmp/err" || fail "unclear message: $(cat "$tmp/err")"
[ "$(sql "SELECT count(*) FROM comments WHERE author = 'gina'")" = 0 ] || fail "a comment was stored anyway"

# --thread N: a comment judged against its post and the latest N comments approved before it, as
# `commentguard score` judges it with that article and thread; rescore gives each comment the approved
# comments before it, not after.
text="Will the night trams stop at the harbour depot too?"
out=$("$blog" --model "$model" --thread 3 "$db" comment "$tram" hana "$text") || fail "comment with --thread"
python3 - "$db" "$tram" "$text" >"$tmp/thread.jsonl" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
post, text = int(sys.argv[2]), sys.argv[3]
article = db.execute("SELECT text FROM articles WHERE id = ?", (post,)).fetchone()[0]
approved = [r[0] for r in db.execute("SELECT text FROM comments WHERE post_id = ? AND state = 'approved'"
                                     " AND author != 'hana' ORDER BY id", (post,))]
assert len(approved) >= 2, approved
print(json.dumps({"text": text, "article": article, "thread": approved[-3:]}))
print(json.dumps({"text": text, "article": article}))
PY
"$prog" score --model "$model" --format jsonl <"$tmp/thread.jsonl" | python3 -c '
import json, sys
for line in sys.stdin:
    s = json.loads(line)["scores"]
    print("%.6f\t%.6f\t%.6f" % (s["on-topic"], s["off-topic"], s["abusive"]))' >"$tmp/thread.scores"
[ "$(cut -f4-6 <<<"$out")" = "$(sed -n 1p "$tmp/thread.scores")" ] ||
  fail "--thread 3: $out, score gives $(sed -n 1p "$tmp/thread.scores")"
[ "$(cut -f4-6 <<<"$out")" != "$(sed -n 2p "$tmp/thread.scores")" ] || fail "--thread 3 changed nothing"
if "$blog" --model "$model" --thread -1 "$db" queue 2>/dev/null; then fail "--thread -1 was accepted"; fi

# Retrain on the blog's own history, then score the undecided comments again with that model.
"$prog" train --data "$tmp/export.jsonl" --out "$tmp/retrained" --folds 0 --c 1 --quiet >/dev/null
"$blog" --model "$tmp/retrained" "$db" rescore >"$tmp/rescore"
[ "$(wc -l <"$tmp/rescore")" = "$(sql 'SELECT count(*) FROM comments WHERE label IS NULL')" ] ||
  fail "rescore: $(cat "$tmp/rescore")"
grep -q "^$on_topic	approved	on-topic	" "$tmp/rescore" || fail "rescore of the on-topic comment: $(cat "$tmp/rescore")"
"$blog" --model "$tmp/retrained" --thread 3 "$db" rescore >"$tmp/rescore_thread" || fail "rescore with --thread"
[ "$(wc -l <"$tmp/rescore_thread")" = "$(wc -l <"$tmp/rescore")" ] || fail "rescore with --thread: $(cat "$tmp/rescore_thread")"
# The first approved comment on the tram post has no approved comment before it: the post alone.
[ "$(grep "^$on_topic	" "$tmp/rescore_thread")" = "$(grep "^$on_topic	" "$tmp/rescore")" ] ||
  fail "the first comment's thread was not empty"
! grep -q "^$chat	" "$tmp/rescore" || fail "a moderator's decision was rescored"
[ "$(sql "SELECT state FROM comments WHERE id = $chat")" = approved ] || fail "the decision changed"
echo "blog_test: all checks passed"
