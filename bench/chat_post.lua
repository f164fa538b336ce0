-- wrk script for bench/proxy_bench.sh: POSTs one small chat request, the same body to the fake
-- upstream and to the proxy. WRK_DELAY_MS > 0 makes each connection pause that long before each
-- request, which caps the rate near connections x 1000 / WRK_DELAY_MS requests per second (wrk
-- is closed-loop; the pause is not counted in its latency figures).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"auto","messages":[{"role":"system","content":"be brief"},' ..
           '{"role":"user","content":"write a python function that reverses a linked list"}]}'

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function delay()
  return delay_ms
end
