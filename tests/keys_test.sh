#!/usr/bin/env bash
# keys_test.sh PROGRAM - `commentguard keys new`: keys of the shape Akismet's WordPress plugin
# accepts (12 hex digits), appended to the keys file with their blog, the file created private and
# replaced whole, every key distinct, bad usage refused with nothing written; the file is one
# `serve --keys` reads (checked by tests/akismet_test.sh, which makes its key this way).
set -euo pipefail
prog=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

k1=$("$prog" keys new --keys "$tmp/keys" --blog http://blog.example/)
[[ $k1 =~ ^[0-9a-f]{12}$ ]] || fail "key shape: '$k1'"
[ "$(stat -c %a "$tmp/keys")" = 600 ] || fail "a new keys file is not private: $(stat -c %a "$tmp/keys")"
[ "$(cat "$tmp/keys")" = "$k1 http://blog.example/" ] || fail "first line: $(cat "$tmp/keys")"

# An existing file keeps its lines (a last line without newline included) and its mode.
printf '# site keys\nold-key-1 http://other.example' >"$tmp/keys2"
chmod 640 "$tmp/keys2"
k2=$("$prog" keys new --keys="$tmp/keys2")
printf '# site keys\nold-key-1 http://other.example\n%s\n' "$k2" >"$tmp/expected"
cmp -s "$tmp/keys2" "$tmp/expected" || fail "appended file: $(cat "$tmp/keys2")"
[ "$(stat -c %a "$tmp/keys2")" = 640 ] || fail "the mode of an existing file changed"

for _ in $(seq 20); do "$prog" keys new --keys "$tmp/keys" >/dev/null; done
[ "$(wc -l <"$tmp/keys")" = 21 ] || fail "expected 21 lines"
[ "$(cut -d' ' -f1 "$tmp/keys" | sort -u | wc -l)" = 21 ] || fail "a key came twice"
ls "$tmp" | grep -q tmp && fail "a temporary file was left: $(ls "$tmp")"

# Usage errors (2) and unwritable files (1) write nothing.
cp "$tmp/keys" "$tmp/before"
code=0; "$prog" keys new --keys "$tmp/keys" --blog 'http://a b' 2>"$tmp/err" || code=$?
[ "$code" = 2 ] && grep -q 'without blanks' "$tmp/err" || fail "a blog with a blank: $code"
code=0; "$prog" keys new 2>"$tmp/err" || code=$?
[ "$code" = 2 ] && grep -q -- '--keys FILE is needed' "$tmp/err" || fail "no --keys: $code"
code=0; "$prog" keys old --keys "$tmp/keys" 2>"$tmp/err" || code=$?
[ "$code" = 2 ] || fail "keys old: $code"
code=0; "$prog" keys new --keys "$tmp/no/such/dir/keys" 2>"$tmp/err" || code=$?
[ "$code" = 1 ] && grep -q 'no/such/dir/keys' "$tmp/err" || fail "unwritable: $code"
cmp -s "$tmp/keys" "$tmp/before" || fail "a refused call changed the file"
"$prog" keys --help | grep -q '12 lowercase hex digits' || fail "keys --help"
echo "keys_test: all checks passed"
