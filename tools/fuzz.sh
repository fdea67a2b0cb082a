#!/bin/sh
# fuzz.sh - build the libFuzzer harnesses of tools/fuzz/ with clang (ASan + UBSan) and run each for
# a bounded time, after replaying the inputs kept under tests/fixtures/regressions/<harness>/.
#
#   tools/fuzz.sh [SECONDS]     seconds per harness, default 60
#
# The build goes to $CG_FUZZ_BUILD (default build-fuzz in the source tree; make -j$CG_JOBS, default 1);
# inputs found along the way to <build>/corpus-<harness>/, on top of the seeds in
# tools/fuzz/corpus/<harness>/. Exit status 1 if any harness crashed, leaked, hung or tripped a
# sanitizer: the input is then <build>/<harness>-crash-* (or -leak-, -timeout-, -oom-); once the
# bug is fixed, keep it in tests/fixtures/regressions/<harness>/.
set -eu

seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CG_FUZZ_BUILD:-$root/build-fuzz}
jobs=${CG_JOBS:-1}
harnesses="fuzz_extract fuzz_dataset fuzz_model fuzz_site_input"

CC=clang cmake -S "$root" -B "$build" -DCG_FUZZ=ON -DCG_SANITIZE=address -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086 # the list of targets is meant to split
cmake --build "$build" -j"$jobs" --target $harnesses >/dev/null

failed=""
for name in $harnesses; do
    regressions="$root/tests/fixtures/regressions/$name"
    if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
        echo "== $name: replaying the inputs in $regressions"
        if ! "$build/tools/fuzz/$name" -runs=1 "$regressions"/* >"$build/$name-regressions.log" 2>&1; then
            tail -n 40 "$build/$name-regressions.log"
            failed="$failed $name(regression)"
            continue
        fi
    fi
    echo "== $name: fuzzing for $seconds s"
    mkdir -p "$build/corpus-$name"
    if ! "$build/tools/fuzz/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$build/$name-" \
        "$build/corpus-$name" "$root/tools/fuzz/corpus/$name" >"$build/$name.log" 2>&1; then
        tail -n 60 "$build/$name.log"
        failed="$failed $name"
        continue
    fi
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/$name.log" | tr '\n' ' '
    echo
done

if [ -n "$failed" ]; then
    echo "fuzz.sh: FAILED:$failed (inputs: $build/*-crash-*, *-leak-*, *-timeout-*, *-oom-*)"
    exit 1
fi
echo "fuzz.sh: $harnesses: $seconds s each, no findings"
