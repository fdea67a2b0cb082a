#!/usr/bin/env bash
# Rebuild models/default from the shared corpus and record its dev figures in models/default/CARD.md.
#
#   training/rebuild-default.sh [SHARED_DIR]      (default: ../shared beside the project)
#
# Trains on SHARED_DIR/data/corpus/train.jsonl with train's defaults (C and the decision weights are
# chosen by 3-fold cross-validation), then measures the bundle on the dev split with the peers' own
# evaluator and, for comparison, trains and scores the peers (tools/model_report.py --peers).
# Takes about 6 minutes and 10 GB of memory on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(cd "${1:-../shared}" && pwd)

tools/setup.sh --bench-deps
build/commentguard train --data "$shared/data/corpus/train.jsonl" --out models/default \
  --card-notes training/default-card-notes.md --seed 1
{
  echo
  tools/model_report.py --cg build/commentguard --model models/default --shared "$shared" --peers
  echo
  echo "Reproduce: \`training/rebuild-default.sh\` (training, then \`tools/model_report.py --peers\` for these figures)."
} >> models/default/CARD.md
