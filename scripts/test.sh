#!/usr/bin/env bash
# The README's test command: install, build (release and sanitizers), run every test, and
# gate the paper simulation and the real-data experiments against reports/baselines/ (with
# the HTML report checked in headless Chromium), and fuzz zooter serve's request parsing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser --fuzz
bash scripts/build.sh release
ctest --test-dir build --output-on-failure
bash scripts/fuzz.sh 30
bash scripts/gate.sh
bash scripts/build.sh sanitize
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure
echo "all tests passed (release and ASan+UBSan), 30 s of fuzzing found nothing, and no regression against the baselines"
