#!/usr/bin/env bash
# topicality_cli_test.sh PROGRAM SOURCE_DIR - `commentguard topicality` end to end on a bundle trained
# from the fixture: the fit writes the stage (with --article-mass-half as given) that score then uses
# under an article and not without one; usage and data errors are clear and leave the bundle as it was.
# (The stage's arithmetic and the fit's parts are checked in test_topicality.c.)
set -euo pipefail
prog=$1
src=$2
data=$src/tests/fixtures/train/comments.jsonl
. "$src/tests/cli_lib.sh"

"$prog" train --data "$data" --out "$tmp/bundle" --c 1 --folds 0 --class-weights none --threads 1 --seed 1 \
  --no-report >/dev/null 2>&1 || fail "training on the fixture failed"
comment='{"text": "Does anyone know a good plumber in Leeds? Our boiler broke again.", "article": "Joins in SQL explained: inner, left, right and full outer joins with PostgreSQL examples."}'
alone='{"text": "Does anyone know a good plumber in Leeds? Our boiler broke again."}'
before=$(printf '%s\n%s\n' "$comment" "$alone" | "$prog" score --format jsonl --model "$tmp/bundle")

# Errors first: the bundle has no stage and must keep none.
cp "$tmp/bundle/bundle.json" "$tmp/settings.before"
expect_error 2 "--model DIR and --data FILE are needed" topicality --model "$tmp/bundle"
expect_error 2 "--article-mass-half" topicality --model "$tmp/bundle" --data "$data" --article-mass-half -1
printf '{"label": "on-topic", "text": "fine", "article": "A"}\n{"label": "maybe", "text": "x"}\n' >"$tmp/bad.jsonl"
expect_error 1 "bad.jsonl:2" topicality --model "$tmp/bundle" --data "$tmp/bad.jsonl"
cmp -s "$tmp/bundle/bundle.json" "$tmp/settings.before" || fail "a failed fit changed bundle.json"
[ ! -e "$tmp/bundle/topic.idf" ] || fail "a failed fit wrote topic.idf"

"$prog" topicality --model "$tmp/bundle" --data "$data" --article-mass-half 12.5 >"$tmp/report" || fail "the fit failed"
grep -qF "gate(A) = 1 / (1 + (12.5 / A)^8)" "$tmp/report" || fail "the report lacks the gate: $(cat "$tmp/report")"
grep -q '"article_mass_half": 12.5' "$tmp/bundle/bundle.json" || fail "bundle.json lacks article_mass_half 12.5"
grep -qF -- "--article-mass-half 12.5" "$tmp/bundle/CARD.md" || fail "the card lacks the fit's command"
[ -s "$tmp/bundle/topic.idf" ] || fail "no topic.idf"
after=$(printf '%s\n%s\n' "$comment" "$alone" | "$prog" score --format jsonl --model "$tmp/bundle")
[ "$(sed -n 2p <<<"$after")" = "$(sed -n 2p <<<"$before")" ] || fail "the stage changed a comment without an article"
[ "$(sed -n 1p <<<"$after")" != "$(sed -n 1p <<<"$before")" ] || fail "the stage did not move a comment under an article"
echo "topicality_cli_test: all checks passed"
