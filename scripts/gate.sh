#!/usr/bin/env bash
# The regression gate: re-runs the paper simulation and the real-data experiments of
# scripts/real-data.sh (those whose data is present; the others are skipped with a message)
# and compares each report with its stored baseline in reports/baselines/, with
# `zooter compare` (exit 1 on a regression, 2 when the reports are not comparable). The HTML
# report of the paper run is loaded in headless Chromium when it is installed.
#
# Usage: scripts/gate.sh             gate against the baselines (needs build/zooter)
#        scripts/gate.sh --refresh   make the new reports the baselines, on purpose: commit the
#                                    changed reports/baselines/*.json with the change that
#                                    explains them (the diff shows every moved number)
set -euo pipefail
cd "$(dirname "$0")/.."
refresh=0
case "${1:-}" in
  "") ;;
  --refresh) refresh=1 ;;
  *) echo "usage: scripts/gate.sh [--refresh]" >&2; exit 2 ;;
esac
zooter="${ZOOTER:-build/zooter}"
out=out/gate
mkdir -p "$out"
failed=0

gate() {  # gate NAME: compares out/gate/NAME/report.json with reports/baselines/NAME.json
  local name="$1" report="$out/$1/report.json" baseline="reports/baselines/$1.json"
  if [ "$refresh" -eq 1 ]; then
    cp "$report" "$baseline"
    echo "gate: $baseline refreshed"
    return
  fi
  if [ ! -f "$baseline" ]; then
    echo "gate: $name: no baseline $baseline (create it with scripts/gate.sh --refresh)" >&2
    failed=1
    return
  fi
  local code=0
  "$zooter" compare "$baseline" "$report" > "$out/$name.compare.md" || code=$?
  case "$code" in
    0) echo "gate: $name: no regression" ;;
    1) echo "gate: $name: REGRESSION (see $out/$name.compare.md)" >&2; cat "$out/$name.compare.md" >&2; failed=1 ;;
    *) echo "gate: $name: not comparable (exit $code)" >&2; cat "$out/$name.compare.md" >&2; failed=1 ;;
  esac
}

# The paper simulation, seed 1: the main job's run.
bundle=cache/zooter-paper-seed1
"$zooter" synth --profile zooter-paper --seed 1 --out "$bundle" --reuse > /dev/null
"$zooter" run "$bundle" --config configs/paper.cfg --out "$out/paper-seed1" \
  --format json --format markdown --format html --quiet
gate paper-seed1

# The real-data experiments: fresh reports only (stale ones would be gated otherwise).
real=(alpaca-eval-13b alpaca-eval-judges routerdc routerdc-ood routerbench)
for name in "${real[@]}"; do rm -rf "out/$name"; done
ZOOTER_BIN="$zooter" bash scripts/real-data.sh
for name in "${real[@]}"; do
  mkdir -p "$out/$name"
  if [ -f "out/$name/report.json" ]; then
    cp "out/$name/report.json" "$out/$name/report.json"
    gate "$name"
  else
    echo "gate: $name: no report (its data is absent), not gated"
  fi
done

if command -v chromium > /dev/null; then
  bash scripts/check-html.sh "$out/paper-seed1/report.html" "$out/paper-seed1/report.png"
else
  echo "gate: chromium not installed, HTML check skipped (scripts/setup.sh --browser installs it)"
fi

if [ "$failed" -ne 0 ]; then
  echo "gate: FAILED" >&2
  exit 1
fi
echo "gate: passed"
