#!/usr/bin/env bash
# Configures and builds zooter. Usage: scripts/build.sh [release|sanitize] [TARGET...]
# (default: release, every target). Build trees: build/ (release) and build-sanitize/ (ASan +
# UBSan, no benchmarks). `scripts/build.sh release zooter` builds the command-line tool alone.
#
# Compilations go through ccache when it is installed (scripts/setup.sh installs it). Paths are
# hashed relative to the checkout, so another clone of the same commit (CI's) reuses them.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
shift || true
case "$kind" in
  release)  dir=build;          flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  # -O1 -g1 (line tables only): what ASan's documentation recommends, enough for symbolised
  # stack traces, and half the compile time of -O2 -g on the Asio/Beast files (measured: 147
  # against 335 CPU seconds for live/http_client.cc).
  sanitize) dir=build-sanitize; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
                                        -DZOOTER_SANITIZE=ON -DZOOTER_BENCHMARKS=OFF) ;;
  *) echo "usage: scripts/build.sh [release|sanitize] [TARGET...]" >&2; exit 2 ;;
esac
if command -v ccache > /dev/null; then
  flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
  # Precompiled headers: ccache needs these to cache the files that use them.
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
fi
cmake -S . -B "$dir" -G Ninja "${flags[@]}" -DZOOTER_EXCLUDE= > /dev/null
ninja -C "$dir" -j "$(nproc)" "$@"
