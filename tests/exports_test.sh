#!/bin/sh
# exports_test.sh LIBRARY HEADER - the shared library exports the cg_ API and nothing else: every
# defined dynamic symbol starts with cg_, and every function the header declares with CG_API is
# among them.
set -eu
lib=$1
header=$2
exported=$(nm -D --defined-only "$lib" | awk '{ print $NF }' | sort)
[ -n "$exported" ] || { echo "FAIL: $lib exports nothing" >&2; exit 1; }
stray=$(printf '%s\n' "$exported" | grep -v '^cg_' || true)
if [ -n "$stray" ]; then
  echo "FAIL: $lib exports symbols outside the cg_ API:" >&2
  printf '%s\n' "$stray" >&2
  exit 1
fi
declared=$(sed -n 's/^CG_API .*[ *]\(cg_[a-z_0-9]*\)(.*/\1/p' "$header" | sort)
missing=$(printf '%s\n' "$declared" | grep -vxF "$exported" || true)
if [ -n "$missing" ]; then
  echo "FAIL: $lib lacks functions its header declares:" >&2
  printf '%s\n' "$missing" >&2
  exit 1
fi
echo "exports_test: $(printf '%s\n' "$exported" | wc -l) symbols, all cg_, all declared ones present"
