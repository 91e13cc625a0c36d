-- wrk reporter for tests/bench/run.py: one JSON line with throughput and latency percentiles
-- (microseconds). wrk's own --latency output has no 95th percentile.
--
-- With BENCH_FRESH_PARAM set (a query parameter name, URL-encoded), every request adds that
-- parameter with a date no earlier request used (far in the future, so the result is the
-- same), so nothing a listing caches per query (count, facets, page ids) is ever reused.
-- BENCH_FRESH_BLOCK (0, 1, ...: one per wrk run of the bench) gives each run its own dates,
-- so a measured run does not repeat its warm-up's filters, nor one row another's.
local fresh_param = os.getenv("BENCH_FRESH_PARAM")
local fresh_block = tonumber(os.getenv("BENCH_FRESH_BLOCK") or "0")
local threads = 0
local sent = 0

setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

request = function()
  if not fresh_param then
    return wrk.request()
  end
  sent = sent + 1
  -- 2040-01-01 plus a day per request; each run has its own span of 60,000 days, and each
  -- of its threads (one or two) its own 20,000 of them.
  local day = os.time({year = 2040, month = 1, day = 1, hour = 12})
    + (fresh_block * 60000 + (thread_number or 1) * 20000 + sent) * 86400
  return wrk.format(nil, wrk.path .. "&" .. fresh_param .. "=" .. os.date("!%Y-%m-%d", day))
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, '
      .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
