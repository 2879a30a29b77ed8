-- wrk script: POST /rpc bodies from a file, one per line, round robin, as fast as answered.
--
-- Usage: wrk -t1 -c8 -d10s -s public_write_flood.lua http://127.0.0.1:PORT/rpc -- FILE
--        ... -- healthz   (GET /healthz instead: the cheapest request, the flood's floor)
-- done() prints one JSON line: requests, req/s, latency percentiles (µs), and the answers
-- by kind: results, rate limited (-32005), invalid params (-32602), other errors, non-200.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local bodies = {}
local counter = 0
local healthz = false
-- Globals, so that done() can read them from every thread with thread:get().
results, limited, invalid, other_errors, bad_status = 0, 0, 0, 0, 0

function init(args)
  if args[1] == "healthz" then
    healthz = true
    return
  end
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(bodies, line) end
  end
  if #bodies == 0 then error("no bodies in " .. tostring(args[1])) end
end

function request()
  if healthz then return wrk.format("GET", "/healthz") end
  counter = counter + 1
  local headers = { ["Content-Type"] = "application/json" }
  return wrk.format("POST", nil, headers, bodies[(counter % #bodies) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif healthz or body:find('"result":', 1, true) then
    results = results + 1
  elseif body:find('-32005', 1, true) then
    limited = limited + 1
  elseif body:find('-32602', 1, true) then
    invalid = invalid + 1
  else
    other_errors = other_errors + 1
  end
end

function done(summary, latency, requests)
  local totals = { results = 0, limited = 0, invalid = 0, other_errors = 0, bad_status = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_us": %d, "p99_us": %d, "results": %d, ' ..
    '"limited": %d, "invalid": %d, "other_errors": %d, "bad_status": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50),
    latency:percentile(99), totals.results, totals.limited, totals.invalid, totals.other_errors,
    totals.bad_status, e.connect + e.read + e.write + e.timeout))
end
