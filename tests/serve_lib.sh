# serve_lib.sh - what the shell tests of `commentguard serve` share, sourced after setting prog: a temporary
# directory ($tmp) removed at exit with the server ($pid) killed, fail(), starting and stopping the server, and Akismet calls.
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- server log:" >&2
  cat "$tmp/log" >&2 || true
  exit 1
}

# serve_on_free_port ARGS...: `$prog serve --listen 127.0.0.1:0 ARGS`, its stderr in $tmp/log; sets pid, port
# and url once the server answers /healthz. The waits are generous (30 s each) because a loaded machine, where
# ctest runs tests side by side, can take seconds to load a model; they end as soon as the server answers.
serve_on_free_port() {
  # The log exists before the server starts: the loop below reads it at once, and a missing file would end
  # the test under set -e (the background shell may not have opened it yet on a loaded machine).
  : >"$tmp/log"
  "$prog" serve --listen 127.0.0.1:0 "$@" 2>"$tmp/log" &
  pid=$!
  port=
  for _ in $(seq 300); do
    port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$tmp/log")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || fail "the server exited at start"
    sleep 0.1
  done
  [ -n "$port" ] || fail "the server did not report its port"
  url="http://127.0.0.1:$port"
  for _ in $(seq 300); do
    curl -sf "$url/healthz" >/dev/null && return
    sleep 0.1
  done
  fail "the server does not answer /healthz"
}

# stop_server: stop the server started last with SIGTERM; it must exit with status 0.
stop_server() {
  kill -TERM "$pid"
  wait "$pid" || fail "exit status $? after SIGTERM"
  pid=
}
# akismet CALL FIELD=VALUE...: POST a form to /1.1/CALL for $blog; sets $body and $tmp/headers.
akismet() {
  local call=$1 args=(-sf -o "$tmp/body" -D "$tmp/headers" --data-urlencode "blog=$blog" --data-urlencode user_ip=192.0.2.1)
  shift
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  curl "${args[@]}" "$url/1.1/$call" || fail "curl $call $*"
  body=$(cat "$tmp/body")
}
