#!/usr/bin/env bash
# The real-client check of `zooter serve` (issue 19): the official `openai` npm package
# (openai_sdk_check.mjs) drives serve over the tests' fake upstream, all on 127.0.0.1.
#
# Usage: openai_sdk_check.sh ZOOTER FAKE_UPSTREAM SDK_DIR
# Installs openai@4 from the npm registry into SDK_DIR (a folder of the build tree, git-ignored)
# once, then reuses it. Exit 0: every check passed; 1: a check failed; 77: skipped (no node/npm,
# or the registry cannot be reached), which ctest reports as skipped.
set -euo pipefail
zooter=$1
fake=$2
sdk_dir=$3
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "SKIPPED: node and npm are needed (Debian: apt-get install nodejs npm)"
  exit 77
fi
if [ ! -f "$sdk_dir/node_modules/openai/package.json" ]; then
  mkdir -p "$sdk_dir"
  if ! timeout 120 npm install --no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-timeout=30000 \
      --prefix "$sdk_dir" openai@4 > "$sdk_dir/npm.log" 2>&1; then
    echo "SKIPPED: could not install the openai npm package from the registry (unreachable?):"
    tail -n 5 "$sdk_dir/npm.log"
    exit 77
  fi
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits (at most 5 s) for "listening on URL" in FILE and prints URL.
listening_url() {
  for _ in $(seq 100); do
    if grep -q "listening on" "$1"; then
      sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$1" | head -n 1
      return 0
    fi
    sleep 0.05
  done
  echo "no 'listening on' line in $1:" >&2
  cat "$1" >&2
  return 1
}

"$fake" 0 1 2> "$work/fake.err" &
pids+=($!)
fake_url=$(listening_url "$work/fake.err")  # http://127.0.0.1:PORT/v1
fake_root=${fake_url%/v1}
slow_port=$(node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")

cat > "$work/endpoints.json" << JSON
{"candidates": [
  {"name": "alpha", "base_url": "$fake_root/v1", "model": "alpha-model", "timeout_seconds": 10},
  {"name": "flaky", "base_url": "$fake_root/flaky/v1", "model": "flaky-model", "timeout_seconds": 10},
  {"name": "slow", "base_url": "http://127.0.0.1:$slow_port/v1", "model": "slow-model", "timeout_seconds": 10,
   "max_concurrency": 1}
]}
JSON
export ZOOTER_SDK_CHECK_TOKEN=sdk-check-token
"$zooter" serve --endpoints "$work/endpoints.json" --default-model alpha --listen 127.0.0.1:0 \
  --auth-token-env ZOOTER_SDK_CHECK_TOKEN 2> "$work/serve.err" &
pids+=($!)
serve_url=$(listening_url "$work/serve.err")

if ! OPENAI_SDK_DIR="$sdk_dir" ZOOTER_URL="$serve_url/v1" ZOOTER_TOKEN="$ZOOTER_SDK_CHECK_TOKEN" SLOW_PORT="$slow_port" \
  timeout 60 node "$here/openai_sdk_check.mjs"; then
  echo "--- zooter serve's stderr:"
  cat "$work/serve.err"
  exit 1
fi
