#!/usr/bin/env bash
# Fits the paper simulation's reward-model error parameters (suites/paper_profile.h,
# RewardErrorParameters: FACTUAL,OPEN,TRAIN,BLIND,FLUENCY - tag error sds on factual and open
# tags, training signal factor, share of expertise missed and reward per unit of fluency on
# exam-style queries) to Table 1's Zooter row, offline.
#
# For every point of a fixed grid and for seeds 1 and 2: synthesise the bundle with
# `zooter synth --reward-errors`, train and evaluate Zooter as the paper does
# (configs/paper-fit.cfg: QwenRM rewards, tags, beta = 0.3) and compare its row with the
# paper's ten cells. The best point has the most cells within tolerance on its worse seed (the
# issue's bar is per seed), ties broken by the most over both seeds, then by the smaller sum of
# squared misses in tolerances, then by grid order. Deterministic:
# every step is. OPEN is held (docs/simulation.md, "Fitting the reward errors");
# pass a point by hand to `zooter synth --reward-errors` to try another.
# Table 2 is NOT used: it is the held-out check (docs/simulation.md).
#
# Usage: scripts/fit-paper-rewards.sh   (after the build; the two seeds run side by side, one
# thread each, 5 to 40 s per point on a shared 2-core machine; 64 points)
# Paste the printed best point into kFittedRewardErrors in suites/paper_profile.h.
set -euo pipefail
cd "$(dirname "$0")/.."
zooter="${ZOOTER:-build/zooter}"
work=out/fit-paper-rewards
mkdir -p "$work"
# The paper's Zooter row, from the report itself (results.reference), and the tolerances of
# suites/paper_reference.h (kPaperAverageTolerance etc.). Prints "cells-met squared-misses".
cells='
  { "alpaca-eval": 0.02, "flask": 0.05, "mt-bench": 0.10, "benchmarks": 1.0 } as $average_tolerance
  | .results as $r | ($r.adapters[] | select(.name | startswith("zooter@"))) as $z
  | ($r.reference.rows[] | select(.adapter == $z.name)) as $p
  | [ ($r.groups[] | .name as $g
       | (($z.groups[$g].average * (if .display == "percent" then 100 else 1 end)
           - $p.groups[$g]) / $average_tolerance[$g]),
         (($z.groups[$g].mtr - $p.group_mtr[$g]) / 0.35)),
      (($z.mtr - $p.mtr) / 0.20), (($z.uplift - $p.uplift) / 0.10) ]
  | "\(map(select(. * . <= 1)) | length) \(map(. * .) | add)"'
# One seed at one point, on one thread (the report is the same for any thread count): prints
# "cells-met squared-misses".
fit_seed() {
  local point=$1 seed=$2 dir="$work/seed$2"
  "$zooter" synth --profile zooter-paper --seed "$seed" --out "$dir/bundle" --threads 1 \
    --reward-errors "$point" > /dev/null 2>&1
  "$zooter" run "$dir/bundle" --config configs/paper-fit.cfg --out "$dir/report" --threads 1 \
    --format json --quiet --bootstrap 0 > /dev/null 2>&1
  jq -r "$cells" "$dir/report/report.json"
}
best="" best_worst=-1 best_met=-1 best_cost=""
for factual in 1 1.5; do
  for open in 0; do
    for train in 2.5 3 3.5 4.5; do
      for blind in 0.85 1; do
        for fluency in 5 10 20 40; do
          point="$factual,$open,$train,$blind,$fluency" met=0 worst=10 cost=0 per_seed=""
          fit_seed "$point" 1 > "$work/seed1.cells" &
          fit_seed "$point" 2 > "$work/seed2.cells" &
          wait
          for seed in 1 2; do
            read -r m c < "$work/seed$seed.cells"
            met=$((met + m))
            [ "$m" -lt "$worst" ] && worst=$m
            per_seed="$per_seed${per_seed:+ + }$m"
            cost=$(awk -v a="$cost" -v b="$c" 'BEGIN { printf "%.6f", a + b }')
          done
          echo "point $point: $per_seed = $met of 20 Zooter cells within tolerance (seeds 1 + 2)," \
               "squared misses $cost"
          if [ "$worst" -gt "$best_worst" ] ||
             { [ "$worst" -eq "$best_worst" ] && [ "$met" -gt "$best_met" ]; } ||
             { [ "$worst" -eq "$best_worst" ] && [ "$met" -eq "$best_met" ] &&
               awk -v a="$cost" -v b="$best_cost" 'BEGIN { exit !(a < b) }'; }; then
            best="$point" best_worst="$worst" best_met="$met" best_cost="$cost"
          fi
        done
      done
    done
  done
done
echo "best: --reward-errors $best ($best_worst of 10 cells on the worse seed, $best_met of 20," \
     "squared misses $best_cost)"
