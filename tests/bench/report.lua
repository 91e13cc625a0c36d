-- wrk reporter for tests/bench/run.py: one JSON line with throughput and latency percentiles
-- (microseconds). wrk's own --latency output has no 95th percentile.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, '
      .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
