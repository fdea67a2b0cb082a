#!/usr/bin/env bash
# wordpress_test.sh PROGRAM SOURCE_DIR - `commentguard import-wordpress` on a WXR file made for the
# test (tests/fixtures/wordpress/export.xml: posts, a page and an attachment; approved, spam,
# trashed and pending comments, a pingback and an order note; HTML, CDATA, entities, text beyond
# ASCII). The comments and articles it writes must be exactly the expected files (the author's name,
# URL and e-mail domain as fields beside the comment's text), `eval` must read the comments and
# `serve --articles` the articles; --thread must write each post's latest approved comments, which
# comment-check reads with the post; the label options must apply; a truncated, malformed or foreign
# file must fail with file:line and leave the outputs as they were.
set -euo pipefail
prog=$1
src=$2
fixtures=$src/tests/fixtures/wordpress
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
import() { "$prog" import-wordpress "$@" 2>"$tmp/err"; }

import "$fixtures/export.xml" --out "$tmp/comments.jsonl" --articles "$tmp/articles.jsonl" ||
  fail "import: $(cat "$tmp/err")"
cmp "$tmp/comments.jsonl" "$fixtures/expected_comments.jsonl" || fail "comments differ from the expected ones"
cmp "$tmp/articles.jsonl" "$fixtures/expected_articles.jsonl" || fail "articles differ from the expected ones"
grep -q '3 comments written' "$tmp/err" && grep -q '1 pending, 1 trash, .* 1 pingbacks and trackbacks, 1 of other types' \
  "$tmp/err" || fail "summary: $(cat "$tmp/err")"
# The author travels as fields beside the comment's own text; of an e-mail address only the domain.
python3 - "$tmp/comments.jsonl" <<'PY' || fail "author fields"
import json, sys
rows = {r["comment_id"]: r for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
def author(r):
    return tuple(r.get(k) for k in ("author", "author_url", "author_email"))
assert rows["101"]["text"] == "Finally! The tram will <em>save</em> me 20 minutes \u2014 every day.", rows["101"]
assert author(rows["101"]) == ("Zo\u00eb M\u00fcller", None, "@example.org"), author(rows["101"])
assert author(rows["102"]) == ("Cheap Watches & Bags", "https://cheap-watches.example/?ref=harbour&id=7",
                               "@Cheap-Watches.example"), author(rows["102"])
assert rows["201"]["text"].endswith("See you on the terrace!") and author(rows["201"]) == ("Jean", "https://jean.example", None)
PY
! grep -Eq 'zoe@|sales\+harbour' "$tmp/comments.jsonl" || fail "an e-mail address was written whole"

# What the other commands make of them.
. "$src/tests/pick_model.sh"
model=$(pick_model "$prog" "$src" "$tmp")
"$prog" eval --data "$tmp/comments.jsonl" --model "$model" >/dev/null 2>"$tmp/eval.err" ||
  fail "eval cannot read the comments: $(cat "$tmp/eval.err")"
"$prog" serve --listen 127.0.0.1:0 --model "$model" --articles "$tmp/articles.jsonl" 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 300); do grep -q 'listening on' "$tmp/serve.log" && break; sleep 0.1; done
kill -TERM "$pid" && wait "$pid" || true
grep -q '3 articles from' "$tmp/serve.log" || fail "serve --articles: $(cat "$tmp/serve.log")"

# --thread N: each post's latest N approved comments (by comment number, not the export's order; no
# pingbacks, pending or spam), oldest first, which serve reads with the post: comment-check under the
# permalink scores as `score` does with that article and thread.
python3 - "$fixtures/export.xml" "$tmp/threads.xml" <<'PY'
import re, sys
xml = open(sys.argv[1], encoding="utf-8").read()
def comment(cid, status, content, kind="comment"):
    return ("<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>R</wp:comment_author>"
            "<wp:comment_content><![CDATA[%s]]></wp:comment_content><wp:comment_approved>%s</wp:comment_approved>"
            "<wp:comment_type>%s</wp:comment_type></wp:comment>" % (cid, content, status, kind))
extra = "".join([comment(310, "1", "Will the trams run at night?"), comment(302, "1", "Four stops is not enough."),
                 comment(306, "0", "pending"), comment(305, "1", "The depot should go near the ferry."),
                 comment(307, "1", "a pingback", "pingback"), comment(308, "spam", "cheap watches")])
first = xml.index("</item>")
open(sys.argv[2], "w", encoding="utf-8").write(xml[:first] + extra + xml[first:])
PY
import "$tmp/threads.xml" --out "$tmp/tc.jsonl" --articles "$tmp/ta.jsonl" --thread 3 || fail "--thread: $(cat "$tmp/err")"
python3 - "$tmp/ta.jsonl" <<'PY' || fail "--thread 3: the threads"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = [r["thread"] for r in rows]
assert got == [["Four stops is not enough.", "The depot should go near the ferry.", "Will the trams run at night?"],
               ["Their croissants are the best on the quay.\nSee you on the terrace!"], []], got
PY
import "$tmp/threads.xml" --out "$tmp/tc.jsonl" --articles "$tmp/ta2.jsonl" --thread 2 || fail "--thread 2"
[ "$(head -1 "$tmp/ta2.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["thread"])')" = \
  "['The depot should go near the ferry.', 'Will the trams run at night?']" ] || fail "--thread 2: $(head -1 "$tmp/ta2.jsonl")"
code=0
import "$tmp/threads.xml" --out "$tmp/x.jsonl" --thread 2 || code=$?
[ "$code" = 2 ] && grep -q -- '--thread needs --articles' "$tmp/err" || fail "--thread without --articles: $code"
"$prog" serve --listen 127.0.0.1:0 --model "$model" --articles "$tmp/ta.jsonl" 2>"$tmp/serve2.log" &
pid=$!
for _ in $(seq 300); do grep -q 'listening on' "$tmp/serve2.log" && break; sleep 0.1; done
url=http://$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "$tmp/serve2.log" | head -1)
text='Is there a timetable for the night trams yet?'
curl -s -D "$tmp/h" -o /dev/null "$url/1.1/comment-check" --data-urlencode blog=https://harbour.example \
  --data-urlencode user_ip=192.0.2.1 --data-urlencode permalink=https://harbour.example/2026/03/tram-to-the-harbour/ \
  --data-urlencode "comment_content=$text" || fail "comment-check with a thread"
kill -TERM "$pid" && wait "$pid" || true
got=$(sed -n 's/^X-commentguard-scores: \(.*\)\r$/\1/Ip' "$tmp/h")
expected=$(python3 - "$tmp/ta.jsonl" "$text" <<'PY' | "$prog" score --model "$model" --format jsonl |
import json, sys
a = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(json.dumps({"text": sys.argv[2], "article": a["title"] + "\n\n" + a["text"], "thread": a["thread"]}))
PY
  python3 -c 'import json,sys; s=json.load(sys.stdin)["scores"]; print("on-topic=%.6f, off-topic=%.6f, abusive=%.6f" % (s["on-topic"], s["off-topic"], s["abusive"]))')
[ -n "$got" ] && [ "$got" = "$expected" ] || fail "comment-check with a thread: '$got', score gives '$expected'"
without=$(python3 - "$tmp/ta.jsonl" "$text" <<'PY' | "$prog" score --model "$model" --format jsonl
import json, sys
a = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(json.dumps({"text": sys.argv[2], "article": a["title"] + "\n\n" + a["text"]}))
PY
)
case "$without" in *"$(echo "$expected" | sed 's/on-topic=\([0-9.]*\),.*/\1/')"*) fail "the thread changed nothing: $without" ;; esac
echo '{"permalink": "https://harbour.example/p", "text": "t", "thread": ["fine", 1]}' >"$tmp/bad_thread.jsonl"
code=0
"$prog" serve --listen 127.0.0.1:0 --model "$model" --articles "$tmp/bad_thread.jsonl" 2>"$tmp/serve3.log" || code=$?
[ "$code" = 2 ] && grep -q 'bad_thread.jsonl:1: "thread" must be an array of strings' "$tmp/serve3.log" ||
  fail "a thread that is not strings: $code $(cat "$tmp/serve3.log")"

# The label options: trash as abusive, pending as on-topic, pingbacks kept, spam left out.
import "$fixtures/export.xml" --out "$tmp/all.jsonl" --trash abusive --pending on-topic --spam skip \
  --pingbacks keep || fail "import with options: $(cat "$tmp/err")"
python3 - "$tmp/all.jsonl" <<'PY' || fail "labels with the options"
import json, sys
got = {r["comment_id"]: r["label"] for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
assert got == {"101": "on-topic", "103": "abusive", "104": "on-topic", "105": "on-topic", "201": "on-topic"}, got
PY
code=0
import "$fixtures/export.xml" --out "$tmp/x.jsonl" --trash bin || code=$?
[ "$code" = 2 ] && [ ! -e "$tmp/x.jsonl" ] || fail "--trash bin: exit status $code"

# Bad exports: an error with file:line, the outputs untouched, no temporary file left.
echo previous >"$tmp/out.jsonl"
echo previous >"$tmp/out_articles.jsonl"
expect_failure() { # expect_failure FILE PATTERN
  local code=0
  import "$1" --out "$tmp/out.jsonl" --articles "$tmp/out_articles.jsonl" || code=$?
  [ "$code" = 1 ] || fail "$1: exit status $code"
  grep -Eq "^commentguard: import-wordpress: $1:[0-9]+: $2" "$tmp/err" || fail "$1: message: $(cat "$tmp/err")"
  [ "$(cat "$tmp/out.jsonl")" = previous ] && [ "$(cat "$tmp/out_articles.jsonl")" = previous ] ||
    fail "$1: an output file changed"
  [ "$(ls "$tmp" | grep -c '\.jsonl\.')" = 0 ] || fail "$1: a temporary file was left: $(ls "$tmp")"
}
head -c 3000 "$fixtures/export.xml" >"$tmp/truncated.xml"
expect_failure "$tmp/truncated.xml" ''
sed 's#</wp:comment_content>#</wp:comment_contents>#' "$fixtures/export.xml" >"$tmp/mismatched.xml"
expect_failure "$tmp/mismatched.xml" '.*mismatch'
line=$(grep -n '</wp:comment_contents>' "$tmp/mismatched.xml" | head -1 | cut -d: -f1)
grep -q "mismatched.xml:$line: " "$tmp/err" || fail "mismatched tag: not line $line: $(cat "$tmp/err")"
sed 's#<wp:comment_approved>spam<#<wp:comment_approved>maybe<#' "$fixtures/export.xml" >"$tmp/status.xml"
expect_failure "$tmp/status.xml" "comment 102: unknown status 'maybe'"
printf '<?xml version="1.0"?>\n<html><body>not an export</body></html>\n' >"$tmp/page.xml"
expect_failure "$tmp/page.xml" 'not a WordPress export'
printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss><channel><item><title>caf\xe9</title></item></channel></rss>\n' \
  >"$tmp/latin1.xml"
expect_failure "$tmp/latin1.xml" ''
printf '%s\n' '<?xml version="1.0"?>' '<!DOCTYPE rss [ <!ENTITY x SYSTEM "/etc/hostname"> ]>' \
  '<rss><channel><item><title>&x;</title></item></channel></rss>' >"$tmp/entity.xml"
expect_failure "$tmp/entity.xml" 'entity &x; is declared in a DTD, which is not read'
grep -q "entity.xml:3: " "$tmp/err" || fail "entity: not line 3: $(cat "$tmp/err")"
: >"$tmp/empty.xml"
expect_failure "$tmp/empty.xml" 'empty file'
code=0
import "$tmp/missing.xml" --out "$tmp/out.jsonl" || code=$?
[ "$code" = 1 ] && grep -q 'missing.xml: cannot open' "$tmp/err" || fail "a missing export: $code $(cat "$tmp/err")"
echo "wordpress_test: all checks passed"
