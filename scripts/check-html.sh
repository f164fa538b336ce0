#!/usr/bin/env bash
# Opens an HTML report from disk (file://) in Debian's headless Chromium, saves a screenshot,
# and fails when the page writes anything to the browser console or throws.
#
# Usage: scripts/check-html.sh REPORT.html SCREENSHOT.png
# Exit status: 0 the page is clean, 1 it is not (the offending lines are printed), 2 usage or
# no browser. Environment: CHROMIUM (default /usr/bin/chromium; Debian package `chromium`),
# CHECK_HTML_WINDOW (default 1400,3000: the screenshot's width,height in pixels).
#
# Why every console line fails: Chromium copies each console message of a page to stderr as
# "INFO:CONSOLE..." whatever its level, so console.error cannot be told from console.log
# there. The report's script logs nothing, so any console line means something went wrong:
# uncaught exceptions ("Uncaught ..."), Content-Security-Policy violations (the page may not
# fetch anything) and failed loads all arrive that way. When the page embeds drill-down data,
# the DOM after the scripts ran must also show the drill-down's first page drawn.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 REPORT.html SCREENSHOT.png" >&2
  exit 2
fi
page="$1"
screenshot="$2"
browser="${CHROMIUM:-/usr/bin/chromium}"
window="${CHECK_HTML_WINDOW:-1400,3000}"
if [[ ! -f "$page" ]]; then
  echo "$0: $page: no such file" >&2
  exit 2
fi
if [[ ! -x "$browser" ]]; then
  echo "$0: $browser not found; install it with: apt-get install -y chromium" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
url="file://$(realpath "$page")"
screenshot_path="$(realpath -m "$screenshot")"
rm -f "$screenshot_path"
started_ns=$(date +%s%N)

# A fresh profile per run (no state from earlier runs, parallel checks do not collide);
# virtual time lets the page's scripts finish before the screenshot and the DOM dump.
status=0
timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --user-data-dir="$work/profile" --no-first-run --disable-extensions --disable-sync \
  --disable-background-networking --disable-component-update \
  --enable-logging=stderr --v=0 --virtual-time-budget=5000 --window-size="$window" \
  --screenshot="$screenshot_path" --dump-dom "$url" >"$work/dom.html" 2>"$work/stderr.txt" || status=$?
elapsed_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))

failed=0
if [[ $status -ne 0 ]]; then
  echo "FAIL: chromium exited with status $status" >&2
  tail -n 20 "$work/stderr.txt" >&2
  failed=1
fi
if grep -E ':CONSOLE[(:]|Uncaught' "$work/stderr.txt" >"$work/console.txt"; then
  echo "FAIL: the page wrote to the browser console:" >&2
  sed -E 's/^\[[^]]*\] ?//' "$work/console.txt" >&2
  failed=1
fi
if [[ ! -s "$screenshot_path" ]]; then
  echo "FAIL: no screenshot was written to $screenshot" >&2
  failed=1
fi
if grep -q 'id="drilldown-data"' "$page" && ! grep -q 'data-drilldown-rows="' "$work/dom.html"; then
  echo "FAIL: the drill-down was not drawn (its script did not finish)" >&2
  failed=1
fi

if [[ $failed -ne 0 ]]; then
  exit 1
fi
printf 'ok: %s (%s bytes): no console output, screenshot %s, %d.%03d s\n' "$page" \
  "$(stat -c %s "$page")" "$screenshot" $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
