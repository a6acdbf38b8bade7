-- wrk script: POST /v1/check with real articles, cycling through a bodies file (one JSON a line).
local bodies = {}
local counter = 0
local failures = 0

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  counter = math.random(#bodies)
end

function request()
  counter = counter % #bodies + 1
  return wrk.format("POST", "/v1/check", {["Content-Type"] = "application/json"}, bodies[counter])
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"verdict"', 1, true) then failures = failures + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("load: requests %d in %.1f s: %.1f req/s\n", summary.requests, summary.duration / 1e6,
                         summary.requests / (summary.duration / 1e6)))
  io.write(string.format("load: latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  local e = summary.errors
  io.write(string.format("load: errors: connect %d, read %d, write %d, timeout %d, non-2xx %d\n",
                         e.connect, e.read, e.write, e.timeout, e.status))
end
