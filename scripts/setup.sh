#!/usr/bin/env bash
# Installs everything zooter needs to build and test from Debian 12 packages. Idempotent:
# when every package is already installed it does nothing (and needs no network).
# Usage: scripts/setup.sh [--browser] [--fuzz] [--bench] [--sklearn]
#   --browser  Chromium, for the HTML report check
#   --fuzz     clang and libFuzzer (libclang-rt-14-dev), for scripts/fuzz.sh
#   --bench    wrk, the load generator of bench/proxy_bench.sh, and HAProxy, the reference proxy it
#              measures beside zooter serve
#   --sklearn  scikit-learn (python3-sklearn), for examples/byo-router/sklearn_router.py and its
#              test (skipped without it)
set -euo pipefail

packages=(
  g++ cmake ninja-build git pkg-config ccache
  libboost-dev libboost-program-options-dev libssl-dev
  rapidjson-dev libtbb-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
for option in "$@"; do
  case "$option" in
    --browser) packages+=(chromium) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --bench) packages+=(wrk haproxy) ;;
    --sklearn) packages+=(python3-sklearn) ;;
    *) echo "usage: scripts/setup.sh [--browser] [--fuzz] [--bench] [--sklearn]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
