#!/usr/bin/env bash
# install_test.sh SOURCE_DIR - the installed tree works for a consumer.
#
# Configures, builds and installs the project into a temporary prefix, checks the installed files,
# then builds examples/consumer against that prefix three ways - pkg-config (shared library),
# pkg-config --static (static library) and find_package(commentguard) - and runs each: it opens the
# default model with NULL, which must be the installed one, and classifies a comment. When the
# source tree has no default model, one is trained from the test fixtures into the installed place.
set -euo pipefail
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# (Pipes into grep use >/dev/null, not -q: with pipefail, grep -q quitting early would fail the
# writer with SIGPIPE.)
# step LOG COMMAND...: run a build step quietly, showing its log if it fails.
step() {
  local log=$1
  shift
  "$@" >"$tmp/$log.log" 2>&1 || { cat "$tmp/$log.log" >&2; fail "$*"; }
}
unset COMMENTGUARD_MODEL
prefix=$tmp/prefix
cc=${CC:-cc}

step configure cmake -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DBUILD_TESTING=OFF -DCG_EXAMPLES=OFF
step build cmake --build "$tmp/build" -j"$(nproc)"
step install cmake --install "$tmp/build"

# The installed files.
pc=$(find "$prefix" -name commentguard.pc)
[ -n "$pc" ] || fail "no commentguard.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in bin/commentguard include/commentguard.h; do
  [ -f "$prefix/$f" ] || fail "$f not installed"
done
for f in libcommentguard.so.0.1.0 libcommentguard.a cmake/commentguard/commentguardConfig.cmake \
  cmake/commentguard/commentguardConfigVersion.cmake cmake/commentguard/commentguardTargets.cmake; do
  [ -f "$libdir/$f" ] || fail "$libdir/$f not installed"
done
[ "$(readlink "$libdir/libcommentguard.so")" = libcommentguard.so.0 ] || fail "libcommentguard.so link"
[ "$(readlink "$libdir/libcommentguard.so.0")" = libcommentguard.so.0.1.0 ] || fail "libcommentguard.so.0 link"
readelf -d "$libdir/libcommentguard.so.0.1.0" | grep 'SONAME.*\[libcommentguard\.so\.0\]' >/dev/null || fail "soname"
sh "$src/tests/exports_test.sh" "$libdir/libcommentguard.so" "$prefix/include/commentguard.h" >/dev/null

models=$prefix/share/commentguard/models/default
if [ ! -f "$models/model.svm" ]; then
  "$prefix/bin/commentguard" train --data "$src/tests/fixtures/train/comments.jsonl" --out "$models" --folds 0 \
    --c 1 --quiet >/dev/null
fi
comment='You are a pathetic idiot and a moron.'
# check NAME: run the consumer $tmp/NAME, which must use the installed model.
check() {
  local out
  out=$("$tmp/$1" "$comment") || fail "$1 failed"
  [ "$(head -n1 <<<"$out")" = "model $models" ] || fail "$1 did not open the installed model: $out"
  grep -Eq '^(on-topic|off-topic|abusive)	[01]\.[0-9]{6}	' <<<"$(tail -n1 <<<"$out")" || fail "$1 printed: $out"
}
"$prefix/bin/commentguard" score <<<"$comment" | grep -E '^(on-topic|off-topic|abusive)	' >/dev/null ||
  fail "the installed program cannot score with the installed model"

# pkg-config, shared library.
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ "$(pkg-config --modversion commentguard)" = 0.1.0 ] || fail "pkg-config version"
[ "$(pkg-config --variable=modeldir commentguard)" = "$models" ] || fail "pkg-config modeldir"
# shellcheck disable=SC2046 # the flags are words
step consumer-pc "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "$src/examples/consumer/consumer.c" \
  $(pkg-config --cflags --libs commentguard) -Wl,-rpath,"$libdir" -o "$tmp/consumer-pc"
ldd "$tmp/consumer-pc" | grep "libcommentguard\.so\.0 => $libdir/" >/dev/null || fail "consumer-pc does not use $libdir"
check consumer-pc

# pkg-config --static: the static library, its dependencies from Libs.private and Requires.private.
static_libs=$(pkg-config --static --libs commentguard)
static_libs=${static_libs/-lcommentguard/-Wl,-Bstatic -lcommentguard -Wl,-Bdynamic}
# shellcheck disable=SC2046,SC2086
step consumer-static "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "$src/examples/consumer/consumer.c" \
  $(pkg-config --cflags commentguard) $static_libs -o "$tmp/consumer-static"
if readelf -d "$tmp/consumer-static" | grep 'NEEDED.*libcommentguard' >/dev/null; then
  fail "consumer-static uses the shared library"
fi
check consumer-static

# find_package(commentguard).
step consumer-cmake-configure cmake -S "$src/examples/consumer" -B "$tmp/consumer-build" -DCMAKE_PREFIX_PATH="$prefix"
step consumer-cmake-build cmake --build "$tmp/consumer-build"
cp "$tmp/consumer-build/consumer" "$tmp/consumer-cmake"
ldd "$tmp/consumer-cmake" | grep "libcommentguard\.so\.0 => $libdir/" >/dev/null ||
  fail "consumer-cmake does not use $libdir"
check consumer-cmake
echo "install_test: all checks passed"
