#!/usr/bin/env bash
# Fuzzes zooter serve's request parsing (tests/fuzz/chat_request_fuzz.cc) with libFuzzer under
# AddressSanitizer and UndefinedBehaviorSanitizer, using Debian's clang (scripts/setup.sh --fuzz).
#
# Usage: scripts/fuzz.sh [SECONDS | -runs=N]   (default: 30 seconds)
# Builds into build-fuzz/ (only the sources the target needs), fuzzes from a copy of the seed
# corpus tests/fuzz/corpus/chat_request/ (new inputs stay in build-fuzz/, not in the tree) and
# exits non-zero on any crash, leak, sanitizer report or timeout; the crashing input is kept in
# build-fuzz/ and its path printed.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/build-fuzz"
limit="${1:-30}"
case "$limit" in
  -runs=*) budget=("$limit") ;;
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS | -runs=N]" >&2; exit 2 ;;
  *) budget=("-max_total_time=$limit") ;;
esac

cxx="${CXX_FUZZ:-clang++}"
if ! command -v "$cxx" >/dev/null; then
  echo "fuzz: $cxx not found; run scripts/setup.sh --fuzz" >&2
  exit 2
fi
mkdir -p "$out/corpus" "$out/artifacts"
binary="$out/chat_request_fuzz"
sources=("$root/tests/fuzz/chat_request_fuzz.cc" "$root/live/chat_request.cc" "$root/harness/json_quote.cc")
# Rebuild only when a source or header changed.
if [ ! -x "$binary" ] || [ -n "$(find "${sources[@]}" "$root/live/chat_request.h" \
      "$root/harness/json_quote.h" "$root/harness/json_position.h" "$root/tests/fuzz/ubsan_ignorelist.txt" "$0" -newer "$binary" 2>/dev/null)" ]; then
  echo "fuzz: building $binary"
  "$cxx" -std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -fsanitize-ignorelist="$root/tests/fuzz/ubsan_ignorelist.txt" \
    -Wno-ambiguous-reversed-operator -DRAPIDJSON_HAS_STDSTRING=1 -I"$root" "${sources[@]}" -o "$binary"
fi
cp -n "$root"/tests/fuzz/corpus/chat_request/* "$out/corpus/" 2>/dev/null || true

echo "fuzz: running ${budget[*]}"
cd "$out"
# -max_len: bodies past 64 KiB only test the size check; -timeout: one input may take 10 s.
"$binary" "${budget[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/" -dict="$root/tests/fuzz/chat_request.dict" "$out/corpus" 2>&1 | tail -n 25
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED (status $status); reproduce with $binary $out/artifacts/<file>" >&2
  exit 1
fi
echo "fuzz: no findings"
