#!/usr/bin/env bash
# The issue-4 comparison: TAU + (MSE + reg), TAU + L1/SSIM and PDR (TAU + PredGS, L1/SSIM),
# trained at equal epochs and seed on the same config, then evaluated on the test split.
#   models/scripts/compare_losses.sh [EPOCHS] [SEED] [CONFIG] [extra pdr train flags...]
# PDR_CMD overrides the launcher (default: ./pdr), e.g. a java command on a copied jar.
# Writes runs/compare-<config>-e<EPOCHS>-s<SEED>/<name>/ (re-running resumes or skips what is
# done) and prints, per run, the last epoch's validation line and the best checkpoint's test lines.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EPOCHS=${1:-3}; SEED=${2:-0}; CONFIG=${3:-digits}; shift $(( $# < 3 ? $# : 3 )); EXTRA=("$@")
DIR="$ROOT/runs/compare-$CONFIG-e$EPOCHS-s$SEED"
mkdir -p "$DIR"
run() {  # name model loss
  local out="$DIR/$1"
  if [[ -f "$out/test.txt" ]]; then return; fi   # done earlier: re-running the script resumes
  local resume=(); [[ -f "$out/last.safetensors" ]] && resume=(--resume)
  ${PDR_CMD:-"$ROOT/pdr"} train --model "$2" --loss "$3" --config "$CONFIG" --epochs "$EPOCHS" --seed "$SEED" \
      --out "$out" "${resume[@]}" ${EXTRA[@]+"${EXTRA[@]}"} > "$out.log" 2>&1
  grep '^test ' "$out.log" > "$out/test.txt"
}
run pdr-l1ssim pdr l1ssim
run tau-l1ssim tau l1ssim
run tau-mse-reg tau mse+reg
# The last epoch's validation line (equal epochs), then the test lines of each run's best checkpoint.
echo "| run | line |"
echo "| --- | --- |"
for n in pdr-l1ssim tau-l1ssim tau-mse-reg; do
  echo "| $n | $(grep -a "^epoch $EPOCHS/$EPOCHS " "$DIR/$n.log" | tail -n 1) |"
  while read -r line; do echo "| $n | $line |"; done < "$DIR/$n/test.txt"
done
