-- wrk -s script for bench/rollout: counts non-2xx responses (wrk's own "Non-2xx or 3xx" counts
-- only status > 399) and prints one machine-readable line in done():
--   RESULT requests=N non2xx=N connect=N read=N write=N timeout=N status=N duration_us=N p50_us=N p99_us=N max_us=N
-- and, when any response was not 2xx, a second line saying which statuses they were:
--   STATUSES 500=N 502=N 503=N 504=N other=N
-- Socket errors (connect/read/write/timeout) are wrk's own counters (summary.errors).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Counters per status: wrk hands only numbers and strings from a thread to done(), not tables.
local tracked = { 500, 502, 503, 504 }

function init(args)
  non2xx = 0
  s500, s502, s503, s504, sother = 0, 0, 0, 0, 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status == 500 then s500 = s500 + 1
    elseif status == 502 then s502 = s502 + 1
    elseif status == 503 then s503 = s503 + 1
    elseif status == 504 then s504 = s504 + 1
    else sother = sother + 1 end
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
  if n > 0 then
    local parts = {}
    for _, code in ipairs(tracked) do
      local count = 0
      for _, t in ipairs(threads) do count = count + (t:get("s" .. code) or 0) end
      table.insert(parts, code .. "=" .. count)
    end
    local other = 0
    for _, t in ipairs(threads) do other = other + (t:get("sother") or 0) end
    table.insert(parts, "other=" .. other)
    io.write("STATUSES " .. table.concat(parts, " ") .. "\n")
  end
end
