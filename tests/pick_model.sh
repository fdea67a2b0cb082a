# pick_model.sh - sourced by the shell tests: the model bundle they classify with.
# shellcheck shell=bash
#
#   pick_model PROGRAM SOURCE_DIR TMP   prints the directory of a bundle: $CG_TEST_MODEL if set,
#                                       else a model trained now from the test fixtures into
#                                       TMP/model. These tests check the programs around the model
#                                       (states, exports, HTTP), so they use a model whose
#                                       judgement of their few comments is known, not the shipped one.
pick_model() {
  local prog=$1 src=$2 tmp=$3
  if [ -n "${CG_TEST_MODEL:-}" ]; then
    echo "$CG_TEST_MODEL"
  else
    "$prog" train --data "$src/tests/fixtures/train/comments.jsonl" --out "$tmp/model" --folds 0 --c 1 --quiet \
      >/dev/null
    echo "$tmp/model"
  fi
}
