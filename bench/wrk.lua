-- wrk script of bench/load.py: the headers of a logged-in browser behind an HTTPS proxy, an
-- optional form POST with a fresh form token per request, and the figures as one JSON line.
-- Settings come from the environment: BENCH_COOKIE, BENCH_ORIGIN, BENCH_BODY (a form body in
-- which "{token}" is replaced by a new UUID on every request; empty: GET).

local cookie = os.getenv("BENCH_COOKIE") or ""
local origin = os.getenv("BENCH_ORIGIN") or ""
local body = os.getenv("BENCH_BODY") or ""
local threads = {}

function setup(thread)
  thread:set("number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + number)
  wrk.headers["Cookie"] = cookie
  wrk.headers["X-Forwarded-Proto"] = "https"
  if origin ~= "" then
    wrk.headers["Origin"] = origin
    wrk.headers["Referer"] = origin .. "/"
  end
  if body ~= "" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

local function uuid()
  local hex = "0123456789abcdef"
  local out = {}
  for i = 1, 32 do
    local n = math.random(1, 16)
    out[#out + 1] = hex:sub(n, n)
    if i == 8 or i == 12 or i == 16 or i == 20 then out[#out + 1] = "-" end
  end
  return table.concat(out)
end

function request()
  if body == "" then
    return wrk.format()
  end
  return wrk.format(nil, nil, nil, (body:gsub("{token}", uuid())))
end

statuses = {}  -- global: done() reads each thread's copy

function response(status, headers, content)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses") or {}) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  local codes = {}
  for code, n in pairs(merged) do
    codes[#codes + 1] = string.format('"%d": %d', code, n)
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "p50": %.2f, "p95": %.2f, "p99": %.2f, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(codes, ", ")))
end
