#!/usr/bin/env bash
# author_fields_test.sh PROGRAM SOURCE_DIR - the author of a comment travels as fields through serve.
#
#   1. The public model reads the comment alone: comment-check gives the same scores with and
#      without comment_author, comment_author_url and comment_author_email.
#   2. A bundle adapted to a site (train --base on tests/fixtures/site/blog.jsonl, whose printer-
#      support campaign writes from printerfix.example) reads them: the campaign's e-mail domain
#      alone turns a polite comment into spam, and comment-check and /v1/classify, given the same
#      author, give the same scores.
#   3. The feedback lines (submit-spam, submit-ham, /v1/feedback) keep the author beside the
#      comment's own text, of the e-mail address only its domain; an author field that is not a
#      string is refused with a reason; `train --base` reads the lines, and old lines with the name
#      and URL inside the text beside them.
set -euo pipefail
prog=$1
src=$2
. "$src/tests/serve_lib.sh"
. "$src/tests/pick_model.sh"
base=$(pick_model "$prog" "$src" "$tmp")
feedback=$tmp/feedback.jsonl
blog=http://blog.example

"$prog" train --base "$base" --data "$src/tests/fixtures/site/blog.jsonl" --out "$tmp/site" >"$tmp/adapt.log" 2>&1 ||
  fail "train --base: $(cat "$tmp/adapt.log")"
# Its output ends with the headline figures on one line, whatever the report above it holds.
tail -n 2 "$tmp/adapt.log" | grep -E '^adapted against base .*ROC-AUC [01]\.[0-9]{4} against [01]\.[0-9]{4} \(grouped by article' >/dev/null ||
  fail "train --base printed no summary line: $(tail -n 3 "$tmp/adapt.log")"

scores() { sed -n 's/^X-commentguard-scores: \(.*\)\r$/\1/Ip' "$tmp/headers"; }
p_off() { scores | sed 's/.*off-topic=\([0-9.]*\),.*/\1/'; }

polite='Nice blog, thanks.' # on-topic alone and off-topic from the campaign's domain, both with a margin (the fixture's bundles)
campaign=('comment_author=Printer Support' 'comment_author_url=https://www.printerfix.example/support/9'
  'comment_author_email=help9@printerfix.example')

# 1. The public model: the author changes nothing.
serve_on_free_port --model "$base"
akismet comment-check "comment_content=$polite"
plain=$(scores)
akismet comment-check "comment_content=$polite" "${campaign[@]}"
[ "$(scores)" = "$plain" ] || fail "the public model read the author: '$plain' became '$(scores)'"
stop_server

# 2. The adapted bundle reads the author fields.
serve_on_free_port --model "$tmp/site" --feedback "$feedback"
akismet comment-check "comment_content=$polite"
[ "$body" = false ] || fail "the polite comment alone: $body ($(scores))"
alone=$(p_off)
akismet comment-check "comment_content=$polite" "${campaign[2]}"
[ "$body" = true ] || fail "the polite comment from the campaign's e-mail domain: $body ($(scores))"
python3 -c "import sys; assert float(sys.argv[2]) > float(sys.argv[1]) + 0.05, sys.argv" "$alone" "$(p_off)" ||
  fail "the campaign's e-mail domain moved P(off-topic) from $alone to $(p_off) only"
akismet comment-check "comment_content=$polite" "${campaign[@]}"
from_form=$(scores)
curl -sf -d '{"text": "'"$polite"'", "author": "Printer Support", "author_url": "https://www.printerfix.example/support/9",
  "author_email": "help9@printerfix.example"}' "$url/v1/classify" | python3 -c '
import json, sys
s = json.load(sys.stdin)["scores"]
print("on-topic=%.6f, off-topic=%.6f, abusive=%.6f" % (s["on-topic"], s["off-topic"], s["abusive"]))' >"$tmp/v1" ||
  fail "/v1/classify with the author"
[ "$(cat "$tmp/v1")" = "$from_form" ] || fail "comment-check '$from_form' and /v1/classify '$(cat "$tmp/v1")' differ"

# 3. The feedback lines.
akismet submit-spam "comment_content=$polite" "${campaign[@]}"
akismet submit-ham 'comment_content=How deep should the pots be?' 'comment_author=Ben' 'comment_author_email=ben@mail.example'
v1_feedback() { curl -s -o "$tmp/body" -w '%{http_code}' -d "$1" "$url/v1/feedback"; }
[ "$(v1_feedback '{"text": "Call 1-800-555-0199 for printer help", "label": "off-topic", "author": "Fix It",
  "author_url": "https://fixit.example", "author_email": "a@b@fixit.example"}')" = 200 ] ||
  fail "/v1/feedback with an author: $(cat "$tmp/body")"
for bad in '"author": 5' '"author_url": ["x"]' '"author_email": true'; do
  [ "$(v1_feedback '{"text": "hi", "label": "on-topic", '"$bad"'}')" = 400 ] ||
    fail "/v1/feedback with $bad: $(cat "$tmp/body")"
  field=${bad%%\":*}
  grep -qF "{\"error\":\"\\\"${field#\"}\\\" must be a string or null\"}" "$tmp/body" ||
    fail "/v1/feedback with $bad: $(cat "$tmp/body")"
done
stop_server
python3 - "$feedback" "$polite" <<'PY' || fail "the feedback lines: $(cat "$feedback")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == 3, rows
spam, ham, v1 = rows
def author(r):
    return tuple(r.get(k) for k in ("author", "author_url", "author_email"))
assert spam["text"] == sys.argv[2] and spam["label"] == "off-topic", spam
assert author(spam) == ("Printer Support", "https://www.printerfix.example/support/9", "@printerfix.example"), spam
assert ham["text"] == "How deep should the pots be?" and author(ham) == ("Ben", None, "@mail.example"), ham
assert author(v1) == ("Fix It", "https://fixit.example", "@fixit.example") and v1["source"] == "feedback", v1
PY
! grep -Eq 'help9@|ben@' "$feedback" || fail "an e-mail address was kept whole"

# train --base reads the lines, beside an old one with the author inside the text.
cp "$src/tests/fixtures/site/blog.jsonl" "$tmp/history.jsonl"
printf '%s\n' '{"label": "on-topic", "text": "Lovely balcony!\n\nJean https://jean.example", "source": "akismet"}' \
  >>"$tmp/history.jsonl"
cat "$feedback" >>"$tmp/history.jsonl"
"$prog" train --base "$base" --data "$tmp/history.jsonl" --out "$tmp/again" >"$tmp/again.log" 2>&1 ||
  fail "train --base on the feedback lines: $(cat "$tmp/again.log")"
grep -Eq '(^|[^0-9])46 rows' "$tmp/again.log" || fail "train --base did not read 46 rows: $(cat "$tmp/again.log")"
echo "author_fields_test: all checks passed"
