-- wrk -s script for bench/rollout: counts non-2xx responses (wrk's own "Non-2xx or 3xx" counts
-- only status > 399) and prints one machine-readable line in done():
--   RESULT requests=N non2xx=N connect=N read=N write=N timeout=N status=N duration_us=N p50_us=N p99_us=N max_us=N
-- Socket errors (connect/read/write/timeout) are wrk's own counters (summary.errors).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do
    n = n + (t:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d status=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, n, e.connect, e.read, e.write, e.timeout, e.status, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end
