#!/bin/sh
# Fit the topicality stage (docs/article-relevance.md) into a bundle, in place, without retraining its model:
# topic.idf, bundle.json's "topicality" and the card's "Topicality stage" section. About 5 seconds.
#
#   training/fit-topicality.sh [BUNDLE] [DATA] [HOLD]
#
# BUNDLE: models/default; DATA: ../shared/data/corpus/train.jsonl (never the blog set: it only measures);
# HOLD: the share of the data's on-topic comments under their own article (as given and as whole threads) the
# stage may turn away from on-topic beyond the model alone (default 0.002; the curve of other budgets is
# tools/topicality_curve.py's). Needs build/commentguard.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=${1:-$root/models/default}
data=${2:-$root/../shared/data/corpus/train.jsonl}
hold=${3:-0.002}
exec "$root/build/commentguard" topicality --model "$bundle" --data "$data" --hold-at-most "$hold"
