#!/bin/sh
# The examples of examples/byo-router run through the exec adapter on examples/tiny (a ctest
# entry each). Usage: byo_router_example.sh ZOOTER SOURCE_DIR stdlib|sklearn EXPECTED_QUALITY
# Exit 77 (ctest: skipped) with a message when the Python they need is absent.
set -u
zooter="$1" source="$2" which="$3"
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" > /dev/null 2>&1; then
    if [ "$which" = stdlib ] || "$candidate" -c "import sklearn" > /dev/null 2>&1; then
      python="$candidate"
      break
    fi
  fi
done
if [ -z "$python" ]; then
  if [ "$which" = stdlib ]; then echo "skipped: python3 is absent"; else echo "skipped: no python3 with scikit-learn (Debian: python3-sklearn; scripts/setup.sh --sklearn)"; fi
  exit 77
fi
spec="exec@cmd=$python $source/examples/byo-router/${which}_router.py"
out=$("$zooter" run "$source/examples/tiny" --adapter "$spec" --bootstrap 0 --quiet --out "${TMPDIR:-/tmp}/zooter-byo-$which-$$" 2>&1)
code=$?
report="${TMPDIR:-/tmp}/zooter-byo-$which-$$/report.csv"
if [ $code -ne 0 ]; then
  echo "FAIL: zooter exited with $code: $out"
  exit 1
fi
# The adapter's mean normalised subset score, as report.csv has it, against the value recorded
# for the example on examples/tiny (a change to the example or to zooter that moves it fails).
expected="$4"
row=$(grep -F "frontier_quality" "$report" | grep -F "exec@cmd=" | head -1)
rm -rf "${TMPDIR:-/tmp}/zooter-byo-$which-$$"
case "$row" in
  *",$expected") echo "ok: $row" ;;
  *) echo "FAIL: expected frontier_quality $expected for $spec, got: $row"; exit 1 ;;
esac
