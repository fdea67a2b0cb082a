#!/bin/sh
# sanitize.sh - run the test suite under AddressSanitizer + UndefinedBehaviorSanitizer, and the
# thread test (tests/test_threads.c) under ThreadSanitizer.
#
#   tools/sanitize.sh [address|thread|all]     default: all
#
# Build directories: $CG_SANITIZE_BUILD-address and $CG_SANITIZE_BUILD-thread (default
# build-sanitize-* in the source tree), configured with -DCG_SANITIZE=address or thread and built with -j$CG_JOBS
# (default 1). Any
# sanitizer report fails the test that produced it, and so this script (exit status 1). Without
# tests/test_threads.c the ThreadSanitizer part is skipped with a message.
set -eu

what=${1:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
base=${CG_SANITIZE_BUILD:-$root/build-sanitize}
jobs=${CG_JOBS:-1}
case $what in
address | thread | all) ;;
*)
    echo "usage: $0 [address|thread|all]" >&2
    exit 2
    ;;
esac

failed=""

configure() { # build directory, sanitizer
    cmake -S "$root" -B "$1" -DCG_SANITIZE="$2" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
}

if [ "$what" != thread ]; then
    build="$base-address"
    echo "== ASan + UBSan: whole test suite ($build)"
    configure "$build" address
    cmake --build "$build" -j"$jobs" >/dev/null
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$build" --output-on-failure; then
        failed="$failed address"
    fi
fi

if [ "$what" != address ]; then
    build="$base-thread"
    if [ ! -f "$root/tests/test_threads.c" ]; then
        echo "== TSan: skipped, there is no tests/test_threads.c yet"
    else
        echo "== TSan: test_threads ($build)"
        configure "$build" thread
        cmake --build "$build" -j"$jobs" --target test_threads commentguard >/dev/null
        if ! TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
            ctest --test-dir "$build" --output-on-failure -R '^test_threads$'; then
            failed="$failed thread"
        fi
    fi
fi

if [ -n "$failed" ]; then
    echo "sanitize.sh: FAILED:$failed"
    exit 1
fi
echo "sanitize.sh: passed"
