#!/usr/bin/env bash
# check_layers_test.sh - tools/check_layers.py on small trees made here: a clean one passes; a circle
# that runs through a call one way and an include the other, an include up a layer, and a .c over
# 500 lines each fail it, named in its message. Usage: check_layers_test.sh SOURCE_DIR
set -euo pipefail
checker="$1/tools/check_layers.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A tree: src/a.c calls b() of src/b.c; src/cli/main.c calls a(). Objects go where CMake puts them.
make_tree() {
    rm -rf "$work/t"
    mkdir -p "$work/t/src/cli" "$work/t/build/CMakeFiles/x.dir/src/cli"
    printf 'int b(void);\n' >"$work/t/src/b.h"
    printf '#include "b.h"\nint b(void) { return 1; }\n' >"$work/t/src/b.c"
    printf 'int a(void);\n' >"$work/t/src/a.h"
    printf '#include "a.h"\n#include "b.h"\nint a(void) { return b(); }\n' >"$work/t/src/a.c"
    printf '#include "a.h"\nint main(void) { return a(); }\n' >"$work/t/src/cli/main.c"
}
build_tree() {
    for f in src/a.c src/b.c src/cli/main.c; do
        cc -c -I "$work/t/src" -o "$work/t/build/CMakeFiles/x.dir/$f.o" "$work/t/$f"
    done
}
check() { python3 "$checker" --source "$work/t" --build "$work/t/build" >"$work/out" 2>&1; }

make_tree
build_tree
check || fail "a clean tree fails: $(cat "$work/out")"
grep -q 'no cycle, no upward edge' "$work/out" || fail "no verdict: $(cat "$work/out")"

# b.c calls a() back, declared by hand (no include): a circle seen only through the symbols.
make_tree
printf 'int a(void);\nint b(void) { return a(); }\n' >"$work/t/src/b.c"
build_tree
if check; then fail "a call circle passes"; fi
grep -q 'cycle between 2 modules (src/a, src/b)' "$work/out" || fail "circle not named: $(cat "$work/out")"
grep -q 'src/b.c calls a (src/a.c)' "$work/out" || fail "the call is not named: $(cat "$work/out")"

# The library includes a header of the program: an edge up a layer.
make_tree
printf 'int m(void);\n' >"$work/t/src/cli/main.h"
printf '#include "b.h"\n#include "cli/main.h"\nint b(void) { return 1; }\n' >"$work/t/src/b.c"
build_tree
if check; then fail "an upward include passes"; fi
grep -q 'upward edge: src/b (src) uses src/cli/main (src/cli)' "$work/out" || fail "upward edge not named: $(cat "$work/out")"

# A .c of 501 lines.
make_tree
for i in $(seq 1 499); do echo "/* $i */"; done >>"$work/t/src/b.c"
build_tree
if check; then fail "a long file passes"; fi
grep -q 'src/b.c has 501 lines, more than 500' "$work/out" || fail "long file not named: $(cat "$work/out")"

# No objects at all: refused rather than passed on includes alone.
make_tree
if check; then fail "a tree without objects passes"; fi
grep -q 'no object files' "$work/out" || fail "missing objects not reported: $(cat "$work/out")"
echo "check_layers_test: all passed"
