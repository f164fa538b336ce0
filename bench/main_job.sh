#!/usr/bin/env bash
# Times the main job (the paper simulation end to end: synthesise, evaluate every baseline,
# RMR and Zooter) on this machine. Target: under 15 s on 2 cores. Run after a release build:
#   bash bench/main_job.sh [SEED]
# Prints the wall time of each phase and of the whole job, cold (no cached bundle).
set -euo pipefail
cd "$(dirname "$0")/.."
seed="${1:-1}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
now() { date +%s.%N; }
t0=$(now)
build/zooter synth --profile zooter-paper --seed "$seed" --out "$dir/bundle" 2> /dev/null
t1=$(now)
build/zooter run "$dir/bundle" --config configs/paper.cfg --out "$dir/out" --quiet 2> /dev/null
t2=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
  printf "synth   %6.2f s\nrun     %6.2f s\ntotal   %6.2f s (target < 15 s)\n", b - a, c - b, c - a }'
