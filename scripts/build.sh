#!/usr/bin/env bash
# Configures and builds zooter. Usage: scripts/build.sh [release|sanitize] (default release).
# Build trees: build/ (release) and build-sanitize/ (ASan + UBSan, no benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
case "$kind" in
  release)  dir=build;          flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  sanitize) dir=build-sanitize; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DZOOTER_SANITIZE=ON -DZOOTER_BENCHMARKS=OFF) ;;
  *) echo "usage: scripts/build.sh [release|sanitize]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" -DZOOTER_EXCLUDE= > /dev/null
ninja -C "$dir" -j "$(nproc)"
