# cli_lib.sh - what the shell tests of one-shot commands share, sourced after setting prog: a temporary
# directory ($tmp) removed at exit, fail(), and expect_error() for a command that must fail cleanly.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# expect_error STATUS MESSAGE ARGS...: `$prog ARGS` fails with STATUS and MESSAGE on stderr, and prints nothing.
expect_error() {
  local want=$1 message=$2 status=0
  shift 2
  "$prog" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
  [ "$status" -eq "$want" ] || fail "$*: exit status $status, not $want ($(cat "$tmp/err"))"
  grep -qF -- "$message" "$tmp/err" || fail "$*: message lacks '$message': $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "$*: printed a report although it failed"
}
