#!/usr/bin/env bash
# wordpress_test.sh PROGRAM SOURCE_DIR - `commentguard import-wordpress` on a WXR file made for the
# test (tests/fixtures/wordpress/export.xml: posts, a page and an attachment; approved, spam,
# trashed and pending comments, a pingback and an order note; HTML, CDATA, entities, text beyond
# ASCII). The comments and articles it writes must be exactly the expected files (the author's name,
# URL and e-mail domain as fields beside the comment's text), `eval` must read the comments and
# `serve --articles` the articles; the label options must apply; a truncated, malformed or foreign
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
