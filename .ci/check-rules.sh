#!/usr/bin/env bash
# Project rules a grep can enforce (docs/STYLE conventions):
# - TBB algorithms only in harness/parallel.h (determinism lives there);
# - no std::random_device, tbb::global_control or std::cout outside harness/cli/.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
sources=$(git ls-files 'harness/*' 'suites/*' 'adapters/*' 'reports/*' | grep -E '\.(h|cc)$')
bad=$(grep -lE 'tbb/(parallel_|blocked_range)|tbb::parallel_' $sources | grep -v '^harness/parallel.h$' || true)
if [ -n "$bad" ]; then echo "TBB algorithm outside harness/parallel.h: $bad"; status=1; fi
bad=$(grep -lE 'random_device|global_control' $sources || true)
if [ -n "$bad" ]; then echo "random_device/global_control used in: $bad"; status=1; fi
bad=$(grep -lE 'std::cout' $sources | grep -v '^harness/cli/' || true)
if [ -n "$bad" ]; then echo "std::cout outside harness/cli/: $bad"; status=1; fi
[ $status -eq 0 ] && echo "rule checks passed"
exit $status
