#!/usr/bin/env bash
# Project rules a grep can enforce (docs/architecture.md, docs/STYLE conventions):
# - the layers: a folder includes only itself and the layers below it (the build enforces this
#   too, through each layer's include root; this is the second guard, and it names the line);
# - TBB algorithms only in harness/parallel.h (determinism lives there);
# - no std::random_device, tbb::global_control or std::cout outside cli/.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

# layer -> the folders it may include (besides system and third-party headers).
declare -A allowed=(
  [harness]="harness"
  [adapters]="adapters harness"
  [suites]="suites harness"
  [reports]="reports harness"
  [live]="live harness"
  [pipeline]="pipeline adapters suites reports harness"
  [cli]="cli pipeline live adapters suites reports harness"
)
layers="${!allowed[*]}"
for layer in $layers; do
  while IFS= read -r hit; do
    [ -z "$hit" ] && continue
    included=$(sed -E 's/^[^:]+:[0-9]+:#include "([^/"]+)\/.*/\1/' <<< "$hit")
    case " ${allowed[$layer]} " in
      *" $included "*) ;;
      *) if [[ " $layers " == *" $included "* ]]; then
           echo "$hit: $layer/ may not include $included/ (it is not below $layer)"; status=1
         fi ;;
    esac
  done < <(git grep -nE '^#include "[^/"]+/' -- "$layer/*.h" "$layer/*.cc" || true)
done

sources=$(git ls-files $(for l in $layers; do echo "$l/*"; done) | grep -E '\.(h|cc)$')
bad=$(grep -lE 'tbb/(parallel_|blocked_range)|tbb::parallel_' $sources | grep -v '^harness/parallel.h$' || true)
if [ -n "$bad" ]; then echo "TBB algorithm outside harness/parallel.h: $bad"; status=1; fi
bad=$(grep -lE 'random_device|global_control|std::cout' $sources | grep -v '^cli/' || true)
if [ -n "$bad" ]; then echo "std::random_device, tbb::global_control or std::cout outside cli/: $bad"; status=1; fi
[ $status -eq 0 ] && echo "rule checks passed (layering, parallel loops, process-wide state)"
exit $status
