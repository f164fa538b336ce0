#!/usr/bin/env bash
# How much of the paper simulation's Table 2 count is chance: runs `zooter ablate --hard-label`
# on the bundles of several simulation seeds, once per router training seed, and prints the
# Table 2 count of every run (cells within tolerance, of 40), the mean and range per bundle,
# and how often each cell is met over all runs.
#
# Also prints, per run, how many of Zooter's ten Table 1 cells the beta = 0.3 router meets
# (ablate's "Table 1: N of 10"), per bundle seed how often beta = 0.3 has a lower overall MTR
# than beta = 1 and the hard label (Table 2's shape), and the means over all runs: a change to
# the simulation is judged by those means rather than by one draw (docs/simulation.md).
#
# Usage: scripts/table2-spread.sh [BUNDLE_SEEDS [ROUTER_SEEDS]]   (after the build)
#   defaults "1 2" and "1 2 3 4 5"; two runs side by side, one thread each, about 25 s a run
#   on an idle 2-core machine. Bundles are synthesised into (or reused from) cache/.
#   REWARD_ERRORS=F,O,T,K,C scripts/table2-spread.sh ...  the same at another point of the
#   reward errors (`zooter synth --reward-errors`; docs/simulation.md, "Fitting the reward
#   errors"), with its bundles in out/table2-spread/ instead of cache/.
# Tolerances as the gate's (docs/simulation.md): group MTR 0.35, All MTR 0.20.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/paper-cells.sh
zooter="${ZOOTER:-build/zooter}"
bundle_seeds="${1:-1 2}"
router_seeds="${2:-1 2 3 4 5}"
work=out/table2-spread
mkdir -p "$work"

bundle_dir() {  # the bundle of simulation seed $1
  if [ -n "${REWARD_ERRORS:-}" ]; then echo "$work/zooter-paper-seed$1"; else echo "cache/zooter-paper-seed$1"; fi
}
for bundle_seed in $bundle_seeds; do
  "$zooter" synth --profile zooter-paper --seed "$bundle_seed" --out "$(bundle_dir "$bundle_seed")" \
    --reuse ${REWARD_ERRORS:+--reward-errors "$REWARD_ERRORS"} > /dev/null
done

# One run: the ablate text of bundle seed $1 with router seed $2.
run_one() {
  "$zooter" ablate "$(bundle_dir "$1")" --hard-label --threads 1 --router "seed=$2" \
    > "$work/bundle$1-router$2.txt"
}
jobs=()
for bundle_seed in $bundle_seeds; do
  for router_seed in $router_seeds; do jobs+=("$bundle_seed $router_seed"); done
done
for ((i = 0; i < ${#jobs[@]}; i += 2)); do
  run_one ${jobs[i]} &
  if ((i + 1 < ${#jobs[@]})); then run_one ${jobs[i + 1]} & fi
  wait
done

# The Table 2 rows of an ablate text are the lines starting "zooter@", in the order ablate
# prints them (beta 0 ... 1, then the hard label); each holds five "ours / paper" pairs.
cells='
  /^zooter@/ {
    row++; label[row] = $1; gsub(/,(reward|seed)=[^,]*/, "", label[row])
    for (k = 1; k <= 5; k++) {
      ours = $(2 + 3 * (k - 1)); paper = $(4 + 3 * (k - 1))
      tolerance = (k == 5) ? 0.20 : 0.35
      d = ours - paper; if (d < 0) d = -d
      print row, k, (d <= tolerance + 1e-9) ? 1 : 0, label[row]
    }
  }'
echo "table2-spread: cells of Table 2 within tolerance (of 40), per bundle seed and router seed" \
     "${REWARD_ERRORS:+(reward errors $REWARD_ERRORS)}"
mean() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.2f", t / n }'; }
all_table2=0 all_zooter=0 all_runs=0 all_table2_met=0 all_zooter_met=0 all_ordered=0
for bundle_seed in $bundle_seeds; do
  line="bundle seed $bundle_seed:" zooter_line="" total=0 zooter_total=0 low=40 high=0 n=0 ordered=0
  for router_seed in $router_seeds; do
    text="$work/bundle$bundle_seed-router$router_seed.txt"
    count=$(ablate_table2_cells "$text") zooter_row=$(ablate_zooter_cells "$text")
    line+=" $count" zooter_line+=" $zooter_row"
    total=$((total + count)) zooter_total=$((zooter_total + zooter_row)) n=$((n + 1))
    ((count < low)) && low=$count
    ((count > high)) && high=$count
    ((count >= 30)) && all_table2_met=$((all_table2_met + 1))
    ((zooter_row >= 8)) && all_zooter_met=$((all_zooter_met + 1))
    if ablate_beta_ordered "$text" ",seed=$router_seed"; then ordered=$((ordered + 1)); fi
  done
  all_table2=$((all_table2 + total)) all_zooter=$((all_zooter + zooter_total)) all_runs=$((all_runs + n))
  all_ordered=$((all_ordered + ordered))
  echo "$line (router seeds $router_seeds; mean $(mean $total $n), range $low-$high);" \
       "Zooter's row (of 10):$zooter_line (mean $(mean $zooter_total $n)); beta ordering in $ordered of $n"
done
echo "all $all_runs runs: Table 2 mean $(mean $all_table2 $all_runs) ($all_table2_met runs >= 30)," \
     "Zooter's row mean $(mean $all_zooter $all_runs) ($all_zooter_met runs >= 8)," \
     "beta ordering in $all_ordered"
echo "table2-spread: share of runs meeting each cell (AlpacaEval, FLASK, MT-Bench, Benchmarks, All)"
# This run's texts only: out/table2-spread may hold other seeds' texts from earlier runs.
for job in "${jobs[@]}"; do
  read -r bundle_seed router_seed <<< "$job"
  awk "$cells" "$work/bundle$bundle_seed-router$router_seed.txt"
done |
  awk '{ met[$1, $2] += $3; runs[$1, $2]++; label[$1] = $4; rows = ($1 > rows) ? $1 : rows }
       END {
         for (r = 1; r <= rows; r++) {
           line = sprintf("%-26s", label[r])
           for (k = 1; k <= 5; k++) line = line sprintf(" %5.2f", met[r, k] / runs[r, k])
           print line
         }
       }'
