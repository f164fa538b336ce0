#!/usr/bin/env bash
# Fits the paper simulation's reward-model error parameters (suites/paper_profile.h,
# RewardErrorParameters: FACTUAL,OPEN,TRAIN,BLIND,FLUENCY - tag error sds on factual and open
# tags, training signal factor, share of expertise missed and reward per unit of fluency on
# exam-style queries), offline, for seeds 1 and 2.
#
# For every point of a fixed grid and each seed: synthesise the bundle with `zooter synth
# --reward-errors` and score the point.
#   default   Table 1's Zooter row only: train and evaluate Zooter as the paper does
#             (configs/paper-fit.cfg: QwenRM rewards, tags, beta = 0.3) and compare its row
#             with the paper's ten cells. The best point has the most cells within tolerance
#             on its worse seed (the issue's bar is per seed), ties broken by the most over
#             both seeds, then by the smaller sum of squared misses in tolerances, then by grid
#             order. Table 2 is not used.
#   --joint   Table 1 and Table 2 together, as scripts/gate.sh counts them: the whole of
#             Table 1 (configs/paper.cfg), Zooter's row and Table 2 (`zooter ablate
#             --hard-label`) and Table 2's beta ordering. The best point meets the most of the
#             issue's eight bars (per seed: Table 1 >= 125 of 130, Zooter's row >= 8 of 10,
#             Table 2 >= 30 of 40, beta 0.3 below beta 1 and the hard label), ties broken by
#             the most of the four Table 1 and Zooter's-row bars (Table 1 is the main job's
#             table and Zooter's row the paper's claim; Table 2 is its ablation), then the
#             most Table 2 cells on the worse seed, then the most Table 1 cells on the worse
#             seed, then by grid order. Table 2 is then a fitting target, not held out.
# Deterministic: every step is. OPEN is held (docs/simulation.md, "Fitting the reward
# errors"); pass a point by hand to `zooter synth --reward-errors` to try another.
#
# Usage: scripts/fit-paper-rewards.sh [--joint]   (after the build; the two seeds run side by
# side, one thread each. Default: 5 to 40 s per point, 64 points, about 7 minutes on an idle
# 2-core machine. --joint: about 45 s per point, 80 points, about an hour.)
# Paste the printed best point into kFittedRewardErrors in suites/paper_profile.h.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/paper-cells.sh
joint=0
case "${1:-}" in
  "") ;;
  --joint) joint=1 ;;
  *) echo "usage: scripts/fit-paper-rewards.sh [--joint]" >&2; exit 2 ;;
esac
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
# One seed at one point, on one thread (the reports are the same for any thread count).
# Default: prints "cells-met squared-misses" of Zooter's row. --joint: prints "table1 zooter
# table2 ordered" (ordered: 1 when beta 0.3 has a lower overall MTR than beta 1 and the hard
# label), read as scripts/gate.sh reads them (scripts/paper-cells.sh).
fit_seed() {
  local point=$1 seed=$2 dir="$work/seed$2"
  "$zooter" synth --profile zooter-paper --seed "$seed" --out "$dir/bundle" --threads 1 \
    --reward-errors "$point" > /dev/null 2>&1
  if [ "$joint" -eq 0 ]; then
    "$zooter" run "$dir/bundle" --config configs/paper-fit.cfg --out "$dir/report" --threads 1 \
      --format json --quiet --bootstrap 0 > /dev/null 2>&1
    jq -r "$cells" "$dir/report/report.json"
    return
  fi
  "$zooter" run "$dir/bundle" --config configs/paper.cfg --out "$dir/report" --threads 1 \
    --format markdown --quiet --bootstrap 0 > /dev/null 2>&1
  "$zooter" ablate "$dir/bundle" --hard-label --threads 1 > "$dir/ablate.txt" 2>&1
  local table1 zooter_row table2 ordered=0
  table1=$(table1_cells "$dir/report/report.md")
  zooter_row=$(ablate_zooter_cells "$dir/ablate.txt") table2=$(ablate_table2_cells "$dir/ablate.txt")
  ablate_beta_ordered "$dir/ablate.txt" && ordered=1
  echo "${table1:-0} ${zooter_row:-0} ${table2:-0} $ordered"
}
# The grid. --joint adds exam_fluency 30 (between the 20 and 40 of the first fit, where Table
# 2's count rises while Zooter's Benchmarks cells fall).
fluencies="5 10 20 40"
[ "$joint" -eq 1 ] && fluencies="5 10 20 30 40"
best="" best_worst=-1 best_met=-1 best_cost="" best_score=-1 best_bars="" best_table2="" best_table1=""
for factual in 1 1.5; do
  for open in 0; do
    for train in 2.5 3 3.5 4.5; do
      for blind in 0.85 1; do
        for fluency in $fluencies; do
          point="$factual,$open,$train,$blind,$fluency"
          fit_seed "$point" 1 > "$work/seed1.cells" &
          fit_seed "$point" 2 > "$work/seed2.cells" &
          wait
          if [ "$joint" -eq 0 ]; then
            met=0 worst=10 cost=0 per_seed=""
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
          else
            bars=0 table1_bars=0 worst_table1=130 worst_table2=40 per_seed=""
            for seed in 1 2; do
              read -r t1 z t2 ordered < "$work/seed$seed.cells"
              [ "$t1" -ge 125 ] && table1_bars=$((table1_bars + 1))
              [ "$z" -ge 8 ] && table1_bars=$((table1_bars + 1))
              [ "$t2" -ge 30 ] && bars=$((bars + 1))
              bars=$((bars + ordered))
              [ "$t1" -lt "$worst_table1" ] && worst_table1=$t1
              [ "$t2" -lt "$worst_table2" ] && worst_table2=$t2
              per_seed="$per_seed${per_seed:+; }seed $seed: Table 1 $t1, Zooter's row $z, Table 2 $t2, ordering $([ "$ordered" -eq 1 ] && echo yes || echo no)"
            done
            bars=$((bars + table1_bars))
            echo "point $point: $per_seed; $bars of 8 bars met"
            # The ranking in one number, larger is better; strictly better only, so the first
            # point in grid order wins a tie.
            score=$(( ((bars * 10 + table1_bars) * 100 + worst_table2) * 1000 + worst_table1 ))
            if [ "$score" -gt "$best_score" ]; then
              best="$point" best_score="$score" best_bars="$bars" best_table2="$worst_table2"
              best_table1="$worst_table1"
            fi
          fi
        done
      done
    done
  done
done
if [ "$joint" -eq 0 ]; then
  echo "best: --reward-errors $best ($best_worst of 10 cells on the worse seed, $best_met of 20," \
       "squared misses $best_cost)"
else
  echo "best: --reward-errors $best ($best_bars of 8 bars met; worse seed: Table 2 $best_table2," \
       "Table 1 $best_table1)"
fi
