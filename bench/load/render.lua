-- wrk script: POST /rpc placements.render calls from a request file, optionally paced.
--
-- Usage: wrk -t1 -c16 -d20s -s render.lua http://127.0.0.1:PORT/rpc -- FILE [RATE]
--   FILE  lines of "kind<TAB>user-agent<TAB>visit<TAB>body-before-session<TAB>body-after-session",
--         kind "new" (a fresh session id) or "back" (a session this thread opened before
--         for the same visit key: merchant and market), written by bench/load/dataset.py.
--         A "back" request carries the visit token of that session's last showing render
--         (bff/visit_token.py), as the shopper's frame does: each request gets its own
--         JSON-RPC id, and response() reads the id and the token from the reply. A session
--         whose reply had no token yet (in flight, or nothing shown) is sent without one.
--   RATE  requests/s for the whole run (split over the threads); 0 or absent: as fast as
--         the server answers (closed loop). Pacing hands each thread's requests out on a
--         fixed schedule (LuaJIT ffi clock), so latency is measured at a steady offered rate.
-- done() prints one JSON line: requests, errors by kind, req/s, latency percentiles (µs), and
-- how many requests carried a visit token.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } onsite_timespec;
int clock_gettime(int clk_id, onsite_timespec *tp);
]]
local ts = ffi.new("onsite_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

local lines = {}
local interval_ms = 0
local next_slot = nil
local counter = 0
local rings = {} -- visit key -> {ids, next}: recent sessions of this thread per merchant/market
local ring_size = 256
local in_flight = {} -- JSON-RPC id -> session id, until its reply is read
local tokens = {} -- session id -> the visit token of its last reply that carried one
-- Globals, so that done() can read them from every thread with thread:get().
rpc_errors, bad_status, with_token = 0, 0, 0

function init(args)
  local path = args[1]
  local rate = tonumber(args[2] or "0") or 0
  local threads_total = tonumber(args[3] or "1") or 1
  for line in io.lines(path) do
    local kind, ua, merchant, before, after = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    if kind then
      table.insert(lines, { kind = kind, ua = ua, merchant = merchant, before = before, after = after })
      rings[merchant] = rings[merchant] or { ids = {}, next = 1 }
    end
  end
  if #lines == 0 then error("no requests in " .. tostring(path)) end
  if rate > 0 then interval_ms = 1000.0 * threads_total / rate end
  -- Threads start at different points of the file, so they do not send the same sequence.
  counter = (thread_id or 1) * 7919
end

function delay()
  if interval_ms <= 0 then return 0 end
  local now = now_ms()
  if next_slot == nil or next_slot < now - 1000 then next_slot = now end
  local wait = next_slot - now
  next_slot = next_slot + interval_ms
  if wait < 0 then return 0 end
  return math.floor(wait + 0.5)
end

function request()
  counter = counter + 1
  local item = lines[(counter % #lines) + 1]
  local ring = rings[item.merchant]
  local session
  if item.kind == "back" and ring.ids[1] ~= nil then
    session = ring.ids[(counter * 31) % #ring.ids + 1]
  else
    session = string.format("t%02dn%029d", thread_id or 1, counter)
    ring.ids[ring.next] = session
    ring.next = (ring.next % ring_size) + 1
  end
  in_flight[counter] = session
  local before = item.before:gsub('"id":1,', '"id":' .. counter .. ',', 1)
  local token = tokens[session]
  local carried = ""
  if token then
    carried = '","visit_token":"' .. token
    with_token = with_token + 1
  end
  local headers = { ["Content-Type"] = "application/json", ["User-Agent"] = item.ua }
  return wrk.format("POST", nil, headers, before .. session .. carried .. item.after)
end

local function remember_token(body)
  local id = tonumber(body:match('"id":(%d+)'))
  local session = id and in_flight[id]
  if session == nil then return end
  in_flight[id] = nil
  local token = body:match('"visit_token":"([%w%._%-]+)"')
  if token then tokens[session] = token end
end

function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif body:find('"error":', 1, true) and not body:find('"result":', 1, true) then
    rpc_errors = rpc_errors + 1
  end
  if status == 200 then remember_token(body) end
end

function done(summary, latency, requests)
  local rpc, status, carried = 0, 0, 0
  for _, thread in ipairs(threads) do
    rpc = rpc + (thread:get("rpc_errors") or 0)
    status = status + (thread:get("bad_status") or 0)
    carried = carried + (thread:get("with_token") or 0)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "rpc_errors": %d, "bad_status": %d, "socket_errors": %d, "with_token": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    rpc, status, e.connect + e.read + e.write + e.timeout, carried))
end
