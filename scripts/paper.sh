#!/usr/bin/env bash
# The README's main command: install, build, then reproduce the paper's Table 1 on the
# simulated 26-subset collection (synthesised once per seed and cached under cache/).
# Usage: scripts/paper.sh [SEED]   (default 1). Reports go to out/paper-seed$SEED/.
set -euo pipefail
cd "$(dirname "$0")/.."
seed="${1:-1}"
bash scripts/setup.sh > /dev/null
bash scripts/build.sh release zooter > /dev/null
bundle="cache/zooter-paper-seed$seed"
build/zooter synth --profile zooter-paper --seed "$seed" --out "$bundle" --reuse
build/zooter run "$bundle" --config configs/paper.cfg --out "out/paper-seed$seed"
