#!/usr/bin/env bash
# Added latency and throughput of `zooter serve` on loopback: wrk drives the fake upstream
# (zooter_fake_upstream) directly, then the proxy in front of it, with the same script and
# connection count, and the difference is what the proxy adds (parsing, routing, forwarding).
#
# With HAProxy installed, the same load also goes through HAProxy (as many threads, kept-alive
# upstream connections), a mature C proxy measured on the same machine in the same run: it tells
# how much of the added latency is the proxy and how much is the machine.
#
# Usage: bench/proxy_bench.sh [SECONDS]    (default 10 s per run; needs wrk: setup.sh --bench)
# Environment:
#   BUILD           build dir with zooter and zooter_fake_upstream (default build)
#   THREADS         proxy worker threads, for serve and HAProxy alike (default 2)
#   CONNECTIONS     wrk connections in the paced phase (default 11)
#   DELAY_MS        each connection's pause between requests in the paced phase (default 10):
#                   about CONNECTIONS x 1000 / (DELAY_MS + latency) req/s, so ~1000 req/s
#                   through the proxy, the rate its latency target is stated at
#   ROUNDS          rounds of direct / zooter / HAProxy runs (default 1); with more than one,
#                   the medians of the added latencies follow
#   REFERENCE       1: HAProxy too when it is installed (the default); 0: not
#   PIN             1: the proxies on CPU 1, wrk and the fake upstream on CPU 0 (taskset), so the
#                   load generator does not take the proxy's core; default 0, the scheduler's
#                   choice, which on a 2-core VM measured better (docs/live-serve.md)
#   UPSTREAM_PORT, PROXY_PORT, REFERENCE_PORT   18081, 18080, 18082
# Two phases: "paced" near the target rate (latency), then "saturated" with DELAY_MS=0 and 32
# connections (throughput). Everything runs on 127.0.0.1 and is killed on exit.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD:-$root/build}"
seconds="${1:-10}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-11}"
delay_ms="${DELAY_MS:-10}"
upstream_port="${UPSTREAM_PORT:-18081}"
proxy_port="${PROXY_PORT:-18080}"
pin="${PIN:-0}"
rounds="${ROUNDS:-1}"
reference_port="${REFERENCE_PORT:-18082}"
reference=0
if [ "${REFERENCE:-1}" = 1 ] && command -v haproxy >/dev/null; then reference=1; fi
# Command prefixes that put a process on CPU 0 or 1 (empty unless PIN=1). Prefixes, not a shell
# function: a function started with & is a subshell, and $! would name it, not the server.
cpu0=()
cpu1=()
if [ "$pin" = 1 ]; then
  cpu0=(taskset -c 0)
  cpu1=(taskset -c 1)
fi
command -v wrk >/dev/null || { echo "proxy_bench: wrk not found; run scripts/setup.sh --bench" >&2; exit 2; }
for binary in zooter zooter_fake_upstream; do
  [ -x "$build/$binary" ] || { echo "proxy_bench: $build/$binary missing; build it first" >&2; exit 2; }
done

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

wait_for_port() {
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "proxy_bench: nothing listening on 127.0.0.1:$1" >&2
  exit 1
}

# A router trained on the example bundle; every candidate it can pick is the same fake upstream.
"$build/zooter" train "$root/examples/tiny" --out "$work/tiny.router" --threads 1 >/dev/null 2>&1
python3 - "$work/tiny.router" "$upstream_port" > "$work/endpoints.json" <<'PY'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
router = json.loads(lines[1])
names = router.get("candidates") or router["info"]["candidates"]
print(json.dumps({"candidates": [{"name": n, "base_url": f"http://127.0.0.1:{sys.argv[2]}/v1"} for n in names]}))
PY

"${cpu0[@]}" "$build/zooter_fake_upstream" "$upstream_port" 1 2>"$work/upstream.log" &
pids+=($!)
"${cpu1[@]}" "$build/zooter" serve --router "$work/tiny.router" --endpoints "$work/endpoints.json" \
  --listen "127.0.0.1:$proxy_port" --threads "$threads" 2>"$work/serve.log" &
pids+=($!)
serve_pid=$!
if [ "$reference" = 1 ]; then
  # The reference: HAProxy with the same thread count, in front of the same upstream, reusing
  # upstream connections as serve does.
  cat > "$work/haproxy.cfg" <<CFG
global
    nbthread $threads
    maxconn 1024
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    http-reuse always
frontend bench
    bind 127.0.0.1:$reference_port
    default_backend upstream
backend upstream
    server fake 127.0.0.1:$upstream_port
CFG
  "${cpu1[@]}" haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
  pids+=($!)
  reference_pid=$!
fi
wait_for_port "$upstream_port"
wait_for_port "$proxy_port"
[ "$reference" = 1 ] && wait_for_port "$reference_port"

# CPU time (user + system, in clock ticks) process $1 has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Prints "p50_ms p99_ms req_per_s non2xx" of one wrk run.
run_wrk() {
  local url="$1" conns="$2" delay="$3"
  WRK_DELAY_MS="$delay" "${cpu0[@]}" wrk -t1 -c"$conns" -d"${seconds}s" --latency -s "$root/bench/chat_post.lua" "$url" \
    > "$work/wrk.txt"
  python3 - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(f"{ms('50'):.3f} {ms('99'):.3f} {rate:.0f} {int(bad.group(1)) if bad else 0}"
      + (" " + errors.group(0).replace(" ", "_") if errors else ""))
PY
}

echo "proxy_bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), proxy threads $threads, ${seconds}s per run, pinned $pin, reference $([ "$reference" = 1 ] && echo haproxy || echo none), $rounds round(s)"
# One proxied run: prints "p50 p99 rate cpu_us_per_request non2xx" for the proxy process $1 at $2.
proxied() {
  local pid="$1" port="$2" conns="$3" delay="$4" before p50 p99 rate bad ticks
  before="$(cpu_ticks "$pid")"
  read -r p50 p99 rate bad _ < <(run_wrk "http://127.0.0.1:$port/v1/chat/completions" "$conns" "$delay")
  ticks="$(( $(cpu_ticks "$pid") - before ))"
  # The proxy's own CPU per request (its threads, kernel time included): steadier on a shared
  # machine than the latency percentiles, which also measure waiting for a core.
  echo "$p50 $p99 $rate $(echo "$ticks * 1000000 / $(getconf CLK_TCK) / ($rate * $seconds)" | bc -l) $bad"
}
results="$work/results.txt"
for _ in $(seq 1 "$rounds"); do
  for phase in paced saturated; do
    if [ "$phase" = paced ]; then conns="$connections"; delay="$delay_ms"; else conns=32; delay=0; fi
    read -r d50 d99 drate dbad _ < <(run_wrk "http://127.0.0.1:$upstream_port/v1/chat/completions" "$conns" "$delay")
    printf '%-9s %3d conns, delay %2d ms | direct:  p50 %.3f ms  p99 %.3f ms  %6d req/s | non-2xx %d\n' \
      "$phase" "$conns" "$delay" "$d50" "$d99" "$drate" "$dbad"
    targets=("zooter $serve_pid $proxy_port")
    [ "$reference" = 1 ] && targets+=("haproxy $reference_pid $reference_port")
    for target in "${targets[@]}"; do
      read -r name pid port <<< "$target"
      read -r p50 p99 rate cpu bad < <(proxied "$pid" "$port" "$conns" "$delay")
      added50="$(echo "$p50 - $d50" | bc -l)"
      added99="$(echo "$p99 - $d99" | bc -l)"
      printf '%-9s %3d conns, delay %2d ms | %-8s p50 %.3f ms  p99 %.3f ms  %6d req/s | added: p50 %.3f ms  p99 %.3f ms | CPU %.0f us/req | non-2xx %d\n' \
        "$phase" "$conns" "$delay" "$name:" "$p50" "$p99" "$rate" "$added50" "$added99" "$cpu" "$bad"
      echo "$phase $name $added50 $added99 $rate $cpu" >> "$results"
    done
  done
done
if [ "$rounds" -gt 1 ]; then
  python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    phase, name, a50, a99, rate, cpu = line.split()
    rows.setdefault((phase, name), []).append((float(a50), float(a99), float(rate), float(cpu)))
for (phase, name), runs in rows.items():
    med = [statistics.median(r[i] for r in runs) for i in range(4)]
    print(f"median of {len(runs)}: {phase:<9} {name:<8} added p50 {med[0]:.3f} ms  added p99 {med[1]:.3f} ms"
          f"  {med[2]:.0f} req/s  CPU {med[3]:.0f} us/req  (added p99 {min(r[1] for r in runs):.3f} to {max(r[1] for r in runs):.3f})")
PY
fi
echo "proxy_bench: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
