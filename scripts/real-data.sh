#!/usr/bin/env bash
# The real-data experiments of docs/results/: imports each public data set from
# ${ZOOTER_SHARED_DATA:-../shared/data} (read in place, never copied into the repository) into
# cache/<name>, reusing the bundle when it is already there, then runs configs/<name>.cfg into
# out/<name> (routerdc also runs configs/routerdc-ood.cfg into out/routerdc-ood). An experiment
# whose data is absent is skipped with a message saying what is missing. Each prints its wall
# time.
#
# Usage: scripts/real-data.sh [NAME...]   (default: every experiment)
#   names: alpaca-eval-13b alpaca-eval-judges routerdc routerbench
#   ZOOTER_BIN          the zooter binary (default: build/zooter; scripts/build.sh makes it)
#   ZOOTER_SHARED_DATA  the shared data folder (default: ../shared/data; relative paths are
#                       taken from the repository root)
# Delete cache/<name> to import again after changing an import option below.
set -euo pipefail
cd "$(dirname "$0")/.."
zooter="${ZOOTER_BIN:-build/zooter}"
data="${ZOOTER_SHARED_DATA:-../shared/data}"
alpaca_eval="$data/alpaca_eval"
routerdc="$data/RouterDC/datasets/split2_model7"
routerbench="$data/RouterDC/datasets/routerbench_zs"

pool_13b=(wizardlm-13b vicuna-13b llama-2-13b-chat-hf tulu-2-dpo-13b ultralm-13b-v2.0)
pool_judges=(wizardlm-13b vicuna-13b alpaca-7b falcon-40b-instruct oasst-rlhf-llama-33b phi-2)
# RouterBench's closed models publish no parameter count. 70e9 (the largest open model of the
# pool) is a placeholder that completes the bundle: their FLOPs mean nothing, their dollars are
# RouterBench's real costs.
closed=(claude-instant-v1 claude-v1 claude-v2 gpt-3.5-turbo-1106 gpt-4-1106-preview)

if [ ! -x "$zooter" ]; then
  echo "no zooter binary at $zooter: build it (bash scripts/build.sh) or set ZOOTER_BIN" >&2
  exit 2
fi

# have NAME PATH...: true when every PATH exists, else says which is missing and returns 1.
have() {
  local name="$1" path
  shift
  for path in "$@"; do
    if [ ! -e "$path" ]; then
      echo "== $name: skipped, no data at $path (set ZOOTER_SHARED_DATA)" >&2
      return 1
    fi
  done
}

# needs NAME: the files and folders experiment NAME reads, one a line.
needs() {
  local model
  case "$1" in
    alpaca-eval-13b)
      for model in "${pool_13b[@]}"; do
        echo "$alpaca_eval/results/$model/model_outputs.json"
        echo "$alpaca_eval/results/$model/alpaca_eval_gpt4/annotations.json"
      done ;;
    alpaca-eval-judges)
      for model in "${pool_judges[@]}"; do
        echo "$alpaca_eval/results/$model/model_outputs.json"
        echo "$alpaca_eval/results/$model/alpaca_eval_gpt4/annotations.json"
        echo "$alpaca_eval/results/$model/weighted_alpaca_eval_gpt4_turbo/annotations.json"
      done ;;
    routerdc) echo "$routerdc" ;;
    routerbench) echo "$routerbench" ;;
  esac
}

# import_once NAME FORMAT SOURCE [OPTION...]: cache/NAME, imported unless already there.
import_once() {
  local name="$1" format="$2" source="$3"
  shift 3
  if [ -f "cache/$name/manifest.json" ]; then
    echo "cache/$name: reusing the bundle imported earlier"
  else
    "$zooter" import "$format" "$source" --out "cache/$name" "$@"
  fi
}

# run_config BUNDLE CONFIG: one run of configs/CONFIG.cfg, reports into out/CONFIG.
run_config() {
  "$zooter" run "cache/$1" --config "configs/$2.cfg" --out "out/$2"
}

joined() { local IFS=,; echo "$*"; }

# run_experiment NAME: import (once) and run.
run_experiment() {
  case "$1" in
    alpaca-eval-13b)
      import_once "$1" alpaca-eval "$alpaca_eval" --models "$(joined "${pool_13b[@]}")" \
        --reward length
      run_config "$1" alpaca-eval-13b ;;
    alpaca-eval-judges)
      import_once "$1" alpaca-eval "$alpaca_eval" --models "$(joined "${pool_judges[@]}")" \
        --reward-annotator weighted_alpaca_eval_gpt4_turbo --reward-name ae2
      run_config "$1" alpaca-eval-judges ;;
    routerdc)
      import_once "$1" routerdc "$routerdc"
      run_config "$1" routerdc
      run_config "$1" routerdc-ood ;;
    routerbench)
      local parameters
      parameters="$(printf '%s=70e9,' "${closed[@]}")"
      import_once "$1" routerbench "$routerbench" --parameters "${parameters%,}"
      run_config "$1" routerbench ;;
  esac
}

all=(alpaca-eval-13b alpaca-eval-judges routerdc routerbench)
experiments=("$@")
[ ${#experiments[@]} -gt 0 ] || experiments=("${all[@]}")
for name in "${experiments[@]}"; do
  if [[ ! " ${all[*]} " == *" $name "* ]]; then
    echo "unknown experiment \"$name\" (known: ${all[*]})" >&2
    exit 2
  fi
done
for name in "${experiments[@]}"; do
  mapfile -t paths < <(needs "$name")
  have "$name" "${paths[@]}" || continue
  echo "== $name"
  started=$EPOCHREALTIME
  run_experiment "$name"
  seconds=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  echo "== $name: $seconds s wall time (import and run)"
done
