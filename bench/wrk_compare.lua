-- bench/compare.py's wrk script, the same for Byline and WordPress.
-- WRK_NOCACHE=1: every request gets a unique query string and
-- "Cache-Control: no-cache" (the peer's nocache.lua does the same), so no cache
-- may answer it. WRK_COOKIE: a Cookie header to send (a reader who has voted).
-- Prints one machine-readable line with throughput and latency (ms).
local nocache = os.getenv("WRK_NOCACHE") == "1"
local cookie = os.getenv("WRK_COOKIE")
if nocache then
  wrk.headers["Cache-Control"] = "no-cache"
end
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local threads = 0
counter = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function request()
  if nocache then
    counter = counter + 1
    return wrk.format(nil, wrk.path .. "?nocache=" .. tostring(id or 0) .. "-" .. counter)
  end
  return wrk.format(nil, wrk.path)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT rps=%.1f p50=%.2f p99=%.2f requests=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors, summary.errors.status))
end
