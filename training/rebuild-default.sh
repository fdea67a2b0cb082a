#!/usr/bin/env bash
# Rebuild models/default from the shared corpus and record its dev figures in models/default/CARD.md.
#
#   training/rebuild-default.sh [SHARED_DIR]      (default: ../shared beside the project)
#
# Trains on SHARED_DIR/data/corpus/train.jsonl as a blog labels it (training/default_mix.py), with
# train's defaults but for dense signals at weight 1 (C chosen by 3-fold
# cross-validation) and leave-one-source-out figures, then measures the bundle on the dev split and the
# blog set with the peers' own evaluator (tools/model_report.py; add --peers there to retrain the peers,
# about 20 more minutes). Takes about 2 minutes and 0.5 GB of memory on 2 cores. No cross-validation
# report: it would show comments of the corpus, whose text is not redistributed with the model.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(cd "${1:-../shared}" && pwd)

tools/setup.sh --bench-deps
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 training/default_mix.py "$shared/data/corpus/train.jsonl" "$work/train.jsonl"
build/commentguard train --data "$work/train.jsonl" --out models/default \
  --card-notes training/default-card-notes.md --seed 1 --signal-weight 1 --loso --no-report
{
  echo
  tools/model_report.py --cg build/commentguard --model models/default --shared "$shared"
  echo
  echo "Reproduce: \`training/rebuild-default.sh\` (training, then \`tools/model_report.py\` for these figures)."
} >> models/default/CARD.md
