#!/usr/bin/env bash
# The scale benchmark (issue 23): generated random bundles of 10k, 100k and 1M queries x 11
# candidates, each validated and run end to end with 16 adapters (the 11 single candidates,
# best-single, random, oracle and two reward-model rankings), bootstrap 1000 and every report
# (csv, json, markdown, html). Prints wall time, CPU time and peak RSS (/usr/bin/time -v) per
# step and size, the size of report.html, and the loader's speed-up from 1 to 2 threads
# (validate; the median of LOAD_PAIRS pairs) at each size. Targets at 1M: run < 60 s and < 4 GB
# peak RSS on 2 cores; report.html <= 5 MB; loading on 2 threads >= 1.7x faster than 1.
#
# Usage: bash bench/scale.sh [SIZES...]   (default: 10000 100000 1000000)
# Env: LOAD_PAIRS (default 5) pairs of validate runs (1 thread, then THREADS) for the speed-up;
# SCALE_DIR (default: a fresh directory under /tmp, deleted at the end; the 1M bundle
# takes about 1.6 GB), THREADS (default 2), CHECK_HTML=1 to open each report.html in headless
# Chromium with scripts/check-html.sh. Run after `bash scripts/build.sh release zooter`.
# The machine's load average is printed first: other work on the cores inflates the times.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(10000 100000 1000000)
threads="${THREADS:-2}"
pairs="${LOAD_PAIRS:-5}"
dir="${SCALE_DIR:-$(mktemp -d /tmp/zooter-scale.XXXXXX)}"
[[ -z "${SCALE_DIR:-}" ]] && trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir"
zooter="$PWD/build/zooter"
adapters=(--adapter best-single --adapter random --adapter oracle --adapter rmr@rm-0 --adapter rmr@rm-1)
for m in $(seq 0 10); do adapters+=(--adapter "single@model-$m"); done

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; threads $threads"
# Runs a command under /usr/bin/time -v; prints "LABEL  wall  CPU (user + system)  peak RSS".
# Under load from other work the wall time grows and the CPU time much less: both are shown.
timed() {
  local label="$1"
  shift
  /usr/bin/time -v -o "$dir/time.txt" "$@" > /dev/null 2> "$dir/stderr.txt" || {
    echo "$label failed:" >&2
    cat "$dir/stderr.txt" >&2
    exit 1
  }
  awk -v label="$label" '
    /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + t[i] }
    /User time \(seconds\)/ { cpu += $NF }
    /System time \(seconds\)/ { cpu += $NF }
    /Maximum resident set size/ { rss = $NF / 1024 }
    END { printf "%-28s %8.2f s wall %8.2f s CPU %8.0f MB peak RSS\n", label, s, cpu, rss }' "$dir/time.txt"
}
wall() { awk '/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + t[i]; print s }' "$dir/time.txt"; }

for n in "${sizes[@]}"; do
  bundle="$dir/bundle-$n"
  out="$dir/out-$n"
  rm -rf "$bundle" "$out"
  timed "synth $n" "$zooter" synth --profile random --queries "$n" --models 11 --threads "$threads" --out "$bundle"
  echo "  bundle: $(du -sm "$bundle" | cut -f1) MB"
  # Loading on 1 and on $threads threads, as adjacent pairs: a shared machine's speed drifts
  # over minutes, so each ratio compares two runs made close together, and the median of the
  # pairs' ratios is the figure (each pair's times are printed too).
  ratios=()
  for pair in $(seq 1 "$pairs"); do
    timed "validate $n (1 thread)" "$zooter" validate "$bundle" --threads 1
    one=$(wall)
    timed "validate $n ($threads threads)" "$zooter" validate "$bundle" --threads "$threads"
    many=$(wall)
    ratios+=("$(awk -v a="$one" -v b="$many" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')")
  done
  printf '%s\n' "${ratios[@]}" | sort -n | awk -v t="$threads" '
    { r[NR] = $1 } END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
      printf "  loading speed-up 1 -> %s threads: median %.2fx of %d pairs (%.2fx to %.2fx)\n", t, m, NR, r[1], r[NR] }'
  timed "run $n" "$zooter" run "$bundle" "${adapters[@]}" --bootstrap 1000 --threads "$threads" \
    --format csv --format json --format markdown --format html --out "$out" --quiet
  echo "  report.html: $(du -k "$out/report.html" | cut -f1) KB"
  if [[ "${CHECK_HTML:-0}" == 1 ]]; then
    bash scripts/check-html.sh "$out/report.html" "$dir/report-$n.png" | tail -1
  fi
  rm -rf "$bundle" "$out"
done
