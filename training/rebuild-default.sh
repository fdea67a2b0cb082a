#!/usr/bin/env bash
# Rebuild models/default from the shared corpus and record its figures in models/default/CARD.md.
#
#   training/rebuild-default.sh [--peers] [SHARED_DIR]      (default: ../shared beside the project)
#
# Trains on SHARED_DIR/data/corpus/train.jsonl as a blog labels it (training/default_mix.py), with
# train's defaults but for dense signals at weight 1 without the length, C fixed at 2, the lexicon
# and the decision rule below, fits the topicality stage on the same corpus file (training/fit-topicality.sh,
# docs/article-relevance.md: it does not retrain the model), then measures the bundle on the dev split and
# the blog set with the peers' own evaluator (tools/model_report.py; with --peers, the peers trained on the
# same rows beside it, about 20 more minutes), and leave-one-source-out against the peers on ../shared/peers/loso.py's splits
# (tools/loso_compare.py: commentguard is measured anew, the peers' figures come from
# training/loso-results.jsonl, which `tools/loso_compare.py --results training/loso-results.jsonl peers`
# fills, for hours). Takes about 6 minutes on 2 idle cores (15-25 on busy ones) and 0.5 GB of memory. No
# cross-validation report: it would show comments of the corpus, whose text is not redistributed with the model.
set -euo pipefail
cd "$(dirname "$0")/.."
peers=()
if [ "${1:-}" = --peers ]; then
  peers=(--peers)
  shift
fi
shared=$(cd "${1:-../shared}" && pwd)

# The decision rule: off-topic's probability weighted 1.5 (folded into the probabilities). Chosen on
# sites the model never saw: leave-one-source-out macro-F1 rises with that weight (mean over the 11
# sources 0.458 at 1, 0.466 at 1.5, 0.476 at 3: tools/loso_compare.py commentguard --name W --
# --decision-weights 1,W,1) while the share of a real blog's legitimate comments held rises too (7.2%,
# 9.6%, 13.3% at 2, 17.3% at 3: tools/model_report.py on a bundle trained with those options): 1.5 is the
# largest weight of that grid that holds at most 10% of them. Abusive stays at 1: at 1.2 already, benign
# comments that tools/adversarial.py obfuscates turn abusive.
# The lexicon (with its [unmarked] words naming groups of people): see training/make_lexicon.sh and the
# card notes. The length signal is left out: the e-mail spam source teaches "long means spam", which held a
# tutorial blog's long technical questions (card notes, "Judgement suites").
# C is fixed at 2: cross-validation on the corpus picks 4, which turns harsh critique of content abusive and
# holds long technical questions. Re-checked with the [promotion] phrases and composed rows (tools/judgement.py,
# blog ROC-AUC of P(off-topic) and held): C = 1: rules 91.7%, technical 80%, abusive templates 87.0%, blog 0.7468
# with 7.6% held; C = 2: 93.3%, 80%, 87.5%, 0.7465 with 8.0%; C = 4: 90.0%, 70%, 94.8%, 0.7419 with 8.4%.
train_options=(--seed 1 --signal-weight 1 --decision-weights 1,1.5,1 --lexicon "$PWD/training/lexicon.txt"
  --no-length-signal --c 2)

tools/setup.sh --bench-deps
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 training/default_mix.py "$shared/data/corpus/train.jsonl" "$work/train.jsonl"
build/commentguard train --data "$work/train.jsonl" --out models/default \
  --card-notes training/default-card-notes.md "${train_options[@]}" --no-report
# The card names the corpus file as given: relative to the project, so that it shows no machine's paths.
training/fit-topicality.sh models/default "$(realpath --relative-to=. "$shared/data/corpus/train.jsonl")"
/usr/bin/python3 tools/loso_compare.py --shared "$shared" --work build/loso --results training/loso-results.jsonl \
  commentguard --again -- "${train_options[@]}"
{
  echo
  tools/model_report.py --cg build/commentguard --model models/default --shared "$shared" "${peers[@]}" \
    --train "$work/train.jsonl"
  echo
  echo "## Leave-one-source-out against the peers"
  echo
  echo "Each source of the corpus's training split held out in turn (\`../shared/peers/loso.py\`): the peers train on"
  echo "every other row, commentguard on the same rows as \`training/default_mix.py\` labels them, with the options"
  echo "above; judged on every row of the held-out source with the peers' metric (a source with one bad class: that"
  echo "class against the rest; a source of spam or abuse only: F1 of that class, halved). The two SemEval sources"
  echo "keep their *Bad* answers as off-topic here, a rule this model is not trained to follow. The decision rule"
  echo "(off-topic weighted 1.5) was chosen with these figures and the blog set's, so they flatter it a little. C is"
  echo "fixed at 2 for the judgement suites (training/rebuild-default.sh says why)."
  echo
  /usr/bin/python3 tools/loso_compare.py --work build/loso --results training/loso-results.jsonl table
  echo
  echo
  echo "## Judgement suites"
  echo
  echo "Comments written for this project (tests/fixtures/suites, tests/fixtures/rules), each a failure a site owner"
  echo "would see on day one: identity terms in neutral, positive, negated, counter-speech and abusive sentences;"
  echo "comments moved under another article; polite self-promotion; harsh critique of the content beside derision"
  echo "of the author; long technical comments. Targets of issue 23 beside the figures."
  echo
  /usr/bin/python3 tools/judgement.py --cg build/commentguard --model models/default --blog "$shared/data/blog/dev.jsonl" \
    --threads "$shared/data/corpus/dev.jsonl"
  echo
  echo "Reproduce: \`training/rebuild-default.sh${peers[*]:+ ${peers[*]}}\` (training and \`training/fit-topicality.sh\`, then"
  echo "\`tools/model_report.py\`, \`tools/loso_compare.py\` and \`tools/judgement.py\` (with the corpus dev split's"
  echo "question threads) for these figures)."
} >> models/default/CARD.md
