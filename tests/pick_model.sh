# pick_model.sh - sourced by the shell tests: the model bundle they classify with.
# shellcheck shell=bash
#
#   pick_model PROGRAM SOURCE_DIR TMP   prints the directory of a bundle: $CG_TEST_MODEL if set,
#                                       else the shipped models/default if it holds one, else a
#                                       model trained now from the test fixtures into TMP/model
pick_model() {
  local prog=$1 src=$2 tmp=$3
  if [ -n "${CG_TEST_MODEL:-}" ]; then
    echo "$CG_TEST_MODEL"
  elif [ -f "$src/models/default/model.svm" ]; then
    echo "$src/models/default"
  else
    "$prog" train --data "$src/tests/fixtures/train/comments.jsonl" --out "$tmp/model" --folds 0 --c 1 --quiet \
      >/dev/null
    echo "$tmp/model"
  fi
}
