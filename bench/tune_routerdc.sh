#!/usr/bin/env bash
# Times `zooter tune` on RouterDC: 8 settings of the Zooter router, 5-fold cross-validation on
# the ~7.6k queries of the train split (40 trainings). Target: under 60 s on 2 cores. Run after a
# release build; imports ../shared/data's RouterDC into cache/routerdc when it is not there yet.
#   bash bench/tune_routerdc.sh [THREADS]     (default 2)
# Prints the CV table and the wall time; skips, saying why, when the data is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"
source=../shared/data/RouterDC/datasets/split2_model7
if [ ! -f cache/routerdc/manifest.json ]; then
  if [ ! -d "$source" ]; then
    echo "tune_routerdc: skipped, no RouterDC data at $source" >&2
    exit 0
  fi
  build/zooter import routerdc "$source" --out cache/routerdc > /dev/null
fi
start=$(date +%s.%N)
build/zooter tune cache/routerdc --threads "$threads" --folds 5 \
  --adapter "zooter@reward=gold,normalise=none|query-z,lr=0.01|0.003,l2=1e-6|1e-5"
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" -v t="$threads" \
  'BEGIN { printf "tune: 8 settings x 5 folds in %.1f s on %d threads (target < 60 s on 2 cores)\n", b - a, t }'
