-- Readers of a busy news site: cycle through the paths listed in the file named
-- by SPIKE_PATHS, count 503 (unavailable) and other 5xx apart, print one RESULT line.
paths = {}
for line in io.lines(os.getenv("SPIKE_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
counter = 0
server_errors = 0
unavailable = 0
local threads = {}

function setup(thread)
  thread:set("counter", #threads * 7)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status == 503 then
    unavailable = unavailable + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local errors5xx, errors503 = 0, 0
  for _, thread in ipairs(threads) do
    errors5xx = errors5xx + thread:get("server_errors")
    errors503 = errors503 + thread:get("unavailable")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "RESULT rps=%.1f p50=%.2f p99=%.2f requests=%d errors=%d e5xx=%d e503=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors, errors5xx, errors503))
end
